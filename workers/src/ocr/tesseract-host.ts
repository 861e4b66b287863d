/**
 * Native Tesseract kept loaded: a small Node process that calls libtesseract's C API (through koffi, an FFI with
 * prebuilt binaries in its npm package) and reads page after page, instead of one `tesseract` command per image.
 * Each command starts a process, links libtesseract and loads the model before it reads anything: ~0.1 s of CPU,
 * paid twice per page (the page, then its second-pass regions). Measured on a signer-block crop: 0.21 s as a command,
 * 0.12 s in a loaded host, with the same TSV byte for byte.
 *
 * The host stays a process of its own, not a thread of the worker: a crash inside the native library on a hostile
 * image ends the host (its request fails, the next one gets a new host), never the worker. Each host reads one
 * request at a time with OMP_THREAD_LIMIT=1, like the command; it is replaced after HOST_MAX_REQUESTS requests
 * (whatever the library keeps between pages stays bounded), killed past the job time limit.
 *
 * Wire format, both ways: a 4-byte little-endian length, then that many bytes of JSON; a request's JSON is followed
 * by its images (8-bit grey pixels, row by row, of the sizes it lists).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Plain JS run with `node -e` (the same under tsx, ts-jest and compiled output). */
const HOST_SRC = String.raw`
const koffi = require(process.env.CONGVAN_KOFFI);
const send = (m) => { const j = Buffer.from(JSON.stringify(m)); const n = Buffer.alloc(4); n.writeUInt32LE(j.length); process.stdout.write(Buffer.concat([n, j])); };
let lib = null, err = '';
for (const name of process.env.CONGVAN_TESS_LIBS.split(',')) { try { lib = koffi.load(name); break; } catch (e) { err = String(e.message || e); } }
if (!lib) { send({ ready: false, error: 'libtesseract not found: ' + err }); process.exit(3); }
const Create = lib.func('void* TessBaseAPICreate()');
const Init2 = lib.func('int TessBaseAPIInit2(void* h, const char* datapath, const char* lang, int oem)');
const SetVariable = lib.func('int TessBaseAPISetVariable(void* h, const char* name, const char* value)');
const SetPageSegMode = lib.func('void TessBaseAPISetPageSegMode(void* h, int mode)');
const SetImage = lib.func('void TessBaseAPISetImage(void* h, const uint8_t* data, int w, int h, int bpp, int bpl)');
const Recognize = lib.func('int TessBaseAPIRecognize(void* h, void* monitor)');
const GetTsvText = lib.func('void* TessBaseAPIGetTsvText(void* h, int page)');
const DeleteText = lib.func('void TessDeleteText(void* text)');
const Clear = lib.func('void TessBaseAPIClear(void* h)');
const api = Create();
// OEM 1: LSTM only, as the command is run; the same variables as its -c options
if (Init2(api, process.env.CONGVAN_TESSDATA || null, process.env.CONGVAN_TESS_LANGS, 1) !== 0) { send({ ready: false, error: 'Tesseract could not load ' + process.env.CONGVAN_TESS_LANGS }); process.exit(3); }
SetVariable(api, 'tessedit_do_invert', '0');
SetVariable(api, 'preserve_interword_spaces', '0');
send({ ready: true });
// a page arrives in many chunks: they are joined once the request is whole, not chunk by chunk
let chunks = [], have = 0, need = 4;
process.stdin.on('data', (chunk) => {
  chunks.push(chunk);
  have += chunk.length;
  while (have >= need) {
    let buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    chunks = [buf];
    const jl = buf.readUInt32LE(0);
    if (buf.length < 4 + jl) { need = 4 + jl; return; }
    const req = JSON.parse(buf.subarray(4, 4 + jl).toString());
    const total = req.images.reduce((s, i) => s + i.width * i.height, 0);
    if (buf.length < 4 + jl + total) { need = 4 + jl + total; return; }
    let at = 4 + jl;
    let tsv = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n';
    req.images.forEach((im, i) => {
      SetPageSegMode(api, req.psm);
      SetVariable(api, 'user_defined_dpi', String(req.dpi));
      SetImage(api, buf.subarray(at, at + im.width * im.height), im.width, im.height, 1, im.width);
      at += im.width * im.height;
      Recognize(api, null);
      const p = GetTsvText(api, i);
      tsv += koffi.decode(p, 'char', -1);
      DeleteText(p);
      Clear(api);
    });
    buf = buf.subarray(at);
    chunks = buf.length ? [buf] : [];
    have = buf.length;
    need = 4;
    send({ tsv });
  }
});
process.stdin.on('end', () => process.exit(0));
`;

/** Sonames tried in order (Debian/Ubuntu, other Linux, macOS); TESSERACT_LIBRARY names another. */
const LIBS = [process.env.TESSERACT_LIBRARY, 'libtesseract.so.5', 'libtesseract.so', 'libtesseract.5.dylib', 'libtesseract.dylib'].filter(Boolean).join(',');
const HOST_MAX_REQUESTS = 500;

/** An 8-bit grey image as its pixels (a binary PGM's header dropped). */
export type GreyImage = { width: number; height: number; pixels: Buffer };

