import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../../../shared/ids';
import { Unit } from '../../identity/entities/unit.entity';
import { User } from '../../identity/entities/user.entity';
import { Document } from './document.entity';
import { DocumentFile } from './document-file.entity';

/**
 * Phân công: one assignee of an incoming document from a bút phê — the lead (chủ trì) or a
 * co-ordinator (phối hợp), a unit or a person, with its own deadline. A re-annotation supersedes
 * (active = false) the earlier ones; a unit head's re-assignment creates a child assignment.
 */
@Entity({ tableName: 'assignment' })
@Index({ properties: ['user', 'active', 'state'] })
@Index({ properties: ['unit', 'active', 'state'] })
@Index({ properties: ['document', 'active'] })
// Inbox boxes (inbox-sql.ts): the open assignments of a person / a unit, covering what the box predicates
// read, so that a busy person's thousands of open items are read from the index alone.
@Index({
  name: 'assignment_user_open_idx',
  expression:
    'create index "assignment_user_open_idx" on "assignment" ("user_id") include ("document_id", "unit_id", "deadline", "state", "target", "id") where "active" and "state" in (\'PENDING\', \'IN_PROGRESS\')',
})
@Index({
  name: 'assignment_unit_open_idx',
  expression:
    'create index "assignment_unit_open_idx" on "assignment" ("unit_id") include ("document_id", "user_id", "deadline", "state", "target", "id") where "active" and "state" in (\'PENDING\', \'IN_PROGRESS\')',
})
export class Assignment {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Document, deleteRule: 'cascade' })
  document!: Document;

  /** LEAD (chủ trì) | COORDINATOR (phối hợp) */
  @Property({ type: 'string', length: 12 })
  role!: 'LEAD' | 'COORDINATOR';

  /** UNIT | USER */
  @Property({ type: 'string', length: 6 })
  target!: 'UNIT' | 'USER';

  @ManyToOne({ entity: () => Unit, nullable: true, deleteRule: 'set null' })
  unit?: Unit | null;

  /** The person handling it (for a unit: once the unit head designates someone). */
  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  user?: User | null;

  @Property({ type: 'date', nullable: true })
  deadline?: string | null;

  /** PENDING | IN_PROGRESS | DONE | RETURNED */
  @Property({ type: 'string', length: 12 })
  state!: string;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @ManyToOne({ entity: () => Assignment, nullable: true, deleteRule: 'set null' })
  parent?: Assignment | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  assignedBy?: User | null;

  @Property({ type: 'text', nullable: true })
  instruction?: string | null;

  @ManyToOne({ entity: () => DocumentFile, nullable: true, deleteRule: 'set null' })
  draftFile?: DocumentFile | null;

  @Property({ type: 'text', nullable: true })
  returnReason?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;

  /** Last reminder sent (UPCOMING/DUE/OVERDUE) and when, so the reminder job does not repeat itself. */
  @Property({ type: 'string', length: 10, nullable: true })
  lastReminderKind?: string | null;

  @Property({ type: 'date', nullable: true })
  lastReminderOn?: string | null;
}
