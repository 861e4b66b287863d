/**
 * The API's errors as the web sees them, and the session-loss signal. The client itself is urql (./urql.ts):
 * any GraphQL error becomes an `ApiError` carrying `code` (extensions.code) and the server's Vietnamese
 * `message` (`toApiError`); transport failures become `ApiError` with code `NETWORK`. The session is the
 * httpOnly `cv_session` cookie: the browser never sees or stores the token.
 */

/** The API's fixed error codes (api-conventions.md) plus client-side `NETWORK`. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL'
  | 'NETWORK';

interface GraphQLErrorJson {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/** An error from the API (or from reaching it). `message` is the server's Vietnamese message. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** For BAD_USER_INPUT: the input field at fault (`extensions.field`). */
  readonly field: string | undefined;
  /** All of the first error's extensions, for screens that need more (e.g. a lock-out time). */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** The other errors of the same response, if any. */
  readonly others: readonly GraphQLErrorJson[];

  constructor(
    code: ApiErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
    others: readonly GraphQLErrorJson[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.extensions = extensions;
    this.field = typeof extensions.field === 'string' ? extensions.field : undefined;
    this.others = others;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

type Listener = (error: ApiError) => void;
const unauthenticatedListeners = new Set<Listener>();

/**
 * Called whenever a request answers UNAUTHENTICATED (session expired or revoked elsewhere).
 * The auth provider uses it to drop the user back to the login page. Returns an unsubscribe function.
 */
/** Tells the listeners that the session is gone (called by the urql client on an UNAUTHENTICATED answer). */
export function notifyUnauthenticated(error: ApiError): void {
  for (const listener of unauthenticatedListeners) listener(error);
}

export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => {
    unauthenticatedListeners.delete(listener);
  };
}

/** The endpoint; same origin in production (nginx / the API serves the app) and in dev (Vite proxy). */
export const GRAPHQL_ENDPOINT = '/graphql';
