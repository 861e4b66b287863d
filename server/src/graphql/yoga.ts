/**
 * The GraphQL endpoint (graphql-yoga 5): schema, armor limits, typed errors, cookie/bearer authentication with
 * the CSRF and Origin rules, CORS only for configured origins, the upload size limit, production defaults
 * (no introspection, no GraphiQL) and the one text rule for every string input (input-text.ts).
 */
import type { Request, Response } from 'express';
import { GraphQLError, Kind, NoSchemaIntrospectionCustomRule, visit, type ASTNode, type DocumentNode } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Services } from '../services';
import { AppError } from '../shared/errors';
import { Scope } from '../shared/scope';
import { logger } from '../shared/logger';
import { renderGraphiQL } from '../shared/lazy-modules';
import { allowedOrigins, cookieTrusted, CSRF_HEADER, SESSION_COOKIE, type GraphQLContext } from './context';
import { maskError, normaliseResultErrors } from './errors';
import { cleanText, cleanVariables, isVerbatimKey, NulCharacterError } from './input-text';
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

/**
 * Finds the session token: `Authorization: Bearer` (API clients) or the httpOnly cookie (web). The cookie is
 * honoured only when a foreign page cannot have forged the request (CSRF):
 *  - never when the Origin header names a page that is neither ours nor configured;
 *  - on GET (read-only: yoga refuses mutations over GET; EventSource uses it for subscriptions);
 *  - on POST whose media type is exactly application/json or application/graphql-response+json (these force
 *    a CORS preflight); the type is parsed, not searched: `x-www-form-urlencoded;charset=application/json`
 *    is a form;
 *  - on any other POST (multipart uploads, forms, text/plain) only with our custom header, which a foreign
 *    page cannot add without a preflight.
 */
export function tokenFrom(req: Request, allowed: Set<string> = new Set()): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim() || undefined;
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (!cookie) return undefined;
  return cookieTrusted(req, allowed) ? cookie : undefined;
}

/** Builds the request's Scope: a fresh EntityManager fork and the authenticated actor (if any). */
export async function scopeForRequest(services: Services, req: Request, allowed: Set<string> = allowedOrigins(services.config)): Promise<Scope> {
  const em = services.orm.em.fork();
  const meta = { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null };
  const token = tokenFrom(req, allowed);
  if (!token) return new Scope(em, null, meta);
  const r = await services.identity.authenticate(em, token);
  if ('error' in r) return new Scope(em, null, { ...meta, authError: r.error });
  return new Scope(em, r.actor, meta);
}

/** The names of the arguments and input fields around a string literal: `registerIncoming.input.subject`. */
function literalPath(ancestors: readonly (ASTNode | readonly ASTNode[])[]): string[] {
  const names: string[] = [];
  for (const a of ancestors) {
    if (Array.isArray(a)) continue;
    const n = a as ASTNode;
    if (n.kind === Kind.FIELD) names.push(n.alias?.value ?? n.name.value);
    else if (n.kind === Kind.ARGUMENT || n.kind === Kind.OBJECT_FIELD) names.push(n.name.value);
  }
  return names;
}

/** The document with every string literal argument cleaned (input-text.ts); throws NulCharacterError. */
export function cleanDocument(doc: DocumentNode): DocumentNode {
  let changed = false;
  const out = visit(doc, {
    StringValue(node, _key, parent, _path, ancestors) {
      const names = literalPath(parent ? [...ancestors, parent] : ancestors);
      const value = cleanText(node.value, names.join('.') || 'input', names.some(isVerbatimKey));
      if (value === node.value) return undefined;
      changed = true;
      return { ...node, value };
    },
  });
  return changed ? out : doc;
}

const nulError = (e: NulCharacterError) =>
  new GraphQLError(e.message, { extensions: { code: 'BAD_USER_INPUT', field: e.path, http: { status: 400 } } });

/** Applies the text rule to the operation's variables and literal arguments before it runs. */
function textInputPlugin(): Plugin {
  const clean = (args: { document: DocumentNode; variableValues?: unknown }, stop: (r: { errors: GraphQLError[] }) => void) => {
    try {
      args.document = cleanDocument(args.document);
      args.variableValues = cleanVariables(args.variableValues as Record<string, unknown> | null | undefined);
    } catch (e) {
      if (e instanceof NulCharacterError) stop({ errors: [nulError(e)] });
      else throw e;
    }
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      clean(args as never, setResultAndStopExecution as never);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      clean(args as never, setResultAndStopExecution as never);
    },
  };
}

/** Multipart overhead allowed on top of MAX_UPLOAD_BYTES (the `operations` and `map` fields, part headers). */
export const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export { allowedOrigins, cookieTrusted, mediaType, originAllowed } from './context';

export function createGraphQLHandler(services: Services, extraPlugins: Plugin[] = []) {
  const { config } = services;
  const allowed = allowedOrigins(config);
  const production = config.env === 'production';
  return createYoga<ServerContext, GraphQLContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.graphiql ? { title: 'Công Văn GraphQL' } : false,
    renderGraphiQL,
    maskedErrors: { maskError: (e) => maskError(e), isDev: !production },
    // yoga's default (25 000 000 bytes ≈ 23.8 MiB) cut uploads far below the documented limit. JSON bodies
    // are already capped by express.json (MAX_BODY_BYTES) before yoga sees them.
    maxRequestBodySize: config.maxUploadBytes + MULTIPART_OVERHEAD_BYTES,
    // CORS only for PUBLIC_URL's origin and CORS_ORIGINS; any other origin gets no CORS headers at all.
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !allowed.has(origin)) return false;
      return {
        origin: [origin],
        credentials: true,
        methods: ['GET', 'POST'],
        allowedHeaders: ['content-type', 'accept', 'authorization', CSRF_HEADER],
        maxAge: 600,
      };
    },
    logging: {
      debug: (...a: unknown[]) => logger.debug({ yoga: a }),
      info: (...a: unknown[]) => logger.info({ yoga: a }),
      // Errors go through the logger's `err` serialiser (no SQL, no parameters).
      warn: (...a: unknown[]) => logger.warn({ err: a.find((x) => x instanceof Error), yoga: a.filter((x) => !(x instanceof Error)) }),
      // A typed error of ours (bad input, not found, refused…) is the client's business, not an operator's alarm.
      error: (...a: unknown[]) => {
        const err = a.find((x) => x instanceof Error);
        const log = isExpectedError(err) ? logger.debug.bind(logger) : logger.error.bind(logger);
        log({ err, yoga: a.filter((x) => !(x instanceof Error)) });
      },
    },
    context: async ({ req, res }) => {
      const scope = await scopeForRequest(services, req, allowed);
      return { scope, services, loaders: createLoaders(scope.em), req, res };
    },
    plugins: [
      textInputPlugin(),
      ...(config.introspection
        ? []
        : [
            {
              onValidate({ addValidationRule }) {
                addValidationRule(NoSchemaIntrospectionCustomRule);
              },
            } satisfies Plugin,
          ]),
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
          setResult(normaliseResultErrors(result as { errors?: readonly GraphQLError[] }, { production }) as typeof result);
        },
      } satisfies Plugin,
      ...extraPlugins,
    ],
  });
}

/** An AppError other than INTERNAL, possibly wrapped by graphql-js (originalError chain). */
export function isExpectedError(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof AppError) return cur.code !== 'INTERNAL';
    cur = (cur as { originalError?: unknown }).originalError;
  }
  return false;
}
