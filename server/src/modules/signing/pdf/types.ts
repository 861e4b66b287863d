export type SignatureKind = 'PERSONAL' | 'AGENCY';

/** PDF points, origin at the bottom-left corner of the page. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SignaturePlacement {
  /** 0-based page index; negative counts from the end (-1 = last page). */
  page: number;
  rect: Rect;
  /**
   * PNG or JPEG drawn inside the rect (aspect ratio kept). `undefined` = the credential's stored image
   * (signature / seal) when signing through SigningService; `null` = no image.
   */
  image?: Uint8Array | null;
  /** Text lines (DejaVu Serif ≈ Times New Roman, 10 pt by default, black). */
  text?: string[] | null;
  fontSize?: number;
}

export interface SignOptions {
  kind: SignatureKind;
  reason?: string;
  location?: string;
  /** null/undefined = invisible signature. */
  placement?: SignaturePlacement | null;
  signingTime?: Date;
  /** /Name of the signature dictionary (defaults to the certificate's CN when signing through the service). */
  name?: string;
}

/** Result of `preparePdfSignature`: the PDF with its placeholder and what must be signed. */
export interface PreparedSignature {
  /** The PDF with /ByteRange filled in and /Contents zero-filled. */
  pdf: Uint8Array;
  /** Offset of the '<' of /Contents and number of hex digits between '<' and '>'. */
  contentsOffset: number;
  contentsHexLength: number;
  /** DER SET OF signed attributes: the bytes the signer signs (RSA PKCS#1 v1.5 with SHA-256). */
  signedAttributes: Uint8Array;
  /** SHA-256 of signedAttributes: what a token's "sign hash" operation signs. */
  digest: Uint8Array;
  signingTime: Date;
}

export type RevocationStatus = 'GOOD' | 'REVOKED' | 'NOT_CHECKED';

/** The state of one signature in a PDF (GraphQL type FileSignature). */
export interface FileSignature {
  index: number;
  fieldName: string | null;
  kind: SignatureKind;
  signerName: string;
  organization: string | null;
  /** Intact: ByteRange sound, digest matches, signature value verifies. Not about trust. */
  valid: boolean;
  /** Certificate chain to a trust anchor, each certificate valid at signing time. */
  trusted: boolean;
  revocation: RevocationStatus;
  signedAt: string | null;
  reason: string | null;
  coversWholeFile: boolean;
  errors: string[];
}
