/**
 * A holiday an administrator adds to a year's list (Cấu hình văn bản → Ngày nghỉ). Shared by the web form
 * and the server (settings.service checks the same: a real date inside the year, a name of at most 200
 * characters, no day twice). Pure, zod only.
 */
import { z } from 'zod';
import { vnDate } from './dates';

export const HOLIDAY_NAME_MAX = 200;

export const holidaySchema = (year: number) =>
  z.object({
    date: vnDate().refine((iso) => iso.startsWith(`${year}-`), { message: `Ngày nghỉ phải thuộc năm ${year}.` }),
    name: z.string().trim().min(1, { message: 'Vui lòng nhập tên ngày nghỉ.' }).max(HOLIDAY_NAME_MAX, { message: `Tên ngày nghỉ dài quá ${HOLIDAY_NAME_MAX} ký tự.` }),
  });
export type HolidayFormInput = z.input<ReturnType<typeof holidaySchema>>;
export type HolidayFormValues = z.output<ReturnType<typeof holidaySchema>>;
