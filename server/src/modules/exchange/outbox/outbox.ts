/**
 * The outbox (DESIGN.md): rows written in the transaction that causes a message — issuing a document, a
 * receiver's move on an incoming record — with the dispatch job queued in that same transaction. Nothing is
 * built or sent here: the dispatcher does that after commit, outside any transaction.
 */
import type { Services } from '../../../services';
import type { Tx } from '../../../shared/scope';
import { badInput, notFound } from '../../../shared/errors';
import { Agency } from '../../identity/entities/agency.entity';
import { Document } from '../../documents/entities/document.entity';
import { Recipient } from '../../documents/entities/misc.entities';
import { EDXML_STATUS, edxmlCodeForIncoming, isSecret, type EdxmlStatusCode, type IncomingState, type Secrecy } from '../../documents/domain';
import { decideStatus } from '../inbox/mapping';

const PROGRESS_CODES: ReadonlySet<string> = new Set(['01', '02', '03', '04', '05', '06']);
import { publishDocumentChange } from '../../documents/realtime';
import type { EdxmlBusiness, EdxmlResponseFor } from '../edxml';
import { ExchangeInbox, ExchangeOutbox } from '../exchange.entities';
import { dispatchJob } from '../exchange.jobs';
import type { ExchangeRoute, PeerDirectory } from '../transport';
import { edxmlDocumentIdOf, responseForOf } from './package';
import { enqueueMany } from './enqueue-many';
import { newId } from '../../../shared/ids';
import { FANOUT_BATCH_MAX, FANOUT_BATCH_MIN, rawExecute } from './bulk';
import type { AuditInput } from '../../../shared/scope';

export { FANOUT_BATCH_MAX, FANOUT_BATCH_MIN } from './bulk';

/** Note on a recipient agency that is not sent electronically because the document is secret. */
export const SECRET_NOT_DELIVERED_NOTE = 'Văn bản mật: không gửi qua hệ thống (QĐ 28/2018/QĐ-TTg), gửi bản giấy theo quy định.';
/** Note on a recipient agency that has left the deployment since the draft was written. */
export const INACTIVE_AGENCY_NOTE = 'Cơ quan nhận đã ngừng sử dụng hệ thống: không gửi được văn bản điện tử, gửi bản giấy.';
/** Note on a recipient of a document without number / symbol / date (no edXML DocumentId). */
export const NO_IDENTITY_NOTE = 'Văn bản chưa có số, ký hiệu và ngày ban hành: không gửi điện tử được, gửi bản giấy.';
/** Note on a recipient agency that no deployment we know serves. */
export const UNROUTABLE_NOTE = 'Cơ quan nhận không có trong danh bạ liên thông: không gửi được văn bản điện tử, gửi bản giấy.';

export interface QueueDocumentInput {
  /** The Recipient row (of an outgoing document, or of an incoming one being forwarded). */
  recipientId: string;
  /** BussinessDocType: 0 new, 1 revoke, 2 update, 3 replace. */
  businessType: 0 | 1 | 2 | 3;
  /** The document whose header and files are sent (default: the Recipient's document; e.g. the replacing one). */
  documentId?: string;
  /** The Bussiness block (types 1–3: target DocumentId, reason, ReplacementInfoList…); default: "new". */
  business?: EdxmlBusiness;
  /** Free data kept on the outbox row for the sender's own appliers. */
  data?: Record<string, unknown>;
  /** MessageHeader extras: DueDate (YYYY-MM-DD: the receiver's hạn xử lý) and Content (e.g. phiếu chuyển text). */
  header?: { dueDate?: string | null; content?: string | null };
}

export type QueueStatusInput =
  | {
      /** A receiver's status about an incoming record received through the exchange (01–06, 02, 15, 16). */
      incomingDocumentId: string;
      code: EdxmlStatusCode;
      /** Description: the reason (02, 16), "Số đến: N" (03)… Defaults to the code's standard text. */
      note?: string | null;
    }
  | {
      /** A sender's status to one recipient of its document (13: lấy lại). */
      recipientId: string;
      code: EdxmlStatusCode;
      note?: string | null;
    };

