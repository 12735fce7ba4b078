/** The one error type routes throw: a status and a stable code, never a message shown to users. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503,
    readonly code: string,
  ) {
    super(code);
    this.name = 'HttpError';
  }
}

export const notFound = (): HttpError => new HttpError(404, 'not_found');
export const badRequest = (code = 'bad_request'): HttpError => new HttpError(400, code);
