/**
 * Thống kê: the figures provinces publish ("tỷ lệ văn bản giải quyết đúng hạn 95 %"), for one agency and
 * a period [from, to] of Vietnam calendar days.
 *
 * Definitions (chosen here, stated in the API docs):
 * - incoming: incoming records whose ngày đến (received_at) is in the period, except those refused (REJECTED) or annulled (ANNULLED: a wrong registration, Decree 30 keeps its number);
 * - electronicShare: the share of those received electronically (null when there are none);
 * - outgoing: documents ISSUED with a ngày ban hành (issued_date) in the period;
 * - handling, per document: the incoming documents of the period that were assigned for handling (state
 *   ASSIGNED, IN_PROGRESS or DONE). DONE is handled ON TIME when it was completed on or before its deadline's
 *   day (Vietnam time) or has no deadline, else LATE; an open one is OVERDUE from the day after its deadline
 *   (domain/deadlines.ts), else on time. onTimeRate = handledOnTime / (handledOnTime + handledLate), null when
 *   nothing was handled yet (the web shows "—", not "0 %");
 * - per unit: the ACTIVE assignments of those documents, by the assignment's unit (a unit, or the assigned
 *   person's unit), with the assignment's own deadline (else the document's); an assignment re-assigned within
 *   its own unit (DELEGATED, with an active child of the same unit) counts once, through the child. Assignments RETURNED count in
 *   `assigned` only. Every unit of the agency is listed, with zeros.
 *
 * Who and what (`scope`): domain/register-access.ts statisticsScope — AGENCY for LANH_DAO, VAN_THU and LUU_TRU of
 * the agency (QUAN_TRI of the operator agency for any agency); UNIT for a TRUONG_PHONG: the incoming documents
 * with an active assignment to their unit, handling counted on those assignments, outgoing drafted by the unit,
 * only their unit listed; SELF for a CHUYEN_VIEN: the same over their own assignments and drafts, no unit list.
 * Aggregate figures only: no document content, so no per-document filter.
 */
import type { Clock } from '../../services';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import type { Scope } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { Unit } from '../identity/entities/unit.entity';
import { daysBetween, isPlainDate, todayIn } from './domain';
import { statisticsNeedsOperatorCheck, statisticsScope, type StatisticsScope } from './domain/register-access';
import { viewerOf } from './documents.policy';

const TZ = 'Asia/Ho_Chi_Minh';

export interface UnitStatisticsResult {
  unit: Unit;
  assigned: number;
  handledOnTime: number;
  handledLate: number;
  openOnTime: number;
  openOverdue: number;
}

export interface StatisticsResult {
  agency: Agency;
  /** Whose figures: the agency's, the caller's unit's, or the caller's own. */
  scope: StatisticsScope['kind'];
  from: string;
  to: string;
  incoming: number;
  outgoing: number;
  electronicShare: number | null;
  handledOnTime: number;
  handledLate: number;
  openOnTime: number;
  openOverdue: number;
  onTimeRate: number | null;
  units: UnitStatisticsResult[];
}

type Counts = { handled_on_time: string; handled_late: string; open_on_time: string; open_overdue: string };

/** The period's incoming records (Vietnam days [from, to]). Parameters: agency, from, to. */
const INCOMING_OF_PERIOD = `
  SELECT d.* FROM document d
   WHERE d.agency_id = ?::uuid AND d.direction = 'INCOMING' AND d.state NOT IN ('REJECTED', 'ANNULLED')
     AND d.received_at >= (?::date::timestamp AT TIME ZONE '${TZ}') AND d.received_at < ((?::date + 1)::timestamp AT TIME ZONE '${TZ}')`;