export interface DeliveryOutcome {
  /** Recipients for which a message was queued. */
  queued: { recipientId: string; recipientCode: string; outboxId: string }[];
  /** Recipient agencies not sent electronically (secret document, inactive agency, unknown route), with the reason. */
  skipped: { recipientId: string; agencyId: string | null; note: string }[];
  /** External recipients (by name): recorded in the register only. */
  external: number;
}

/** Latest earlier outbox row of the same (DocumentId, sender, recipient): a message never overtakes it. */
async function previousRow(tx: Tx, edxmlDocumentId: string, senderCode: string, recipientCode: string): Promise<ExchangeOutbox | null> {
  return tx.em.findOne(ExchangeOutbox, { edxmlDocumentId, senderCode, recipientCode }, { orderBy: { createdAt: 'desc', id: 'desc' } });
}

/** One STATUS message to write. */
interface StatusSpec {
  senderCode: string;
  recipientCode: string;
  peerId: string | null;
  edxmlDocumentId: string;
  about: EdxmlResponseFor;
  code: EdxmlStatusCode;
  note: string | null;
  document: Document | null;
  agencyId: string | null;
  inboxId?: string;
  organName?: string;
}

export class Outbox {
  constructor(
    private readonly services: Services,
    private readonly directory: () => PeerDirectory | null,
  ) {}

