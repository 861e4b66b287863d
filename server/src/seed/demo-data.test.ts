/** Issue 9: the demo province looks real in 2026 (codes, names, titles, symbols, trích yếu, layouts). */
import { DEMO_AGENCIES, DEMO_EXTERNAL_ISSUERS, DEMO_PROVINCE_GROUP, DEMO_STAFF, OTHER_NAMES, demoSignerBlock, demoTitle } from './demo-data';
import { checkAgencyCodes, checkSubject, checkSymbol, forbiddenNames, placeDateLine } from './demo-rules';
import { demoPlan, layoutDemoDocument, symbolOf, type DemoDocSpec } from './demo-layout';

const NAMES = { lanhdao: 'Phạm Quốc Hùng', 'snv.lanhdao': 'Lê Văn Hòa', 'syt.lanhdao': 'Vũ Thị Bích', 'stc.lanhdao': 'Trần Thị Kim Oanh' };
const specs = (today: string): [string, DemoDocSpec][] => {
  const p = demoPlan(today, NAMES);
  return [...Object.entries(p.incoming), ...Object.entries(p.drafts)];
};

describe('identifier codes (QĐ 20/2020: [cấp 4].[cấp 3].[cấp 2].[cấp 1])', () => {
  it('every demo code is well-formed, in the province group, with its level in its own group', () => {
    expect(checkAgencyCodes(DEMO_AGENCIES, DEMO_PROVINCE_GROUP)).toEqual([]);
    // The tree has the three levels the rule distinguishes: the UBND tỉnh, bodies under it, a body under a Sở.
    expect(DEMO_AGENCIES.filter((a) => !a.parent).map((a) => a.code)).toEqual(['000.00.00.H27']);
    expect(DEMO_AGENCIES.find((a) => a.key === 'ksbt')).toMatchObject({ code: '000.01.06.H27', parent: 'syt' });
  });

  it('xã and phường sit directly under the province (two-level government): cấp-2 group, like a Sở', () => {
    const xa = DEMO_AGENCIES.filter((a) => a.kind === 'UBND_XA');
    expect(xa.length).toBeGreaterThanOrEqual(3);
    for (const a of xa) {
      expect(a.parent).toBe('ubnd');
      expect(a.code).toMatch(/^000\.00\.\d\d\.H27$/);
    }
  });

  it('refuses the pre-2025 shapes and other mistakes', () => {
    const root = { key: 'tinh', code: '000.00.00.H27' };
    const check = (...rest: { key: string; code: string; parent?: string }[]) => checkAgencyCodes([root, ...rest], 'H27');
    // A UBND huyện in the cấp-3 group with cấp 2 skipped, and its xã below it.
    expect(check({ key: 'huyen', code: '000.10.00.H27', parent: 'tinh' })).toEqual([expect.stringContaining('groups cấp 1…cấp 2')]);
    expect(check({ key: 'sxd', code: '000.00.20.H27', parent: 'tinh' }, { key: 'xa', code: '001.10.00.H27', parent: 'sxd' })).toEqual([
      expect.stringContaining('groups cấp 1…cấp 3'),
      expect.stringContaining('does not keep the groups of its parent'),
    ]);
    expect(check({ key: 'tt', code: '000.01.21.H27', parent: 'tinh' })).toEqual([expect.stringContaining('cấp 1…cấp 2')]);
    expect(check({ key: 'tt', code: '000.01.21.H27', parent: 'sxd' }, { key: 'sxd', code: '000.00.20.H27', parent: 'tinh' })).toEqual([
      expect.stringContaining('does not keep the groups of its parent'),
    ]);
    expect(check({ key: 'x', code: '000.00.02.H30', parent: 'tinh' })).toEqual([expect.stringContaining("province's group H27"), expect.stringContaining('does not keep the groups')]);
    expect(check({ key: 'a', code: '000.00.02.H27', parent: 'tinh' }, { key: 'b', code: '000.00.02.H27', parent: 'tinh' })).toEqual([expect.stringContaining('also the code of a')]);
    expect(check({ key: 'x', code: '000.00.2.H27', parent: 'tinh' })).toEqual([expect.stringContaining('13-character')]);
    expect(check({ key: 'x', code: '000.00.02.h27', parent: 'tinh' })).toEqual([expect.stringContaining('13-character')]);
  });

  it('the external bodies are outside the province; the one code given is a ministry-level (G) cấp-1 code', () => {
    expect(DEMO_EXTERNAL_ISSUERS.vpcp.code).toMatch(/^000\.00\.00\.G\d\d$/);
    expect(Object.values(DEMO_EXTERNAL_ISSUERS).map((e) => e.name)).toEqual(expect.arrayContaining(['Bộ Nội vụ', 'Bộ Tài chính']));
  });
});

