import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A raw HTTP client for drills: sends exactly the method, path (not normalised: `..`, `%00`,
 * `%zz` reach the server as written), headers and body bytes it is given, over keep-alive
 * connections, with a hard deadline per request.
 */
export interface RawRequest {
  method: string;
  /** Path and query string, ASCII only (percent-encode the rest). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
}

export interface RawClient {
  send(req: RawRequest): Promise<RawResponse>;
  close(): void;
}

export function rawClient(server: http.Server, opts: { maxSockets?: number; deadlineMs?: number } = {}): RawClient {
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 20 });
  const deadlineMs = opts.deadlineMs ?? 30_000;
  return {
    send(r) {
      const started = Date.now();
      return new Promise<RawResponse>((resolve, reject) => {
        const headers: Record<string, string | number> = { ...r.headers };
        if (r.body !== undefined) headers['Content-Length'] = Buffer.byteLength(r.body);
        const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
              ms: Date.now() - started,
            });
          });
          res.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
          });
        });
        const timer = setTimeout(
          () => req.destroy(new Error(`no response within ${deadlineMs} ms: ${r.method} ${r.path}`)),
          deadlineMs,
        );
        req.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        if (r.body !== undefined) req.write(r.body);
        req.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** Runs `fn` over `items` with at most `concurrency` in flight; results in input order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
