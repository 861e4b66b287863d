/**
 * Test data for the inbox / reports / statistics tests: documents, assignments and members written directly
 * with the entities (not through the workflow services), plus a reference model of the inbox computed in
 * JavaScript with the domain's own interpreter (domain/inbox.ts + access.ts), to compare the SQL against.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { Unit } from '../../../server/src/modules/identity/entities/unit.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { Assignment } from '../../../server/src/modules/documents/entities/assignment.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentMember } from '../../../server/src/modules/documents/entities/misc.entities';
import {
  INBOX_BOXES_ORDERED,
  compareInboxItems,
  matchesBox,
  type ApprovalStep,
  type InboxBox,
  type InboxRow,
  type InboxViewer,
  canView,
  type DocumentAccessInfo,
} from '../../../server/src/modules/documents/domain';
import { accessInfoForMany } from '../../../server/src/modules/documents/documents.policy';
import type { TestRuntime } from '../support/runtime';

export interface People {
  users: Map<string, User>;
  agencies: Map<string, Agency>;
  units: Map<string, Unit>;
  u(username: string): User;
  agency(code: string): Agency;
  unit(agencyCode: string, abbr: string): Unit;
}

export const UBND = '000.00.00.H27';
export const SNV = '000.00.02.H27';

export async function loadPeople(em: EntityManager): Promise<People> {
  const users = new Map((await em.find(User, {}, { populate: ['agency', 'unit'] })).map((u) => [u.username, u]));
  const agencies = new Map((await em.find(Agency, {})).map((a) => [a.code, a]));
  const unitList = await em.find(Unit, {}, { populate: ['agency'] });
  const units = new Map(unitList.map((u) => [`${u.agency.code}/${u.abbr}`, u]));
  return {
    users,
    agencies,
    units,
    u: (n) => users.get(n) ?? fail(`no user ${n}`),
    agency: (c) => agencies.get(c) ?? fail(`no agency ${c}`),
    unit: (c, abbr) => units.get(`${c}/${abbr}`) ?? fail(`no unit ${c}/${abbr}`),
  };
}

function fail(msg: string): never {
  throw new Error(msg);
}

let seq = 0;
/** Distinct, increasing received times (ms apart) unless given. */
export const tick = (base = Date.UTC(2026, 2, 1, 1, 0, 0)): Date => new Date(base + ++seq * 1000);

export type DocPatch = Partial<Omit<Document, 'agency'>> & { agency: Agency };

export function makeIncoming(em: EntityManager, p: DocPatch): Document {
  const d = em.create(Document, {
    direction: 'INCOMING',
    state: 'REGISTERED',
    typeName: 'Công văn',
    subject: 'Văn bản thử nghiệm',
    urgency: 'THUONG',
    secrecy: 'THUONG',
    electronic: false,
    receivedAt: tick(),
    createdAt: new Date(),
    updatedAt: new Date(),
    ...p,
  } as never);
  return d as Document;
}

export function makeOutgoing(em: EntityManager, p: DocPatch): Document {
  const d = em.create(Document, {
    direction: 'OUTGOING',
    state: 'DRAFT',
    typeName: 'Công văn',
    subject: 'Dự thảo thử nghiệm',
    urgency: 'THUONG',
    secrecy: 'THUONG',
    electronic: false,
    receivedAt: null,
    createdAt: tick(),
    updatedAt: new Date(),
    ...p,
  } as never);
  return d as Document;
}

export function makeAssignment(em: EntityManager, doc: Document, p: Partial<Assignment>): Assignment {
  return em.create(Assignment, {
    document: doc,
    role: 'LEAD',
    target: p.user && !p.unit ? 'USER' : 'UNIT',
    state: 'PENDING',
    active: true,
    createdAt: new Date(),
    ...p,
  } as never) as Assignment;
}

export function makeMember(em: EntityManager, doc: Document, user: User, kind: 'WATCHER' | 'READER'): DocumentMember {
  return em.create(DocumentMember, { document: doc, user, kind, createdAt: new Date() }) as DocumentMember;
}

