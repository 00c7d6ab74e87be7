/**
 * Why a call to the staff API did not succeed: the server could not be reached (or did not answer
 * in time), or it answered with the contract's error body.
 */
export type ApiProblem =
  | { readonly kind: 'network' }
  | {
      readonly kind: 'refused';
      readonly status: number;
      /** The stable code of the error body, such as APPROVAL_CEILING_EXCEEDED. */
      readonly code: string;
      readonly message: string;
      readonly details?: Readonly<Record<string, unknown>>;
    };

export class ApiFailure extends Error {
  constructor(readonly problem: ApiProblem) {
    super(
      problem.kind === 'network'
        ? 'network failure'
        : `${problem.status} ${problem.code}: ${problem.message}`,
    );
    this.name = 'ApiFailure';
  }
}

/** The failure the server's error body describes; a body that is not one still gets its status. */
export function refusalFrom(status: number, body: unknown): ApiFailure {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const details = fields.details;
  return new ApiFailure({
    kind: 'refused',
    status,
    code: typeof fields.code === 'string' ? fields.code : `HTTP_${status}`,
    message: typeof fields.message === 'string' ? fields.message : `the server answered ${status}`,
    details:
      typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : undefined,
  });
}