  /**
   * In the issuing transaction: one DOCUMENT message (business type 0) per recipient agency. Secret documents
   * are never sent electronically (QĐ 28/2018): the recipient row gets a note instead; so do agencies that left
   * the deployment and agencies no known deployment serves. External recipients (by name) only count.
   *
   * Set-based (issue 13 benchmark: one document to 1,000 agencies): the recipients are read once, the outbox rows
   * written by ONE `INSERT … SELECT FROM jsonb_to_recordset`, the Recipient rows updated in one flush (batched),
   * one audit event per row, and the jobs bulk-inserted: from `FANOUT_BATCH_MIN` local recipients on, ONE
   * `exchange.dispatch {outboxIds}` job sends them as one batch (one package, one inbox transaction).
   */
  async queueIssued(tx: Tx, doc: Document, now: Date): Promise<DeliveryOutcome> {
    const em = tx.em;
    await em.flush();
    const recipients = await em.find(Recipient, { document: doc.id }, { populate: ['agency'], orderBy: { id: 'asc' } });
    const owner = await em.findOneOrFail(Document, { id: doc.id }, { populate: ['agency'] });
    const sender = owner.agency;
    const out: DeliveryOutcome = { queued: [], skipped: [], external: 0 };
    const skip = (r: Recipient, note: string) => {
      r.status = null;
      r.statusCode = null;
      r.statusAt = now;
      r.note = note;
      r.transportState = null;
      out.skipped.push({ recipientId: r.id, agencyId: r.agency?.id ?? null, note });
    };
    const secret = isSecret(doc.secrecy as Secrecy);
    const edxmlDocumentId = edxmlDocumentIdOf(sender.code, doc);
    const byCodeOnly = [...new Set(recipients.filter((r) => !r.agency && r.agencyCode).map((r) => r.agencyCode!))];
    const localByCode = new Map((byCodeOnly.length ? await em.find(Agency, { code: { $in: byCodeOnly } }) : []).map((a) => [a.code, a]));
    const plans: { r: Recipient; code: string; peerId: string | null }[] = [];
    for (const r of recipients) {
      if (!r.agency && !r.agencyCode) {
        out.external++;
        r.status = null;
        r.statusCode = null;
        r.statusAt = now;
        continue;
      }
      if (secret) {
        skip(r, SECRET_NOT_DELIVERED_NOTE);
        continue;
      }
      let peerId: string | null = null;
      let code: string;
      if (r.agency) {
        if (!r.agency.active) {
          skip(r, INACTIVE_AGENCY_NOTE);
          continue;
        }
        code = r.agency.code;
      } else {
        code = r.agencyCode!;
        const local = localByCode.get(code);
        if (local) {
          if (!local.active) {
            skip(r, INACTIVE_AGENCY_NOTE);
            continue;
          }
        } else {
          const route = await this.directory()?.route(code, em);
          if (!route) {
            skip(r, UNROUTABLE_NOTE);
            continue;
          }
          peerId = route.peerId;
        }
      }
      if (!edxmlDocumentId) {
        skip(r, NO_IDENTITY_NOTE);
        continue;
      }
      plans.push({ r, code, peerId });
    }
    if (!plans.length || !edxmlDocumentId) {
      await em.flush();
      return out;
    }
    // Order per pair and the sequence of a repeated "new" (a re-issue): read once for every recipient code.
    const codes = [...new Set(plans.map((p) => p.code))];
    const latest = new Map(
      (
        await rawExecute<{ recipient_code: string; id: string }>(em,
          `select distinct on (recipient_code) recipient_code, id from exchange_outbox
            where edxml_document_id = ? and sender_code = ? and recipient_code = any(array(select jsonb_array_elements_text(?::jsonb)))
            order by recipient_code, created_at desc, id desc`,
          [edxmlDocumentId, sender.code, JSON.stringify(codes)],
        )
      ).map((x) => [x.recipient_code, x.id]),
    );
    const earlier = new Map(
      (
        await rawExecute<{ recipient_code: string; n: number }>(em,
          `select recipient_code, count(*)::int as n from exchange_outbox
            where kind = 'DOCUMENT' and business_type = 0 and edxml_document_id = ? and sender_code = ? and recipient_code = any(array(select jsonb_array_elements_text(?::jsonb)))
            group by recipient_code`,
          [edxmlDocumentId, sender.code, JSON.stringify(codes)],
        )
      ).map((x) => [x.recipient_code, Number(x.n)]),
    );
    const rows = plans.map((p) => {
      const id = newId();
      const row = { id, recipient_code: p.code, peer_id: p.peerId, recipient_id: p.r.id, dedup_seq: earlier.get(p.code) ?? 0, depends_on: latest.get(p.code) ?? null };
      latest.set(p.code, id);
      earlier.set(p.code, row.dedup_seq + 1);
      return row;
    });
    await rawExecute(em,
      `insert into exchange_outbox (id, kind, business_type, edxml_document_id, sender_code, recipient_code, peer_id, document_id, recipient_id, dedup_seq, depends_on, state, attempts, next_attempt_at, created_at)
       select x.id, 'DOCUMENT', 0, ?, ?, x.recipient_code, x.peer_id, ?, x.recipient_id, x.dedup_seq, x.depends_on, 'QUEUED', 0, ?, ?
         from jsonb_to_recordset(?::jsonb) as x(id uuid, recipient_code text, peer_id uuid, recipient_id uuid, dedup_seq int, depends_on uuid)`,
      [edxmlDocumentId, sender.code, doc.id, now, now, JSON.stringify(rows)],
    );
    const audits: AuditInput[] = [];
    plans.forEach((p, i) => {
      const row = rows[i];
      p.r.agencyCode ??= p.code;
      p.r.transportState = 'QUEUED';
      p.r.transportError = null;
      audits.push({
        action: 'exchange.queue',
        targetType: 'document',
        targetId: owner.id,
        agencyId: sender.id,
        data: { outboxId: row.id, kind: 'DOCUMENT', businessType: 0, recipientId: p.r.id, recipientCode: p.code, peerId: p.peerId, edxmlDocumentId, sentDocumentId: doc.id },
      });
      out.queued.push({ recipientId: p.r.id, recipientCode: p.code, outboxId: row.id });
    });
    await tx.auditMany(audits);
    await this.enqueueDispatch(tx, rows.map((r) => ({ id: r.id, local: r.peer_id === null })));
    await em.flush();
    return out;
  }

