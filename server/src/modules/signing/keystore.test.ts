import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeyStore } from './keystore';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const key = { privateKeyPem: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n', chain: [Buffer.from('cert-der')] };

describe('KeyStore (keys encrypted at rest)', () => {
  it('without CONGVAN_KEY_ENCRYPTION_KEY: a random KEK file (0600) under the data dir; sealed bytes hold no clear key', () => {
    const ks = new KeyStore(dir, undefined);
    const sealed = ks.sealKey(key);
    expect(sealed.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
    expect(fs.statSync(path.join(dir, 'keys', 'kek')).mode & 0o777).toBe(0o600);
    expect(new KeyStore(dir, undefined).openKey(sealed)).toEqual(key);
    // Another data directory = another KEK: cannot open.
    expect(() => new KeyStore(fs.mkdtempSync(path.join(dir, 'x')), undefined).openKey(sealed)).toThrow();
  });

  it('with CONGVAN_KEY_ENCRYPTION_KEY: sealed under it, a wrong key or a flipped bit fails (AES-GCM)', () => {
    const envKey = Buffer.alloc(32, 7).toString('base64');
    const sealed = new KeyStore(dir, envKey).sealKey(key);
    expect(new KeyStore('/nonexistent', envKey).openKey(sealed)).toEqual(key);
    expect(() => new KeyStore(dir, Buffer.alloc(32, 8).toString('base64')).openKey(sealed)).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] ^= 1;
    expect(() => new KeyStore(dir, envKey).openKey(flipped)).toThrow();
  });
});
