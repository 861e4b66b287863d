/**
 * Sổ văn bản đến / đi on screen (issue 9): every numbered document of one register and year of the caller's
 * agency, in number order, keyset-paged, with filters; and the list of registers the caller may open.
 *
 * Who: domain/register-view.ts (ordinary registers: REGISTER_ROLES; the secret register: VAN_THU, LANH_DAO).
 * Which rows: the ordinary registers hold only ordinary documents (secrecy THUONG), all shown
 * (registerRowVisibleSql); the secret register holds the secret ones, each shown only to a viewer the access
 * rule lets see it (documentVisibleSql — the SAME rule list as the document page and the inbox).
 *
 * Number: số đến (incoming_number) for INCOMING, số (number) for OUTGOING; annulled registrations (ANNULLED)
 * keep their number, with the reason (returnReason) in `annulledReason`.
 * Order: number, register key (the per-type outgoing registers share numbers), id. The cursor carries that key.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, forbidden } from '../../shared/errors';
import type { Scope } from '../../shared/scope';
import type { Clock } from '../../services';
import { isUuid } from '../../shared/ids';
import { VN_TIME_ZONE } from './domain/calendar';
import { INCOMING_STATES } from './domain/incoming-workflow';
import { OUTGOING_STATES } from './domain/outgoing-workflow';
import { registerYear, type Direction } from './domain/numbering';
import { canOpenRegister, isSecretRegisterKey, registerKeyOf, registerQueryProblem, type RegisterFilterInput } from './domain/register-view';
import { foldVietnamese } from './domain/text';
import { documentVisibleSql, registerRowVisibleSql } from './access-sql';
import { Document } from './entities/document.entity';
import { SqlParams, escapeLike } from './inbox-sql';
import { inboxViewerOf } from './inbox.service';
import { AgencySettings } from './entities/misc.entities';
import { settingsFromRow } from './settings.service';

export const REGISTER_DEFAULT_PAGE = 50;
export const REGISTER_MAX_PAGE = 200;

export interface RegisterEntriesArgs {
  direction: Direction;
  year: number;
  registerKey?: string | null;
  secret?: boolean | null;
  filter?: RegisterFilterInput | null;
  first?: number | null;
  after?: string | null;
}

export interface RegisterEntryResult {
  cursor: string;
  number: number;
  registerKey: string;
  registerYear: number;
  date: string | null;
  issuerName: string | null;
  annulledReason: string | null;
  node: Document;
}

export interface RegisterEntriesResult {
  edges: RegisterEntryResult[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

export interface RegisterBookResult {
  direction: Direction;
  year: number;
  registerKey: string;
  secret: boolean;
  count: number;
  /** Incoming registers: the configured name; null otherwise. */
  name: string | null;
}

interface Key {
  number: number;
  key: string;
  id: string;
}

const encodeCursor = (k: Key) => Buffer.from(JSON.stringify([k.number, k.key, k.id]), 'utf8').toString('base64url');

function decodeCursor(cursor: string): Key {
  const bad = () => badInput('Con trỏ phân trang không hợp lệ.', 'after');
  if (cursor.length > 300) throw bad();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(v) || v.length !== 3) throw bad();
  const [number, key, id] = v as unknown[];
  if (!Number.isInteger(number) || typeof key !== 'string' || key.length > 40 || typeof id !== 'string' || !isUuid(id)) throw bad();
  return { number: number as number, key, id };
}

const TZ = VN_TIME_ZONE;
const ALL_STATES: readonly string[] = [...INCOMING_STATES, ...OUTGOING_STATES];

async function execute<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}

