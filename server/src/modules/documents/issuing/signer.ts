/**
 * What the issuing flow needs from the signing core (server/src/modules/signing, contract in
 * /tmp/briefs/contract-signing.md): the signing service implements it. Kept as an interface so that the
 * flow can be run with another real implementation (a token helper, an agency key that cannot sign).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../../services';
import { AppError } from '../../../shared/errors';
import type { Rect } from './stamp-layout';

export interface SignaturePlacement {
  page: number;
  rect: Rect;
  /** undefined = the credential's stored image; null = no image. */
  image?: Uint8Array | null;
  text?: string[] | null;
  fontSize?: number;
}

export interface SignOpts {
  reason?: string;
  location?: string;
  placement?: SignaturePlacement | null;
  signingTime?: Date;
}

/** The subset of FileSignature the flow checks. */
export interface SignatureCheck {
  kind: 'PERSONAL' | 'AGENCY';
  signerName: string;
  valid: boolean;
  trusted: boolean;
  errors: string[];
}

export interface StampTextItem {
  page: number;
  x: number;
  y: number;
  text: string;
  size?: number;
  bold?: boolean;
  italic?: boolean;
}

export interface IssuingSigner {
  signAsUser(em: EntityManager, userId: string, pdf: Uint8Array, opts: SignOpts): Promise<Uint8Array>;
  signAsAgency(em: EntityManager, agencyId: string, pdf: Uint8Array, opts: SignOpts): Promise<Uint8Array>;
  hasPersonalKey(em: EntityManager, userId: string): Promise<'SERVER_KEY' | 'TOKEN' | null>;
  takeCompletedSession(em: EntityManager, sessionId: string, userId: string): Promise<{ pdf: Uint8Array; sha256: string; fileId: string; documentId: string }>;
  verifyPdf(pdf: Uint8Array): Promise<SignatureCheck[]>;
  stampText(pdf: Uint8Array, items: StampTextItem[]): Promise<Uint8Array>;
}

/** The deployment's signer: services.signing (helper F's SigningService). */
export function signerOf(services: Services): IssuingSigner {
  const s = (services as unknown as { signing?: IssuingSigner }).signing;
  if (!s) throw new AppError('INTERNAL', 'Máy chủ chưa có chức năng ký số.');
  return s;
}

/** Seal image rectangle: the agency seal overlaps the left third of the signer's image (Phụ lục I). */
export function sealRect(signer: Rect, size = 100): Rect {
  const cx = signer.x + signer.width / 3;
  const cy = signer.y + signer.height / 2;
  return { x: cx - size / 2 - signer.width / 6, y: cy - size / 2, width: size, height: size };
}

/** Top-right corner of a page for the agency signature of an attachment or a copy (no image). */
export function topRight(page: { width: number; height: number }, size = { width: 210, height: 48 }): Rect {
  return { x: page.width - size.width - 20, y: page.height - size.height - 14, width: size.width, height: size.height };
}

/** ISO 8601 in Vietnam time: 2026-12-05T10:11:12+07:00. */
export function vnIso(d: Date): string {
  const local = new Date(d.getTime() + 7 * 3600_000);
  return `${local.toISOString().slice(0, 19)}+07:00`;
}
