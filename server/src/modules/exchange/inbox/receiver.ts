/**
 * The receiving side of every transport (local, HTTP peers, file import): parse streaming (attachments into
 * the object store as they arrive), validate, deduplicate, and commit one inbox row per recipient agency of
 * this deployment with its `exchange.apply` job — then, and only then, acknowledge (DESIGN.md).
 */
import type { Readable } from 'node:stream';
import type { Services } from '../../../services';
import { Scope } from '../../../shared/scope';
import { Agency } from '../../identity/entities/agency.entity';
import { EdxmlParseError, StorageSink, parseEdxml, rejectionReason, validateEdxml, type EdxmlPackage } from '../edxml';
import { ExchangeInbox, type InboxFile } from '../exchange.entities';
import { enqueueMany } from '../outbox/enqueue-many';
import { rawExecute } from '../outbox/bulk';
import { applyJob } from '../exchange.jobs';
import type { InboxReceiver, ReceiveResult, ReceiveTarget, ReceivedMessageMeta } from '../transport';
import { aboutDocumentId, dedupKey, senderCodeOf, storedValue } from './mapping';

/** Above this many addressees, each inbox row keeps only its own entry of the To list (a fan-out's list is long). */
const TO_LIST_KEPT = 50;
/** From this many new inbox rows on, they are applied in batch jobs of `APPLY_BATCH` rows. */
const APPLY_BATCH_MIN = 4;
const APPLY_BATCH = 200;

/** A parsed, valid package, ready to be stored for its targets. */
interface Prepared {
  v: EdxmlPackage;
  senderCode: string;
  edxmlDocumentId: string;
  files: InboxFile[];
}

export class ExchangeInboxReceiver implements InboxReceiver {
  constructor(private readonly services: Services) {}

  async receive(body: Readable, meta: ReceivedMessageMeta): Promise<ReceiveResult> {
    const p = await this.prepare(body, meta);
    if ('reason' in p) return { ok: false, reason: p.reason };
    const wanted = meta.recipientCode ? [meta.recipientCode] : await this.addressees(p.v, p.senderCode, p.edxmlDocumentId);
    const results = await this.store(p, meta, wanted.map((recipientCode) => ({ recipientCode, messageId: meta.messageId ?? null, sequence: meta.sequence ?? null })));
    const ok = results.filter((r): r is Extract<ReceiveResult, { ok: true }> => r.ok);
    if (!ok.length) return { ok: false, reason: `Không có cơ quan nhận nào thuộc hệ thống này (${wanted.join(', ') || 'không có nơi nhận'}).` };
    return { ok: true, ack: ok[0].ack, duplicate: ok.every((r) => r.duplicate) };
  }

  async receiveBatch(body: Readable, meta: Omit<ReceivedMessageMeta, 'recipientCode' | 'messageId' | 'sequence'>, targets: readonly ReceiveTarget[]): Promise<ReceiveResult[]> {
    const p = await this.prepare(body, meta);
    if ('reason' in p) return targets.map(() => ({ ok: false as const, reason: p.reason }));
    return this.store(p, meta, targets);
  }

