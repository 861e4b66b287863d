/**
 * The API behind the issue-12 web forms, over HTTP on the real server and database:
 * - the thẩm quyền ký chosen on the draft (shared rule schema/validation/signing-authority.ts: a KT. without the
 *   head's title refused at signingAuthority.principal) and the registers' "Người ký" (DocumentIssuing.signerLine
 *   and the exported Sổ đăng ký văn bản đi): "KT. CHỦ TỊCH — Phó Chủ tịch <name>";
 * - giao ký (recordSigningDelegation) with the shared rules: dates in order, the head's title required;
 * - Scan.signatures: the signatures of a PDF uploaded for registration, before it is registered;
 * - SigningCredential.certificatesPem (the USB-token dialog sends the chain back).
 */
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { renderDemoPdf } from '../../../server/src/seed/demo-documents';
import { demoPlan, layoutDemoDocument } from '../../../server/src/seed/demo-layout';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { approveSignAndIssue } from '../support/issuing';
import { LocalDays } from '../support/local-days';

let s: TestServer;
const services = () => s.runtime.rt.services;
const em = () => s.runtime.rt.orm.em.fork();
/** The local days this file runs on (a run may cross midnight in Việt Nam). */
const days = new LocalDays();

async function api<T>(username: string, query: string, variables: Record<string, unknown> = {}) {
  const token = await loginToken(s.url, username, 'congvan2026');
  return gql<T>(s.url, query, variables, { token });
}

async function draftFile(): Promise<File> {
  const spec = demoPlan(days.first, { lanhdao: 'Phạm Quốc Hùng', 'snv.lanhdao': 'Lê Văn Hòa', 'syt.lanhdao': 'Vũ Thị Bích', 'stc.lanhdao': 'Trần Thị Kim Oanh' } as never).drafts.thiDua;
  const layout = { ...layoutDemoDocument(spec), symbolLine: 'Số:        /QĐ-UBND' };
  return new File([new Uint8Array(await renderDemoPdf(layout, `contract ${Math.random()}`))], 'du-thao.pdf', { type: 'application/pdf' });
}

beforeAll(async () => {
  s = await startTestServer({ workers: 'none' });
}, 120_000);
afterAll(async () => {
  await s?.stop();
});

