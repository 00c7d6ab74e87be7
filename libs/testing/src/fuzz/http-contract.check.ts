import fc from 'fast-check';

/** A body as sent: a value serialised as JSON, or the exact text or bytes. */
export type FuzzBody = { readonly json: unknown } | { readonly raw: string | Uint8Array };

function clipped(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
}

/** A JSON body that prints short in a counterexample (a 20,000-level array would fill the report). */
export function jsonBody(json: unknown): FuzzBody {
  return { json, [fc.toStringMethod]: () => `{json: ${clipped(json)}}` } as FuzzBody;
}

/** A raw body that prints short in a counterexample. */
export function rawBody(raw: string | Uint8Array): FuzzBody {
  return {
    raw,
    [fc.toStringMethod]: () =>
      `{raw: ${clipped(typeof raw === 'string' ? raw : Buffer.from(raw).toString('hex'))}}`,
  } as FuzzBody;
}

/** One generated HTTP request: the parts a client controls. */
export interface FuzzRequest {
  readonly method: string;
  /** Path and query, already percent-encoded where needed. */
  readonly path: string;
  /** Header values as sent (Latin-1 strings); undefined leaves a header out. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** A value sent as JSON text, or the exact text or bytes sent. Absent: no body. */
  readonly body?: FuzzBody;
}

export interface FuzzAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

/**
 * Sends a generated request as is (a GET or HEAD without its body): never throws on a status, and
 * sets Content-Type only if the request did not.
 */
export async function sendFuzzRequest(baseUrl: string, request: FuzzRequest): Promise<FuzzAnswer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  let body: string | Uint8Array | undefined;
  // fetch sends no body with GET or HEAD (it throws instead), so none is generated for them.
  if (request.method === 'GET' || request.method === 'HEAD') {
    body = undefined;
  } else if (request.body && 'json' in request.body) {
    body = JSON.stringify(request.body.json) ?? 'null';
    headers['content-type'] ??= 'application/json';
  } else if (request.body) {
    body = request.body.raw;
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: kept as text, and the shape check says so.
  }
  return { status: response.status, body: parsed, text };
}

const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/;

/**
 * What is wrong with an answer under the public contract, or null: no 5xx ever for a client's
 * input, and every error is `{ statusCode, error, message, code }` with a stable code.
 */
export function contractProblem(answer: FuzzAnswer): string | null {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status < 400) return null;
  const body = answer.body as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return `error ${answer.status} without a JSON object body`;
  }
  if (body.statusCode !== answer.status) return `error body statusCode ${String(body.statusCode)}`;
  if (typeof body.error !== 'string') return 'error body without an "error" string';
  if (typeof body.message !== 'string') return 'error body without a "message" string';
  if (typeof body.code !== 'string' || !ERROR_CODE.test(body.code))
    return 'error body without a stable "code"';
  return null;
}

function describe(request: FuzzRequest, answer: FuzzAnswer, problem: string): string {
  const shown = JSON.stringify(request, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 300
      ? `${value.slice(0, 300)}… (${value.length} chars)`
      : value,
  );
  return `${problem}\nrequest: ${shown}\nanswer: ${answer.status} ${answer.text.slice(0, 500)}`;
}

/** Sends the request and throws (failing the property, with both sides shown) if the answer breaks the contract. */
export async function sendWithinContract(
  baseUrl: string,
  request: FuzzRequest,
  expect: (answer: FuzzAnswer) => string | null = () => null,
): Promise<FuzzAnswer> {
  const answer = await sendFuzzRequest(baseUrl, request);
  const problem = contractProblem(answer) ?? expect(answer);
  if (problem) throw new Error(describe(request, answer, problem));
  return answer;
}

/** For input that must be refused: a 4xx, never a success. */
export function mustBeRefused(answer: FuzzAnswer): string | null {
  return answer.status >= 400 && answer.status < 500 ? null : `expected a refusal, got ${answer.status}`;
}