  /** Parse (attachments into the store while streaming) and validate: once per package, whatever the number of recipients. */
  private async prepare(body: Readable, meta: Pick<ReceivedMessageMeta, 'via' | 'peerId'>): Promise<Prepared | { reason: string }> {
    const { services } = this;
    let parsed;
    try {
      parsed = await parseEdxml(body, new StorageSink(services.storage));
    } catch (e) {
      if (e instanceof EdxmlParseError) return { reason: e.message };
      throw e;
    }
    const v = parsed.value;
    // A document issued in this deployment without an electronic file (paper copies only) is still announced.
    const problems = validateEdxml(v, { now: services.clock.now() }).filter((p) => !(meta.via === 'LOCAL' && p.path === 'AttachmentEncoded' && p.rule === 'required'));
    if (problems.length) return { reason: `Từ chối tiếp nhận: ${rejectionReason(problems)}` };
    const senderCode = senderCodeOf(v);
    const edxmlDocumentId = aboutDocumentId(v);
    if (!senderCode || !edxmlDocumentId) return { reason: 'Gói tin thiếu mã định danh cơ quan gửi hoặc DocumentId.' };
    // A peer speaks only for the agencies its directory lists: never for ours, nor for another peer's.
    if (meta.via === 'HTTP' && meta.peerId && !(await services.peers.serves(meta.peerId, senderCode))) {
      return { reason: `Cơ quan gửi ${senderCode} không thuộc hệ thống đối tác đã xác thực.` };
    }
    const files: InboxFile[] =
      v.kind === 'document'
        ? v.attachments.map((a, i) => ({
            contentId: a.contentId ?? null,
            name: a.zipEntryName ?? a.attachmentName ?? `tep-${i + 1}`,
            contentType: a.wrapping === 'zip' ? guessType(a.zipEntryName ?? '') : (a.contentType ?? guessType(a.attachmentName ?? '')),
            key: parsed.stored[i].key,
            sha256: parsed.stored[i].sha256,
            size: parsed.stored[i].size,
          }))
        : [];
    return { v, senderCode, edxmlDocumentId, files };
  }

