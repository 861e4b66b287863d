/**
 * Thin typed wrappers over urql's hooks, so that every page handles errors the same way:
 * - `useApiQuery(doc, vars, opts)`: `{ data, error: ApiError | undefined, fetching, stale, refetch }`;
 * - `useApiMutation(doc)`: `[run, { fetching }]`, where `run(vars)` resolves with the data or rejects with an
 *   `ApiError` (so a form can put `error.field` at its field);
 * - `useApiSubscription(doc, vars, { pause })`: a typed subscription over graphql-sse; the normalised cache and
 *   ./cache-updates.ts apply its events, so pages usually need only to mount it.
 * Operations are the TypedDocumentNodes generated from web/src/**\/*.graphql (./generated.ts).
 */
import { useCallback, useMemo, useRef } from 'react';
import { CombinedError } from '@urql/core';
import { useMutation, useQuery, useSubscription, type AnyVariables, type OperationContext, type RequestPolicy } from 'urql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { ApiError } from './client';
import { toApiError } from './urql';

export interface ApiQueryOptions {
  pause?: boolean;
  requestPolicy?: RequestPolicy;
  /** Compared by its entries, so an inline object (`{ context: { ...SILENT } }`) does not re-run the query each render. */
  context?: Partial<OperationContext>;
}

function shallowEqual(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a) as (keyof typeof a)[];
  return ka.length === Object.keys(b).length && ka.every((k) => Object.is(a[k], b[k as keyof typeof b]));
}

/**
 * The same object as long as its entries are the same. urql's useQuery re-executes the query whenever the
 * `context` object changes identity, so a context built during render must be kept stable by value (a useMemo
 * depending on the object itself would change with it and keep nothing).
 */
export function useStableContext(context: Partial<OperationContext> | undefined): Partial<OperationContext> | undefined {
  const ref = useRef(context);
  if (!shallowEqual(ref.current, context)) ref.current = context;
  return ref.current;
}

export interface ApiQueryResult<TData> {
  data: TData | undefined;
  error: ApiError | undefined;
  fetching: boolean;
  /** A cached result is shown while a fresher one is on its way. */
  stale: boolean;
  /** Re-runs the query against the network. */
  refetch: () => void;
}

export function useApiQuery<TData, TVars extends AnyVariables>(
  query: TypedDocumentNode<TData, TVars>,
  variables: TVars,
  options: ApiQueryOptions = {},
): ApiQueryResult<TData> {
  const context = useStableContext(options.context);
  const [result, reexecute] = useQuery<TData, TVars>({
    query,
    variables,
    pause: options.pause,
    requestPolicy: options.requestPolicy,
    context,
  } as Parameters<typeof useQuery<TData, TVars>>[0]);
  const error = useMemo(() => (result.error ? toApiError(result.error) : undefined), [result.error]);
  const refetch = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  return { data: result.data, error, fetching: result.fetching, stale: result.stale, refetch };
}

export function useApiMutation<TData, TVars extends AnyVariables>(
  mutation: TypedDocumentNode<TData, TVars>,
): [(variables: TVars, context?: Partial<OperationContext>) => Promise<TData>, { fetching: boolean }] {
  const [state, execute] = useMutation<TData, TVars>(mutation);
  const run = useCallback(
    async (variables: TVars, context?: Partial<OperationContext>): Promise<TData> => {
      const r = await execute(variables, context);
      if (r.error) throw toApiError(r.error);
      if (r.data === undefined) throw toApiError(new CombinedError({}));
      return r.data;
    },
    [execute],
  );
  return [run, { fetching: state.fetching }];
}

export function useApiSubscription<TData, TVars extends AnyVariables>(
  subscription: TypedDocumentNode<TData, TVars>,
  variables: TVars,
  options: { pause?: boolean } = {},
): { data: TData | undefined; error: ApiError | undefined } {
  const [result] = useSubscription<TData, TData, TVars>({ query: subscription, variables, pause: options.pause } as Parameters<
    typeof useSubscription<TData, TData, TVars>
  >[0]);
  const error = useMemo(() => (result.error ? toApiError(result.error) : undefined), [result.error]);
  return { data: result.data, error };
}
