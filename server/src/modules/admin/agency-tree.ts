/**
 * The agency tree (cơ quan chủ quản → cơ quan cấp dưới) as pure functions: depth-first order for display,
 * and the check that moving an agency under a new parent does not make a cycle.
 */

export interface TreeNode {
  id: string;
  parentId: string | null;
  code: string;
}

/**
 * Depth-first order, parents before children, siblings by code. Nodes whose parent is not in the list (an
 * inactive parent left out) are shown as roots, so none disappears.
 */
export function treeOrder<T extends TreeNode>(nodes: readonly T[]): { node: T; depth: number }[] {
  const ids = new Set(nodes.map((n) => n.id));
  const children = new Map<string | null, T[]>();
  for (const n of nodes) {
    const key = n.parentId && ids.has(n.parentId) ? n.parentId : null;
    const list = children.get(key);
    if (list) list.push(n);
    else children.set(key, [n]);
  }
  for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  const out: { node: T; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const n of children.get(parent) ?? []) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      out.push({ node: n, depth });
      walk(n.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Whether putting `id` under `newParentId` would make the agency its own ancestor. */
export function wouldCreateCycle(nodes: readonly TreeNode[], id: string, newParentId: string | null): boolean {
  const parentOf = new Map(nodes.map((n) => [n.id, n.parentId]));
  let p: string | null | undefined = newParentId;
  const guard = new Set<string>();
  while (p) {
    if (p === id) return true;
    if (guard.has(p)) return true; // already a cycle in the data: refuse rather than loop
    guard.add(p);
    p = parentOf.get(p);
  }
  return false;
}
