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
import { SigningService } from './modules/signing/signing.service';
import { MeetingsService } from './modules/meetings/meetings.service';
import { MeetingCalendarService } from './modules/meetings/meetings.calendar';
import { MeetingHub } from './modules/meetings/meetings.hub';
import { RecordsService } from './modules/records/records.service';
import { ARCHIVED_KEY_SQL, protectArchivedObjects } from './infra/storage/protected';
import { BusinessService } from './modules/exchange/business/business.service';
import { EdxmlFilesService } from './modules/exchange/business/edxml-files';
import { ExchangeService } from './modules/exchange/exchange.service';
import { PeersService } from './modules/exchange/peers/peers.service';

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
  /** Ký số: PAdES signing (agency / personal keys, USB-token sessions), verification, trust store (issue 12). */
  signing: SigningService;
  /** Hồ sơ and the archive: Danh mục hồ sơ, lập hồ sơ, nộp lưu, metadata, legal hold, disposal, archive import. */
  records: RecordsService;
  /** Phòng họp không giấy: meetings, agenda, positions, speakers, votes, tasks, display tokens. */
  meetings: MeetingsService;
  /** Lịch công tác tuần, engagements, meeting files (biên bản, kết quả biểu quyết). */
  meetingCalendar: MeetingCalendarService;
  /** Live meetings of this replica (one listener and one state load per meeting version, shared by subscribers). */
  meetingHub: MeetingHub;
  /** Liên thông: peer deployments, the exchange directory, peer request authentication (issue 13). */
  peers: PeersService;
  /** Liên thông: edXML outbox → transport (local / peers) → inbox → apply; statuses back to the sender (issue 13). */
  exchange: ExchangeService;
  /** Lấy lại (13/15/16), thu hồi, cập nhật, thay thế issued documents through the exchange (issue 13). */
  exchangeBusiness: BusinessService;
  /** .edxml file export / import for the văn thư (issue 13). */
  edxmlFiles: EdxmlFilesService;
}

export function createServices(deps: { config: Config; orm: MikroORM; storage: ObjectStorage; queue: JobQueue; secret: string; pubsub: AppPubSub }): Services {
  const tokens = new TokenService(deps.secret);
  const services = {
    ...deps,
    // The archive is immutable also through the storage interface: deleting an archived object is refused.
    storage: protectArchivedObjects(deps.storage, async (key) => {
      const rows = await deps.orm.em.fork().execute<{ archived: boolean }[]>(ARCHIVED_KEY_SQL, [key]);
      return rows[0]?.archived === true;
    }),
    tokens,
    identity: new IdentityService(deps.config, tokens),
    clock: { now: () => new Date() },
  } as Services;
  services.documents = new DocumentsService(services);
  services.incoming = new IncomingService(services);
  services.inbox = new InboxService(services.clock);
  services.registers = new RegistersService(services.clock);
  services.documentSettings = new DocumentSettingsService(services.clock);
  services.outgoing = new OutgoingService(services, services.documentSettings);
  services.reports = new ReportsService(services);
  services.statistics = new StatisticsService(services.clock);
  services.ocr = new OcrService(services);
  services.admin = new AdminService(services);
  services.auditLog = new AuditLogService(services);
  services.notifications = new NotificationsService(services);
  services.search = new SearchService(services);
  services.signing = new SigningService(services);
  // The issuing flow tells the signing core where a signer's signature goes on a draft (token path).
  services.signing.setPlacementResolver((em, file, userId, pdf) => services.outgoing.issuing.personalPlacement(em, file, userId, pdf));
  services.meetings = new MeetingsService(services);
  services.meetingCalendar = new MeetingCalendarService(services, services.meetings);
  services.meetingHub = new MeetingHub(services);
  services.records = new RecordsService(services);
  services.peers = new PeersService(services);
  services.exchange = new ExchangeService(services);
  // Peer deployments: routes of agency codes served elsewhere and their HTTP transports (issue 13).
  services.exchange.setPeerDirectory(services.peers);
  services.exchangeBusiness = new BusinessService(services);
  services.edxmlFiles = new EdxmlFilesService(services);
  return services;
}
