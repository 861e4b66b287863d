/**
 * The demo documents as data, and their layout by type (Decree 30/2020, App. I): quốc hiệu and tiêu ngữ, tên cơ
 * quan (chủ quản above ban hành), số và ký hiệu, địa danh và ngày, tên loại + trích yếu (or "V/v …" under the
 * number for a công văn), Kính gửi, nội dung, quyền hạn và chức vụ người ký, nơi nhận. Pure: no I/O.
 */
import { DEMO_AGENCIES, DEMO_EXTERNAL_ISSUERS, demoSignerBlock, type DemoAgencyKind } from './demo-data';
import { placeDateLine, TYPE_ABBREVIATIONS } from './demo-rules';
import { addDays } from '../modules/documents/domain';

export type DemoUrgency = 'THUONG' | 'KHAN' | 'THUONG_KHAN' | 'HOA_TOC';

export interface DemoIssuer {
  /** The name registered as the issuer ("Sở Y tế tỉnh Bắc Ninh"). */
  name: string;
  /** Printed tên cơ quan chủ quản (upper case) or null. */
  superior: string | null;
  /** Printed tên cơ quan ban hành. */
  organ: string;
  abbr: string;
  place: string;
  /** Agency in this system (its mã định danh), or null for a body outside it. */
  agencyCode: string | null;
}

export interface DemoDocSpec {
  issuer: DemoIssuer;
  /** 'Công văn' or a type of Decree 30 Art. 7. */
  typeName: string;
  /** Null for a draft (numbered when issued). */
  number: string | null;
  /** Ký hiệu after the number: `TTr-SYT`, `SYT-NVY`. */
  notation: string;
  /** ISO date; the draft's is left blank on paper. */
  date: string;
  subject: string;
  kinhGui: string[];
  body: string[];
  recipients: string[];
  signer: { block: string[]; name: string };
  urgency: DemoUrgency;
}

export interface DemoLayout {
  superior: string | null;
  organ: string;
  symbolLine: string;
  /** "V/v …" under the number (công văn only). */
  cvSubject: string | null;
  urgencyMark: string | null;
  national: [string, string];
  dateLine: string;
  /** Tên loại and trích yếu, centred (typed documents only). */
  title: { typeName: string; subject: string } | null;
  kinhGui: string[];
  body: string[];
  recipients: string[];
  signer: { block: string[]; name: string };
}

const URGENCY_MARK: Record<DemoUrgency, string | null> = { THUONG: null, KHAN: 'KHẨN', THUONG_KHAN: 'THƯỢNG KHẨN', HOA_TOC: 'HỎA TỐC' };

export const symbolOf = (s: Pick<DemoDocSpec, 'number' | 'notation'>): string => `${s.number ?? ''}/${s.notation}`;

/** The Decree 30 layout of a document of its type. */
export function layoutDemoDocument(s: DemoDocSpec): DemoLayout {
  const cv = s.typeName === 'Công văn';
  const year = s.date.slice(0, 4);
  return {
    superior: s.issuer.superior,
    organ: s.issuer.organ.toUpperCase(),
    symbolLine: `Số: ${s.number ?? '       '}/${s.notation}`,
    cvSubject: cv ? s.subject : null,
    urgencyMark: URGENCY_MARK[s.urgency],
    national: ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'],
    dateLine: s.number ? placeDateLine(s.issuer.place, s.date) : `${s.issuer.place}, ngày      tháng      năm ${year}`,
    title: cv ? null : { typeName: s.typeName.toUpperCase(), subject: s.subject },
    kinhGui: s.kinhGui,
    body: s.body,
    recipients: s.recipients,
    signer: s.signer,
  };
}

const agency = (key: string) => DEMO_AGENCIES.find((a) => a.key === key)!;

