/**
 * Văn bản đi over GraphQL HTTP, end to end across agencies: the chuyên viên uploads the draft (multipart),
 * the chain approves and signs, the văn thư issues; Sở Nội vụ and Sở Tài chính receive it at once; their văn
 * thư register / refuse it and the sender follows each recipient's status (edXML 01 → 03 → 04, 02 with the reason).
 * Delivery goes through the exchange (outbox → local transport → inbox), run by the server's job workers;
 * `settleExchange` waits until nothing is pending.
 */
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { Notification, Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { gql, loginToken } from '../support/gql';
import { settleExchange } from '../support/exchange';
import { LocalDays } from '../support/local-days';
import { startTestServer, type TestServer } from '../support/server';
import { atServer, gqlUpload, sha256, uniquePdf } from './documents-incoming-helpers';

let s: TestServer;
const tokens: Record<string, string> = {};
const agencies: Record<string, Agency> = {};
const em = () => s.runtime.rt.orm.em.fork();

const DOC_FIELDS = `id status number symbol registerKey registerYear issuedDate typeCode typeName subject urgency electronic
  signerName signerTitle allowedActions externalRecipients
  files { kind version fileName contentType url }
  recipients { name status statusCode note agencyCode transportState transportError agency { code } }
  comments { kind text author { username } }`;

type Doc = {
  id: string;
  status: string;
  number: number | null;
  symbol: string | null;
  registerKey: string | null;
  issuedDate: string | null;
  typeCode: string | null;
  typeName: string;
  subject: string;
  electronic: boolean;
  signerName: string | null;
  allowedActions: string[];
  externalRecipients: string[];
  files: { kind: string; version: number; fileName: string; contentType: string; url: string }[];
  recipients: { name: string; status: string | null; statusCode: string | null; note: string | null; agencyCode: string | null; transportState: string | null; transportError: string | null; agency: { code: string } | null }[];
  comments: { kind: string; text: string; author: { username: string } }[];
};

async function call<T = Record<string, Doc>>(user: string, query: string, variables: Record<string, unknown> = {}) {
  return gql<T>(s.url, query, variables, { token: tokens[user] });
}
async function ok<T = Record<string, Doc>>(user: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await call<T>(user, query, variables);
  if (r.errors?.length) throw new Error(`${user}: ${JSON.stringify(r.errors)}`);
  return r.data!;
}

const M = {
  submit: `mutation($id: ID!, $c: String) { submitForApproval(documentId: $id, comment: $c) { ${DOC_FIELDS} } }`,
  approve: `mutation($id: ID!, $c: String) { approve(documentId: $id, comment: $c) { ${DOC_FIELDS} } }`,
  reject: `mutation($id: ID!, $r: String!) { reject(documentId: $id, reason: $r) { ${DOC_FIELDS} } }`,
  sign: `mutation($id: ID!) { sign(documentId: $id) { ${DOC_FIELDS} } }`,
  issue: `mutation($id: ID!, $k: String) { issue(documentId: $id, idempotencyKey: $k) { ${DOC_FIELDS} } }`,
  comment: `mutation($id: ID!, $t: String!) { commentOnDocument(documentId: $id, text: $t) { ${DOC_FIELDS} } }`,
  update: `mutation($id: ID!, $input: UpdateDraftInput!) { updateDraft(documentId: $id, input: $input) { ${DOC_FIELDS} } }`,
  document: `query($id: ID!) { document(id: $id) { ${DOC_FIELDS} } }`,
  create: `mutation($input: CreateDraftInput!) { createDraft(input: $input) { ${DOC_FIELDS} } }`,
};

beforeAll(async () => {
  s = await startTestServer();
  for (const u of ['chuyenvien', 'truongphong', 'lanhdao', 'vanthu', 'snv.vanthu', 'snv.chuyenvien', 'snv.lanhdao', 'stc.vanthu', 'stc.lanhdao']) {
    tokens[u] = await loginToken(s.url, u);
  }
  for (const [k, code] of Object.entries({ ubnd: '000.00.00.H27', snv: '000.00.02.H27', stc: '000.00.03.H27' })) {
    agencies[k] = await em().findOneOrFail(Agency, { code });
  }
});
afterAll(async () => s?.stop());

describe('văn bản đi over GraphQL, delivered inside the deployment', () => {
  let outgoingId = '';
  const pdf = uniquePdf();
  let snvIncomingId = '';
  let stcIncomingId = '';

  it('drafts with a multipart upload, goes through the chain and is issued as 01/KH-UBND', async () => {
    const created = await gqlUpload<{ createDraft: Doc }>(
      s.url,
      M.create,
      {
        input: {
          typeCode: 'KH',
          subject: 'Kế hoạch chuyển đổi số năm 2026',
          urgency: 'THUONG_KHAN',
          recipientAgencyIds: [agencies.snv.id, agencies.stc.id],
          externalRecipients: ['Bộ Thông tin và Truyền thông'],
          files: [null],
        },
      },
      [{ path: 'variables.input.files.0', name: 'Dự thảo kế hoạch.pdf', bytes: pdf, type: 'application/pdf' }],
      tokens.chuyenvien,
    );
    expect(created.errors).toBeUndefined();
    const draft = created.data!.createDraft;
    outgoingId = draft.id;
    expect(draft).toMatchObject({ status: 'DRAFT', typeCode: 'KH', typeName: 'Kế hoạch', number: null, symbol: null, externalRecipients: ['Bộ Thông tin và Truyền thông'] });
    expect(draft.files).toEqual([expect.objectContaining({ kind: 'DRAFT', version: 1, fileName: 'Dự thảo kế hoạch.pdf', contentType: 'application/pdf' })]);
    expect(draft.allowedActions.sort()).toEqual(['COMMENT', 'SUBMIT', 'UPDATE_DRAFT']);
    expect(draft.recipients.map((r) => [r.agency?.code ?? null, r.status])).toEqual(
      expect.arrayContaining([
        ['000.00.02.H27', null],
        ['000.00.03.H27', null],
        [null, null],
      ]),
    );

    // Wrong people, over HTTP: typed errors with the Vietnamese reason.
    const early = await call('truongphong', M.approve, { id: outgoingId });
    expect(early.errors![0].extensions!.code).toBe('NOT_FOUND');
    await ok('chuyenvien', M.submit, { id: outgoingId, c: 'Kính trình' });
    const cv = await call('chuyenvien', M.approve, { id: outgoingId });
    expect(cv.errors![0]).toMatchObject({ message: 'Dự thảo không chờ bạn duyệt.', extensions: { code: 'FORBIDDEN' } });
    const outOfOrder = await call('lanhdao', M.approve, { id: outgoingId });
    expect(outOfOrder.errors![0]).toMatchObject({ message: 'Dự thảo không chờ bạn duyệt.', extensions: { code: 'FORBIDDEN' } });
    const foreign = await call('snv.lanhdao', M.approve, { id: outgoingId });
    expect(foreign.errors![0].extensions!.code).toBe('NOT_FOUND');

    const tpView = await ok('truongphong', M.document, { id: outgoingId });
    expect(tpView.document.allowedActions.sort()).toEqual(['APPROVE', 'COMMENT', 'REJECT', 'UPDATE_DRAFT']);
    await ok('truongphong', M.comment, { id: outgoingId, t: 'Đề nghị bổ sung lộ trình' });
    await ok('truongphong', M.approve, { id: outgoingId, c: 'Đồng ý' });
    const approved = (await ok('lanhdao', M.approve, { id: outgoingId })).approve;
    expect(approved.status).toBe('APPROVED');
    const early2 = await call('vanthu', M.issue, { id: outgoingId });
    expect(early2.errors![0]).toMatchObject({ message: 'Văn bản chưa được ký.', extensions: { code: 'CONFLICT' } });
    const signed = (await ok('lanhdao', M.sign, { id: outgoingId })).sign;
    expect(signed).toMatchObject({ status: 'SIGNED', signerName: 'Phạm Quốc Hùng' });
    const cvIssue = await call('chuyenvien', M.issue, { id: outgoingId });
    expect(cvIssue.errors![0]).toMatchObject({ message: 'Chỉ văn thư mới được phát hành văn bản.', extensions: { code: 'FORBIDDEN' } });

    const issuing = new LocalDays();
    const issued = (await ok('vanthu', M.issue, { id: outgoingId, k: 'phat-hanh-kh-cds' })).issue;
    expect(issued).toMatchObject({ status: 'ISSUED', number: 1, symbol: '01/KH-UBND', registerKey: 'OUTGOING', issuedDate: issuing.date() });
    expect(issued.allowedActions).toContain('MAKE_COPY'); // sao y / trích sao by the văn thư (and the exchange actions, issue 13)
    // the upload, the leader's signed version, and the bản gốc (numbered, dated, with the agency's signature)
    expect(issued.files.map((f) => [f.kind, f.version]).sort()).toEqual([
      ['DRAFT', 1],
      ['DRAFT', 2],
      ['MAIN', 1],
    ]);
    expect(issued.comments.map((c) => [c.kind, c.author.username])).toEqual([
      ['COMMENT', 'chuyenvien'],
      ['COMMENT', 'truongphong'],
      ['APPROVE', 'truongphong'],
      ['APPROVE', 'lanhdao'],
      ['SIGN', 'lanhdao'],
    ]);
    // Issued: one edXML package per recipient agency is queued in the issuing transaction (liên thông)...
    const queued = Object.fromEntries(issued.recipients.map((r) => [r.agency?.code ?? r.name, r]));
    for (const code of ['000.00.02.H27', '000.00.03.H27']) expect(['QUEUED', 'SENDING', 'DELIVERED']).toContain(queued[code].transportState);
    expect(queued['Bộ Thông tin và Truyền thông']).toMatchObject({ status: null, statusCode: null, transportState: null, agencyCode: null });
    // ...delivered by the exchange workers: the recipients' "chờ vào sổ" records answer 01.
    await settleExchange(s);
    const delivered = (await ok('vanthu', M.document, { id: outgoingId })).document;
    const byCode = Object.fromEntries(delivered.recipients.map((r) => [r.agency?.code ?? r.name, r]));
    expect(byCode['000.00.02.H27']).toMatchObject({ status: 'DELIVERED', statusCode: '01', transportState: 'DELIVERED', transportError: null, agencyCode: '000.00.02.H27' });
    expect(byCode['000.00.03.H27']).toMatchObject({ status: 'DELIVERED', statusCode: '01', transportState: 'DELIVERED', agencyCode: '000.00.03.H27' });
    expect(byCode['Bộ Thông tin và Truyền thông']).toMatchObject({ status: null, statusCode: null });

    // The retried request answers the same number.
    const retry = (await ok('vanthu', M.issue, { id: outgoingId, k: 'phat-hanh-kh-cds' })).issue;
    expect([retry.number, retry.symbol]).toEqual([1, '01/KH-UBND']);
  });

  it('the recipient văn thư sees a RECEIVED document with the same file, the same bytes', async () => {
    const rows = await em().find(Recipient, { document: outgoingId, agency: { $ne: null } }, { populate: ['agency'] });
    snvIncomingId = rows.find((r) => r.agency!.id === agencies.snv.id)!.deliveredDocument!.id;
    stcIncomingId = rows.find((r) => r.agency!.id === agencies.stc.id)!.deliveredDocument!.id;
    const r = await ok<{ document: Doc & { direction: string; issuer: { name: string; agency: { code: string } } } }>(
      'snv.vanthu',
      `query($id: ID!) { document(id: $id) { ${DOC_FIELDS} direction issuer { name agency { code } } } }`,
      { id: snvIncomingId },
    );
    expect(r.document).toMatchObject({
      direction: 'INCOMING',
      status: 'RECEIVED',
      electronic: true,
      symbol: '01/KH-UBND',
      number: 1,
      typeCode: 'KH',
      subject: 'Kế hoạch chuyển đổi số năm 2026',
      urgency: 'THUONG_KHAN',
      signerName: 'Phạm Quốc Hùng',
      issuer: { name: 'Ủy ban nhân dân tỉnh Bắc Ninh', agency: { code: '000.00.00.H27' } },
    });
    expect(r.document.allowedActions).toEqual(expect.arrayContaining(['REGISTER', 'REJECT']));
    expect(r.document.files).toHaveLength(1);
    // the sender's bản gốc, byte for byte: the signed, numbered PDF, not the drafter's upload
    expect(r.document.files[0]).toMatchObject({ kind: 'MAIN', fileName: '01-KH-UBND.pdf' });
    const body = Buffer.from(await (await fetch(atServer(s.url, r.document.files[0].url))).arrayBuffer());
    const original = await em().findOneOrFail(DocumentFile, { document: outgoingId, kind: 'MAIN' });
    expect(sha256(body)).toBe(original.sha256);
    expect(sha256(body)).not.toBe(sha256(pdf));
    const vanThu = await em().findOneOrFail(User, { username: 'snv.vanthu' });
    expect(await em().count(Notification, { user: vanThu.id, document: snvIncomingId, kind: 'DOCUMENT_ARRIVED' })).toBe(1);
    // Only the recipient's gatekeepers: its chuyên viên does not see it yet, nor does a third agency.
    expect((await call('snv.chuyenvien', M.document, { id: snvIncomingId })).errors![0].extensions!.code).toBe('NOT_FOUND');
    expect((await call('stc.vanthu', M.document, { id: snvIncomingId })).errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('a recipient agency sees the sender’s record as sent: issued files, delivery facts, no internal handling', async () => {
    type View = {
      document: {
        files: { kind: string; url: string }[];
        comments: { text: string }[];
        assignments: { id: string }[];
        watchers: { username: string }[];
        history: { action: string; actor: { username: string } | null }[];
        recipients: { agency: { code: string } | null }[];
      };
    };
    const q = `query($id: ID!) { document(id: $id) { files { kind url } comments { text } assignments { id } watchers { username }
      history { action actor { username } } recipients { agency { code } } } }`;
    const snv = (await ok<View>('snv.vanthu', q, { id: outgoingId })).document;
    expect(snv.files.map((f) => f.kind)).toEqual(['MAIN']);
    expect(snv.comments).toEqual([]);
    expect(snv.assignments).toEqual([]);
    expect(snv.watchers).toEqual([]);
    expect(snv.history.map((h) => h.action)).toContain('document.issue');
    // of the nơi nhận, its own row only (the other recipients' statuses and refusals are the sender's business)
    expect(snv.recipients.map((r) => r.agency?.code ?? null)).toEqual(['000.00.02.H27']);
    for (const h of snv.history) expect(['document.issue', 'document.deliver', 'document.recipient_status']).toContain(h.action);
    // The owning agency still sees the whole record.
    const own = (await ok<View>('vanthu', q, { id: outgoingId })).document;
    expect(own.files.map((f) => f.kind).sort()).toEqual(['DRAFT', 'DRAFT', 'MAIN']);
    expect(own.comments.length).toBeGreaterThan(0);
    expect(own.history.map((h) => h.action)).toEqual(expect.arrayContaining(['document.draft_create', 'document.issue']));
    // The download URL of a draft version is refused to the recipient, even asked for directly.
    const draft = await em().findOneOrFail(DocumentFile, { document: outgoingId, kind: 'DRAFT' });
    const asSnv = await s.runtime.as('snv.vanthu');
    await expect(s.runtime.rt.services.documents.fileUrl(asSnv, draft, 'ORIGINAL')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(s.runtime.rt.services.documents.fileUrl(await s.runtime.as('vanthu'), draft, 'ORIGINAL')).resolves.toEqual(expect.any(String));
  });

  it('registration at Sở Nội vụ reports 03 with its số đến; bút phê reports 04', async () => {
    const reg = await ok<{ registerIncoming: { incomingNumber: number; status: string } }>(
      'snv.vanthu',
      'mutation($input: RegisterIncomingInput!) { registerIncoming(input: $input) { incomingNumber status } }',
      { input: { documentId: snvIncomingId } },
    );
    expect(reg.registerIncoming.status).toBe('REGISTERED');
    const n = reg.registerIncoming.incomingNumber;
    expect(n).toBeGreaterThan(0);
    await settleExchange(s);
    const sender = (await ok('vanthu', M.document, { id: outgoingId })).document;
    expect(sender.recipients.find((r) => r.agency?.code === '000.00.02.H27')).toMatchObject({ status: 'RECEIVED', statusCode: '03', note: `Số đến: ${n}` });
    expect(sender.recipients.find((r) => r.agency?.code === '000.00.03.H27')).toMatchObject({ status: 'DELIVERED', statusCode: '01' });

    const leader = await em().findOneOrFail(User, { username: 'snv.lanhdao' });
    const handler = await em().findOneOrFail(User, { username: 'snv.chuyenvien' });
    await ok('snv.vanthu', 'mutation($id: ID!, $l: ID!) { submitForAnnotation(documentId: $id, leaderId: $l) { id } }', { id: snvIncomingId, l: leader.id });
    // Submitted: still 03 for the sender.
    const still = (await ok('vanthu', M.document, { id: outgoingId })).document;
    expect(still.recipients.find((r) => r.agency?.code === '000.00.02.H27')).toMatchObject({ statusCode: '03' });
    await ok('snv.lanhdao', 'mutation($id: ID!, $input: AnnotateInput!) { annotate(documentId: $id, input: $input) { id status } }', {
      id: snvIncomingId,
      input: { instruction: 'Giao Văn phòng Sở chủ trì', lead: { userId: handler.id } },
    });
    await settleExchange(s);
    const assigned = (await ok('chuyenvien', M.document, { id: outgoingId })).document;
    expect(assigned.recipients.find((r) => r.agency?.code === '000.00.02.H27')).toMatchObject({ status: 'ASSIGNED', statusCode: '04' });
  });

  it('a refusal at Sở Tài chính reports 02 with the reason and tells the sender', async () => {
    const r = await ok<{ rejectIncoming: { status: string } }>('stc.vanthu', 'mutation($id: ID!, $r: String!) { rejectIncoming(documentId: $id, reason: $r) { status } }', {
      id: stcIncomingId,
      r: 'Gửi nhầm cơ quan, không thuộc thẩm quyền',
    });
    expect(r.rejectIncoming.status).toBe('REJECTED');
    await settleExchange(s);
    const sender = (await ok('vanthu', M.document, { id: outgoingId })).document;
    expect(sender.recipients.find((x) => x.agency?.code === '000.00.03.H27')).toMatchObject({
      status: 'REJECTED',
      statusCode: '02',
      note: 'Gửi nhầm cơ quan, không thuộc thẩm quyền',
    });
    const vanThu = await em().findOneOrFail(User, { username: 'vanthu' });
    expect(await em().count(Notification, { user: vanThu.id, document: outgoingId, kind: 'DOCUMENT_REJECTED_BY_RECIPIENT' })).toBe(1);
    // The refused incoming record stays at STC; nothing else changed at the sender.
    expect((await em().findOneOrFail(Document, { id: outgoingId })).state).toBe('ISSUED');
  });

  it('updateDraft over multipart adds version 2; reject returns it with the reason', async () => {
    const created = (await ok('chuyenvien', M.create, { input: { typeName: 'Công văn', subject: 'V/v góp ý dự thảo', files: [] } })).createDraft;
    expect(created.files).toEqual([]);
    const up = await gqlUpload<{ updateDraft: Doc }>(s.url, M.update, { id: created.id, input: { files: [null] } }, [{ path: 'variables.input.files.0', name: 'cv-v1.pdf', bytes: uniquePdf(), type: 'application/pdf' }], tokens.chuyenvien);
    expect(up.errors).toBeUndefined();
    expect(up.data!.updateDraft.files.map((f) => [f.kind, f.version, f.fileName])).toEqual([['DRAFT', 1, 'cv-v1.pdf']]);
    const up2 = await gqlUpload<{ updateDraft: Doc }>(s.url, M.update, { id: created.id, input: { files: [null] } }, [{ path: 'variables.input.files.0', name: 'cv-v2.pdf', bytes: uniquePdf(), type: 'application/pdf' }], tokens.chuyenvien);
    expect(up2.data!.updateDraft.files.map((f) => [f.version, f.fileName]).sort()).toEqual([
      [1, 'cv-v1.pdf'],
      [2, 'cv-v2.pdf'],
    ]);
    await ok('chuyenvien', M.submit, { id: created.id });
    const noReason = await call('truongphong', M.reject, { id: created.id, r: ' ' });
    expect(noReason.errors![0]).toMatchObject({ message: 'Phải nêu lý do trả lại.', extensions: { code: 'BAD_USER_INPUT' } });
    const back = (await ok<{ reject: Doc & { returnReason: string } }>('truongphong', `mutation($id: ID!, $r: String!) { reject(documentId: $id, reason: $r) { status returnReason } }`, { id: created.id, r: 'Viết lại phần kiến nghị' })).reject;
    expect(back).toMatchObject({ status: 'RETURNED_TO_DRAFTER', returnReason: 'Viết lại phần kiến nghị' });
  });
});
