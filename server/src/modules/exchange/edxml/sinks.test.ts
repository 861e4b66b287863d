import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { LocalObjectStorage } from '../../../infra/storage/local.driver';
import { DirectorySink, EdxmlParseError, makeTempDir, parseEdxml, StorageSink, type EdxmlDocumentPackage } from './index';
import { samplePackage } from './testing';

describe('StorageSink: attachments go into the object store as they are decoded', () => {
  let dir: string;
  let storage: LocalObjectStorage;
  beforeAll(async () => {
    dir = await makeTempDir('edxml-store-');
    storage = new LocalObjectStorage({ root: path.join(dir, 'objects'), publicUrl: 'http://localhost:1', secret: 'test-secret-0123456789abcdef' });
    await storage.ensureReady();
  });
  afterAll(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('stores the unwrapped file of a shared package under its sha256', async () => {
    const r = await parseEdxml(fs.createReadStream(path.join(__dirname, 'fixtures', 'edoc_revocation.edxml')), new StorageSink(storage));
    const a = (r.value as EdxmlDocumentPackage).attachments[0];
    expect(r.stored[0]).toMatchObject({ sha256: a.sha256, size: a.size });
    const bytes = await storage.getBuffer(r.stored[0].key);
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(a.sha256);
  });

  it("the store's own size limit also refuses an attachment", async () => {
    const xml = samplePackage(crypto.randomBytes(5000).toString('base64'));
    const e = await parseEdxml(xml, new StorageSink(storage, 1000)).catch((x) => x);
    expect(e).not.toBeInstanceOf(EdxmlParseError);
    expect(e).toBeInstanceOf(Error);
  });
});

describe('DirectorySink', () => {
  it('never overwrites a file when the directory is reused', async () => {
    const dir = await makeTempDir('edxml-dir-');
    try {
      const one = crypto.randomBytes(100);
      const two = crypto.randomBytes(200);
      const a = await parseEdxml(samplePackage(one.toString('base64')), new DirectorySink(dir));
      const b = await parseEdxml(samplePackage(two.toString('base64')), new DirectorySink(dir));
      expect(a.stored[0].path).not.toBe(b.stored[0].path);
      expect(fs.readFileSync(a.stored[0].path).equals(one)).toBe(true);
      expect(fs.readFileSync(b.stored[0].path).equals(two)).toBe(true);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
