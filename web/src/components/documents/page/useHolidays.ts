/**
 * The caller's agency's non-working days for this year and the next (Vietnam's public holidays, Tết and Giỗ Tổ
 * from the lunar calendar, merged with the agency's own edits), so that "+5 ngày làm việc" skips them like the
 * server's deadline rules do. Empty while loading: the shortcut then skips weekends only.
 */
import { useMemo } from 'react';
import { AgencyHolidaysDocument } from '../../../graphql/generated';
import { useApiQuery } from '../../../graphql/hooks';
import { todayVN } from '../format';

export function useHolidays(): ReadonlySet<string> {
  const year = Number(todayVN().slice(0, 4));
  const { data } = useApiQuery(AgencyHolidaysDocument, { year, next: year + 1 });
  return useMemo(() => {
    const s = data?.documentSettings;
    return new Set([...(s?.thisYear ?? []), ...(s?.nextYear ?? [])].map((h) => h.date));
  }, [data]);
}