export const viewerOfUser = (u: User): InboxViewer => ({ userId: u.id, agencyId: u.agency.id, unitId: u.unit?.id ?? null, roles: [...u.roles] });

/** Everything in the database, as InboxRows (document rows + one per active assignment). */
export async function referenceRows(
  em: EntityManager,
): Promise<{ rows: InboxRow[]; readers: Map<string, Set<string>>; secrecy: Map<string, string>; access: Map<string, DocumentAccessInfo> }> {
  const docs = await em.find(Document, {}, { populate: ['agency'] });
  // the access facts of every document, built by the policy itself (documents.policy.ts)
  const access = await accessInfoForMany(em, docs);
  const assignments = await em.find(Assignment, { active: true });
  const members = await em.find(DocumentMember, {});
  const watchers = new Map<string, string[]>();
  const readers = new Map<string, Set<string>>();
  for (const m of members) {
    if (m.kind === 'WATCHER') watchers.set(m.document.id, [...(watchers.get(m.document.id) ?? []), m.user.id]);
    else readers.set(m.document.id, new Set([...(readers.get(m.document.id) ?? []), m.user.id]));
  }
  const rows: InboxRow[] = [];
  for (const d of docs) {
    const chain = (d.approvalChain ?? []) as ApprovalStep[];
    const step = d.state === 'IN_APPROVAL' && d.approvalStep != null ? chain[d.approvalStep] : undefined;
    const base: InboxRow = {
      id: d.id,
      direction: d.direction as InboxRow['direction'],
      agencyId: d.agency.id,
      state: d.state as InboxRow['state'],
      urgency: d.urgency as InboxRow['urgency'],
      deadline: d.deadline ?? null,
      receivedAt: d.receivedAt ?? d.createdAt,
      submittedToUserId: d.submittedTo?.id ?? null,
      returnedToUserId: d.returnedTo?.id ?? null,
      annotatedByUserId: d.annotatedBy?.id ?? null,
      assignmentId: null,
      assignmentTarget: null,
      assignmentUnitId: null,
      assignmentUserId: null,
      assignmentState: null,
      drafterUserId: d.drafter?.id ?? null,
      approverUserId: step?.kind === 'USER' ? step.userId : null,
      approverRole: step?.kind === 'ROLE' && (step.scope !== 'DRAFTING_UNIT' || d.drafterUnit) ? step.role : null,
      approverUnitId: step?.kind === 'ROLE' && step.scope === 'DRAFTING_UNIT' ? (d.drafterUnit?.id ?? null) : null,
      signerUserId: d.signer?.id ?? null,
      watcherUserIds: watchers.get(d.id) ?? [],
      withdrawnAt: d.withdrawnAt ?? null,
    };
    rows.push(base);
    for (const a of assignments.filter((x) => x.document.id === d.id)) {
      rows.push({
        ...base,
        deadline: a.deadline ?? d.deadline ?? null,
        assignmentId: a.id,
        assignmentTarget: a.target,
        assignmentUnitId: a.unit?.id ?? null,
        assignmentUserId: a.user?.id ?? null,
        assignmentState: a.state as InboxRow['assignmentState'],
      });
    }
  }
  return { rows, readers, secrecy: new Map(docs.map((d) => [d.id, d.secrecy])), access };
}

/** The expected ordered document ids of a box for a viewer, by the domain's interpreter. */
export function expectedBox(ref: Awaited<ReturnType<typeof referenceRows>>, box: InboxBox, viewer: InboxViewer, today: string): string[] {
  const best = new Map<string, InboxRow>();
  for (const r of ref.rows) {
    if (!matchesBox(box, r, viewer, today)) continue;
    // visibility: the access rule itself (domain/access.ts), not a copy of it
    if (!canView(viewer, ref.access.get(r.id)!)) continue;
    const prev = best.get(r.id);
    if (!prev || (r.deadline !== null && (prev.deadline === null || r.deadline < prev.deadline))) best.set(r.id, r);
  }
  return [...best.values()].sort(compareInboxItems).map((r) => r.id);
}

export { INBOX_BOXES_ORDERED };
export type { TestRuntime };