/** An issuer of the demo province: printed under "UBND TỈNH BẮC NINH" unless it is the UBND itself. */
export function provinceIssuer(key: string): DemoIssuer {
  const a = agency(key);
  const own = a.kind === 'UBND_TINH' || a.kind === 'UBND_XA';
  // A Sở prints "SỞ Y TẾ" under "UBND TỈNH BẮC NINH"; a body under a Sở prints its own name under the Sở's.
  const short = (name: string) => name.replace(/ tỉnh Bắc Ninh$/, '');
  const organ = own || a.kind === 'DON_VI' ? a.name : short(a.name);
  const superior = own ? null : a.kind === 'DON_VI' ? short(agency(a.parent!).name).toUpperCase() : 'UBND TỈNH BẮC NINH';
  return { name: a.name, superior, organ, abbr: a.abbr, place: a.place, agencyCode: a.code };
}

function externalIssuer(key: keyof typeof DEMO_EXTERNAL_ISSUERS): DemoIssuer {
  const e = DEMO_EXTERNAL_ISSUERS[key];
  return { name: e.name, superior: null, organ: e.name, abbr: e.abbr, place: e.place, agencyCode: null };
}

const signer = (kind: DemoAgencyKind, title: string, name: string) => ({ block: demoSignerBlock(kind, title), name });
const MINISTRY_DEPUTY = ['KT. BỘ TRƯỞNG', 'THỨ TRƯỞNG'];

/** Who signs in the demo: the leaders' full names by login (read from the database by the seeder). */
export type DemoSigners = Record<'lanhdao' | 'snv.lanhdao' | 'syt.lanhdao' | 'stc.lanhdao', string>;

export interface DemoPlan {
  /** Incoming documents of the UBND tỉnh, by scenario. */
  incoming: { bnv: DemoDocSpec; btc: DemoDocSpec; syt: DemoDocSpec; snv: DemoDocSpec };
  /** Drafts of the UBND tỉnh and of Sở Tài chính (number null: given when issued). */
  drafts: { chuyenDoiSo: DemoDocSpec; quyChe: DemoDocSpec; hoiNghi: DemoDocSpec; thiDua: DemoDocSpec; thienTai: DemoDocSpec; duToan: DemoDocSpec };
}

