/**
 * The console's one way to the admin API: the signed-in admin's access token as Bearer, JSON in
 * and out, problem+json errors turned into sentences a support agent can act on.
 */

export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problemInWords(problem));
  }
}

/** What the admin reads when a request is refused: the API's own detail, and what to do when that is obvious. */
const ADVICE: Record<string, string> = {
  UNAUTHENTICATED: 'Your sign-in has expired or is not valid. Sign in again.',
  FORBIDDEN: 'Your account is not allowed to do this. Ask an administrator for the permission.',
  IDEMPOTENCY_KEY_IN_PROGRESS: 'This action is still being processed. Wait a moment before trying again.',
  RATE_LIMITED: 'Too many requests. Wait a minute and try again.',
  NETWORK_ERROR: '',
};

export function problemInWords(p: Problem): string {
  const fields = (p.errors ?? []).map((e) => (e.message.startsWith(e.field) ? e.message : `${e.field}: ${e.message}`));
  const base = p.detail || p.title || `The service answered ${p.status}.`;
  const advice = ADVICE[p.code];
  return [fields.length ? `${base} ${fields.join('; ')}.` : base, advice].filter(Boolean).join(' ');
}

const UNREACHABLE: Problem = {
  status: 0,
  code: 'NETWORK_ERROR',
  detail: 'The referrals service could not be reached. Check your connection and try again.',
};

async function readProblem(res: Response): Promise<Problem> {
  const fallback: Problem = {
    status: res.status,
    code: `HTTP_${res.status}`,
    detail: `The service answered ${res.status}.`,
  };
  if (!/json/i.test(res.headers.get('content-type') ?? '')) return fallback;
  try {
    const body = (await res.json()) as Partial<Problem>;
    return {
      status: typeof body.status === 'number' ? body.status : res.status,
      code: typeof body.code === 'string' ? body.code : fallback.code,
      title: typeof body.title === 'string' ? body.title : undefined,
      detail: typeof body.detail === 'string' && body.detail ? body.detail : (body.title ?? fallback.detail),
      errors: Array.isArray(body.errors) ? body.errors : undefined,
    };
  } catch {
    return fallback;
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
  /** Writes: the key of this user action (reused when the same action is sent again). */
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

export class ApiClient {
  constructor(
    private readonly token: () => string | null,
    /** Called on a 401: the session is over. */
    private readonly onUnauthorized: () => void,
  ) {}

  private async send(method: string, path: string, opts: RequestOptions, accept: string): Promise<Response> {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = { Accept: accept, ...opts.headers };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
    } catch {
      throw new ApiError(UNREACHABLE);
    }
    if (!res.ok) {
      const problem = await readProblem(res);
      if (res.status === 401) this.onUnauthorized();
      throw new ApiError(problem);
    }
    return res;
  }

  async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, opts, 'application/json');
    return (await res.json()) as T;
  }

  get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.json<T>('GET', path, { query });
  }

  /** A download: the body and the file name the API suggests (Content-Disposition). */
  async download(
    path: string,
    query: RequestOptions['query'],
    accept: string,
  ): Promise<{ blob: Blob; filename: string }> {
    const res = await this.send('GET', path, { query }, accept);
    const disposition = res.headers.get('content-disposition') ?? '';
    const filename = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? 'download';
    return { blob: await res.blob(), filename };
  }
}

/**
 * One user action's Idempotency-Key: made when the action is first sent, sent again with every
 * try of the same action (a double click, a retry after a network error), and replaced once the
 * action succeeded or when its content changes (the API refuses a key reused for another body).
 * The server then does it once, however often it was clicked.
 */
export class ActionKey {
  private key: string | null = null;
  private body = '';

  for(body: unknown): string {
    const json = JSON.stringify(body ?? null);
    if (!this.key || json !== this.body) {
      this.key = crypto.randomUUID();
      this.body = json;
    }
    return this.key;
  }

  /** The action is done: the next one gets a new key. */
  done(): void {
    this.key = null;
  }
}