describe('the 2025 structure', () => {
  const texts = [...DEMO_AGENCIES.flatMap((a) => [a.name, ...a.units.map((u) => u.name)]), ...Object.values(DEMO_EXTERNAL_ISSUERS).map((e) => e.name)];

  it('no district level, no Sở/Bộ merged away in 2025', () => {
    for (const t of texts) expect([t, /huyện|quận|thị xã|Kế hoạch và Đầu tư|Thông tin và Truyền thông|Lao động - Thương binh|Tài nguyên và Môi trường/i.test(t)]).toEqual([t, false]);
    expect(DEMO_AGENCIES.filter((a) => a.kind === 'SO').length).toBeGreaterThanOrEqual(6);
    expect(DEMO_AGENCIES.map((a) => a.name)).toEqual(expect.arrayContaining(['Sở Tài chính tỉnh Bắc Ninh', 'Sở Khoa học và Công nghệ tỉnh Bắc Ninh', 'Sở Nội vụ tỉnh Bắc Ninh']));
  });

  it('login prefixes are unique and the luongtai prefix belongs to a body really called Lương Tài', () => {
    const prefixes = DEMO_AGENCIES.map((a) => a.loginPrefix).filter(Boolean);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(DEMO_AGENCIES.find((a) => a.loginPrefix === 'luongtai')!.name).toBe('Ủy ban nhân dân xã Lương Tài');
  });
});

