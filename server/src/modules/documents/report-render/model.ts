/**
 * Format-independent models of the reports (sổ đăng ký, phiếu giải quyết), rendered to PDF (pdf.ts) and
 * XLSX (xlsx.ts). Text is NFC; calendar dates are PlainDate (`YYYY-MM-DD`) and are written dd/mm/yyyy.
 */
import { plainDateParts, type PlainDate } from '../domain/calendar';

/** A cell: text, a whole number, or a calendar date. */
export type Cell = string | number | { date: PlainDate } | null;

export interface ReportColumn {
  /** Header text (Vietnamese, as in Phụ lục IV NĐ 30/2020). */
  header: string;
  /** Relative width (PDF) and Excel width in characters. */
  width: number;
  align?: 'left' | 'center' | 'right';
}

/** The heading block common to every report: cơ quan chủ quản / cơ quan, title, sub-title lines. */
export interface ReportHeading {
  /** Cơ quan chủ quản (parent agency), if any. */
  parentAgencyName: string | null;
  agencyName: string;
  /** e.g. "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN". */
  title: string;
  /** e.g. ["Năm 2026", "Từ ngày 01/01/2026 đến ngày 31/12/2026", "Từ số 1 đến số 125"]. */
  subtitles: string[];
  /** Printed under the table/form, e.g. the export time. */
  footnote?: string;
}

export interface RegisterTable extends ReportHeading {
  /** Short sheet name (≤ 31 characters, no []:*?/\). */
  sheetName: string;
  columns: ReportColumn[];
  rows: Cell[][];
  /** Shown as a single row when there are no rows. */
  emptyText: string;
}

export interface FormSection {
  heading: string;
  lines: string[];
  /** Right-aligned date line, e.g. "Ngày 05/02/2026". */
  dateLine?: string | null;
  /** Right-aligned name under the date (who gave the opinion). */
  signer?: string | null;
}

export interface FormDocument extends ReportHeading {
  sheetName: string;
  /** Label / value pairs describing the document. */
  fields: [string, string][];
  sections: FormSection[];
}

/** dd/mm/yyyy. */
export function formatDmy(d: PlainDate): string {
  const { year, month, day } = plainDateParts(d);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

export function cellText(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return String(c);
  if (typeof c === 'string') return c;
  return formatDmy(c.date);
}

/** Upper-case in Vietnamese (agency names in the heading: "ỦY BAN NHÂN DÂN TỈNH BẮC NINH"). */
export const upperVi = (s: string): string => s.normalize('NFC').toLocaleUpperCase('vi-VN');
