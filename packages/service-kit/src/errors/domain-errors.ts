// Deliberately imports nothing: domain code throws these without depending on Nest or HTTP.
// The service kit's exception filter turns them into RFC 9457 problem responses.

export interface FieldError {
  field: string;
  message: string;
}

/** Base of the errors domain and application code may throw; `status` is the HTTP meaning. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Short, stable slug used in the problem `type` URI. */
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist (unknown id) → 404. */
export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'not-found';
}

/** The request is valid but clashes with the current state, e.g. an illegal state change → 409. */
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly code = 'conflict';
}

/** The caller is known but may not do this (wrong branch, wrong role for this record) → 403. */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden';
}

/** The input breaks a rule; `errors` names the fields → 400. */
export class ValidationError extends DomainError {
  readonly status = 400;
  readonly code = 'validation';

  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}
