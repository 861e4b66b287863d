/**
 * Digitised paper archive (issue 10): `npm run cli -- import DIR --agency CODE [--record CODE]` run as a real
 * process on a folder of real scans (test/fixtures/scans) turns each file into an archived document of the agency
 * (direction ARCHIVE, "chưa kiểm tra") whose metadata are the fields OCR read; the OCR and the index are queue jobs;
 * afterwards the archivist finds each file by search — by its symbol, a phrase typed without diacritics and a
 * sentence of its body — with its hit page and the words boxed on the scan; another agency finds none of it; a
 * second run changes nothing (same bytes → same document); --record files them into the hồ sơ.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../server/src/config/config';
import { ARCHIVE_OCR_FIELDS_JOB, archiveFieldsOf, importArchiveFile, organName } from '../../../server/src/modules/search/archive-import';
import { OCR_PREPARE_JOB } from '../../../server/src/modules/ocr/ocr.service';
import { SEARCH_INDEX_JOB } from '../../../server/src/modules/search/search.jobs';
import { Scope } from '../../../server/src/shared/scope';
import { sha256, uniquePdf } from './documents-incoming-helpers';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { SCANS_DIR } from '../../fixtures';

jest.setTimeout(900_000);

const AGENCY = '000.00.00.H27'; // UBND tỉnh Bắc Ninh (demo province)

/** Runs the real CLI in its own process against the test database and object storage. */
function cli(t: TestRuntime, args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/bin/cli.ts'), 'import', ...args, '--quiet'], {
    encoding: 'utf8',
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: t.db.url, CONGVAN_DATA_DIR: t.dataDir, PUBLIC_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent', OCR_CONCURRENCY: '2' },
    timeout: 600_000,
  });
}

describe('archive import: OCR fields as metadata (pure)', () => {
  it('maps what OCR read; headings in capitals become names', () => {
    expect(organName('ỦY BAN NHÂN DÂN TỈNH BẮC NINH')).toBe('Ủy ban nhân dân tỉnh Bắc Ninh');
    expect(organName('SỞ TÀI CHÍNH')).toBe('Sở Tài chính');
    expect(organName('UBND HUYỆN LƯƠNG TÀI')).toBe('UBND huyện Lương Tài');
    expect(organName('Sở Nội vụ')).toBe('Sở Nội vụ');
    const f = archiveFieldsOf(
      {
        organ: { value: 'ỦY BAN NHÂN DÂN TỈNH BẮC NINH', confidence: 0.9 },
        symbol: { value: '166/KH-UBND', confidence: 0.9 },
        number: { value: '166', confidence: 0.9 },
        issuedDate: { value: '2023-08-29', confidence: 1 },
        typeName: { value: 'Kế hoạch', confidence: 1 },
        typeCode: { value: 'KH', confidence: 1 },
        excerpt: { value: 'Tuyên truyền  cải cách\nhành chính', confidence: 0.8 },
        signer: { value: null, confidence: 0 },
      },
      1,
    );
    expect(f).toEqual({
      symbol: '166/KH-UBND',
      number: 166,
      issuedDate: '2023-08-29',
      issuerName: 'Ủy ban nhân dân tỉnh Bắc Ninh',
      typeName: 'Kế hoạch',
      typeCode: 'KH',
      subject: 'Tuyên truyền cải cách hành chính',
      pageCount: 1,
    });
    expect(archiveFieldsOf({ issuedDate: { value: '29/08/2023', confidence: 1 } })).toEqual({});
    expect(archiveFieldsOf(null)).toEqual({});
  });
});

