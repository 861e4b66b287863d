/**
 * Chuyển dự thảo DOCX (DOC, ODT) sang PDF trước khi ký / phát hành (issue 12). The converter is LibreOffice
 * headless (`soffice --headless --convert-to pdf`), from Debian's `libreoffice-writer-nogui`: it runs on the
 * server itself, without any network service, and it is what the peer e-office systems in Vietnam use for the
 * same step. Behind the small `DocumentConverter` interface so that another real converter can be plugged in.
 *
 * Every call runs in its own temporary directory with its own LibreOffice profile
 * (`-env:UserInstallation=file:///tmp/…`): two conversions at the same time never share a profile (a shared
 * one makes the second soffice hand its work to the first, or fail on the profile lock). A conversion that
 * takes longer than the timeout is killed (its whole process group: soffice starts soffice.bin). At most
 * `maxConcurrent` conversions run at once; the others wait.
 *
 * The binary: `CONGVAN_SOFFICE` (a path), else `soffice` / `libreoffice` on PATH. Missing → an AppError saying
 * what to install.
 */
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { detectFileType } from '../../shared/file-type';

export interface DocumentConverter {
  /** The PDF rendering of a word-processing file (bytes or a path); `fileName` names it in messages. */
  toPdf(input: Buffer | string, fileName: string): Promise<Buffer>;
}

/** Media types a DocumentConverter turns into PDF (word processing: DOCX, DOC, ODT). */
export const CONVERTIBLE_TO_PDF: Readonly<Record<string, string>> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/msword': 'doc',
  'application/vnd.oasis.opendocument.text': 'odt',
};

export function isConvertibleToPdf(contentType: string): boolean {
  return Object.prototype.hasOwnProperty.call(CONVERTIBLE_TO_PDF, contentType);
}

export const MISSING_CONVERTER_MESSAGE =
  'Máy chủ chưa cài bộ chuyển đổi DOCX sang PDF (LibreOffice). Quản trị hệ thống cần cài gói Debian "libreoffice-writer-nogui" ' +
  '(apt-get install --no-install-recommends libreoffice-writer-nogui) hoặc đặt biến môi trường CONGVAN_SOFFICE trỏ tới tệp soffice; ' +
  'trong lúc chờ, hãy xuất dự thảo ra PDF rồi tải lên bản PDF.';

export interface SofficeOptions {
  /** Path of soffice; default CONGVAN_SOFFICE, else `soffice` / `libreoffice` on PATH. */
  binary?: string | null;
  /** Killed after this long (default 120 s). */
  timeoutMs?: number;
  /** Conversions running at once (default 2). */
  maxConcurrent?: number;
  /** Where the per-call directories are made (default the OS temp dir). */
  tmpDir?: string;
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    const st = await fs.stat(p);
    if (!st.isFile()) return false;
    await fs.access(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The soffice binary: an explicit path (must exist), else the first of soffice / libreoffice on PATH. */
export async function findSoffice(explicit: string | null | undefined = process.env.CONGVAN_SOFFICE): Promise<string | null> {
  if (explicit && explicit.trim()) return (await isExecutable(explicit.trim())) ? explicit.trim() : null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of ['soffice', 'libreoffice']) {
      const p = path.join(dir, name);
      if (await isExecutable(p)) return p;
    }
  }
  return null;
}

export class SofficeConverter implements DocumentConverter {
  private readonly timeoutMs: number;
  private readonly maxConcurrent: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private binary: Promise<string | null> | null = null;

  constructor(private readonly opts: SofficeOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? 2);
  }

  /** The binary this converter runs (looked up once; null = missing). */
  async soffice(): Promise<string | null> {
    if (!this.binary) this.binary = findSoffice(this.opts.binary === undefined ? process.env.CONGVAN_SOFFICE : this.opts.binary);
    const found = await this.binary;
    if (!found) this.binary = null; // installed later: looked up again on the next call
    return found;
  }

  async toPdf(input: Buffer | string, fileName: string): Promise<Buffer> {
    const bin = await this.soffice();
    if (!bin) throw new AppError('INTERNAL', MISSING_CONVERTER_MESSAGE, { field: 'files' });
    const bytes = typeof input === 'string' ? await fs.readFile(input) : input;
    const type = detectFileType(bytes);
    const ext = type && isConvertibleToPdf(type.mime) ? CONVERTIBLE_TO_PDF[type.mime] : null;
    if (!ext) throw new AppError('BAD_USER_INPUT', `Tệp "${fileName}" không phải văn bản Word/OpenDocument (DOCX, DOC, ODT) nên không chuyển sang PDF được.`, { field: 'files' });
    await this.acquire();
    const dir = await fs.mkdtemp(path.join(this.opts.tmpDir ?? os.tmpdir(), 'congvan-convert-'));
    try {
      // ASCII names only: the file name the user gave never reaches the command line.
      const src = path.join(dir, `input.${ext}`);
      const outDir = path.join(dir, 'out');
      await fs.mkdir(outDir);
      await fs.writeFile(src, bytes);
      const result = await this.run(bin, dir, [
        `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
        '--headless',
        '--invisible',
        '--nodefault',
        '--nolockcheck',
        '--nologo',
        '--norestore',
        '--convert-to',
        'pdf:writer_pdf_Export',
        '--outdir',
        outDir,
        src,
      ]);
      const pdf = await fs.readFile(path.join(outDir, 'input.pdf')).catch(() => null);
      if (result.timedOut) throw new AppError('BAD_USER_INPUT', `Chuyển tệp "${fileName}" sang PDF quá ${Math.round(this.timeoutMs / 1000)} giây nên đã dừng: hãy xuất dự thảo ra PDF rồi tải lên bản PDF.`, { field: 'files' });
      if (!pdf || pdf.length < 5 || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw new AppError('BAD_USER_INPUT', `Không chuyển được tệp "${fileName}" sang PDF (tệp hỏng hoặc không đọc được): hãy mở lại bằng Word, lưu rồi tải lên, hoặc tải lên bản PDF.`, {
          field: 'files',
          detail: result.output.slice(-500),
        });
      }
      return pdf;
    } finally {
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
      this.release();
    }
  }

  private run(bin: string, home: string, args: string[]): Promise<{ code: number | null; timedOut: boolean; output: string }> {
    return new Promise((resolve, reject) => {
      // Own process group (detached) so that a timeout kills soffice.bin too; HOME in the temp dir.
      const child = spawn(bin, args, { cwd: home, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: home, SAL_USE_VCLPLUGIN: 'svp' } });
      let output = '';
      const keep = (b: Buffer) => {
        output = (output + b.toString('utf8')).slice(-4000);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, this.timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new AppError('INTERNAL', `${MISSING_CONVERTER_MESSAGE} (${e.message})`, { field: 'files' }));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        // Anything of the group still alive (a helper process) goes too.
        if (timedOut || code !== 0) killGroup(child.pid);
        resolve({ code, timedOut, output });
      });
    });
  }

  private async acquire(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

let shared: SofficeConverter | null = null;

/** The process-wide converter (CONGVAN_SOFFICE or PATH), created on first use. */
export function defaultConverter(): SofficeConverter {
  if (!shared) shared = new SofficeConverter();
  return shared;
}
