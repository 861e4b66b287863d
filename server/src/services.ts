import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config/config';
import type { ObjectStorage } from './infra/storage/storage';
import type { JobQueue } from './infra/queue/queue';
import type { AppPubSub } from './infra/pubsub/pubsub';
import { IdentityService } from './modules/identity/identity.service';
import { TokenService } from './modules/identity/tokens';
import { DocumentsService } from './modules/documents/documents.service';
import { IncomingService } from './modules/documents/incoming.service';
import { InboxService } from './modules/documents/inbox.service';
import { RegistersService } from './modules/documents/registers.service';
import { OutgoingService } from './modules/documents/outgoing.service';
import { DocumentSettingsService } from './modules/documents/settings.service';
import { ReportsService } from './modules/documents/reports.service';
import { StatisticsService } from './modules/documents/statistics.service';
import { OcrService } from './modules/ocr/ocr.service';
import { AdminService } from './modules/admin/admin.service';
import { AuditLogService } from './modules/admin/audit-log.service';
import { NotificationsService } from './modules/notifications/notifications.service';
import { SearchService } from './modules/search/search.service';

/** The clock of the services (tests replace `now` to register at 31/12 23:30 or to run reminders on a given day). */
export interface Clock {
  now(): Date;
}

/**
 * The application's long-lived services, built once per process (API or worker).
 * Request- and job-scoped state lives in a `Scope`, never here.
 */
export interface Services {
  config: Config;
  orm: MikroORM;
  storage: ObjectStorage;
  queue: JobQueue;
  tokens: TokenService;
  identity: IdentityService;
  secret: string;
  /** Cross-process pub/sub (PostgreSQL LISTEN/NOTIFY) for GraphQL subscriptions. */
  pubsub: AppPubSub;
  /** Current time for business rules (số đến year, deadlines, reminders). */
  clock: Clock;
  /** Shared document read model: Query.document, files, history, document types. */
  documents: DocumentsService;
  /** Văn bản đến: register, reject, submit, annotate, reassign, progress, complete, return, watch. */
  incoming: IncomingService;
  /** Hộp văn bản: inbox boxes and their counts. */
  inbox: InboxService;
  /** Sổ văn bản đến / đi on screen (register views). */
  registers: RegistersService;
  /** Per-agency documents settings (numbering policy, approval chain, document types), defaults filled in. */
  documentSettings: DocumentSettingsService;
  /** Văn bản đi: draft, approval chain, sign, issue (numbering + delivery to recipient agencies). */
  outgoing: OutgoingService;
  /** Sổ đăng ký / phiếu giải quyết exports (PDF, XLSX). */
  reports: ReportsService;
  /** Thống kê: incoming/outgoing volumes and on-time handling. */
  statistics: StatisticsService;
  /** Digitisation requests and results (the OCR itself runs in the worker process). */
  ocr: OcrService;
  /** Quản trị: agency tree, units, users, passwords, sessions. */
  admin: AdminService;
  /** Nhật ký hệ thống: the audit log and its export. */
  auditLog: AuditLogService;
  /** Thông báo: the caller's notifications, unread count, mark-as-read. */
  notifications: NotificationsService;
  /** Tìm kiếm: full-text search within permissions, and the index upkeep (search.index job, reindex). */
  search: SearchService;
}

export function createServices(deps: { config: Config; orm: MikroORM; storage: ObjectStorage; queue: JobQueue; secret: string; pubsub: AppPubSub }): Services {
  const tokens = new TokenService(deps.secret);
  const services = {
    ...deps,
    tokens,
    identity: new IdentityService(deps.config, tokens),
    clock: { now: () => new Date() },
  } as Services;
  services.documents = new DocumentsService(services);
  services.incoming = new IncomingService(services);
  services.inbox = new InboxService(services.clock);
  services.registers = new RegistersService(services.clock);
  services.documentSettings = new DocumentSettingsService();
  services.outgoing = new OutgoingService(services, services.documentSettings);
  services.reports = new ReportsService(services);
  services.statistics = new StatisticsService(services.clock);
  services.ocr = new OcrService(services);
  services.admin = new AdminService(services);
  services.auditLog = new AuditLogService(services);
  services.notifications = new NotificationsService(services);
  services.search = new SearchService(services);
  return services;
}