export class RegistersService {
  /** The services' clock: the current register year (tests move it). */
  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  /** One page of a register. */
  async registerEntries(scope: Scope, args: RegisterEntriesArgs): Promise<RegisterEntriesResult> {
    const viewer = inboxViewerOf(scope);
    const { direction, year } = args;
    if (direction !== 'INCOMING' && direction !== 'OUTGOING') throw badInput('Chiều văn bản không hợp lệ.', 'direction');
    const key = args.registerKey?.trim() || null;
    if (key !== null && (key.length > 40 || !registerKeyOf(direction, key))) throw badInput('Sổ văn bản không hợp lệ.', 'registerKey');
    const secret = args.secret ?? (key !== null && isSecretRegisterKey(key));
    if (key !== null && isSecretRegisterKey(key) !== secret) throw badInput('Sổ văn bản không hợp lệ.', 'registerKey');
    if (!canOpenRegister(viewer, secret)) throw forbidden(secret ? 'Bạn không có quyền xem sổ văn bản mật.' : 'Bạn không có quyền xem sổ văn bản.');
    const problem = registerQueryProblem(year, args.filter);
    if (problem) throw badInput(problem.reason, problem.field);
    const first = args.first ?? REGISTER_DEFAULT_PAGE;
    if (!Number.isInteger(first) || first < 0 || first > REGISTER_MAX_PAGE) throw badInput(`Số dòng mỗi trang phải từ 0 đến ${REGISTER_MAX_PAGE}.`, 'first');
    const after = args.after ? decodeCursor(args.after) : null;
    const f = args.filter ?? {};
    if (f.issuerAgencyId && !isUuid(f.issuerAgencyId)) throw badInput('Cơ quan ban hành không hợp lệ.', 'filter.issuerAgencyId');
    if (f.unitId && !isUuid(f.unitId)) throw badInput('Đơn vị không hợp lệ.', 'filter.unitId');
    if (f.states?.some((s) => !ALL_STATES.includes(s))) throw badInput('Trạng thái không hợp lệ.', 'filter.states');

    const numberCol = direction === 'INCOMING' ? 'd.incoming_number' : 'd.number';
    const params = new SqlParams();
    const where: string[] = [
      `d.agency_id = ${params.p(viewer.agencyId, 'uuid')}`,
      `d.direction = ${params.p(direction)}`,
      `d.register_year = ${params.p(year, 'int')}`,
      `${numberCol} IS NOT NULL`,
      `d.register_key IS NOT NULL`,
      secret ? `d.secrecy <> 'THUONG'` : `d.secrecy = 'THUONG'`,
    ];
    if (key) where.push(`d.register_key = ${params.p(key)}`);
    else where.push(secret ? `d.register_key LIKE '%\\_SECRET'` : `d.register_key NOT LIKE '%\\_SECRET'`);
    const receivedDay = `(d.received_at AT TIME ZONE '${TZ}')::date`;
    if (f.receivedFrom) where.push(`${receivedDay} >= ${params.p(f.receivedFrom, 'date')}`);
    if (f.receivedTo) where.push(`${receivedDay} <= ${params.p(f.receivedTo, 'date')}`);
    if (f.issuedFrom) where.push(`d.issued_date >= ${params.p(f.issuedFrom, 'date')}`);
    if (f.issuedTo) where.push(`d.issued_date <= ${params.p(f.issuedTo, 'date')}`);
    if (f.numberFrom != null) where.push(`${numberCol} >= ${params.p(f.numberFrom, 'int')}`);
    if (f.numberTo != null) where.push(`${numberCol} <= ${params.p(f.numberTo, 'int')}`);
    const issuerText = foldVietnamese(f.issuer ?? '');
    if (issuerText) where.push(`lower(f_unaccent(COALESCE(d.issuer_name, ia.name, ''))) LIKE ${params.p(`%${escapeLike(issuerText)}%`)}`);
    if (f.issuerAgencyId) where.push(`d.issuer_agency_id = ${params.p(f.issuerAgencyId, 'uuid')}`);
    if (f.typeName?.trim()) where.push(`lower(d.type_name) = lower(${params.p(f.typeName.trim())})`);
    if (f.unitId) {
      where.push(
        direction === 'INCOMING'
          ? `EXISTS (SELECT 1 FROM assignment fu WHERE fu.document_id = d.id AND fu.unit_id = ${params.p(f.unitId, 'uuid')})`
          : `d.drafter_unit_id = ${params.p(f.unitId, 'uuid')}`,
      );
    }
    if (f.states?.length) where.push(`d.state IN (${f.states.map((s) => params.p(s)).join(', ')})`);
    where.push(secret ? documentVisibleSql(viewer, params, { ownAgencyOnly: true }) : registerRowVisibleSql(viewer, params, { ownAgencyOnly: true }));
    const base = `FROM document d LEFT JOIN agency ia ON ia.id = d.issuer_agency_id WHERE ${where.join(' AND ')}`;
    const countParams = [...params.values];

    let pageWhere = '';
    if (after) pageWhere = ` AND (${numberCol}, d.register_key, d.id) > (${params.p(after.number, 'int')}, ${params.p(after.key)}, ${params.p(after.id, 'uuid')})`;
    const dateSql = direction === 'INCOMING' ? `to_char(d.received_at AT TIME ZONE '${TZ}', 'YYYY-MM-DD')` : `d.issued_date::text`;
    const sql =
      `SELECT d.*, ${numberCol} AS "__number", ${dateSql} AS "__date", COALESCE(d.issuer_name, ia.name) AS "__issuer" ${base}${pageWhere}` +
      ` ORDER BY ${numberCol}, d.register_key, d.id LIMIT ${params.p(first + 1, 'int')}`;
    const em = scope.em;
    const rows = await execute<Record<string, unknown>>(em, sql, params.values);
    const count = await execute<{ n: string }>(em, `SELECT count(*) AS n ${base}`, countParams);
    const edges: RegisterEntryResult[] = rows.slice(0, first).map((row) => {
      const k: Key = { number: Number(row.__number), key: String(row.register_key), id: String(row.id) };
      const date = (row.__date as string | null) ?? null;
      const issuerName = (row.__issuer as string | null) ?? null;
      for (const c of ['__number', '__date', '__issuer']) delete row[c];
      const node = em.map(Document, row);
      return {
        cursor: encodeCursor(k),
        number: k.number,
        registerKey: k.key,
        registerYear: year,
        date,
        issuerName,
        annulledReason: node.state === 'ANNULLED' ? (node.returnReason ?? '') : null,
        node,
      };
    });
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: !!after,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      totalCount: Number(count[0]?.n ?? 0),
    };
  }

  /**
   * The registers of the caller's agency for a direction that the caller may open, per year and key, with the
   * count of rows they see; newest year first. The ordinary main register (INCOMING / OUTGOING) of the current
   * register year is always listed (empty at the start of the year).
   */
  async registerBooks(scope: Scope, direction: Direction): Promise<RegisterBookResult[]> {
    const currentYear = registerYear(this.clock.now());
    const viewer = inboxViewerOf(scope);
    if (direction !== 'INCOMING' && direction !== 'OUTGOING') throw badInput('Chiều văn bản không hợp lệ.', 'direction');
    const ordinary = canOpenRegister(viewer, false);
    const secret = canOpenRegister(viewer, true);
    if (!ordinary && !secret) throw forbidden('Bạn không có quyền xem sổ văn bản.');
    const numberCol = direction === 'INCOMING' ? 'd.incoming_number' : 'd.number';
    const parts: string[] = [];
    const params = new SqlParams();
    // (the visibility SQL is built after the parameters that precede it in the text: placeholders are positional)
    const one = (isSecret: boolean, visible: () => string) =>
      `SELECT d.register_year AS year, d.register_key AS key, ${isSecret} AS secret, count(*) AS n FROM document d` +
      ` WHERE d.agency_id = ${params.p(viewer.agencyId, 'uuid')} AND d.direction = ${params.p(direction)} AND ${numberCol} IS NOT NULL` +
      ` AND d.register_key IS NOT NULL AND d.register_year IS NOT NULL AND d.secrecy ${isSecret ? '<>' : '='} 'THUONG'` +
      ` AND d.register_key ${isSecret ? '' : 'NOT '}LIKE '%\\_SECRET' AND ${visible()} GROUP BY d.register_year, d.register_key`;
    if (ordinary) parts.push(one(false, () => 'TRUE'));
    if (secret) parts.push(one(true, () => documentVisibleSql(viewer, params, { ownAgencyOnly: true })));
    const rows = await execute<{ year: number; key: string; secret: boolean; n: string }>(scope.em, parts.join(' UNION ALL '), params.values);
    const books: RegisterBookResult[] = rows.map((r) => ({ direction, year: Number(r.year), registerKey: r.key, secret: !!r.secret, count: Number(r.n), name: null }));
    const main = direction;
    if (ordinary && !books.some((b) => b.year === currentYear && b.registerKey === main)) books.push({ direction, year: currentYear, registerKey: main, secret: false, count: 0, name: null });
    if (direction === 'INCOMING') {
      // Every active sổ văn bản đến of the agency is offered for the current year (empty until used), named.
      const registers = settingsFromRow(viewer.agencyId, await scope.em.findOne(AgencySettings, { agency: viewer.agencyId })).incomingRegisters;
      if (ordinary) {
        for (const r of registers) {
          if (r.active && !books.some((b) => b.year === currentYear && b.registerKey === r.key)) books.push({ direction, year: currentYear, registerKey: r.key, secret: false, count: 0, name: null });
        }
      }
      const names = new Map(registers.map((r) => [r.key, r.name]));
      for (const b of books) b.name = names.get(b.registerKey) ?? null;
    }
    return books.sort((a, b) => b.year - a.year || Number(a.secret) - Number(b.secret) || a.registerKey.localeCompare(b.registerKey));
  }
}
