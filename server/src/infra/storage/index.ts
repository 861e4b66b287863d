import path from 'node:path';
import type { Config } from '../../config/config';
import { LocalObjectStorage } from './local.driver';
import { MinioObjectStorage } from './minio.driver';
import type { ObjectStorage } from './storage';

export * from './storage';
export { LocalObjectStorage, localFilesRouter, type LocalStorageOptions } from './local.driver';
export { MinioObjectStorage, type MinioStorageOptions } from './minio.driver';

export type CreateStorageOptions = {
  /** HMAC secret for the local driver's signed URLs (use the AUTH_SECRET / generated instance secret). */
  secret: string;
  /** Browser-facing origin for S3 presigned URLs (S3_PUBLIC_URL); default: the S3 endpoint itself. */
  s3PublicUrl?: string;
  /** Multipart part size for the minio client; only tests against s3rver need this. */
  s3PartSize?: number;
};

/**
 * Picks the driver from the configuration: S3_ENDPOINT set → MinIO/S3, otherwise local disk under
 * `<CONGVAN_DATA_DIR>/objects`. Only the configured driver is constructed. Call `ensureReady()` at startup.
 */
export function createStorage(config: Config, opts: CreateStorageOptions): ObjectStorage {
  if (config.s3) {
    return new MinioObjectStorage({
      ...config.s3,
      publicUrl: opts.s3PublicUrl || undefined,
      partSize: opts.s3PartSize,
    });
  }
  return new LocalObjectStorage({
    root: path.join(config.dataDir, 'objects'),
    publicUrl: config.publicUrl,
    secret: opts.secret,
  });
}
export { protectArchivedObjects, archivedObjectError, ARCHIVED_KEY_SQL, type ArchivedKeyCheck } from './protected';
