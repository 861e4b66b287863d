import { render, screen, within } from '@testing-library/react';
import { DataTable } from './DataTable';

describe('DataTable', () => {
  it('names the table by its caption, heads each column and shows the rows', () => {
    render(
      <DataTable caption="Giao ký" testId="delegations" columns={['Người ký', 'Thao tác']}>
        <tr>
          <td>Nguyễn Văn A</td>
          <td>Thu hồi</td>
        </tr>
      </DataTable>,
    );
    const table = screen.getByRole('table', { name: 'Giao ký' });
    expect(table.getAttribute('data-testid')).toBe('delegations');
    expect(within(table).getAllByRole('columnheader').map((h) => [h.textContent, h.getAttribute('scope')])).toEqual([
      ['Người ký', 'col'],
      ['Thao tác', 'col'],
    ]);
    expect(within(table).getByRole('cell', { name: 'Nguyễn Văn A' })).toBeTruthy();
    expect(screen.queryByText('Chưa có giao ký nào.')).toBeNull();
  });

  it('shows the empty line under the table when given one', () => {
    render(
      <DataTable caption="Giao ký" columns={['Người ký']} empty="Chưa có giao ký nào.">
        {[]}
      </DataTable>,
    );
    expect(screen.getByText('Chưa có giao ký nào.').className).toBe('doc-muted');
    expect(screen.getByRole('table').hasAttribute('data-testid')).toBe(false);
  });
});