describe('archive import: the document and its jobs in ONE transaction (real PostgreSQL)', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime();
  });
  afterAll(async () => t?.close());

  /** The transaction id that wrote each row (xmin): equal ids = one transaction, all or nothing. */
  const writers = async (documentId: string, bytesSha: string) => {
    const m = t.rt.orm.em.fork();
    const [doc] = await m.execute<{ x: string }[]>(`select xmin::text as x from document where id = ?`, [documentId]);
    const jobs = await m.execute<{ name: string; x: string }[]>(
      `select name, xmin::text as x from pgboss.job where (data->>'documentId' = ? and name in (?, ?)) or (data->>'sha256' = ? and name = ?) order by name`,
      [documentId, SEARCH_INDEX_JOB, ARCHIVE_OCR_FIELDS_JOB, bytesSha, OCR_PREPARE_JOB],
    );
    const audits = await m.execute<{ action: string; x: string }[]>(`select action, xmin::text as x from audit_event where target_id = ? order by action`, [documentId]);
    return { doc: doc.x, jobs, audits };
  };

  it('queues the OCR (and, OCR already done, the fields job) with the document: no job can be lost between two transactions', async () => {
    const [agency] = await t.rt.orm.em.fork().execute<{ id: string }[]>(`select id from agency where code = ?`, [AGENCY]);
    const bytes = uniquePdf();
    const r = await importArchiveFile(t.rt.services, new Scope(t.rt.orm.em.fork(), null), { agencyId: agency.id, bytes, fileName: 'cong-van-12.pdf' });
    expect(r.created).toBe(true);
    const w = await writers(r.documentId, sha256(bytes));
    expect(w.jobs.map((j) => j.name)).toEqual([OCR_PREPARE_JOB, SEARCH_INDEX_JOB]);
    expect(w.audits.map((a) => a.action)).toEqual(['document.import_archive', 'document.import_ocr']);
    for (const x of [...w.jobs, ...w.audits]) expect({ what: 'name' in x ? x.name : x.action, x: x.x }).toEqual({ what: 'name' in x ? x.name : x.action, x: w.doc });

    // The same bytes already digitised (uploaded before): the fields job goes in the same transaction too.
    const again = uniquePdf();
    const sha = sha256(again);
    await t.rt.orm.em.fork().execute(`insert into ocr_result (sha256, storage_key, status) values (?, 'x', 'DONE')`, [sha]);
    const r2 = await importArchiveFile(t.rt.services, new Scope(t.rt.orm.em.fork(), null), { agencyId: agency.id, bytes: again, fileName: 'ke-hoach-3.pdf' });
    const w2 = await writers(r2.documentId, sha);
    expect(w2.jobs.map((j) => j.name)).toEqual([ARCHIVE_OCR_FIELDS_JOB, SEARCH_INDEX_JOB]);
    for (const x of [...w2.jobs, ...w2.audits]) expect(x.x).toBe(w2.doc);
    // a second run with the same bytes: the same document, nothing new
    const r3 = await importArchiveFile(t.rt.services, new Scope(t.rt.orm.em.fork(), null), { agencyId: agency.id, bytes: again, fileName: 'ke-hoach-3.pdf' });
    expect(r3).toEqual({ ...r2, created: false });
    expect((await writers(r2.documentId, sha)).jobs).toHaveLength(2);
  });
});

