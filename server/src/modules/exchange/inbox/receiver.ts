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
import { applyJob } from '../exchange.jobs';
import type { InboxReceiver, ReceiveResult, ReceivedMessageMeta } from '../transport';
import { aboutDocumentId, dedupKey, senderCodeOf, storedValue } from './mapping';

export class ExchangeInboxReceiver implements InboxReceiver {
  constructor(private readonly services: Services) {}

  async receive(body: Readable, meta: ReceivedMessageMeta): Promise<ReceiveResult> {
    const { services } = this;
    let parsed;
    try {
      parsed = await parseEdxml(body, new StorageSink(services.storage));
    } catch (e) {
      if (e instanceof EdxmlParseError) return { ok: false, reason: e.message };
      throw e;
    }
    const v = parsed.value;
    // A document issued in this deployment without an electronic file (paper copies only) is still announced.
    const problems = validateEdxml(v, { now: services.clock.now() }).filter((p) => !(meta.via === 'LOCAL' && p.path === 'AttachmentEncoded' && p.rule === 'required'));
    if (problems.length) return { ok: false, reason: `Từ chối tiếp nhận: ${rejectionReason(problems)}` };
    const senderCode = senderCodeOf(v);
    const edxmlDocumentId = aboutDocumentId(v);
    if (!senderCode || !edxmlDocumentId) return { ok: false, reason: 'Gói tin thiếu mã định danh cơ quan gửi hoặc DocumentId.' };
    // A peer speaks only for the agencies its directory lists: never for ours, nor for another peer's.
    if (meta.via === 'HTTP' && meta.peerId && !(await services.peers.serves(meta.peerId, senderCode))) {
      return { ok: false, reason: `Cơ quan gửi ${senderCode} không thuộc hệ thống đối tác đã xác thực.` };
    }

    const em = services.orm.em.fork();
    const wanted = meta.recipientCode ? [meta.recipientCode] : await this.addressees(v, senderCode, edxmlDocumentId);
    const agencies = wanted.length ? await em.find(Agency, { code: { $in: wanted } }) : [];
    const served = agencies.filter((a) => a.active);
    if (!served.length) return { ok: false, reason: `Không có cơ quan nhận nào thuộc hệ thống này (${wanted.join(', ') || 'không có nơi nhận'}).` };

    const kind = v.kind === 'document' ? 'DOCUMENT' : 'STATUS';
    const businessType = v.kind === 'document' ? (v.business?.businessDocType ?? 0) : null;
    const statusCode = v.kind === 'status' ? (v.statusCode ?? null) : null;
    const sequence = meta.sequence != null ? String(meta.sequence) : v.kind === 'status' ? (v.timestamp ?? '') : '';
    const files: InboxFile[] = v.kind === 'document'
      ? v.attachments.map((a, i) => ({
          contentId: a.contentId ?? null,
          name: a.zipEntryName ?? a.attachmentName ?? `tep-${i + 1}`,
          contentType: a.wrapping === 'zip' ? guessType(a.zipEntryName ?? '') : (a.contentType ?? guessType(a.attachmentName ?? '')),
          key: parsed.stored[i].key,
          sha256: parsed.stored[i].sha256,
          size: parsed.stored[i].size,
        }))
      : [];
    const value = storedValue(v);

    const scope = new Scope(services.orm.em.fork(), null);
    return scope.transaction(async (tx) => {
      let ack: string | null = null;
      let duplicate = true;
      for (const agency of served) {
        const key = dedupKey({ senderCode, edxmlDocumentId, kind, type: kind === 'DOCUMENT' ? String(businessType) : (statusCode ?? ''), sequence, recipientCode: agency.code });
        const rows = await tx.em.execute<{ id: string }[]>(
          `insert into exchange_inbox (id, dedup_key, kind, business_type, status_code, sender_code, recipient_code, edxml_document_id, value, files, via, peer_id, message_id, state)
           values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, 'RECEIVED')
           on conflict (dedup_key) do nothing returning id`,
          [key, kind, businessType, statusCode, senderCode, agency.code, edxmlDocumentId, JSON.stringify(value), JSON.stringify(files), meta.via, meta.peerId, meta.messageId ?? null],
        );
        if (rows.length) {
          const id = rows[0].id;
          ack ??= id;
          duplicate = false;
          tx.audit({
            action: 'exchange.receive',
            targetType: 'exchange_inbox',
            targetId: id,
            agencyId: agency.id,
            data: { kind, businessType, statusCode, senderCode, edxmlDocumentId, via: meta.via, peerId: meta.peerId, messageId: meta.messageId ?? null, files: files.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size })) },
          });
          await tx.enqueue(applyJob, { inboxId: id });
        } else {
          const existing = await tx.em.findOneOrFail(ExchangeInbox, { dedupKey: key });
          ack ??= existing.id;
        }
      }
      return { ok: true as const, ack: ack!, duplicate };
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
