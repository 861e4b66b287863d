import { render, screen } from '@testing-library/react';
import { AgencyTree, canManageAgencies } from './AgenciesPage';

const ITEMS = [
  { depth: 0, agency: { id: 'a1', code: '000.00.00.H27', name: 'UBND tỉnh Bắc Ninh', abbr: 'UBND', place: 'Bắc Ninh', active: true, operator: true, parent: null } },
  { depth: 1, agency: { id: 'a2', code: '000.00.02.H27', name: 'Sở Nội vụ', abbr: 'SNV', place: null, active: true, operator: false, parent: { id: 'a1' } } },
];
const noop = () => undefined;

describe('Cơ quan: buttons follow what the server allows', () => {
  it('only an administrator of the operator agency may manage agencies', () => {
    expect(canManageAgencies({ roles: ['QUAN_TRI'], agency: { operator: true } })).toBe(true);
    expect(canManageAgencies({ roles: ['QUAN_TRI'], agency: { operator: false } })).toBe(false);
    expect(canManageAgencies({ roles: ['VAN_THU', 'LANH_DAO'], agency: { operator: true } })).toBe(false);
  });

  it('hides "Thêm cơ quan", "Sửa" and "Ngừng hoạt động" without permission', () => {
    render(<AgencyTree items={ITEMS} canManage={false} onCreate={noop} onEdit={noop} onToggleActive={noop} />);
    expect(screen.getByText('Sở Nội vụ')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Thêm cơ quan' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Sửa/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Ngừng hoạt động/ })).toBeNull();
  });

  it("shows them to the operator's administrators (the operator itself cannot be deactivated)", () => {
    render(<AgencyTree items={ITEMS} canManage onCreate={noop} onEdit={noop} onToggleActive={noop} />);
    expect(screen.getByRole('button', { name: 'Thêm cơ quan' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sửa: Sở Nội vụ' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ngừng hoạt động: Sở Nội vụ' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Ngừng hoạt động: UBND tỉnh Bắc Ninh' })).toBeNull();
  });
});
