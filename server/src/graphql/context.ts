import type { Request, Response } from 'express';
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