  /**
   * One transaction: an inbox row per target agency of this deployment (ONE `INSERT … ON CONFLICT (dedup_key)
   * DO NOTHING`), an audit event per new row, the apply jobs. Results per target, in order; a target that is
   * not an active agency of this deployment is refused.
   */
  private async store(p: Prepared, meta: Pick<ReceivedMessageMeta, 'via' | 'peerId'>, targets: readonly ReceiveTarget[]): Promise<ReceiveResult[]> {
    const { services } = this;
    const { v, senderCode, edxmlDocumentId, files } = p;
    const codes = [...new Set(targets.map((t) => t.recipientCode))];
    const served = new Map((codes.length ? await services.orm.em.fork().find(Agency, { code: { $in: codes } }) : []).filter((a) => a.active).map((a) => [a.code, a]));
    const kind = v.kind === 'document' ? 'DOCUMENT' : 'STATUS';
    const businessType = v.kind === 'document' ? (v.business?.businessDocType ?? 0) : null;
    const statusCode = v.kind === 'status' ? (v.statusCode ?? null) : null;
    const value = storedValue(v);
    const to = v.kind === 'document' ? v.header.to : [];
    const valueFor = (code: string): Record<string, unknown> =>
      to.length > TO_LIST_KEPT ? { ...value, header: { ...(value.header as object), to: to.filter((o) => o.organId === code) }, toOmitted: to.length - to.filter((o) => o.organId === code).length } : value;
    const rows = targets.map((t) => {
      const sequence = t.sequence != null ? String(t.sequence) : v.kind === 'status' ? (v.timestamp ?? '') : '';
      const key = dedupKey({ senderCode, edxmlDocumentId, kind, type: kind === 'DOCUMENT' ? String(businessType) : (statusCode ?? ''), sequence, recipientCode: t.recipientCode });
      return { t, key, agency: served.get(t.recipientCode) ?? null };
    });
    const wanted = [...new Map(rows.filter((r) => r.agency).map((r) => [r.key, r])).values()];
    const sharedValue = to.length <= TO_LIST_KEPT;
    const scope = new Scope(services.orm.em.fork(), null);
    const ackOf = await scope.transaction(async (tx) => {
      const acks = new Map<string, { ack: string; duplicate: boolean }>();
      if (!wanted.length) return acks;
      const inserted = await rawExecute<{ id: string; dedup_key: string }>(tx.em,
        `insert into exchange_inbox (id, dedup_key, kind, business_type, status_code, sender_code, recipient_code, edxml_document_id, value, files, via, peer_id, message_id, state)
         select gen_random_uuid(), x.dedup_key, ?, ?, ?, ?, x.recipient_code, ?, coalesce(x.value, ?::jsonb), ?::jsonb, ?, ?, x.message_id, 'RECEIVED'
           from jsonb_to_recordset(?::jsonb) as x(dedup_key text, recipient_code text, message_id text, value jsonb)
         on conflict (dedup_key) do nothing returning id, dedup_key`,
        [
          kind,
          businessType,
          statusCode,
          senderCode,
          edxmlDocumentId,
          sharedValue ? JSON.stringify(value) : null,
          JSON.stringify(files),
          meta.via,
          meta.peerId,
          JSON.stringify(wanted.map((w) => ({ dedup_key: w.key, recipient_code: w.t.recipientCode, message_id: w.t.messageId, value: sharedValue ? null : valueFor(w.t.recipientCode) }))),
        ],
      );
      for (const r of inserted) acks.set(r.dedup_key, { ack: r.id, duplicate: false });
      const missing = wanted.filter((w) => !acks.has(w.key)).map((w) => w.key);
      if (missing.length) {
        for (const r of await rawExecute<{ id: string; dedup_key: string }>(tx.em, `select id, dedup_key from exchange_inbox where dedup_key = any(array(select jsonb_array_elements_text(?::jsonb)))`, [JSON.stringify(missing)])) {
          acks.set(r.dedup_key, { ack: r.id, duplicate: true });
        }
      }
      const byKey = new Map(wanted.map((w) => [w.key, w]));
      await tx.auditMany(
        inserted.map((r) => {
          const w = byKey.get(r.dedup_key)!;
          return {
            action: 'exchange.receive',
            targetType: 'exchange_inbox',
            targetId: r.id,
            agencyId: w.agency!.id,
            data: { kind, businessType, statusCode, senderCode, edxmlDocumentId, via: meta.via, peerId: meta.peerId, messageId: w.t.messageId, files: files.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size })) },
          };
        }),
      );
      const ids = inserted.map((r) => r.id);
      if (ids.length >= APPLY_BATCH_MIN) {
        const jobs: { inboxIds: string[] }[] = [];
        for (let i = 0; i < ids.length; i += APPLY_BATCH) jobs.push({ inboxIds: ids.slice(i, i + APPLY_BATCH) });
        await enqueueMany(tx, applyJob, jobs);
      } else await enqueueMany(tx, applyJob, ids.map((inboxId) => ({ inboxId })));
      return acks;
    });
    return rows.map((r): ReceiveResult => {
      if (!r.agency) return { ok: false, reason: `Cơ quan nhận ${r.t.recipientCode} không thuộc hệ thống này hoặc đã ngừng sử dụng.` };
      const a = ackOf.get(r.key);
      return a ? { ok: true, ...a } : { ok: false, reason: 'Không lưu được gói tin.' };
    });
  }

  /** Without an explicit recipient: the To list (documents), the ResponseFor organ (statuses), or — for a 13 — our agencies that received that document from that sender. */
  private async addressees(v: EdxmlPackage, senderCode: string, edxmlDocumentId: string): Promise<string[]> {
    if (v.kind === 'document') return v.header.to.map((o) => o.organId).filter((c): c is string => !!c);
    if (v.statusCode === '13') {
      const rows = await this.services.orm.em.fork().find(ExchangeInbox, { kind: 'DOCUMENT', senderCode, edxmlDocumentId });
      return [...new Set(rows.map((r) => r.recipientCode))];
    }
    return v.responseFor.map((r) => r.organId).filter((c): c is string => !!c);
  }
}

function guessType(name: string): string {
  const n = name.toLowerCase();
  if (n.endsWith('.pdf')) return 'application/pdf';
  if (n.endsWith('.docx')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (n.endsWith('.doc')) return 'application/msword';
  if (n.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (n.endsWith('.zip')) return 'application/zip';
  return 'application/octet-stream';
}