  /**
   * The dispatch jobs of freshly written rows: a fan-out (at least `FANOUT_BATCH_MIN` local rows) as batch jobs
   * of up to `FANOUT_BATCH_MAX` rows; the others one job per row (bulk-inserted in one statement).
   */
  async enqueueDispatch(tx: Tx, rows: readonly { id: string; local: boolean }[]): Promise<void> {
    const local = rows.filter((r) => r.local).map((r) => r.id);
    const batched = local.length >= FANOUT_BATCH_MIN ? new Set(local) : new Set<string>();
    const jobs: ({ outboxId: string } | { outboxIds: string[] })[] = rows.filter((r) => !batched.has(r.id)).map((r) => ({ outboxId: r.id }));
    const ids = [...batched];
    for (let i = 0; i < ids.length; i += FANOUT_BATCH_MAX) jobs.push({ outboxIds: ids.slice(i, i + FANOUT_BATCH_MAX) });
    await enqueueMany(tx, dispatchJob, jobs);
  }

  /**
   * Queues a DOCUMENT message to one Recipient row (of an outgoing OR an incoming document). Returns null when
   * the recipient is not reachable electronically (the reason is written on the Recipient's note).
   */
  async queueDocument(tx: Tx, input: QueueDocumentInput, preloaded?: { recipient?: Recipient; document?: Document; now?: Date }): Promise<ExchangeOutbox | null> {
    const em = tx.em;
    const now = preloaded?.now ?? this.services.clock.now();
    const r = preloaded?.recipient ?? (await em.findOne(Recipient, { id: input.recipientId }, { populate: ['agency', 'document', 'document.agency'] }));
    if (!r) throw notFound('Không tìm thấy nơi nhận.');
    const owner = await em.findOneOrFail(Document, { id: r.document.id }, { populate: ['agency'] });
    const doc = preloaded?.document ?? (input.documentId ? await em.findOneOrFail(Document, { id: input.documentId }, { populate: ['agency'] }) : owner);
    const sender = owner.agency;
    const skip = (note: string) => {
      r.status = null;
      r.statusCode = null;
      r.statusAt = now;
      r.note = note;
      r.transportState = null;
      return null;
    };
    if (isSecret(doc.secrecy as Secrecy)) return skip(SECRET_NOT_DELIVERED_NOTE);
    let peerId: string | null = null;
    let code: string;
    if (r.agency) {
      if (!r.agency.active) return skip(INACTIVE_AGENCY_NOTE);
      code = r.agency.code;
    } else if (r.agencyCode) {
      code = r.agencyCode;
      const local = await em.findOne(Agency, { code });
      if (local) {
        if (!local.active) return skip(INACTIVE_AGENCY_NOTE);
      } else {
        const route = await this.directory()?.route(code, tx.em);
        if (!route) return skip(UNROUTABLE_NOTE);
        peerId = route.peerId;
      }
    } else {
      throw badInput('Nơi nhận này không phải cơ quan trong danh bạ liên thông: không gửi điện tử được.', 'recipientId');
    }
    const business = input.business;
    const edxmlDocumentId = business?.documentId && input.businessType !== 0 ? business.documentId : edxmlDocumentIdOf(sender.code, doc);
    // Without number, symbol and date a document has no edXML DocumentId: it cannot be sent electronically.
    if (!edxmlDocumentId) return skip(NO_IDENTITY_NOTE);
    await em.flush();
    const prev = await previousRow(tx, edxmlDocumentId, sender.code, code);
    // A second update (type 2) of the same document to the same recipient is a new message, not a duplicate.
    const earlier = await em.count(ExchangeOutbox, { kind: 'DOCUMENT', edxmlDocumentId, senderCode: sender.code, recipientCode: code, businessType: input.businessType });
    const row = em.create(ExchangeOutbox, {
      kind: 'DOCUMENT',
      businessType: input.businessType,
      description: business?.businessDocReason ?? null,
      edxmlDocumentId,
      senderCode: sender.code,
      recipientCode: code,
      peerId,
      document: doc,
      recipient: r,
      dedupSeq: earlier,
      dependsOn: prev?.id ?? null,
      data: business || input.data || input.header ? { ...(input.data ?? {}), ...(business ? { business } : {}), ...(input.header ? { header: input.header } : {}) } : null,
      state: 'QUEUED',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    });
    r.agencyCode ??= code;
    r.transportState = 'QUEUED';
    r.transportError = null;
    tx.audit({
      action: 'exchange.queue',
      targetType: 'document',
      targetId: owner.id,
      agencyId: sender.id,
      data: { outboxId: row.id, kind: 'DOCUMENT', businessType: input.businessType, recipientId: r.id, recipientCode: code, peerId, edxmlDocumentId, sentDocumentId: doc.id },
    });
    await tx.enqueue(dispatchJob, { outboxId: row.id });
    return row;
  }

