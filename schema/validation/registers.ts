/**
 * The register view's filter (sổ văn bản đến / đi on screen) as typed: dates dd/mm/yyyy, numbers as text.
 * The same rules as the server's `registerEntries(filter)` (server/src/modules/documents/domain/register-view.ts
 * registerQueryProblem): real dates, "từ" not after "đến", numbers positive whole numbers with "từ số" ≤
 * "đến số". Pure, zod only.
 */
import { z } from 'zod';
import { optionalVnDate } from './dates';

export const NUMBER_MESSAGE = 'Số phải là số nguyên dương.';
export const NUMBER_ORDER_MESSAGE = '"Đến số" phải lớn hơn hoặc bằng "từ số".';
export const DATE_ORDER_MESSAGE = '"Đến ngày" phải sau hoặc bằng "từ ngày".';
export const MAX_REGISTER_NUMBER = 2_147_483_647;

const optionalNumber = () =>
  z.string().trim().transform((text, ctx) => {
    if (text === '') return null;
    const n = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_REGISTER_NUMBER) {
      ctx.addIssue({ code: 'custom', message: NUMBER_MESSAGE });
      return z.NEVER;
    }
    return n;
  });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `Không được dài quá ${max} ký tự.` })
    .transform((s) => s || null);

export const registerFilterSchema = () =>
  z
    .object({
      receivedFrom: optionalVnDate(),
      receivedTo: optionalVnDate(),
      issuedFrom: optionalVnDate(),
      issuedTo: optionalVnDate(),
      numberFrom: optionalNumber(),
      numberTo: optionalNumber(),
      issuer: optionalText(200),
      typeName: optionalText(100),
      unitId: z.string().transform((s) => s || null),
      state: z.string().transform((s) => s || null),
    })
    .superRefine((f, ctx) => {
      if (f.receivedFrom && f.receivedTo && f.receivedFrom > f.receivedTo) ctx.addIssue({ code: 'custom', path: ['receivedTo'], message: DATE_ORDER_MESSAGE });
      if (f.issuedFrom && f.issuedTo && f.issuedFrom > f.issuedTo) ctx.addIssue({ code: 'custom', path: ['issuedTo'], message: DATE_ORDER_MESSAGE });
      if (f.numberFrom != null && f.numberTo != null && f.numberFrom > f.numberTo) ctx.addIssue({ code: 'custom', path: ['numberTo'], message: NUMBER_ORDER_MESSAGE });
    });

export type RegisterFilterForm = z.input<ReturnType<typeof registerFilterSchema>>;
export type RegisterFilterValues = z.output<ReturnType<typeof registerFilterSchema>>;

export const EMPTY_REGISTER_FILTER: RegisterFilterForm = {
  receivedFrom: '',
  receivedTo: '',
  issuedFrom: '',
  issuedTo: '',
  numberFrom: '',
  numberTo: '',
  issuer: '',
  typeName: '',
  unitId: '',
  state: '',
};
