/**
 * The GraphQL context, and the rules for the session cookie: which media types and origins may use it (CSRF).
 */
import type { Request, Response } from 'express';
import { originOf, type Config } from '../config/config';
import type { Services } from '../services';
import type { Scope } from '../shared/scope';
import type { Loaders } from './loaders';

export const SESSION_COOKIE = 'cv_session';
/** Header the web client sends with every request; required for cookie auth on non-JSON requests (CSRF). */
export const CSRF_HEADER = 'x-congvan-csrf';

/** What every resolver receives: the unit of work (EntityManager fork + actor), services, loaders. */
export interface GraphQLContext {
  scope: Scope;
  services: Services;
  loaders: Loaders;
  req: Request;
  res: Response;
}

/** The media type of a Content-Type header: type/subtype before any `;`, trimmed, lower-cased. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
}

/** Media types a browser cannot send cross-site without a CORS preflight (which we answer only for allowed origins). */
const PREFLIGHTED_TYPES = new Set(['application/json', 'application/graphql-response+json']);

/** Origins whose pages may use the session cookie and read our answers (CORS): PUBLIC_URL's and CORS_ORIGINS. */
export function allowedOrigins(config: Pick<Config, 'publicUrl' | 'corsOrigins'>): Set<string> {
  return new Set([originOf(config.publicUrl), ...config.corsOrigins]);
}

/**
 * Whether the request's Origin header (when any) is one we trust: a configured origin, or the very host the
 * request was sent to (same-origin, e.g. a dev server on another port reached directly). `Origin: null`
 * (sandboxed frames, opaque redirects) is not trusted.
 */
export function originAllowed(req: Request, allowed: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.has(origin)) return true;
  try {
    const u = new URL(origin);
    return u.origin === origin && !!req.headers.host && u.host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Whether this request may use the session cookie (read it, or be given one by `login`): see tokenFrom.
 * Giving a cookie to a forged cross-site form would sign the victim's browser into the attacker's account.
 */
export function cookieTrusted(req: Request, allowed: Set<string>): boolean {
  if (!originAllowed(req, allowed)) return false;
  if (req.method === 'GET') return true;
  if (req.method === 'POST' && PREFLIGHTED_TYPES.has(mediaType(req.headers['content-type']))) return true;
  return req.method === 'POST' && !!req.headers[CSRF_HEADER];
}