  /** Queues a STATUS message (see QueueStatusInput). Returns null when the record did not come through the exchange. */
  async queueStatus(tx: Tx, input: QueueStatusInput): Promise<ExchangeOutbox | null> {
    const em = tx.em;
    if ('incomingDocumentId' in input) {
      const inbox = await em.findOne(ExchangeInbox, { appliedDocument: input.incomingDocumentId, kind: 'DOCUMENT' }, { orderBy: { receivedAt: 'asc' } });
      if (!inbox) return null;
      const doc = await em.findOneOrFail(Document, { id: input.incomingDocumentId }, { populate: ['agency'] });
      const row = await this.queueStatusFor(tx, inbox, input.code, input.note ?? null, doc);
      // Only the progress track (01–06, 02) moves the last code; 13/15/16 are a separate recall track.
      if (PROGRESS_CODES.has(input.code)) inbox.lastStatusCode = input.code;
      return row;
    }
    const r = await em.findOne(Recipient, { id: input.recipientId }, { populate: ['agency', 'document', 'document.agency'] });
    if (!r) throw notFound('Không tìm thấy nơi nhận.');
    const sent = await em.findOne(ExchangeOutbox, { recipient: r.id, kind: 'DOCUMENT' }, { orderBy: { createdAt: 'asc' } });
    if (!sent) return null;
    const doc = r.document;
    return this.insertStatus(tx, {
      senderCode: sent.senderCode,
      recipientCode: sent.recipientCode,
      peerId: sent.peerId ?? null,
      edxmlDocumentId: sent.edxmlDocumentId,
      about: responseForOf(doc.agency.code, doc),
      code: input.code,
      note: input.note ?? null,
      document: doc,
      agencyId: doc.agency.id,
    });
  }

  /** A receiver's status about a received DOCUMENT inbox row (also for one refused at receipt: 02, no record). */
  async queueStatusFor(tx: Tx, inbox: ExchangeInbox, code: EdxmlStatusCode, note: string | null, doc: Document | null): Promise<ExchangeOutbox> {
    return (await this.queueStatusesFor(tx, [{ inbox, code, note, doc }]))[0];
  }

  /**
   * `queueStatusFor` for many inbox rows at once (a fan-out's 01s): the agencies and the order of each pair are
   * read in one query each, the rows written in one flush, their dispatch jobs bulk-inserted.
   */
  async queueStatusesFor(
    tx: Tx,
    items: readonly { inbox: ExchangeInbox; code: EdxmlStatusCode; note: string | null; doc: Document | null }[],
    /** Batch callers: the agencies of every sender and recipient code, already read; the unit of work just flushed. */
    known?: { agencies: ReadonlyMap<string, Agency>; flushed: true },
  ): Promise<ExchangeOutbox[]> {
    if (!items.length) return [];
    const codes = [...new Set(items.flatMap((i) => [i.inbox.recipientCode, i.inbox.senderCode]))];
    const agencies = known?.agencies ?? new Map((await tx.em.find(Agency, { code: { $in: codes } })).map((a) => [a.code, a]));
    const routes = new Map<string, ExchangeRoute | null>();
    const specs: StatusSpec[] = [];
    for (const { inbox, code, note, doc } of items) {
      const ours = agencies.get(inbox.recipientCode) ?? null;
      const value = inbox.value as { header?: { from?: { organId?: string }; code?: { codeNumber?: string; codeNotation?: string }; promulgationInfo?: { promulgationDate?: string } } };
      const h = value.header ?? {};
      const about: EdxmlResponseFor = { organId: h.from?.organId ?? inbox.senderCode, documentId: inbox.edxmlDocumentId };
      if (h.code?.codeNumber && h.code.codeNotation) about.code = `${h.code.codeNumber}/${h.code.codeNotation}`;
      if (h.promulgationInfo?.promulgationDate) about.promulgationDate = h.promulgationInfo.promulgationDate;
      let peerId = inbox.peerId ?? null;
      if (!agencies.has(inbox.senderCode)) {
        if (!routes.has(inbox.senderCode)) routes.set(inbox.senderCode, (await this.directory()?.route(inbox.senderCode, tx.em)) ?? null);
        const route = routes.get(inbox.senderCode);
        if (route) peerId = route.peerId;
      } else peerId = null;
      specs.push({
        senderCode: inbox.recipientCode,
        recipientCode: inbox.senderCode,
        peerId,
        edxmlDocumentId: inbox.edxmlDocumentId,
        about,
        code,
        note,
        document: doc,
        agencyId: ours?.id ?? null,
        inboxId: inbox.id,
        organName: ours?.name,
      });
    }
    return this.insertStatuses(tx, specs, known?.flushed ?? false);
  }