/** The demo documents for a given "today" (the seed runs on the real clock; dates are relative to it). */
export function demoPlan(today: string, names: DemoSigners): DemoPlan {
  const y = Number(today.slice(0, 4));
  // a document dated before today speaks of its own year: in early January a paper from late December is about the
  // year just ended, not "năm" of today
  const dates = { bnv: addDays(today, -3), btc: addDays(today, -5), syt: addDays(today, -1), snv: addDays(today, -10) };
  const yearOf = (d: string) => Number(d.slice(0, 4));
  const ubnd = provinceIssuer('ubnd');
  const ubndSigner = signer('UBND_TINH', 'Phó Chủ tịch', names.lanhdao);
  const draft = (o: Omit<DemoDocSpec, 'issuer' | 'number' | 'date' | 'signer' | 'urgency'> & Partial<Pick<DemoDocSpec, 'urgency'>>): DemoDocSpec => ({
    issuer: ubnd,
    number: null,
    date: today,
    signer: ubndSigner,
    urgency: 'THUONG',
    ...o,
  });
  const cvNotation = (abbr: string, unit: string) => `${abbr}-${unit}`;
  const typed = (typeName: string, abbr: string) => `${TYPE_ABBREVIATIONS[typeName]}-${abbr}`;
  return {
    incoming: {
      bnv: {
        issuer: externalIssuer('bnv'),
        typeName: 'Công văn',
        number: '4521',
        notation: cvNotation('BNV', 'CCHC'),
        date: dates.bnv,
        subject: `V/v triển khai xác định Chỉ số cải cách hành chính năm ${yearOf(dates.bnv)}`,
        kinhGui: ['Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.'],
        body: [
          `Thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030, Bộ Nội vụ đề nghị Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương tổ chức tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm ${yearOf(dates.bnv)} của địa phương theo hướng dẫn gửi kèm.`,
          'Kết quả tự đánh giá gửi về Bộ Nội vụ (qua Vụ Cải cách hành chính) trên Hệ thống quản lý văn bản và điều hành.',
        ],
        recipients: ['Như trên;', 'Bộ trưởng (để b/c);', 'Lưu: VT, CCHC.'],
        signer: { block: MINISTRY_DEPUTY, name: 'Trịnh Quang Khải' },
        urgency: 'THUONG',
      },
      btc: {
        issuer: externalIssuer('btc'),
        typeName: 'Công văn',
        number: '8123',
        notation: cvNotation('BTC', 'ĐT'),
        date: dates.btc,
        subject: `V/v báo cáo tình hình giải ngân vốn đầu tư công năm ${yearOf(dates.btc)}`,
        kinhGui: ['Các Bộ, cơ quan trung ương;', 'Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.'],
        body: [
          `Bộ Tài chính đề nghị các Bộ, cơ quan trung ương và địa phương báo cáo tình hình giải ngân kế hoạch vốn đầu tư công năm ${yearOf(dates.btc)}, gửi về Bộ Tài chính trước ngày 30 hằng tháng để tổng hợp, báo cáo Chính phủ.`,
        ],
        recipients: ['Như trên;', 'Văn phòng Chính phủ;', 'Lưu: VT, ĐT.'],
        signer: { block: MINISTRY_DEPUTY, name: 'Phan Thế Lâm' },
        urgency: 'KHAN',
      },
      syt: {
        issuer: provinceIssuer('syt'),
        typeName: 'Tờ trình',
        number: '152',
        notation: typed('Tờ trình', 'SYT'),
        date: dates.syt,
        subject: `Về việc phê duyệt Kế hoạch phòng, chống dịch bệnh mùa đông xuân năm ${yearOf(dates.syt)} - ${yearOf(dates.syt) + 1}`,
        kinhGui: ['Ủy ban nhân dân tỉnh Bắc Ninh.'],
        body: [
          `Sở Y tế kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt Kế hoạch phòng, chống dịch bệnh mùa đông xuân năm ${yearOf(dates.syt)} - ${yearOf(dates.syt) + 1} trên địa bàn tỉnh (dự thảo kèm theo).`,
          'Kinh phí thực hiện từ nguồn sự nghiệp y tế đã giao trong dự toán; Sở Y tế đã lấy ý kiến Sở Tài chính.',
        ],
        recipients: ['Như trên;', 'Lưu: VT, NVY.'],
        signer: signer('SO', 'Phó Giám đốc', names['syt.lanhdao']),
        urgency: 'HOA_TOC',
      },
      snv: {
        issuer: provinceIssuer('snv'),
        typeName: 'Báo cáo',
        number: '89',
        notation: typed('Báo cáo', 'SNV'),
        date: dates.snv,
        subject: `Kết quả thực hiện tinh giản biên chế năm ${yearOf(dates.snv)}`,
        kinhGui: [],
        body: [`Sở Nội vụ báo cáo kết quả thực hiện tinh giản biên chế năm ${yearOf(dates.snv)} của các cơ quan, đơn vị trên địa bàn tỉnh sau sắp xếp tổ chức bộ máy và chính quyền địa phương hai cấp.`],
        recipients: ['UBND tỉnh (để b/c);', 'Lưu: VT, TCBC.'],
        signer: signer('SO', 'Phó Giám đốc', names['snv.lanhdao']),
        urgency: 'THUONG',
      },
    },
    drafts: {
      chuyenDoiSo: draft({
        typeName: 'Công văn',
        notation: cvNotation('UBND', 'KT'),
        subject: `V/v đôn đốc triển khai Kế hoạch chuyển đổi số năm ${y + 1}`,
        kinhGui: ['Các sở, ban, ngành tỉnh;', 'Ủy ban nhân dân các xã, phường.'],
        body: [`Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành và Ủy ban nhân dân các xã, phường khẩn trương triển khai Kế hoạch chuyển đổi số năm ${y + 1}; Sở Khoa học và Công nghệ theo dõi, tổng hợp, báo cáo.`],
        recipients: ['Như trên;', 'Bộ Khoa học và Công nghệ (để b/c);', 'Lưu: VT, KT.'],
      }),
      quyChe: draft({
        typeName: 'Công văn',
        notation: cvNotation('UBND', 'KT'),
        subject: 'V/v góp ý dự thảo Quy chế làm việc của Ủy ban nhân dân tỉnh',
        kinhGui: ['Sở Nội vụ.'],
        body: ['Ủy ban nhân dân tỉnh đề nghị Sở Nội vụ nghiên cứu, góp ý dự thảo Quy chế làm việc của Ủy ban nhân dân tỉnh nhiệm kỳ 2026 - 2031 (gửi kèm), gửi Văn phòng Ủy ban nhân dân tỉnh trong 05 ngày làm việc.'],
        recipients: ['Như trên;', 'Lưu: VT, KT.'],
      }),
      hoiNghi: draft({
        typeName: 'Kế hoạch',
        notation: typed('Kế hoạch', 'UBND'),
        subject: `Tổ chức Hội nghị tổng kết công tác năm ${y}, triển khai nhiệm vụ năm ${y + 1}`,
        kinhGui: [],
        body: [
          'I. MỤC ĐÍCH, YÊU CẦU',
          `Đánh giá kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội năm ${y}; triển khai nhiệm vụ, giải pháp năm ${y + 1}.`,
          'II. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN',
          'Thành phần: lãnh đạo các sở, ban, ngành tỉnh; Chủ tịch Ủy ban nhân dân các xã, phường.',
          'III. TỔ CHỨC THỰC HIỆN',
          'Giao Sở Nội vụ chủ trì, phối hợp Sở Tài chính và Văn phòng Ủy ban nhân dân tỉnh chuẩn bị các điều kiện tổ chức Hội nghị.',
        ],
        recipients: ['Sở Nội vụ;', 'Sở Tài chính;', 'Lưu: VT, KT.'],
      }),
      thiDua: draft({
        typeName: 'Quyết định',
        notation: typed('Quyết định', 'UBND'),
        subject: 'Về việc kiện toàn Hội đồng Thi đua - Khen thưởng tỉnh',
        kinhGui: [],
        body: [
          'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH',
          'Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;',
          'Căn cứ Luật Thi đua, khen thưởng năm 2022;',
          'Theo đề nghị của Giám đốc Sở Nội vụ.',
          'QUYẾT ĐỊNH:',
          'Điều 1. Kiện toàn Hội đồng Thi đua - Khen thưởng tỉnh Bắc Ninh (danh sách kèm theo).',
          'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
          'Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ và các thành viên có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.',
        ],
        recipients: ['Như Điều 3;', 'Lưu: VT, KT.'],
      }),
      thienTai: draft({
        typeName: 'Công văn',
        notation: cvNotation('UBND', 'KT'),
        subject: `V/v tăng cường công tác phòng, chống thiên tai cuối năm ${y}`,
        kinhGui: ['Các sở, ban, ngành tỉnh;', 'Ủy ban nhân dân các xã, phường.'],
        body: ['Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành và Ủy ban nhân dân các xã, phường chủ động phương án phòng, chống thiên tai, bảo đảm an toàn cho người dân trong những tháng cuối năm.'],
        recipients: ['Như trên;', 'Lưu: VT, KT.'],
        urgency: 'KHAN',
      }),
      duToan: {
        issuer: provinceIssuer('stc'),
        typeName: 'Công văn',
        number: null,
        notation: cvNotation('STC', 'NS'),
        date: today,
        subject: `V/v bổ sung dự toán kinh phí năm ${y}`,
        kinhGui: ['Ủy ban nhân dân tỉnh Bắc Ninh.'],
        body: [`Sở Tài chính kính đề nghị Ủy ban nhân dân tỉnh xem xét bổ sung dự toán kinh phí năm ${y} cho các đơn vị sau sắp xếp tổ chức bộ máy.`],
        recipients: ['Như trên;', 'Lưu: VT, NS.'],
        signer: signer('SO', 'Phó Giám đốc', names['stc.lanhdao']),
        urgency: 'THUONG',
      },
    },
  };
}
