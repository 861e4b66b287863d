import { render, screen, within } from '@testing-library/react';
import { StatisticsFigures, UnitTable, type StatisticsData } from './StatisticsView';
import { exportableRegisters, expectedScope, percent } from './statistics';

const unit = (abbr: string, name: string) => ({ id: `u-${abbr}`, abbr, name });

function stats(over: Partial<StatisticsData>): StatisticsData {
  return {
    agency: { id: 'a', name: 'Ủy ban nhân dân tỉnh Bắc Ninh' },
    scope: 'AGENCY',
    from: '2026-01-01',
    to: '2026-12-06',
    incoming: 0,
    outgoing: 0,
    electronicShare: null,
    handledOnTime: 0,
    handledLate: 0,
    openOnTime: 0,
    openOverdue: 0,
    onTimeRate: null,
    units: [],
    ...over,
  };
}

describe('Thống kê figures', () => {
  it('shows "—", not "0%", when nothing was due', () => {
    render(<StatisticsFigures stats={stats({ scope: 'SELF', incoming: 2, openOnTime: 2 })} />);
    expect(screen.getByTestId('on-time-rate').textContent).toBe('Giải quyết đúng hạn —');
    expect(screen.getByText('Chưa có văn bản nào đến hạn giải quyết trong kỳ.')).toBeTruthy();
    expect(screen.queryByText(/0\s?%/)).toBeNull();
    // a chuyên viên's counts are their own work
    expect(screen.getByText('Văn bản đến giao tôi')).toBeTruthy();
    expect(screen.getByText(/Phạm vi: Công việc của tôi · 01\/01\/2026 – 06\/12\/2026/)).toBeTruthy();
  });

  it('shows the rate when something was handled, 0% included', () => {
    const { rerender } = render(<StatisticsFigures stats={stats({ handledOnTime: 3, handledLate: 1, onTimeRate: 0.75 })} />);
    expect(screen.getByTestId('on-time-rate').textContent).toBe('Giải quyết đúng hạn 75%');
    expect(screen.getByText('3/4 văn bản đã giải quyết đúng hạn')).toBeTruthy();
    rerender(<StatisticsFigures stats={stats({ handledLate: 2, onTimeRate: 0 })} />);
    expect(screen.getByTestId('on-time-rate').textContent).toBe('Giải quyết đúng hạn 0%');
  });

  it('per unit: "—" for a unit that handled nothing', () => {
    render(
      <UnitTable
        tableId="t"
        units={[
          { unit: unit('KT', 'Phòng Kinh tế'), assigned: 4, handledOnTime: 1, handledLate: 1, openOnTime: 2, openOverdue: 0 },
          { unit: unit('NC', 'Phòng Nội chính'), assigned: 1, handledOnTime: 0, handledLate: 0, openOnTime: 0, openOverdue: 1 },
        ]}
      />,
    );
    const rows = screen.getAllByRole('row').slice(1);
    expect(within(rows[0]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['4', '1', '1', '2', '0', '50%']);
    expect(within(rows[1]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1', '0', '0', '0', '1', '—']);
  });
});

describe('scopes by role', () => {
  it('gives each role its scope and its registers', () => {
    expect(expectedScope(['LANH_DAO'])).toBe('AGENCY');
    expect(expectedScope(['VAN_THU'])).toBe('AGENCY');
    expect(expectedScope(['TRUONG_PHONG'])).toBe('UNIT');
    expect(expectedScope(['CHUYEN_VIEN'])).toBe('SELF');
    expect(expectedScope(['TRUONG_PHONG', 'LANH_DAO'])).toBe('AGENCY');
    expect(exportableRegisters(['TRUONG_PHONG'])).toEqual(['FOLLOW_UP']);
    expect(exportableRegisters(['CHUYEN_VIEN'])).toEqual([]);
    expect(exportableRegisters(['VAN_THU'])).toEqual(['INCOMING', 'OUTGOING', 'FOLLOW_UP']);
    expect(percent(null)).toBe('—');
    expect(percent(0)).toBe('0%');
  });
});
