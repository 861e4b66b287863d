/**
 * Private keys at rest: the key (PKCS#8) and chain taken from the uploaded PKCS#12, sealed with AES-256-GCM
 * under a key-encryption key (KEK). Envelope: "CVK1" | kid length | kid | iv(12) | tag(16) | ciphertext; the kid says which KEK:
 *   - "env":  CONGVAN_KEY_ENCRYPTION_KEY (32 bytes base64, or any passphrase → scrypt) — production;
 *   - "file": a random 32-byte key created once in <CONGVAN_DATA_DIR>/keys/kek (mode 0600) — embedded/dev
 *             mode without the variable;
 *   - "demo": a fixed, public key used only for the DEMO province's keys made by the seed (they chain to the
 *             demo root, which is no trust anchor in production; seeding runs before any data directory or
 *             variable exists, e.g. in the test templates).
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync, createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { KeyAndChain } from './crypto/certificates';

export type Kid = 'env' | 'file' | 'demo';
const MAGIC = Buffer.from('CVK1');
const DEMO_KEK = createHash('sha256').update('congvan-demo-province-keys (public, not a secret)').digest();

export class KeyStore {
  private fileKey: Buffer | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly envKey: string | undefined = process.env.CONGVAN_KEY_ENCRYPTION_KEY,
  ) {}

  /** Which KEK new keys are sealed with. */
  defaultKid(): Kid {
    return this.envKey ? 'env' : 'file';
  }

  private kek(kid: Kid): Buffer {
    if (kid === 'demo') return DEMO_KEK;
    if (kid === 'env') {
      if (!this.envKey) throw new Error('CONGVAN_KEY_ENCRYPTION_KEY is not set: cannot open a key sealed with it');
      const raw = Buffer.from(this.envKey, 'base64');
      return raw.length === 32 && raw.toString('base64').replace(/=+$/, '') === this.envKey.replace(/=+$/, '') ? raw : scryptSync(this.envKey, 'congvan-kek', 32);
    }
    if (!this.fileKey) {
      const file = path.join(this.dataDir, 'keys', 'kek');
      if (!fs.existsSync(file)) {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        try {
          fs.writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
      }
      this.fileKey = fs.readFileSync(file);
      if (this.fileKey.length !== 32) throw new Error(`${file}: the key-encryption key must be 32 bytes`);
    }
    return this.fileKey;
  }

  seal(plain: Buffer, kid: Kid = this.defaultKid()): Buffer {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.kek(kid), iv);
    const body = Buffer.concat([c.update(plain), c.final()]);
    const k = Buffer.from(kid);
    return Buffer.concat([MAGIC, Buffer.from([k.length]), k, iv, c.getAuthTag(), body]);
  }

  open(sealed: Buffer): Buffer {
    if (!sealed.subarray(0, 4).equals(MAGIC)) throw new Error('not a sealed key');
    const kl = sealed[4];
    const kid = sealed.subarray(5, 5 + kl).toString() as Kid;
    const o = 5 + kl;
    const d = createDecipheriv('aes-256-gcm', this.kek(kid), sealed.subarray(o, o + 12));
    d.setAuthTag(sealed.subarray(o + 12, o + 28));
    return Buffer.concat([d.update(sealed.subarray(o + 28)), d.final()]);
  }

  /**
   * Seals a key and its chain (PKCS#8 + DER certificates, from the uploaded PKCS#12). Not re-wrapped as a
   * PKCS#12: its password-based encryption runs in JS (node-forge) and costs ~0.4 s per signature, while
   * AES-256-GCM under the KEK is what protects the key at rest either way.
   */
  sealKey(k: KeyAndChain, kid: Kid = this.defaultKid()): Buffer {
    return this.seal(Buffer.from(JSON.stringify({ key: k.privateKeyPem, chain: k.chain.map((c) => Buffer.from(c).toString('base64')) })), kid);
  }

  openKey(sealed: Buffer): KeyAndChain {
    const { key, chain } = JSON.parse(this.open(sealed).toString()) as { key: string; chain: string[] };
    return { privateKeyPem: key, chain: chain.map((c) => Buffer.from(c, 'base64')) };
  }
}