describe('npm run cli -- import DIR --agency CODE [--record CODE] (real process, real OCR, real PostgreSQL)', () => {
  let t: TestRuntime;
  let dir: string;
  beforeAll(async () => {
    t = await createTestRuntime();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-archive-import-'));
    fs.mkdirSync(path.join(dir, 'hop-01'));
    fs.copyFileSync(path.join(SCANS_DIR, 'dev03.p1.jpg'), path.join(dir, 'hop-01', 'ke-hoach-166.jpg'));
    fs.copyFileSync(path.join(SCANS_DIR, 'dev09.pdf'), path.join(dir, 'quyet-dinh-764.pdf'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const em = () => t.rt.orm.em.fork();
  const search = async (user: string, query: string) => t.rt.services.search.search(await t.as(user), { query, first: 50 });
  const ids = async (user: string, query: string) => (await search(user, query)).edges.map((e) => e.node.document.id);

  it('turns each file into an archived document with the fields OCR read, found by search afterwards; idempotent', async () => {
    const first = cli(t, [dir, '--agency', AGENCY]);
    expect(first.stderr).not.toMatch(/\n\s+at /);
    expect(first.stdout).toMatch(/Đã số hóa 2 tệp/);
    expect(first.status).toBe(0);

    const docs = await em().execute<
      { id: string; direction: string; state: string; symbol: string | null; issued_date: string | null; issuer_name: string | null; type_name: string; subject: string; signer_name: string | null; metadata_unverified: boolean; archived_at: Date | null }[]
    >(
      `select d.id, d.direction, d.state, d.symbol, d.issued_date::text as issued_date, d.issuer_name, d.type_name, d.subject, d.signer_name, d.metadata_unverified, d.archived_at
       from document d join agency a on a.id = d.agency_id where a.code = ? and d.direction = 'ARCHIVE' order by d.symbol`,
      [AGENCY],
    );
    expect(docs).toHaveLength(2);
    const [kh, qd] = docs;
    for (const d of docs) {
      expect(d).toMatchObject({ direction: 'ARCHIVE', state: 'ARCHIVED', metadata_unverified: true });
      expect(d.archived_at).not.toBeNull();
    }
    // the fields OCR read are the metadata (ground truth: test/fixtures/scans/dev03.json, dev09.json)
    expect(kh).toMatchObject({ symbol: '166/KH-UBND', issued_date: '2023-08-29', type_name: 'Kế hoạch', issuer_name: 'Ủy ban nhân dân tỉnh Bắc Ninh' });
    expect(kh.subject).toMatch(/cải cách hành chính năm 2023/i);
    expect(qd).toMatchObject({ symbol: '764/QĐ-UBND', issued_date: '2021-05-26', type_name: 'Quyết định' });
    // OCR and the index were queue jobs queued in the import's transactions; the fields job ran once per document
    const failed = await em().execute<{ name: string }[]>(`select name from pgboss.job where state = 'failed'`);
    expect(failed).toEqual([]);
    const fieldsAudits = await em().execute<{ n: number }[]>(`select count(*)::int as n from audit_event where action = 'document.archive_fields'`);
    expect(fieldsAudits[0].n).toBe(2);

    // the archivist finds each: by symbol, by a phrase typed without diacritics, by a sentence of its body
    expect(await ids('luutru', '166/KH-UBND')).toEqual([kh.id]);
    expect(await ids('luutru', '"tuyen truyen cai cach hanh chinh nam 2023"')).toEqual([kh.id]);
    expect(await ids('luutru', '764/QĐ-UBND')).toEqual([qd.id]);
    expect(await ids('luutru', 'thực hành tiết kiệm, chống lãng phí')).toContain(kh.id); // a sentence of the body
    expect(await ids('luutru', 'danh muc thu tuc hanh chinh duoc niem yet cong khai')).toContain(qd.id);
    const hit = (await search('luutru', 'tuyen truyen cai cach hanh chinh')).edges.find((e) => e.node.document.id === kh.id)!;
    expect(hit.node.page).toBe(1);
    expect(hit.node.snippets.join(' ')).toMatch(/<mark>[Tt]uyên<\/mark> <mark>truyền<\/mark>/);
    // opening the hit: the page of the scan with the query's words boxed
    const page = await t.rt.services.search.hitPage(await t.as('luutru'), { documentId: kh.id, query: 'tuyen truyen' });
    expect(page).toMatchObject({ page: 1, pageCount: 1, pagesWithHits: [1] });
    expect(page!.imageUrl).toBeTruthy();
    expect(page!.boxes.length).toBeGreaterThanOrEqual(2);
    for (const b of page!.boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(1);
      expect(b.text.normalize('NFC').toLowerCase()).toMatch(/tuyên|truyền/);
    }
    // the archive is filtered as such
    const archived = await t.rt.services.search.search(await t.as('luutru'), { query: '', filter: { direction: 'ARCHIVE', archived: true } });
    expect(archived.edges.map((e) => e.node.document.id).sort()).toEqual([kh.id, qd.id].sort());
    // another agency finds none of it, not even a near match
    for (const q of ['166/KH-UBND', 'tuyen truyen cai cach hanh chinh nam 2023', 'niem yet cong khai']) expect(await ids('snv.luutru', q)).toEqual([]);
    await expect(t.rt.services.search.hitPage(await t.as('snv.luutru'), { documentId: kh.id, query: 'tuyen truyen' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // a second run: same bytes → same documents, nothing stored, read or indexed again
    const jobsBefore = await em().execute<{ n: number }[]>(`select count(*)::int as n from pgboss.job where name like 'ocr.%'`);
    const second = cli(t, [dir, '--agency', AGENCY]);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/\(0 văn bản mới\)/);
    const after = await em().execute<{ n: number }[]>(`select count(*)::int as n from document where direction = 'ARCHIVE'`);
    expect(after[0].n).toBe(2);
    const jobsAfter = await em().execute<{ n: number }[]>(`select count(*)::int as n from pgboss.job where name like 'ocr.%'`);
    expect(jobsAfter[0].n).toBe(jobsBefore[0].n);
  });

  it('--record files the imported documents into that hồ sơ, in order; an unknown hồ sơ stops the import', async () => {
    const unknown = cli(t, [dir, '--agency', AGENCY, '--record', 'KHONG-CO']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/hồ sơ KHONG-CO/);
    const before = await em().execute<{ n: number }[]>(`select count(*)::int as n from document where direction = 'ARCHIVE'`);
    expect(before[0].n).toBe(2);

    const record = await t.rt.services.records.create(await t.as('luutru'), { year: 2026, fileNotation: 'NK.01', title: 'Tài liệu số hóa nhập kho', retentionYears: 20 });
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-archive-import-2-'));
    try {
      fs.copyFileSync(path.join(SCANS_DIR, 'dev12.pdf'), path.join(other, 'thong-bao-102.pdf'));
      const r = cli(t, [other, '--agency', AGENCY, '--record', 'NK.01']);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.status).toBe(0);
      const filed = await em().execute<{ id: string; record_order: number; symbol: string | null }[]>(`select id, record_order, symbol from document where record_id = ? order by record_order`, [record.id]);
      expect(filed).toHaveLength(1);
      expect(filed[0]).toMatchObject({ record_order: 1, symbol: '102/TB-UBND' });
      // found by search within the hồ sơ
      const inRecord = await t.rt.services.search.search(await t.as('luutru'), { query: 'giao ban', filter: { recordId: record.id } });
      expect(inRecord.edges.map((e) => e.node.document.id)).toEqual([filed[0].id]);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
