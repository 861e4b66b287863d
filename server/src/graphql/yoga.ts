import type { Request, Response } from 'express';
import type { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Services } from '../services';
import { Scope } from '../shared/scope';
import { logger } from '../shared/logger';
import { CSRF_HEADER, SESSION_COOKIE, type GraphQLContext } from './context';
import { maskError, normaliseResultErrors } from './errors';
import { createLoaders } from './loaders';
import { buildSchema } from './schema';

type ServerContext = { req: Request; res: Response };

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** Finds the session token: `Authorization: Bearer` (API clients) or the httpOnly cookie (web). */
export function tokenFrom(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim() || undefined;
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (!cookie) return undefined;
  // CSRF: a cookie is honoured on GET (read-only: yoga refuses mutations over GET; used by EventSource for
  // subscriptions) and on JSON POSTs (which force a CORS preflight); other POSTs (multipart, form, text/plain,
  // which a foreign page can send) need our custom header.
  if (req.method === 'GET') return cookie;
  const jsonPost = req.method === 'POST' && (req.headers['content-type'] ?? '').includes('application/json');
  if (jsonPost || req.headers[CSRF_HEADER]) return cookie;
  return undefined;
}

/** Builds the request's Scope: a fresh EntityManager fork and the authenticated actor (if any). */
export async function scopeForRequest(services: Services, req: Request): Promise<Scope> {
  const em = services.orm.em.fork();
  const meta = { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null };
  const token = tokenFrom(req);
  if (!token) return new Scope(em, null, meta);
  const r = await services.identity.authenticate(em, token);
  if ('error' in r) return new Scope(em, null, { ...meta, authError: r.error });
  return new Scope(em, r.actor, meta);
}

export function createGraphQLHandler(services: Services, extraPlugins: Plugin[] = []) {
  const { config } = services;
  return createYoga<ServerContext, GraphQLContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.graphiql ? { title: 'Công Văn GraphQL' } : false,
    renderGraphiQL,
    maskedErrors: { maskError: (e) => maskError(e) },
    logging: {
      debug: (...a: unknown[]) => logger.debug({ yoga: a }),
      info: (...a: unknown[]) => logger.info({ yoga: a }),
      warn: (...a: unknown[]) => logger.warn({ yoga: a }),
      error: (...a: unknown[]) => logger.error({ yoga: a }),
    },
    context: async ({ req, res }) => {
      const scope = await scopeForRequest(services, req);
      return { scope, services, loaders: createLoaders(scope.em), req, res };
    },
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: config.graphqlMaxDepth, ignoreIntrospection: true, flattenFragments: true },
        costLimit: { maxCost: config.graphqlMaxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true },
        maxAliases: { n: 30 },
        maxDirectives: { n: 50 },
        maxTokens: { n: 5000 },
        blockFieldSuggestion: { enabled: config.env === 'production' },
      }),
      {
        onResultProcess({ result, setResult }) {
          if (Array.isArray(result) || !result || typeof result !== 'object' || !('errors' in result)) return;
          setResult(normaliseResultErrors(result as { errors?: readonly GraphQLError[] }) as typeof result);
        },
      } satisfies Plugin,
      ...extraPlugins,
    ],
  });
}
