import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { LocalObjectStorage, MinioObjectStorage, createStorage } from './index';

const SECRET = 'test-secret-0123456789abcdef';

describe('createStorage', () => {
  it('uses the local driver under <CONGVAN_DATA_DIR>/objects when S3_ENDPOINT is not set', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'congvan-create-storage-'));
    try {
      const config = loadConfig({ CONGVAN_DATA_DIR: dir, PUBLIC_URL: 'https://congvan.example.gov.vn' });
      const storage = createStorage(config, { secret: SECRET });
      expect(storage.kind).toBe('local');
      expect(storage).toBeInstanceOf(LocalObjectStorage);
      await storage.ensureReady();
      const { key } = await storage.put(Buffer.from('x'));
      await expect(fsp.readFile(path.join(dir, 'objects', ...key.split('/')), 'utf8')).resolves.toBe('x');
      expect(await storage.presignedGetUrl(key)).toMatch(new RegExp(`^https://congvan\\.example\\.gov\\.vn/files/${key}\\?exp=\\d+&sig=`));
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('uses the MinIO driver when S3_ENDPOINT is set', () => {
    const config = loadConfig({ S3_ENDPOINT: 'minio', S3_PORT: '9000', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b', S3_BUCKET: 'congvan' });
    const storage = createStorage(config, { secret: SECRET });
    expect(storage.kind).toBe('s3');
    expect(storage).toBeInstanceOf(MinioObjectStorage);
    expect((storage as MinioObjectStorage).bucket).toBe('congvan');
  });

  it('refuses a short URL-signing secret for the local driver', () => {
    expect(() => createStorage(loadConfig({ CONGVAN_DATA_DIR: os.tmpdir() }), { secret: 'short' })).toThrow();
  });
});