/** Four buckets given the handled/open state, the deadline and the completion instant. Parameter: today. */
const buckets = (done: string, open: string, deadline: string, completedAt: string) => `
  count(*) FILTER (WHERE ${done} AND (${deadline} IS NULL OR (${completedAt} AT TIME ZONE '${TZ}')::date <= ${deadline})) AS handled_on_time,
  count(*) FILTER (WHERE ${done} AND ${deadline} IS NOT NULL AND (${completedAt} AT TIME ZONE '${TZ}')::date > ${deadline}) AS handled_late,
  count(*) FILTER (WHERE ${open} AND (${deadline} IS NULL OR ${deadline} >= p.today)) AS open_on_time,
  count(*) FILTER (WHERE ${open} AND ${deadline} < p.today) AS open_overdue`;

export class StatisticsService {
  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  async statistics(scope: Scope, args: { agencyId?: string | null; from: string; to: string }): Promise<StatisticsResult> {
    const actor = scope.requireActor();
    if (!isPlainDate(args.from)) throw badInput('Ngày bắt đầu không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'from');
    if (!isPlainDate(args.to)) throw badInput('Ngày kết thúc không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'to');
    if (args.from > args.to) throw badInput('"Từ ngày" phải trước hoặc bằng "đến ngày".', 'from');
    if (daysBetween(args.from, args.to) > 10 * 366) throw badInput('Khoảng thời gian tối đa là 10 năm.', 'from');

    const em = scope.em;
    const agencyId = args.agencyId ?? actor.agencyId;
    const viewer = viewerOf(actor);
    // (whether the caller's agency is the operator is read only when it matters)
    const operator = statisticsNeedsOperatorCheck(viewer, agencyId) && !!(await em.findOne(Agency, { id: actor.agencyId }))?.operator;
    const scope_ = statisticsScope(viewer, agencyId, operator);
    if (!scope_) throw forbidden('Bạn chỉ được xem thống kê của cơ quan mình.');
    if (!isUuid(agencyId)) throw notFound('Cơ quan');
    const agency = await em.findOne(Agency, { id: agencyId });
    if (!agency) throw notFound('Cơ quan');

    const today = todayIn(this.clock.now());
    const conn = em.getConnection();
    const tx = em.getTransactionContext();
    const period = [agencyId, args.from, args.to];
    const who = scope_.kind === 'SELF' ? 'user_id' : 'unit_id';
    const drafter = scope_.kind === 'SELF' ? 'drafter_id' : 'drafter_unit_id';
    const whoId = scope_.kind === 'SELF' ? scope_.userId : scope_.kind === 'UNIT' ? scope_.unitId : null;

    const [[totals], unitRows, units] = await Promise.all([
      scope_.kind === 'AGENCY'
        ? conn.execute<(Counts & { incoming: string; electronic: string; outgoing: string })[]>(
            `WITH p AS (SELECT ?::date AS today), inc AS (${INCOMING_OF_PERIOD})
             SELECT (SELECT count(*) FROM inc) AS incoming,
                    (SELECT count(*) FROM inc WHERE electronic) AS electronic,
                    (SELECT count(*) FROM document o WHERE o.agency_id = ?::uuid AND o.direction = 'OUTGOING' AND o.state = 'ISSUED'
                        AND o.issued_date >= ?::date AND o.issued_date <= ?::date) AS outgoing,
                    ${buckets(`d.state = 'DONE'`, `d.state IN ('ASSIGNED', 'IN_PROGRESS')`, 'd.deadline', 'COALESCE(d.completed_at, d.updated_at)')}
               FROM p LEFT JOIN inc d ON d.state IN ('ASSIGNED', 'IN_PROGRESS', 'DONE')
              GROUP BY p.today`,
            [today, ...period, ...period],
            'all',
            tx,
          )
        : // UNIT / SELF: the documents with an active assignment to the unit / the person; handling on those assignments.
          conn.execute<(Counts & { incoming: string; electronic: string; outgoing: string })[]>(
            `WITH p AS (SELECT ?::date AS today), inc AS (${INCOMING_OF_PERIOD}),
                  mine AS (SELECT a.id, a.document_id, a.state, a.deadline, a.completed_at, d.deadline AS d_deadline,
                                  d.completed_at AS d_completed_at, d.updated_at AS d_updated_at, d.electronic
                             FROM inc d JOIN assignment a ON a.document_id = d.id AND a.active AND a.${who} = ?::uuid
                            WHERE d.state IN ('ASSIGNED', 'IN_PROGRESS', 'DONE'))
             SELECT (SELECT count(DISTINCT document_id) FROM mine) AS incoming,
                    (SELECT count(DISTINCT document_id) FROM mine WHERE electronic) AS electronic,
                    (SELECT count(*) FROM document o WHERE o.agency_id = ?::uuid AND o.direction = 'OUTGOING' AND o.state = 'ISSUED'
                        AND o.issued_date >= ?::date AND o.issued_date <= ?::date AND o.${drafter} = ?::uuid) AS outgoing,
                    ${buckets(`a.state = 'DONE'`, `a.state IN ('PENDING', 'IN_PROGRESS')`, 'COALESCE(a.deadline, a.d_deadline)', 'COALESCE(a.completed_at, a.d_completed_at, a.d_updated_at)')}
               FROM p LEFT JOIN mine a ON true
              GROUP BY p.today`,
            [today, ...period, whoId, ...period, whoId],
            'all',
            tx,
          ),
      conn.execute<(Counts & { unit_id: string; assigned: string })[]>(
        `WITH p AS (SELECT ?::date AS today), inc AS (${INCOMING_OF_PERIOD})
         SELECT a.unit_id, count(*) AS assigned,
                ${buckets(`a.state = 'DONE'`, `a.state IN ('PENDING', 'IN_PROGRESS')`, 'COALESCE(a.deadline, d.deadline)', 'COALESCE(a.completed_at, d.completed_at, d.updated_at)')}
           FROM p, inc d JOIN assignment a ON a.document_id = d.id AND a.active
          WHERE d.state IN ('ASSIGNED', 'IN_PROGRESS', 'DONE') AND a.unit_id IS NOT NULL
            -- a unit's assignment passed on inside the same unit (bút phê chain) is one piece of that unit's work
            AND NOT EXISTS (SELECT 1 FROM assignment c WHERE c.parent_id = a.id AND c.active AND c.unit_id = a.unit_id)
          GROUP BY a.unit_id`,
        [today, ...period],
        'all',
        tx,
      ),
      scope_.kind === 'SELF'
        ? Promise.resolve([] as Unit[])
        : em.find(Unit, scope_.kind === 'UNIT' ? { agency: agencyId, id: scope_.unitId } : { agency: agencyId }, { orderBy: { name: 'asc', id: 'asc' } }),
    ]);

    const n = (s: string | number | undefined) => Number(s ?? 0);
    const byUnit = new Map(unitRows.map((r) => [r.unit_id, r]));
    const incoming = n(totals?.incoming);
    const handledOnTime = n(totals?.handled_on_time);
    const handledLate = n(totals?.handled_late);
    return {
      agency,
      scope: scope_.kind,
      from: args.from,
      to: args.to,
      incoming,
      outgoing: n(totals?.outgoing),
      electronicShare: incoming ? n(totals?.electronic) / incoming : null,
      handledOnTime,
      handledLate,
      openOnTime: n(totals?.open_on_time),
      openOverdue: n(totals?.open_overdue),
      onTimeRate: handledOnTime + handledLate ? handledOnTime / (handledOnTime + handledLate) : null,
      units: units.map((unit) => {
        const r = byUnit.get(unit.id);
        return {
          unit,
          assigned: n(r?.assigned),
          handledOnTime: n(r?.handled_on_time),
          handledLate: n(r?.handled_late),
          openOnTime: n(r?.open_on_time),
          openOverdue: n(r?.open_overdue),
        };
      }),
    };
  }
}
