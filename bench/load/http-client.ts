import { Agent, request } from 'node:http';
import type { HttpCall } from './closed-model';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * A small keep-alive HTTP/1.1 client on node:http for the open model and the simulated users:
 * cheaper per request than fetch, which matters when the load generator shares two cores with
 * everything it measures. At most `maxSockets` connections; a request beyond them waits in the agent.
 */
export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(
    baseUrl: string,
    maxSockets: number,
    private readonly timeoutMs = 10_000,
  ) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port || 80);
    this.agent = new Agent({ keepAlive: true, maxSockets, scheduling: 'lifo' });
  }

  /** Resolves with any status; rejects on a socket error or after `timeoutMs` (code CLIENT_TIMEOUT). */
  send(call: HttpCall): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...call.headers };
      if (call.body !== undefined) headers['content-length'] = Buffer.byteLength(call.body);
      const outgoing = request(
        {
          agent: this.agent,
          host: this.host,
          port: this.port,
          method: call.method,
          path: call.path,
          headers,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      outgoing.setTimeout(this.timeoutMs, () =>
        outgoing.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })),
      );
      outgoing.on('error', reject);
      outgoing.end(call.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
