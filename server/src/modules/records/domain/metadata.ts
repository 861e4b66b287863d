/**
 * Archive metadata (dữ liệu đặc tả) per Circular 02/2019/TT-BNV, besides what the document / hồ sơ rows already
 * hold (symbol, number, type, issued date, issuer, trích yếu, page count; notation, title, retention).
 * Element names follow the circular's English element names (vn-standards.md §4).
 */

/** Chế độ sử dụng (Mode / Rights). */
export const USE_MODES = ['CONG_KHAI', 'HAN_CHE', 'MAT'] as const;
export type UseMode = (typeof USE_MODES)[number];

/** Mức độ tin cậy (ConfidenceLevel). */
export const CONFIDENCE_LEVELS = ['BAN_CHINH', 'BAN_SAO', 'BAN_SO_HOA'] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

/** Dữ liệu đặc tả văn bản (per archived document). */
export type DocumentArchiveMetadata = {
  /** Ngôn ngữ (Language), e.g. "Tiếng Việt". */
  language?: string | null;
  /** Ký hiệu thông tin (InforSign). */
  inforSign?: string | null;
  /** Từ khóa (Keyword). */
  keyword?: string | null;
  /** Chế độ sử dụng (Mode). */
  mode?: UseMode | null;
  /** Mức độ tin cậy (ConfidenceLevel). */
  confidenceLevel?: ConfidenceLevel | null;
  /** Bút tích (Autograph). */
  autograph?: string | null;
  /** Tình trạng vật lý (Format). */
  format?: string | null;
  /** Ghi chú (Description). */
  description?: string | null;
};

/** Dữ liệu đặc tả hồ sơ (per record). */
export type RecordArchiveMetadata = {
  /** Mã cơ quan lưu trữ (Identifier). */
  identifier?: string | null;
  /** Mã phông (OrganId). */
  organId?: string | null;
  /** Chế độ sử dụng (Rights). */
  rights?: UseMode | null;
  language?: string | null;
  /** Thời gian bắt đầu / kết thúc (StartDate / EndDate), yyyy-mm-dd; derived from the documents unless set. */
  startDate?: string | null;
  endDate?: string | null;
  inforSign?: string | null;
  keyword?: string | null;
  format?: string | null;
  description?: string | null;
};
