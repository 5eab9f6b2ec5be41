/**
 * The widget's only way out: calls to the customer API at `api-base`, with the customer's JWT.
 * Errors come back as the API's problem+json (its `detail` is what the customer sees).
 */

/** RFC 9457 problem details, as the API sends them (or as the widget words a network failure). */
export interface Problem {
  status: number;
  code: string;
  detail: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

export type TokenProvider = () => Promise<string> | string;

/** Where the JWT comes from, read at each call: the element's `token` or `tokenProvider` property. */
export interface Credentials {
  token?: string | null;
  tokenProvider?: TokenProvider | null;
}

export const NOT_SIGNED_IN: Problem = {
  status: 401,
  code: 'NOT_SIGNED_IN',
  detail: 'Sign in to see your referrals.',
};

const UNREACHABLE: Problem = {
  status: 0,
  code: 'NETWORK_ERROR',
  detail: 'We couldn’t reach CircleTel. Check your connection and try again.',
};

async function readProblem(res: Response): Promise<Problem> {
  const fallback: Problem = {
    status: res.status,
    code: 'HTTP_' + res.status,
    detail: `The service answered ${res.status}. Try again in a moment.`,
  };
  if (!/json/i.test(res.headers.get('content-type') ?? '')) return fallback;
  try {
    const body = (await res.json()) as Partial<Problem>;
    return {
      status: typeof body.status === 'number' ? body.status : res.status,
      code: typeof body.code === 'string' ? body.code : fallback.code,
      detail: typeof body.detail === 'string' && body.detail ? body.detail : fallback.detail,
    };
  } catch {
    return fallback;
  }
}

export class ApiClient {
  /** The token of the current load; a 401 replaces it once (tokenProvider only). */
  private token?: Promise<string>;

  constructor(
    private readonly base: string,
    private readonly credentials: () => Credentials,
  ) {}

  /** Forget the token: the next call asks the tokenProvider again (a new load, a retry). */
  reset(): void {
    this.token = undefined;
  }

  private currentToken(): Promise<string> {
    const { token, tokenProvider } = this.credentials();
    if (tokenProvider) {
      this.token ??= Promise.resolve()
        .then(() => tokenProvider())
        .then((t) => {
          if (typeof t !== 'string' || !t) throw new ApiError(NOT_SIGNED_IN);
          return t;
        });
      return this.token;
    }
    return token ? Promise.resolve(token) : Promise.reject(new ApiError(NOT_SIGNED_IN));
  }

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path, true);
  }

  post<T>(path: string): Promise<T> {
    return this.send<T>('POST', path, true);
  }

  private async send<T>(method: string, path: string, mayRetry: boolean): Promise<T> {
    const tokenPromise = this.currentToken();
    let token: string;
    try {
      token = await tokenPromise;
    } catch (e) {
      if (this.token === tokenPromise) this.token = undefined;
      throw e instanceof ApiError ? e : new ApiError(NOT_SIGNED_IN);
    }
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        mode: 'cors',
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
    } catch {
      throw new ApiError(UNREACHABLE);
    }
    if (res.status === 401 && mayRetry && this.credentials().tokenProvider) {
      // An expired token: ask the provider once for a new one (several calls failing together
      // share that one new token), then try once more.
      if (this.token === tokenPromise) this.token = undefined;
      return this.send<T>(method, path, false);
    }
    if (!res.ok) throw new ApiError(await readProblem(res));
    return (await res.json()) as T;
  }
}
