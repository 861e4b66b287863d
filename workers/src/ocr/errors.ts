/** Why an input file cannot be digitised. Stable codes for the API / CLI. */
export type OcrErrorCode =
  | 'CORRUPT_PDF'
  | 'ENCRYPTED_PDF'
  | 'EMPTY_PDF'
  | 'TOO_MANY_PAGES'
  | 'IMAGE_TOO_LARGE'
  | 'CORRUPT_IMAGE'
  | 'UNSUPPORTED_TYPE'
  | 'EMPTY_FILE'
  | 'NO_TEXT';

/** A problem with the input itself (not a bug): the message is Vietnamese and safe to show to the user. */
export class OcrInputError extends Error {
  constructor(
    readonly code: OcrErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'OcrInputError';
  }
}

export const isOcrInputError = (e: unknown): e is OcrInputError => e instanceof OcrInputError;
