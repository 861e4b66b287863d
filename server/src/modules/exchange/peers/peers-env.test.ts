import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, repoRoot } from '../../../config/config';
import { generatePeerSecret } from '../http-auth';
import { checkDemoPeerUrl, parsePeersEnv } from './peers-env';

const secret = generatePeerSecret();
const peer = { code: '000.00.00.H41', name: 'UBND tỉnh Nghệ An', url: 'https://congvan.nghean.gov.vn', secret, keyId: 'k1' };

describe('CONGVAN_PEERS', () => {
  it('accepts a valid list, and unset or blank as no peers', () => {
    expect(parsePeersEnv(JSON.stringify([peer]))).toEqual([peer]);
    expect(parsePeersEnv(undefined)).toEqual([]);
    expect(parsePeersEnv('  ')).toEqual([]);
  });

  it('names what is wrong and where: JSON, shape, field rules, duplicates — never the secret', () => {
    expect(() => parsePeersEnv('[{"code":')).toThrow(/không phải JSON hợp lệ \(not valid JSON/);
    expect(() => parsePeersEnv(JSON.stringify(peer))).toThrow(/^value: a JSON array/);
    expect(() => parsePeersEnv(JSON.stringify([{ ...peer, url: undefined }]))).toThrow(/^0\.url: /);
    expect(() => parsePeersEnv(JSON.stringify([peer, { ...peer, code: 'bad code!' }]))).toThrow(/^1\.code: /);
    expect(() => parsePeersEnv(JSON.stringify([{ ...peer, url: 'ftp://x' }]))).toThrow(/^0\.url \(000\.00\.00\.H41\): .*http:\/\/ hoặc https:\/\//);
    expect(() => parsePeersEnv(JSON.stringify([{ ...peer, url: 'not a url' }]))).toThrow(/^0\.url \(000\.00\.00\.H41\): /);
    expect(() => parsePeersEnv(JSON.stringify([{ ...peer, secret: 'c2hvcnQ=' }]))).toThrow(/^0\.secret \(000\.00\.00\.H41\): .*32 byte/);
    expect(() => parsePeersEnv(JSON.stringify([peer, peer]))).toThrow(/^1 \(000\.00\.00\.H41\): .*duplicate/);
    try {
      parsePeersEnv(JSON.stringify([{ ...peer, url: 'ftp://x' }]));
    } catch (e) {
      expect((e as Error).message).not.toContain(secret);
    }
  });

  it('CONGVAN_DEMO_PEER_URL: an http(s) URL, never in production', () => {
    expect(() => checkDemoPeerUrl('http://127.0.0.1:8081', 'development')).not.toThrow();
    expect(() => checkDemoPeerUrl(undefined, 'production')).not.toThrow();
    expect(() => checkDemoPeerUrl('127.0.0.1:8081x', 'development')).toThrow(/không phải URL hợp lệ|http:\/\//);
    expect(() => checkDemoPeerUrl('http://127.0.0.1:8081', 'production')).toThrow(/NODE_ENV=production/);
  });

  it('loadConfig refuses a malformed value, naming the variable', () => {
    const base = { CONGVAN_DATA_DIR: os.tmpdir() };
    expect(() => loadConfig({ ...base, CONGVAN_PEERS: JSON.stringify([peer]) })).not.toThrow();
    expect(() => loadConfig({ ...base, CONGVAN_PEERS: '[{"code": "x", "url": "http://a"' })).toThrow(/Invalid configuration:\n {2}CONGVAN_PEERS: không phải JSON hợp lệ/);
    expect(() => loadConfig({ ...base, CONGVAN_DEMO_PEER_URL: 'nope' })).toThrow(/CONGVAN_DEMO_PEER_URL: /);
  });

  it('`npm start` with a malformed value says so and exits non-zero before starting anything', () => {
    const dataDir = path.join(os.tmpdir(), `congvan-peers-env-${process.pid}-${Date.now()}`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server', 'src', 'bin', 'start.ts')], {
      cwd: repoRoot,
      env: { ...process.env, CONGVAN_DATA_DIR: dataDir, CONGVAN_PEERS: JSON.stringify([{ ...peer, secret: 'c2hvcnQ=' }]) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stderr).toContain('CONGVAN_PEERS: 0.secret (000.00.00.H41): Khóa chia sẻ phải là base64 của ít nhất 32 byte');
    expect(fs.existsSync(dataDir)).toBe(false);
  }, 90_000);
});
