/** Agency tree order and cycle check. */
import { treeOrder, wouldCreateCycle } from './agency-tree';

const n = (id: string, parentId: string | null, code: string) => ({ id, parentId, code });
const nodes = [n('xa', 'huyen', '001.10.00.H27'), n('snv', 'tinh', '000.00.02.H27'), n('tinh', null, '000.00.00.H27'), n('huyen', 'tinh', '000.10.00.H27'), n('vp', 'tinh', '000.00.01.H27')];

describe('treeOrder', () => {
  it('lists parents before children, siblings by code, with depths', () => {
    expect(treeOrder(nodes).map((x) => `${x.depth}:${x.node.id}`)).toEqual(['0:tinh', '1:vp', '1:snv', '1:huyen', '2:xa']);
  });
  it('shows an agency whose parent is missing (inactive, filtered out) as a root', () => {
    expect(treeOrder(nodes.filter((x) => x.id !== 'huyen')).map((x) => `${x.depth}:${x.node.id}`)).toEqual(['0:tinh', '1:vp', '1:snv', '0:xa']);
  });
});

describe('wouldCreateCycle', () => {
  it('refuses moving an agency under itself or its descendants', () => {
    expect(wouldCreateCycle(nodes, 'tinh', 'tinh')).toBe(true);
    expect(wouldCreateCycle(nodes, 'tinh', 'xa')).toBe(true);
    expect(wouldCreateCycle(nodes, 'huyen', 'xa')).toBe(true);
  });
  it('allows other moves and making an agency top-level', () => {
    expect(wouldCreateCycle(nodes, 'xa', 'snv')).toBe(false);
    expect(wouldCreateCycle(nodes, 'huyen', null)).toBe(false);
  });
  it('terminates on data that already has a cycle', () => {
    expect(wouldCreateCycle([n('a', 'b', '1'), n('b', 'a', '2')], 'c', 'a')).toBe(true);
  });
});