  private async insertStatus(tx: Tx, s: StatusSpec): Promise<ExchangeOutbox> {
    return (await this.insertStatuses(tx, [s]))[0];
  }

  /** STATUS rows (one per spec): each after the latest earlier row of its pair, with its per-code sequence. */
  private async insertStatuses(tx: Tx, specs: readonly StatusSpec[], flushed = false): Promise<ExchangeOutbox[]> {
    const em = tx.em;
    const now = this.services.clock.now();
    // The order of each pair is read from the table: rows of this transaction must be in it.
    if (!flushed) await em.flush();
    const triples = [...new Map(specs.map((s) => [`${s.edxmlDocumentId}\u0000${s.senderCode}\u0000${s.recipientCode}`, { d: s.edxmlDocumentId, s: s.senderCode, r: s.recipientCode }])).values()];
    const pairKey = (d: string, sc: string, rc: string) => `${d}\u0000${sc}\u0000${rc}`;
    const latest = new Map(
      (
        await rawExecute<{ d: string; s: string; r: string; id: string }>(em,
          `select distinct on (o.edxml_document_id, o.sender_code, o.recipient_code) o.edxml_document_id as d, o.sender_code as s, o.recipient_code as r, o.id
             from exchange_outbox o join jsonb_to_recordset(?::jsonb) as x(d text, s text, r text) on o.edxml_document_id = x.d and o.sender_code = x.s and o.recipient_code = x.r
            order by o.edxml_document_id, o.sender_code, o.recipient_code, o.created_at desc, o.id desc`,
          [JSON.stringify(triples)],
        )
      ).map((x) => [pairKey(x.d, x.s, x.r), x.id]),
    );
    const counts = new Map(
      (
        await rawExecute<{ d: string; s: string; r: string; c: string; n: number }>(em,
          `select o.edxml_document_id as d, o.sender_code as s, o.recipient_code as r, o.status_code as c, count(*)::int as n
             from exchange_outbox o join jsonb_to_recordset(?::jsonb) as x(d text, s text, r text) on o.edxml_document_id = x.d and o.sender_code = x.s and o.recipient_code = x.r
            where o.kind = 'STATUS' group by 1, 2, 3, 4`,
          [JSON.stringify(triples)],
        )
      ).map((x) => [`${pairKey(x.d, x.s, x.r)}\u0000${x.c}`, Number(x.n)]),
    );
    const audits: AuditInput[] = [];
    // Many rows (a fan-out's 01s): one INSERT from a record set instead of one ORM entity each.
    const bulk: Record<string, unknown>[] | null = specs.length >= FANOUT_BATCH_MIN ? [] : null;
    const rows = specs.map((s) => {
      const pk = pairKey(s.edxmlDocumentId, s.senderCode, s.recipientCode);
      const ck = `${pk}\u0000${s.code}`;
      const same = counts.get(ck) ?? 0;
      const description = s.note?.trim() || EDXML_STATUS[s.code].description;
      const values = {
        kind: 'STATUS' as const,
        statusCode: s.code,
        description,
        edxmlDocumentId: s.edxmlDocumentId,
        senderCode: s.senderCode,
        recipientCode: s.recipientCode,
        peerId: s.peerId,
        document: s.document,
        recipient: null,
        dedupSeq: same + 1,
        dependsOn: latest.get(pk) ?? null,
        data: { about: s.about, ...(s.organName ? { organName: s.organName } : {}), ...(s.inboxId ? { inboxId: s.inboxId } : {}) },
        state: 'QUEUED' as const,
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      };
      let row: ExchangeOutbox;
      if (bulk) {
        const id = newId();
        bulk.push({
          id,
          status_code: s.code,
          description,
          edxml_document_id: s.edxmlDocumentId,
          sender_code: s.senderCode,
          recipient_code: s.recipientCode,
          peer_id: s.peerId,
          document_id: s.document?.id ?? null,
          dedup_seq: values.dedupSeq,
          depends_on: values.dependsOn,
          data: values.data,
        });
        row = em.getReference(ExchangeOutbox, id);
      } else row = em.create(ExchangeOutbox, values);
      latest.set(pk, row.id);
      counts.set(ck, same + 1);
      audits.push({
        action: 'exchange.queue',
        targetType: 'document',
        targetId: s.document?.id ?? null,
        agencyId: s.agencyId,
        data: { outboxId: row.id, kind: 'STATUS', statusCode: s.code, description, recipientCode: s.recipientCode, peerId: s.peerId, edxmlDocumentId: s.edxmlDocumentId, inboxId: s.inboxId ?? null },
      });
      return row;
    });
    if (bulk) {
      await rawExecute(em,
        `insert into exchange_outbox (id, kind, status_code, description, edxml_document_id, sender_code, recipient_code, peer_id, document_id, dedup_seq, depends_on, data, state, attempts, next_attempt_at, created_at)
         select x.id, 'STATUS', x.status_code, x.description, x.edxml_document_id, x.sender_code, x.recipient_code, x.peer_id, x.document_id, x.dedup_seq, x.depends_on, x.data, 'QUEUED', 0, ?, ?
           from jsonb_to_recordset(?::jsonb) as x(id uuid, status_code text, description text, edxml_document_id text, sender_code text, recipient_code text, peer_id uuid, document_id uuid, dedup_seq int, depends_on uuid, data jsonb)`,
        [now, now, JSON.stringify(bulk)],
      );
    }
    await tx.auditMany(audits);
    await this.enqueueDispatch(tx, specs.map((s, i) => ({ id: rows[i].id, local: s.peerId === null })));
    return rows;
  }