describe('thẩm quyền ký on the draft and in the registers', () => {
  it('a KT. without the head title is refused at signingAuthority.principal with the shared message', async () => {
    const r = await api('chuyenvien', 'mutation($i: CreateDraftInput!) { createDraft(input: $i) { id } }', {
      i: { typeCode: 'QĐ', subject: 'Thử thẩm quyền ký', signingAuthority: { mode: 'KT', collective: 'Ủy ban nhân dân', principal: '' } },
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'signingAuthority.principal' });
    expect(r.errors?.[0]?.message).toBe('Ký KT. phải ghi chức vụ của người đứng đầu, ví dụ "CHỦ TỊCH".');
  });

  it('the issued document shows "KT. CHỦ TỊCH — Phó Chủ tịch …" in signerLine and in the exported register', async () => {
    const rt = s.runtime;
    const out = services().outgoing;
    const dr = await out.createDraft(await rt.as('chuyenvien'), {
      typeCode: 'QĐ',
      subject: 'Về việc kiện toàn Hội đồng Thi đua - Khen thưởng tỉnh (sổ)',
      files: [await draftFile()],
      signingAuthority: { mode: 'KT', collective: 'Ủy ban nhân dân', principal: 'Chủ tịch' },
    });
    const before = await api<{ document: { issuing: { signerLine: string | null; signingAuthority: { label: string } } } }>(
      'chuyenvien',
      'query($id: ID!) { document(id: $id) { id issuing { signerLine signingAuthority { label } } } }',
      { id: dr.id },
    );
    expect(before.data?.document.issuing).toEqual({ signerLine: 'KT. CHỦ TỊCH', signingAuthority: { label: 'TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH' } });
    const issued = await approveSignAndIssue(rt, dr.id);

    const r = await api<{ document: { issuing: { signerLine: string } } }>('vanthu', 'query($id: ID!) { document(id: $id) { id issuing { signerLine } } }', { id: issued.id });
    expect(r.data?.document.issuing.signerLine).toBe('KT. CHỦ TỊCH — Phó Chủ tịch Phạm Quốc Hùng');

    const report = await services().reports.registerReport(await rt.as('vanthu'), { kind: 'OUTGOING', format: 'XLSX', from: days.first, to: days.last });
    const key = decodeURIComponent(new URL(report.url).pathname.replace(/^\/files\//, ''));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await services().storage.getBuffer(key)) as unknown as ArrayBuffer);
    const cells: string[][] = [];
    wb.worksheets[0].eachRow((row) => cells.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const header = cells.find((c) => c[0] === 'Số, ký hiệu văn bản')!;
    const row = cells.find((c) => c[0] === issued.symbol)!;
    expect(row[header.indexOf('Người ký')]).toBe('KT. CHỦ TỊCH — Phó Chủ tịch Phạm Quốc Hùng');
  });
});

describe('giao ký (recordSigningDelegation) with the shared rules', () => {
  const M = 'mutation($i: SigningDelegationInput!) { recordSigningDelegation(input: $i) { id mode principal validFrom validTo delegate { id } } }';
  let lanhdaoId = '';
  beforeAll(async () => {
    const r = await api<{ me: { id: string } }>('lanhdao', '{ me { id } }');
    lanhdaoId = r.data!.me.id;
  });

  it('refuses an end before the start and a missing head title, at their fields', async () => {
    const base = { delegateId: lanhdaoId, mode: 'TUQ', principal: 'Chủ tịch', decisionRef: 'Giấy ủy quyền số 02/GUQ-UBND', validFrom: '2026-12-15' };
    const range = await api('quantri', M, { i: { ...base, validTo: '2026-12-01' } });
    expect(range.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'validTo' });
    expect(range.errors?.[0]?.message).toBe('Ngày kết thúc phải sau ngày bắt đầu.');
    const principal = await api('quantri', M, { i: { ...base, principal: '  ' } });
    expect(principal.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'principal' });
    const ok = await api<{ recordSigningDelegation: { mode: string; principal: string; validTo: string } }>('quantri', M, { i: { ...base, validTo: '2026-12-31' } });
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.recordSigningDelegation).toMatchObject({ mode: 'TUQ', principal: 'CHỦ TỊCH', validTo: '2026-12-31' });
  });
});

describe('signatures of an uploaded scan, and the token certificate chain', () => {
  it('Scan.signatures lists the signatures of a PDF before it is registered', async () => {
    const d = await PDFDocument.create();
    d.addPage([595, 842]);
    d.setTitle(`scan ${Math.random()}`);
    const snv = await em().findOneOrFail(Agency, { code: '000.00.02.H27' });
    const signed = await services().signing.signAsAgency(em(), snv.id, await d.save(), { reason: 'Phát hành', placement: null });
    const scan = await services().ocr.uploadScan(await s.runtime.as('vanthu'), new File([Buffer.from(signed)], 'email.pdf', { type: 'application/pdf' }));
    const r = await api<{ scan: { signatures: { kind: string; signerName: string; valid: boolean; trusted: boolean }[] } }>(
      'vanthu',
      'query($id: ID!) { scan(id: $id) { id signatures { kind signerName valid trusted } } }',
      { id: scan.id },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.scan.signatures).toEqual([{ kind: 'AGENCY', signerName: snv.name, valid: true, trusted: true }]);
    // Another agency's văn thư does not see the scan.
    const other = await api<{ scan: null }>('snv.vanthu', 'query($id: ID!) { scan(id: $id) { id signatures { kind } } }', { id: scan.id });
    expect(other.data?.scan ?? null).toBeNull();
  });

  it('mySigningCredentials gives the certificate chain as PEM', async () => {
    const r = await api<{ mySigningCredentials: { source: string; certificatesPem: string }[] }>('lanhdao', '{ mySigningCredentials { id source certificatesPem } }');
    expect(r.data?.mySigningCredentials[0].source).toBe('SERVER_KEY');
    expect(r.data?.mySigningCredentials[0].certificatesPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});
