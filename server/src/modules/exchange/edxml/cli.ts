/**
 * `npm run -s cli -- edxml parse FILE [--extract DIR] [--strict]`
 *   Prints the package as JSON on stdout (attachments as name, content type, size and sha256 — no bytes; with
 *   --extract DIR each file is also written to DIR and its `path` added). Unknown elements and rule problems
 *   (validate.ts) are printed on stderr as warnings; exit 0. A package that cannot be read: the reason on
 *   stderr, exit 2. --strict: rule problems also exit 2.
 * `npm run -s cli -- edxml build [--base DIR] < package.json > package.edxml`
 *   Reads that JSON on stdin and writes edXML on stdout. Each attachment needs its bytes, as either
 *   `"path": "file"` (relative to --base, default the current directory) or `"base64": "…"` (inline). When the
 *   JSON carries `size` / `sha256` (as printed by parse), the bytes must match. Bad JSON or values: exit 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { buildEdxml, EdxmlBuildError, type BuildAttachment } from './build';
import { EdxmlParseError } from './errors';
import { formatProblem, type EdxmlAttachment, type EdxmlPackage } from './model';
import { parseEdxml } from './parse';
import { DigestSink, DirectorySink, type FileResult } from './sinks';
import { validateEdxml } from './validate';

const USAGE = `Cách dùng / usage:
  npm run -s cli -- edxml parse FILE [--extract DIR] [--strict]
  npm run -s cli -- edxml build [--base DIR] < package.json > package.edxml`;

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const defaultIo = (): CliIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

async function write(out: NodeJS.WritableStream, s: string): Promise<void> {
  if (!out.write(s)) await once(out, 'drain');
}

export async function runEdxmlCli(args: string[], io: CliIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'parse') return parseCmd(rest, io);
  if (sub === 'build') return buildCmd(rest, io);
  io.stderr.write(`${USAGE}\n`);
  return 2;
}

async function parseCmd(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { extract: { type: 'string' }, strict: { type: 'boolean' } } });
  if (positionals.length !== 1) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const file = positionals[0];
  if (!fs.existsSync(file)) {
    io.stderr.write(`Không tìm thấy tệp (file not found): ${file}\n`);
    return 2;
  }
  try {
    const sink = values.extract ? new DirectorySink(path.resolve(values.extract)) : new DigestSink();
    const r = await parseEdxml(fs.createReadStream(file), sink);
    let out: EdxmlPackage<EdxmlAttachment & { path?: string }> = r.value;
    if (values.extract && out.kind === 'document') {
      const stored = r.stored as unknown as FileResult[];
      out = { ...out, attachments: out.attachments.map((a, i) => ({ ...a, path: stored[i].path })) };
    }
    await write(io.stdout, JSON.stringify(out, null, 2) + '\n');
    for (const w of r.warnings) io.stderr.write(`Cảnh báo (warning): ${formatProblem(w)}\n`);
    const problems = validateEdxml(r.value, { now: new Date() });
    for (const p of problems) io.stderr.write(`Vi phạm quy tắc (rule): ${formatProblem(p)}\n`);
    return values.strict && problems.length ? 2 : 0;
  } catch (e) {
    if (e instanceof EdxmlParseError) {
      io.stderr.write(`Gói tin không hợp lệ (invalid package): ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

type JsonAttachment = BuildAttachment & { path?: string; base64?: string };

async function buildCmd(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { base: { type: 'string' } } });
  const base = path.resolve(values.base ?? '.');
  let value: EdxmlPackage<JsonAttachment>;
  try {
    value = JSON.parse(await readAll(io.stdin));
  } catch (e) {
    io.stderr.write(`JSON không hợp lệ (invalid JSON): ${(e as Error).message}\n`);
    return 2;
  }
  const shapeError = checkShape(value);
  if (shapeError) {
    io.stderr.write(`${shapeError}\n`);
    return 2;
  }
  try {
    const source = async function* (a: JsonAttachment, i: number): AsyncIterable<Uint8Array> {
      if (typeof a.base64 === 'string') {
        yield Buffer.from(a.base64, 'base64');
      } else if (typeof a.path === 'string') {
        yield* fs.createReadStream(path.resolve(base, a.path));
      } else {
        throw new EdxmlBuildError(`attachments[${i}]`, 'cần "path" (đường dẫn tệp) hoặc "base64" (nội dung) / needs "path" or "base64"');
      }
    };
    for await (const piece of buildEdxml(value, source)) await write(io.stdout, piece);
    return 0;
  } catch (e) {
    if (e instanceof EdxmlBuildError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      io.stderr.write(`Không dựng được gói tin (cannot build): ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}

function checkShape(v: unknown): string | undefined {
  const o = v as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') return 'JSON phải là một đối tượng gói tin (a package object is expected)';
  if (o.kind === 'status') {
    if (!o.from || typeof o.from !== 'object') return 'Thiếu "from" (missing "from")';
    if (!Array.isArray(o.responseFor)) return '"responseFor" phải là mảng ("responseFor" must be an array)';
    if (!Array.isArray(o.traceHeaders)) o.traceHeaders = [];
    return undefined;
  }
  if (o.kind !== 'document') return '"kind" phải là "document" hoặc "status" ("kind" must be "document" or "status")';
  const h = o.header as Record<string, unknown> | undefined;
  if (!h || typeof h !== 'object' || !h.from || !Array.isArray(h.to)) return 'Thiếu "header" với "from" và mảng "to" (missing "header" with "from" and an array "to")';
  if (!Array.isArray(h.responseFor)) h.responseFor = [];
  if (!Array.isArray(o.traceHeaders)) o.traceHeaders = [];
  if (!o.manifest) o.manifest = { references: [] };
  if (!Array.isArray((o.manifest as Record<string, unknown>).references)) return '"manifest.references" phải là mảng (must be an array)';
  if (!Array.isArray(o.attachments)) return '"attachments" phải là mảng ("attachments" must be an array)';
  for (const a of o.attachments as Array<Record<string, unknown>>) if (a && a.wrapping === undefined) a.wrapping = 'none';
  return undefined;
}