  /**
   * After a transition of an incoming record received through the exchange: queue the status the sender must
   * see (01 … 06, 02 with the reason, "Số đến: N" with 03). Codes only move forward; an unchanged code sends
   * nothing. `viaExchange` false: the record did not come through the exchange (paper, or delivered before it).
   */
  async incomingChanged(tx: Tx, doc: Document): Promise<{ viaExchange: boolean; status: ExchangeOutbox | null }> {
    if (doc.direction !== 'INCOMING') return { viaExchange: false, status: null };
    const inbox = await tx.em.findOne(ExchangeInbox, { appliedDocument: doc.id, kind: 'DOCUMENT' }, { orderBy: { receivedAt: 'asc' } });
    if (!inbox) return { viaExchange: false, status: null };
    const code = edxmlCodeForIncoming(doc.state as IncomingState);
    const last = inbox.lastStatusCode ?? null;
    if (code === last || decideStatus(last, code) !== 'APPLY') return { viaExchange: true, status: null };
    const note = code === '02' ? (doc.returnReason ?? EDXML_STATUS['02'].description) : code === '03' && doc.incomingNumber != null ? `Số đến: ${doc.incomingNumber}` : null;
    const row = await this.queueStatusFor(tx, inbox, code, note, doc);
    inbox.lastStatusCode = code;
    publishDocumentChange(tx, this.services, doc);
    return { viaExchange: true, status: row };
  }
}