/** The pixels of a binary 8-bit PGM (P5). */
export function pgmPixels(pgm: Buffer): GreyImage {
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!m || Number(m[3]) > 255) throw new Error('tesseract host: not an 8-bit binary PGM');
  const [width, height] = [Number(m[1]), Number(m[2])];
  return { width, height, pixels: pgm.subarray(m[0].length, m[0].length + width * height) };
}

type Host = { child: ChildProcess; ready: Promise<void>; served: number; pending: ((r: { tsv?: string; error?: Error }) => void) | null };

/** Loaded Tesseract hosts, at most one request each at a time; the caller limits concurrency. */
export class TesseractHosts {
  private idle: Host[] = [];
  private all = new Set<Host>();
  /** set when a host could not load the library: the caller goes back to the command for good */
  unavailable: string | null = null;

  constructor(private readonly opts: { langs: string[]; tessdataDir?: string; timeoutMs: number; libraries?: string }) {}

  /** Process ids of the running hosts (diagnostics, tests). */
  pids(): number[] {
    return [...this.all].map((h) => h.child.pid ?? 0).filter((p) => p > 0);
  }

  private start(): Host {
    const child = spawn(process.execPath, ['-e', HOST_SRC], {
      env: {
        ...process.env,
        // plain node: no loaders (tsx in development) in a process that only runs HOST_SRC
        NODE_OPTIONS: '',
        OMP_THREAD_LIMIT: '1',
        CONGVAN_KOFFI: require.resolve('koffi'),
        CONGVAN_TESS_LIBS: this.opts.libraries ?? LIBS,
        CONGVAN_TESS_LANGS: this.opts.langs.join('+'),
        CONGVAN_TESSDATA: this.opts.tessdataDir ?? '',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    const host: Host = { child, served: 0, pending: null, ready: new Promise<void>((res, rej) => ((readyResolve = res), (readyReject = rej))) };
    host.ready.catch(() => undefined);
    this.all.add(host);
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-2000)));
    child.stdin!.on('error', () => undefined); // a host that died: reported through 'close'
    let buf = Buffer.alloc(0);
    let started = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32LE(0)) {
        const m = JSON.parse(buf.subarray(4, 4 + buf.readUInt32LE(0)).toString('utf8')) as { ready?: boolean; error?: string; tsv?: string };
        buf = buf.subarray(4 + buf.readUInt32LE(0));
        if (!started) {
          started = true;
          if (m.ready) readyResolve();
          else {
            this.unavailable = m.error ?? 'libtesseract could not be loaded';
            readyReject(new Error(this.unavailable));
          }
        } else {
          const p = host.pending;
          host.pending = null;
          p?.({ tsv: m.tsv });
        }
      }
    });
    child.on('error', (e) => {
      this.unavailable ??= `tesseract host could not start: ${e.message}`;
      readyReject(e);
    });
    child.on('close', (code, signal) => {
      this.all.delete(host);
      this.idle = this.idle.filter((h) => h !== host);
      const e = new Error(`tesseract host ${signal ? `killed (${signal})` : `exited ${code}`}: ${stderr.trim().slice(-300)}`);
      if (!started) {
        this.unavailable ??= e.message;
        readyReject(e);
      }
      const p = host.pending;
      host.pending = null;
      p?.({ error: e });
    });
    return host;
  }

  /**
   * Reads `images` (one TSV for all, pages numbered from 1 as the command numbers a list of images). A host that
   * died (a crash, or killed while idle) is replaced and the request sent once more; past the time limit it fails.
   */
  async read(images: GreyImage[], dpi: number, psm: number): Promise<string> {
    const json = Buffer.from(JSON.stringify({ dpi: Math.round(dpi), psm, images: images.map((i) => ({ width: i.width, height: i.height })) }));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(json.length);
    const request = [len, json, ...images.map((i) => i.pixels)];
    for (let attempt = 0; ; attempt++) {
      let host = this.idle.pop();
      while (host && (host.child.exitCode !== null || host.child.signalCode !== null)) host = this.idle.pop();
      host ??= this.start();
      await host.ready;
      let timedOut = false;
      const r = await new Promise<{ tsv?: string; error?: Error }>((resolve) => {
        const timer = setTimeout(() => {
          timedOut = true;
          host.child.kill('SIGKILL');
        }, this.opts.timeoutMs);
        timer.unref();
        host.pending = (x) => {
          clearTimeout(timer);
          resolve(x);
        };
        for (const b of request) host.child.stdin!.write(b);
      });
      if (r.tsv !== undefined) {
        if (++host.served >= HOST_MAX_REQUESTS) host.child.stdin!.end();
        else this.idle.push(host);
        return r.tsv;
      }
      if (timedOut) throw new Error(`tesseract host: no result within ${Math.round(this.opts.timeoutMs / 1000)} s`);
      if (attempt >= 1) throw r.error ?? new Error('tesseract host: no reply');
    }
  }

  /** Ends every host and waits for them (their CPU time is then counted as the caller's children's). */
  async close(): Promise<void> {
    const exits = [...this.all].map((h) => (h.child.exitCode !== null || h.child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => h.child.once('close', () => r()))));
    for (const h of this.all) h.child.kill('SIGKILL');
    this.idle = [];
    await Promise.all(exits);
  }
}
