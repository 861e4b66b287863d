/**
 * A reporting period [from, to] typed as dd/mm/yyyy (Thống kê, sổ đăng ký): both days required, "từ ngày"
 * not after "đến ngày", at most 10 years — the same rules as the server's `statistics(from, to)`
 * (server/src/modules/documents/statistics.service.ts). Pure, zod only.
 */
import { z } from 'zod';
import { vnDate } from './dates';

/** The longest period the server accepts (days). */
export const MAX_PERIOD_DAYS = 10 * 366;

export const PERIOD_ORDER_MESSAGE = '"Từ ngày" phải trước hoặc bằng "đến ngày".';
export const PERIOD_LENGTH_MESSAGE = 'Khoảng thời gian tối đa là 10 năm.';

const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** `{ from, to }` as typed (dd/mm/yyyy) → `{ from, to }` as YYYY-MM-DD, or issues at `from` / `to`. */
export const periodSchema = () =>
  z
    .object({ from: vnDate(), to: vnDate() })
    .superRefine((p, ctx) => {
      if (p.from > p.to) ctx.addIssue({ code: 'custom', path: ['from'], message: PERIOD_ORDER_MESSAGE });
      else if (days(p.from, p.to) > MAX_PERIOD_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: PERIOD_LENGTH_MESSAGE });
    });

export type PeriodInput = z.input<ReturnType<typeof periodSchema>>;
export type Period = z.output<ReturnType<typeof periodSchema>>;
