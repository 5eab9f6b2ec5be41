/**
 * What kind of failure a domain error is. The HTTP layer maps kinds to statuses
 * (src/platform/http/problem-details.filter.ts); the domain never speaks HTTP.
 */
export type DomainErrorKind =
  | 'validation' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'unprocessable' // 422
  | 'rate_limited'; // 429

/** Base of every error a client can cause. `code` is a stable UPPER_SNAKE name. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;
  /** Field errors, for validation failures. */
  readonly errors?: { field: string; message: string }[];

  constructor(message: string, errors?: { field: string; message: string }[]) {
    super(message);
    this.name = new.target.name;
    if (errors) this.errors = errors;
  }
}

/** A generic validation failure with field errors (400 VALIDATION_FAILED). */
export class ValidationFailed extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = 'validation' as const;
  constructor(errors: { field: string; message: string }[], message = 'The request is not valid.') {
    super(message, errors);
  }
}
