/**
 * Cấu hình văn bản set by an administrator (issue 8): the "shared except QĐ" numbering policy and the
 * yearly holidays (public holidays pre-filled from the lunar calendar, merged with the agency's edits).
 * Real services and PostgreSQL; the Gia Bình agency so that other tests' sequences stay apart.
 */
import { PDFDocument } from 'pdf-lib';
import { addWorkingDays, registerYear } from '../../../server/src/modules/documents/domain';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import type { CreateDraftInput } from '../../../server/src/modules/documents/outgoing.service';
import { NumberSequence } from '../../../server/src/modules/documents/entities/misc.entities';
import { gql, loginToken } from '../support/gql';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { startTestServer, type TestServer } from '../support/server';

let t: TestRuntime;
let agency: Agency;
const em = () => t.rt.orm.em.fork();
const out = () => t.rt.services.outgoing;

async function pdfFile(tag: string): Promise<File> {
  const d = await PDFDocument.create();
  d.addPage([595, 842]);
  d.setTitle(tag);
  return new File([Buffer.from(await d.save())], 'du-thao.pdf', { type: 'application/pdf' });
}

beforeAll(async () => {
  t = await createTestRuntime();
  agency = await em().findOneOrFail(Agency, { code: '000.00.42.H27' });
});
afterAll(async () => t?.close());

