/**
 * The SLA clock (服务时限), driven by a job that runs every minute once across the instances (platform/jobs):
 * one set-based pass over the open requests whose due times have come, through the partial indexes of
 * migration 0029 — warnings before a breach, breaches of the response and of the resolution targets, and the
 * fee waivers of faults that outlast their limit. Each step writes the requests, their timelines and the
 * in-app messages to the handler and the unit's heads (and a fault's fee waiver) in one statement, so a pass cut short by a crash
 * leaves no request half-done, and a second pass finds nothing left to do. A backlog goes in batches of 5,000, two at a time.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../../../platform/deps.js';
import { translate, type MessageCode } from '../../../platform/i18n/messages.js';
import type { JobDef } from '../../../platform/jobs/scheduler.js';
import { nearestHoldersSql } from '../../../platform/notify/notify.js';

/** The open requests whose clock runs (it stands still while waiting for the customer). */
const RUNNING = sql`r.status IN ('new', 'accepted', 'in_progress')`;

/** Requests changed per transaction: a backlog (a restart after hours down) goes in steps that keep locks and messages short. */
const BATCH = 5_000;

/**
 * Batches of a step written at once, each in its own transaction: PostgreSQL keeps two cores busy instead of one
 * (the large profile's backlog pass 17.0–17.7 → 11.6–14.0 s, docs/decisions.md); on PGlite, one connection, they take turns.
 */
const WORKERS = 2;

/**
 * One step: `hit` marks the requests (RETURNING id, request_no, customer_id, owner_id, handling_unit_id,
 * resolve_due_at), then the timeline event and the messages to the handler and the nearest heads.
 */
function step(hit: SQL, event: { kind: 'sla_warning' | 'sla_breach'; reason?: MessageCode }, code: MessageCode, more: SQL = sql``): SQL {
  return sql`
    WITH hit AS (${hit}),
    ev AS (
      INSERT INTO service_request_events (request_id, kind, detail)
      SELECT id, ${event.kind}, jsonb_build_object('dueAt', resolve_due_at, 'reason', ${event.reason ?? null}::text) FROM hit),
    -- the heads of each handling unit found once, not once per request
    heads AS (
      SELECT unit.id AS unit_id, head.id AS user_id FROM (SELECT DISTINCT handling_unit_id FROM hit) u JOIN org_units unit ON unit.id = u.handling_unit_id
      CROSS JOIN LATERAL (${nearestHoldersSql(sql`unit.path`, 'services.manage')}) head),
    recipients AS (
      SELECT h.id AS request_id, h.owner_id AS user_id FROM hit h WHERE h.owner_id IS NOT NULL
      UNION
      SELECT h.id, heads.user_id FROM hit h JOIN heads ON heads.unit_id = h.handling_unit_id),
    sent AS (
      INSERT INTO notifications (user_id, code, params, link, entity, entity_id)
      SELECT rc.user_id, ${code}, jsonb_build_object('requestNo', h.request_no, 'customerName', c.name,
               'dueAt', to_char(h.resolve_due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')),
             '/services/requests/' || h.id, 'service_request', h.id
      FROM recipients rc JOIN hit h ON h.id = rc.request_id JOIN customers c ON c.id = h.customer_id)${more}
    SELECT count(*)::int AS n FROM hit`;
}

const RETURNED = sql`RETURNING r.id, r.request_no, r.customer_id, r.owner_id, r.handling_unit_id, r.resolve_due_at, r.sla_policy_id, r.type`;

/**
 * The requests of one step, a batch at a time in the order of the due time the step's partial index keeps
 * (migration 0029), so that the planner reads that small index rather than estimating from the whole table.
 */
const batch = (cond: SQL, due: SQL, size: number) => sql`r.id IN (SELECT r.id FROM service_requests r WHERE ${cond} ORDER BY ${due} LIMIT ${size} FOR UPDATE SKIP LOCKED)`;

