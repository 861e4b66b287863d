/**
 * Helpers shared by the outgoing service and the issuing flow (kept here so neither imports the other).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, conflict } from '../../../shared/errors';
import { isUuid } from '../../../shared/ids';
import type { Actor, Scope, Tx } from '../../../shared/scope';
import type { Agency } from '../../identity/entities/agency.entity';
import type { ActorContext, ApprovalStep, OutgoingDoc, OutgoingState } from '../domain';
import { documentNotFound, grantFor } from '../documents.policy';
import { Document } from '../entities/document.entity';

/** The domain snapshot of an outgoing document record (relations need only their ids). */
export function outgoingSnapshot(doc: Document): OutgoingDoc {
  return {
    agencyId: doc.agency.id,
    state: doc.state as OutgoingState,
    drafterUserId: doc.drafter?.id ?? '',
    drafterUnitId: doc.drafterUnit?.id ?? null,
    signerUserId: doc.signer?.id ?? null,
    chain: (doc.approvalChain ?? []) as ApprovalStep[],
    currentStep: doc.approvalStep ?? null,
  };
}

export const domainActor = (a: Actor) => ({ userId: a.userId, agencyId: a.agencyId, unitId: a.unitId, roles: a.roles });

/** The caller as the domain sees them, with the clock and the agency's zone. */
export function contextOf(actor: Actor, agency: Agency, now: Date): ActorContext {
  return { ...domainActor(actor), now, timeZone: agency.timeZone };
}

/**
 * Inside a transaction: locks the document row (select … for update), reloads it fresh, and checks
 * that the caller may see it (NOT_FOUND otherwise) and that it is an outgoing record.
 */
export async function lockOutgoingDoc(scope: Scope, tx: Tx, id: string): Promise<Document> {
  const actor = scope.requireActor();
  if (typeof id !== 'string' || !isUuid(id)) throw documentNotFound();
  await tx.em.execute('select 1 from "document" where "id" = ? for update', [id]);
  const doc = await tx.em.findOne(Document, { id }, { populate: ['agency'], refresh: true });
  if (!doc || !(await grantFor(tx.em, actor, doc))) throw documentNotFound();
  if (doc.direction !== 'OUTGOING') throw conflict('Đây không phải văn bản đi.');
  return doc;
}

/**
 * Takes the next number of a sequence inside the caller's transaction. The upsert locks the sequence row
 * until commit, so concurrent issues queue (no duplicates), and a rolled-back transaction gives its
 * number back (no gaps).
 */
export async function takeNumber(em: EntityManager, agencyId: string, key: string, year: number): Promise<number> {
  const rows = await em.execute<{ last_number: number }[]>(
    `insert into number_sequence (agency_id, key, year, last_number) values (?, ?, ?, 1)
     on conflict (agency_id, key, year) do update set last_number = number_sequence.last_number + 1
     returning last_number`,
    [agencyId, key, year],
  );
  const n = Number(rows[0]?.last_number);
  if (!Number.isSafeInteger(n) || n < 1) throw new AppError('INTERNAL', 'Không cấp được số văn bản.');
  return n;
}

/** Địa danh of an agency: its recorded place, else the name after "tỉnh / thành phố / xã / phường". */
export function placeOf(agency: Pick<Agency, 'place' | 'name'>): string {
  if (agency.place) return agency.place;
  const m = /(?:tỉnh|thành phố|xã|phường|thị trấn|đặc khu)\s+(.+)$/iu.exec(agency.name.normalize('NFC'));
  return m ? m[1].trim() : '';
}