describe('numbering policy "dùng chung, riêng Quyết định"', () => {
  it('numbers Quyết định in its own sequence and everything else in one shared sequence', async () => {
    const admin = await t.as('giabinh.quantri');
    await expect(t.rt.services.documentSettings.update(await t.as('giabinh.vanthu'), agency.id, { outgoingNumbering: 'SHARED_EXCEPT_QD' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const s = await t.rt.services.documentSettings.update(admin, agency.id, { outgoingNumbering: 'SHARED_EXCEPT_QD', approvalChain: [] });
    expect(s.outgoingNumbering).toBe('SHARED_EXCEPT_QD');
    expect((await t.rt.services.documentSettings.get(em(), agency.id)).outgoingNumbering).toBe('SHARED_EXCEPT_QD');

    const issue = async (input: Partial<CreateDraftInput>) => {
      const d = await out().createDraft(await t.as('giabinh.chuyenvien'), { subject: 'Văn bản thử cấp số', files: [await pdfFile(`n-${Math.random()}`)], ...input });
      await out().submitForApproval(await t.as('giabinh.chuyenvien'), d.id);
      await out().sign(await t.as('giabinh.lanhdao'), d.id);
      return out().issue(await t.as('giabinh.vanthu'), d.id);
    };
    const q1 = await issue({ typeCode: 'QĐ' });
    const cv1 = await issue({ typeCode: null, typeName: 'Công văn' });
    const kh = await issue({ typeCode: 'KH' });
    const q2 = await issue({ typeCode: 'QĐ' });
    expect([q1, cv1, kh, q2].map((d) => [d.number, d.registerKey])).toEqual([
      [1, 'OUTGOING:QĐ'],
      [1, 'OUTGOING'],
      [2, 'OUTGOING'],
      [2, 'OUTGOING:QĐ'],
    ]);
    expect(q2.symbol).toMatch(/^02\/QĐ-/);
    const seq = await em().find(NumberSequence, { agency: agency.id, year: registerYear(new Date()) }, { orderBy: { key: 'asc' } });
    expect(seq.map((r) => [r.key, r.lastNumber])).toEqual([
      ['OUTGOING', 2],
      ['OUTGOING:QĐ', 2],
    ]);
  });
});

describe('holidays of a year', () => {
  it('pre-fills the public holidays, keeps added and removed days per year, and the working calendar uses them', async () => {
    const settings = t.rt.services.documentSettings;
    const admin = await t.as('giabinh.quantri');
    const proposal = await settings.holidaysOfYear(admin, 2027);
    expect(proposal.filter((h) => h.name.startsWith('Tết Âm lịch')).map((h) => h.date)).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09']);
    expect(proposal.find((h) => h.name === 'Giỗ Tổ Hùng Vương')!.date).toBe('2027-04-16');

    const before = await settings.workingCalendar(em(), agency.id, [2027]);
    expect(addWorkingDays('2027-04-22', 5, before)).toBe('2027-04-29');
    expect(addWorkingDays('2027-04-14', 3, before)).toBe('2027-04-20');

    await expect(settings.setHolidaysOfYear(await t.as('giabinh.chuyenvien'), agency.id, 2027, [])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(settings.setHolidaysOfYear(admin, agency.id, 2027, [{ date: '2028-01-01', name: 'x' }])).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'holidays' } });
    const edited = [...proposal.filter((h) => h.date !== '2027-04-16'), { date: '2027-04-26', name: 'Nghỉ theo quyết định của UBND huyện' }];
    const saved = await settings.setHolidaysOfYear(admin, agency.id, 2027, edited);
    expect(saved.find((h) => h.date === '2027-04-26')).toEqual({ date: '2027-04-26', name: 'Nghỉ theo quyết định của UBND huyện', public: false });
    expect(saved.map((h) => h.date)).not.toContain('2027-04-16');
    // Another year is untouched; the edit is audited.
    expect((await settings.holidaysOfYear(admin, 2028)).map((h) => h.date)).toContain('2028-01-01');
    const audit = await em().find(AuditEvent, { action: 'documents.holidays_update', agencyId: agency.id } as never);
    expect(audit).toHaveLength(1);

    const after = await settings.workingCalendar(em(), agency.id, [2027]);
    expect(addWorkingDays('2027-04-22', 5, after)).toBe('2027-05-04'); // 26/4 added
    expect(addWorkingDays('2027-04-14', 3, after)).toBe('2027-04-19'); // 16/4 removed
  });

  it('over GraphQL: documentSettings.holidaysOfYear and setHolidaysOfYear for the agency administrator only', async () => {
    let s: TestServer | undefined;
    try {
      s = await startTestServer();
      const admin = await loginToken(s.url, 'stc.quantri');
      const q = await gql<{ documentSettings: { holidaysOfYear: { date: string; name: string; public: boolean }[] } }>(
        s.url,
        '{ documentSettings { holidaysOfYear(year: 2027) { date name public } } }',
        {},
        { token: admin },
      );
      expect(q.errors).toBeUndefined();
      expect(q.data!.documentSettings.holidaysOfYear).toContainEqual({ date: '2027-02-06', name: 'Tết Âm lịch (mùng 1)', public: true });
      const SET = 'mutation($y: Int!, $h: [HolidayInput!]!){ setHolidaysOfYear(year: $y, holidays: $h){ date name public } }';
      const list = [...q.data!.documentSettings.holidaysOfYear.map(({ date, name }) => ({ date, name })), { date: '2027-12-31', name: 'Nghỉ cuối năm' }];
      const clerk = await loginToken(s.url, 'stc.vanthu');
      const denied = await gql(s.url, SET, { y: 2027, h: list }, { token: clerk });
      expect(denied.errors![0].extensions!.code).toBe('FORBIDDEN');
      const ok = await gql<{ setHolidaysOfYear: { date: string; public: boolean }[] }>(s.url, SET, { y: 2027, h: list }, { token: admin });
      expect(ok.errors).toBeUndefined();
      expect(ok.data!.setHolidaysOfYear).toContainEqual({ date: '2027-12-31', name: 'Nghỉ cuối năm', public: false });
      const mode = await gql<{ updateDocumentSettings: { outgoingNumbering: string } }>(
        s.url,
        'mutation { updateDocumentSettings(input: { outgoingNumbering: SHARED_EXCEPT_QD }) { outgoingNumbering } }',
        {},
        { token: admin },
      );
      expect(mode.data!.updateDocumentSettings.outgoingNumbering).toBe('SHARED_EXCEPT_QD');
    } finally {
      await s?.stop();
    }
  });
});