/** The requests not answered within the response target. */
const responseBreaches = (now: Date, size: number) => sql`
  UPDATE service_requests r SET sla_state = 'breached', breached_at = ${now}, breach_reason = ${translate('sla_breach_response', 'zh-CN')}
  WHERE ${batch(sql`r.status = 'new' AND r.responded_at IS NULL AND r.sla_state <> 'breached' AND r.respond_due_at <= ${now}`, sql`r.respond_due_at`, size)} ${RETURNED}`;

/** The requests not resolved within the resolution target (also those breached on the response before). */
const resolutionBreaches = (now: Date, size: number) => sql`
  UPDATE service_requests r SET sla_state = 'breached', breached_at = coalesce(r.breached_at, ${now}), resolve_breached_at = ${now},
    breach_reason = coalesce(r.breach_reason, ${translate('sla_breach_resolution', 'zh-CN')})
  WHERE ${batch(sql`${RUNNING} AND r.resolve_breached_at IS NULL AND r.resolve_due_at <= ${now}`, sql`r.resolve_due_at`, size)} ${RETURNED}`;

/** The requests that reached their warning time. */
const warnings = (now: Date, size: number) => sql`
  UPDATE service_requests r SET sla_state = 'warning', warned_at = ${now}
  WHERE ${batch(sql`${RUNNING} AND r.sla_state = 'ok' AND r.warn_at <= ${now} AND r.resolve_due_at > ${now}`, sql`r.warn_at`, size)} ${RETURNED}`;

/** 免收月租: a fault just breached on resolution under a policy that waives the fee, for the month of the breach (Asia/Shanghai). */
const waivers = (now: Date) => sql`,
    waived AS (
      INSERT INTO fee_waivers (request_id, customer_id, month, reason)
      SELECT h.id, h.customer_id, date_trunc('month', ${now}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,
             replace(${translate('fee_waiver_reason', 'zh-CN', { hours: '{hours}' })}, '{hours}', (p.resolve_minutes / 60)::text)
      FROM hit h JOIN sla_policies p ON p.id = h.sla_policy_id
      WHERE p.waives_fee AND h.type = 'fault'
      ON CONFLICT (request_id) DO NOTHING
      RETURNING request_id, month),
    waived_ev AS (
      INSERT INTO service_request_events (request_id, kind, visibility, detail)
      SELECT request_id, 'fee_waived', 'customer', jsonb_build_object('month', to_char(month, 'YYYY-MM')) FROM waived)`;

export interface SlaPass {
  responseBreaches: number;
  resolutionBreaches: number;
  warnings: number;
}

/**
 * One pass of the clock at `now` (the job passes the time of its run; tests pass theirs), each step in batches until
 * none is left (tests pass smaller batches).
 */
export async function runSlaClock(deps: Deps, now = new Date(), batchSize = BATCH): Promise<SlaPass> {
  const { database } = deps;
  // each worker takes the next batch its rows' locks leave (SKIP LOCKED) until it finds less than a batch left
  const worker = async (query: SQL) => {
    let total = 0;
    for (;;) {
      const n = await database.db.transaction(async (tx) => Number((await database.rows<{ n: number }>(query, tx))[0]?.n ?? 0));
      total += n;
      if (n < batchSize) return total;
    }
  };
  const drain = async (query: SQL) => (await Promise.all(Array.from({ length: WORKERS }, () => worker(query)))).reduce((a, b) => a + b, 0);
  return {
    responseBreaches: await drain(step(responseBreaches(now, batchSize), { kind: 'sla_breach', reason: 'sla_breach_response' }, 'notify_sla_breach')),
    resolutionBreaches: await drain(step(resolutionBreaches(now, batchSize), { kind: 'sla_breach', reason: 'sla_breach_resolution' }, 'notify_sla_breach', waivers(now))),
    warnings: await drain(step(warnings(now, batchSize), { kind: 'sla_warning' }, 'notify_sla_warning')),
  };
}

export const slaClockJob: JobDef = { name: 'services.sla-clock', pattern: '* * * * *', run: async (deps) => ({ ...(await runSlaClock(deps)) }) };
