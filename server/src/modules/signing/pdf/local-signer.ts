/**
 * The "sign elsewhere" step done with a key the server holds (agency PKCS#12, uploaded personal PKCS#12).
 * A USB-token helper does the same step on the user's machine: it signs `digest` (RSA PKCS#1 v1.5 with a
 * SHA-256 DigestInfo) and the server embeds the result (embedSignature).
 */
import { createPrivateKey, sign } from 'node:crypto';
import type { KeyAndChain } from '../crypto/certificates';
import { embedSignature, preparePdfSignature } from './pades';
import type { PreparedSignature, SignOptions } from './types';

export function signPrepared(prepared: PreparedSignature, privateKeyPem: string): Buffer {
  return sign('sha256', prepared.signedAttributes, createPrivateKey(privateKeyPem));
}

export async function signPdfWithKey(pdf: Uint8Array, opts: SignOptions, key: KeyAndChain): Promise<Uint8Array> {
  const prepared = await preparePdfSignature(pdf, opts, key.chain);
  return embedSignature(prepared, signPrepared(prepared, key.privateKeyPem), key.chain);
}