describe('people', () => {
  it('no demo name is that of a national leader', () => {
    const all = [...DEMO_STAFF.map((s) => s.fullName), ...Object.values(OTHER_NAMES).flat(), ...specs('2026-12-06').map(([, s]) => s.signer.name)];
    expect(forbiddenNames(all)).toEqual([]);
    // The check itself: NFC/NFD and case do not hide a name.
    expect(forbiddenNames(['Nguyễn Thị Hà', 'phạm minh chính'.normalize('NFD')])).toEqual(['phạm minh chính'.normalize('NFD')]);
  });

  it('every agency has enough distinct names for its staff', () => {
    for (const names of Object.values(OTHER_NAMES)) {
      expect(names.length).toBeGreaterThanOrEqual(DEMO_AGENCIES.length);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('titles fit the body: Phó Chủ tịch for a UBND, Phó Giám đốc for a Sở, Chánh Văn phòng for the Văn phòng', () => {
    const lead = Object.fromEntries(DEMO_AGENCIES.map((a) => [a.key, demoTitle('lanhdao', a.kind)]));
    expect(lead).toMatchObject({ luongtai: 'Phó Chủ tịch', kinhbac: 'Phó Chủ tịch', snv: 'Phó Giám đốc', syt: 'Phó Giám đốc', ksbt: 'Phó Giám đốc', vp: 'Chánh Văn phòng' });
    expect(demoTitle('truongphong', 'SO')).toBe('Trưởng phòng');
    expect(demoTitle('chuyenvien', 'UBND_XA')).toBe('Chuyên viên');
    expect(demoSignerBlock('SO', 'Phó Giám đốc')).toEqual(['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC']);
    expect(demoSignerBlock('UBND_TINH', 'Phó Chủ tịch')).toEqual(['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(demoSignerBlock('SO', 'Giám đốc')).toEqual(['GIÁM ĐỐC']);
  });
});

describe('symbols and trích yếu (Decree 30, App. I and III)', () => {
  it('checkSymbol: type abbreviation then issuer; a công văn is issuer-unit; numbers below 10 with a 0', () => {
    expect(checkSymbol('152/TTr-SYT', 'Tờ trình', 'SYT')).toBeNull();
    expect(checkSymbol('89/BC-SNV', 'Báo cáo', 'SNV')).toBeNull();
    expect(checkSymbol('05/QĐ-UBND', 'Quyết định', 'UBND')).toBeNull();
    expect(checkSymbol('/KH-UBND', 'Kế hoạch', 'UBND')).toBeNull();
    expect(checkSymbol('1502/SYT-NVY', 'Công văn', 'SYT')).toBeNull();
    expect(checkSymbol('1502/SYT-NVY', 'Tờ trình', 'SYT')).toMatch(/TTr-SYT/);
    expect(checkSymbol('889/SNV-TCBC', 'Báo cáo', 'SNV')).toMatch(/BC-SNV/);
    expect(checkSymbol('5/KH-UBND', 'Kế hoạch', 'UBND')).toMatch(/leading 0/);
    expect(checkSymbol('12/KH-UBND', 'Công văn', 'UBND')).toMatch(/công văn/);
    expect(checkSymbol('12/UBND-KH', 'Công văn', 'UBND')).toMatch(/no type abbreviation/);
    expect(checkSymbol('12 / UBND-VP', 'Công văn', 'UBND')).toMatch(/without spaces/);
  });

  it('checkSubject: "V/v …" for a công văn; a typed document does not repeat its type', () => {
    expect(checkSubject('Công văn', 'V/v bổ sung dự toán')).toBeNull();
    expect(checkSubject('Kế hoạch', 'Tổ chức Hội nghị tổng kết')).toBeNull();
    expect(checkSubject('Tờ trình', 'Về việc phê duyệt kế hoạch')).toBeNull();
    expect(checkSubject('Kế hoạch', 'Kế hoạch tổ chức Hội nghị tổng kết')).toMatch(/repeats/);
    expect(checkSubject('Báo cáo', 'báo cáo kết quả')).toMatch(/repeats/);
    expect(checkSubject('Công văn', 'Về việc bổ sung dự toán')).toMatch(/V\/v/);
    expect(checkSubject('Quyết định', 'V/v kiện toàn')).toMatch(/công văn only/);
  });

  it.each(['2026-12-06', '2026-01-03'])('every demo document (today %s) has a fitting symbol and trích yếu', (today) => {
    for (const [key, s] of specs(today)) {
      expect([key, checkSymbol(symbolOf(s), s.typeName, s.issuer.abbr), checkSubject(s.typeName, s.subject)]).toEqual([key, null, null]);
    }
    // The plan covers the types the issue names.
    expect(specs(today).map(([, s]) => symbolOf(s))).toEqual(expect.arrayContaining(['152/TTr-SYT', '89/BC-SNV', '/QĐ-UBND', '/KH-UBND']));
  });

  it('seeded in December 2026, every document is dated 2026', () => {
    for (const [key, s] of specs('2026-12-06')) expect([key, s.date.slice(0, 4)]).toEqual([key, '2026']);
  });

  it('placeDateLine: days below 10 and months 01–02 with a leading 0', () => {
    expect(placeDateLine('Bắc Ninh', '2026-02-05')).toBe('Bắc Ninh, ngày 05 tháng 02 năm 2026');
    expect(placeDateLine('Lương Tài', '2026-03-15')).toBe('Lương Tài, ngày 15 tháng 3 năm 2026');
    expect(placeDateLine('Hà Nội', '2026-12-01')).toBe('Hà Nội, ngày 01 tháng 12 năm 2026');
  });
});

describe('layout by type (Decree 30, App. I)', () => {
  const plan = demoPlan('2026-12-06', NAMES);

  it('a typed draft: tên loại + trích yếu centred, blank number and date, no "V/v", no doubled type', () => {
    const l = layoutDemoDocument(plan.drafts.hoiNghi);
    expect(l).toMatchObject({
      superior: null,
      organ: 'ỦY BAN NHÂN DÂN TỈNH BẮC NINH',
      cvSubject: null,
      national: ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'],
      title: { typeName: 'KẾ HOẠCH', subject: 'Tổ chức Hội nghị tổng kết công tác năm 2026, triển khai nhiệm vụ năm 2027' },
      kinhGui: [],
      signer: { block: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], name: 'Phạm Quốc Hùng' },
    });
    expect(l.symbolLine).toMatch(/^Số: +\/KH-UBND$/);
    expect(l.dateLine).toMatch(/^Bắc Ninh, ngày +tháng +năm 2026$/);
    expect(l.recipients.at(-1)).toMatch(/^Lưu: VT/);
    expect(layoutDemoDocument(plan.drafts.thiDua).title).toEqual({ typeName: 'QUYẾT ĐỊNH', subject: 'Về việc kiện toàn Hội đồng Thi đua - Khen thưởng tỉnh' });
  });

  it('a công văn: "V/v …" under the number, Kính gửi, no title', () => {
    const l = layoutDemoDocument(plan.drafts.thienTai);
    expect(l).toMatchObject({ title: null, cvSubject: 'V/v tăng cường công tác phòng, chống thiên tai cuối năm 2026', urgencyMark: 'KHẨN' });
    expect(l.kinhGui.length).toBeGreaterThan(0);
  });

  it('a Sở prints under the UBND tỉnh and signs as (Phó) Giám đốc; a ministry prints alone', () => {
    const t = layoutDemoDocument(plan.incoming.syt);
    expect(t).toMatchObject({ superior: 'UBND TỈNH BẮC NINH', organ: 'SỞ Y TẾ', symbolLine: 'Số: 152/TTr-SYT', urgencyMark: 'HỎA TỐC', title: { typeName: 'TỜ TRÌNH' } });
    expect(t.signer.block).toEqual(['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC']);
    expect(t.dateLine).toBe('Bắc Ninh, ngày 05 tháng 12 năm 2026');
    const m = layoutDemoDocument(plan.incoming.bnv);
    expect(m).toMatchObject({ superior: null, organ: 'BỘ NỘI VỤ', symbolLine: 'Số: 4521/BNV-CCHC', title: null, dateLine: 'Hà Nội, ngày 03 tháng 12 năm 2026' });
    expect(m.signer.block).toEqual(['KT. BỘ TRƯỞNG', 'THỨ TRƯỞNG']);
  });
});

describe('dates and years of the demo documents', () => {
  const yearsIn = (s: string) => [...s.matchAll(/\b(20\d\d)\b/g)].map((m) => Number(m[1]));

  it('a paper dated before today speaks of its own year: seeded on 4 January, the December papers are about the year just ended', () => {
    const p = demoPlan('2027-01-04', NAMES);
    expect(p.incoming.snv.date).toBe('2026-12-25');
    expect(yearsIn(p.incoming.snv.subject)).toEqual([2026]);
    expect(p.incoming.btc.date).toBe('2026-12-30');
    expect(yearsIn(p.incoming.btc.subject)).toEqual([2026]);
    expect(yearsIn(p.incoming.syt.subject)).toEqual([2027, 2028]); // dated 3 January
  });

  it('on any day of the year, every received paper names its own year first', () => {
    for (let day = new Date(Date.UTC(2026, 0, 1)); day.getUTCFullYear() < 2028; day = new Date(day.getTime() + 86_400_000)) {
      const today = day.toISOString().slice(0, 10);
      for (const [key, spec] of Object.entries(demoPlan(today, NAMES).incoming)) {
        const ys = yearsIn(`${spec.subject} ${spec.body.join(' ')}`);
        if (ys.length) expect([today, key, ys[0]]).toEqual([today, key, Number(spec.date.slice(0, 4))]);
      }
    }
  });
});
