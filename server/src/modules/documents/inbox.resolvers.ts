import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import type { Resolvers } from '../../graphql/generated/resolvers';
import { badInput } from '../../shared/errors';

/** Does the query select `name` directly under this field (through inline fragments and fragment spreads)? */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean => {
    if (!set) return false;
    for (const s of set.selections) {
      if (s.kind === 'Field' && s.name.value === name) return true;
      if (s.kind === 'InlineFragment' && walk(s.selectionSet)) return true;
      if (s.kind === 'FragmentSpread' && !seen.has(s.name.value)) {
        seen.add(s.name.value);
        if (walk(info.fragments[s.name.value]?.selectionSet)) return true;
      }
    }
    return false;
  };
  return info.fieldNodes.some((f: FieldNode) => walk(f.selectionSet));
}

/** The boxes hold văn bản đến / đi: an ARCHIVE direction (modules/records) is refused. */
function inboxFilter<F extends { direction?: string | null } | null | undefined>(f: F): F & { direction?: Exclude<NonNullable<F>['direction'], 'ARCHIVE'> } {
  if (f?.direction === 'ARCHIVE') throw badInput('Tài liệu lưu trữ không nằm trong hộp văn bản; xem danh mục hồ sơ.', 'direction');
  return f as F & { direction?: Exclude<NonNullable<F>['direction'], 'ARCHIVE'> };
}

/** inbox resolvers (thin: parse arguments, call the service). */
export const inboxResolvers: Resolvers = {
  Query: {
    inbox: (_p, { box, first, after, filter }, { scope, services }, info) =>
      services.inbox.inbox(scope, box, { first, after, filter: inboxFilter(filter), withTotal: selectsField(info, 'totalCount') }),
    inboxCounts: (_p, _a, { scope, services }) => services.inbox.inboxCounts(scope),
  },
};
