/**
 * The demo's appointments (预约服务): in every city a VIP lounge at the city unit, the counter of its first
 * outlet and the time of two of its account managers; slots on the working days of the past 30 and the next
 * 14 days (广东 calendar, with the holiday calendar's days off and 调休 workdays); bookings of the city's key
 * accounts (a manager's: their own portfolio) on some of them — the past ones attended or missed, a few
 * cancelled. Deterministic from the seed (md5 of the seed and the slot), relative to today; set-based SQL.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import type { Deps } from '../platform/deps.js';
import { todayAt } from '../platform/months.js';

/** A stable number in [0, 2^31) from the key and the salt. */
const hash = (key: ReturnType<typeof sql>, salt: string) => sql`((('x' || substr(md5(${key}::text || ${salt}), 1, 8))::bit(32)::int) & 2147483647)`;

/** Start times, length and places of each kind's slots. */
const TIMETABLE = [
  { kind: 'vip_lounge', times: ['09:00', '10:00', '11:00', '14:00', '15:00', '16:00'], minutes: 60, capacity: 4 },
  { kind: 'outlet', times: ['09:00', '09:30', '10:00', '10:30', '11:00', '14:00', '14:30', '15:00', '15:30', '16:00'], minutes: 30, capacity: 2 },
  { kind: 'manager', times: ['10:00', '14:00', '16:00'], minutes: 60, capacity: 1 },
];

const PURPOSES = ['集团专线续约洽谈', '国际漫游开通咨询', '话费账单核对', '套餐变更', '补换 SIM 卡', '5G 专网方案交流', '积分兑换', '企业短信业务办理', '宽带提速', '贵宾厅休息'];

/** Creates the resources; returns their ids (the slots and bookings below are theirs only). */
async function seedResources(database: Database, tx: Executor): Promise<number[]> {
  const lounges = await database.rows<{ id: number }>(sql`
    INSERT INTO appointment_resources (kind, name, name_en, unit_id)
    SELECT 'vip_lounge', replace(c.name, '分公司', '') || '贵宾厅', replace(c.name_en, ' Branch', '') || ' VIP lounge', c.id
    FROM org_units c WHERE c.kind = 'city' ORDER BY c.id RETURNING id`, tx);
  const counters = await database.rows<{ id: number }>(sql`
    INSERT INTO appointment_resources (kind, name, name_en, unit_id)
    SELECT DISTINCT ON (c.id) 'outlet', o.name || '预约窗口', o.name_en || ' counter', o.id
    FROM org_units c JOIN org_units o ON o.kind = 'outlet' AND starts_with(o.path, c.path)
    WHERE c.kind = 'city' ORDER BY c.id, o.code RETURNING id`, tx);
  const managers = await database.rows<{ id: number }>(sql`
    INSERT INTO appointment_resources (kind, name, name_en, unit_id, user_id)
    SELECT 'manager', m.display_name || '（客户经理）', 'Account manager ' || m.username, m.unit_id, m.id
    FROM (
      SELECT u.id, u.username, u.display_name, u.unit_id, c.id AS city_id, row_number() OVER (PARTITION BY c.id ORDER BY u.username) AS n
      FROM org_units c
      JOIN org_units uu ON starts_with(uu.path, c.path)
      JOIN users u ON u.unit_id = uu.id AND u.active
      WHERE c.kind = 'city'
        AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.code = 'account_manager')
    ) m WHERE m.n <= 2 ORDER BY m.city_id, m.n RETURNING id`, tx);
  return [...lounges, ...counters, ...managers].map((r) => Number(r.id));
}

async function seedSlots(tx: Executor, resources: SQL, today: string) {
  const timetable = JSON.stringify(TIMETABLE.flatMap((t) => t.times.map((time) => ({ kind: t.kind, time, minutes: t.minutes, capacity: t.capacity }))));
  await tx.execute(sql`
    INSERT INTO appointment_slots (resource_id, starts_at, ends_at, capacity, created_at, updated_at)
    SELECT r.id, st.at, st.at + make_interval(mins => t.minutes), t.capacity, ${today}::date - 45, ${today}::date - 45
    FROM appointment_resources r
    JOIN jsonb_to_recordset(${timetable}::jsonb) AS t(kind text, time text, minutes int, capacity int) ON t.kind = r.kind
    CROSS JOIN generate_series(${today}::date - 30, ${today}::date + 14, interval '1 day') d
    LEFT JOIN holidays h ON h.day = d::date
    CROSS JOIN LATERAL (SELECT ((d::date + t.time::time)::timestamp AT TIME ZONE 'Asia/Shanghai') AS at) st
    WHERE r.id = ANY(${resources}) AND coalesce(h.kind = 'workday', extract(isodow FROM d) < 6)
    ON CONFLICT (resource_id, starts_at) DO NOTHING`);
}

/** The customers a resource's bookings are drawn from: a manager's portfolio, or the city's key accounts (the first of them by id). */
const POOL = 500;

/**
 * A slot gets between none and all of its places booked, by distinct customers of the resource's pool
 * (numbered 0…size-1, so that a slot's k-th booking is a join on its number), booked by the manager or the
 * city's service agent.
 */
async function seedBookings(tx: Executor, resources: SQL, seed: number, today: string) {
  const s = String(seed);
  const purposes = `{${PURPOSES.map((p) => `"${p}"`).join(',')}}`;
  const usable = sql`c.archive = 'in_network' AND c.merged_into IS NULL`;
  await tx.execute(sql`
    WITH res AS MATERIALIZED (
      SELECT r.id AS resource_id, r.kind, r.user_id, city.path AS city_path,
        (SELECT u.id FROM users u JOIN org_units au ON au.id = u.unit_id JOIN user_roles ur ON ur.user_id = u.id JOIN roles ro ON ro.id = ur.role_id
         WHERE ro.code = 'service_agent' AND u.active AND starts_with(au.path, city.path) ORDER BY u.username LIMIT 1) AS agent
      FROM appointment_resources r
      JOIN org_units ru ON ru.id = r.unit_id
      JOIN org_units city ON city.kind = 'city' AND starts_with(ru.path, city.path)
      WHERE r.id = ANY(${resources})
    ), members AS MATERIALIZED (
      SELECT res.resource_id, m.id AS customer_id, (row_number() OVER (PARTITION BY res.resource_id ORDER BY m.id) - 1)::int AS n
      FROM res CROSS JOIN LATERAL (
        (SELECT c.id FROM customers c WHERE res.kind = 'manager' AND c.manager_id = res.user_id AND ${usable} ORDER BY c.id LIMIT ${POOL})
        UNION ALL
        (SELECT c.id FROM customers c
         WHERE res.kind <> 'manager' AND c.unit_id IN (SELECT id FROM org_units WHERE starts_with(path, res.city_path)) AND ${usable}
         ORDER BY c.id LIMIT ${POOL})
      ) m
    ), sizes AS (
      SELECT resource_id, count(*)::int AS size FROM members GROUP BY resource_id
    ), picks AS (
      SELECT sl.id AS slot_id, sl.resource_id, sl.starts_at, sl.ends_at, z.size, least(sl.capacity, z.size) AS room, ${hash(sql`sl.id`, `${s}:slot`)} AS h
      FROM appointment_slots sl JOIN sizes z ON z.resource_id = sl.resource_id
    ), wanted AS (
      SELECT pk.*, k, ((pk.h::bigint + k) % pk.size)::int AS n, ${hash(sql`pk.slot_id || ':' || k`, `${s}:status`)} % 100 AS roll
      FROM picks pk CROSS JOIN LATERAL generate_series(0, pk.room - 1) k
      WHERE k < (pk.h % (pk.room + 2)) - 1
    ), booked AS (
      SELECT w.slot_id, w.starts_at, w.ends_at, w.k, m.customer_id, ${hash(sql`w.slot_id || ':' || w.k`, `${s}:purpose`)} AS pick,
        -- a manager books their own time; the lounge and the counter, the city's agent or the customer's manager
        CASE WHEN res.user_id IS NOT NULL THEN res.user_id WHEN w.h % 2 = 0 THEN res.agent END AS booker,
        CASE WHEN w.starts_at < now() THEN CASE WHEN w.roll < 8 THEN 'cancelled' WHEN w.roll < 22 THEN 'no_show' ELSE 'attended' END
             ELSE CASE WHEN w.roll < 6 THEN 'cancelled' ELSE 'booked' END END AS status,
        least(now(), w.starts_at - make_interval(days => 1 + w.h % 10, hours => w.k)) AS made_at
      FROM wanted w
      JOIN members m ON m.resource_id = w.resource_id AND m.n = w.n
      JOIN res ON res.resource_id = w.resource_id
    )
    INSERT INTO appointments (slot_id, customer_id, status, purpose, booked_by, reminded_at, created_at, updated_at)
    SELECT b.slot_id, b.customer_id, b.status,
      (${purposes}::text[])[1 + b.pick % ${PURPOSES.length}],
      coalesce(b.booker, (SELECT manager_id FROM customers WHERE id = b.customer_id)),
      -- reminded the day before, up to today's; tomorrow's are left to the reminders job
      CASE WHEN b.status <> 'cancelled' AND b.starts_at < (${today}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' THEN greatest(b.made_at, b.starts_at - interval '1 day') END,
      b.made_at,
      CASE WHEN b.status IN ('attended', 'no_show') THEN least(now(), b.ends_at) ELSE b.made_at END
    FROM booked b ORDER BY b.starts_at, b.slot_id, b.k`);
  await tx.execute(sql`
    UPDATE appointment_slots sl SET booked = held.n
    FROM (SELECT a.slot_id, count(*) FILTER (WHERE a.status <> 'cancelled')::int AS n
          FROM appointments a JOIN appointment_slots x ON x.id = a.slot_id WHERE x.resource_id = ANY(${resources}) GROUP BY a.slot_id) held
    WHERE sl.id = held.slot_id AND sl.booked <> held.n`);
}

export async function seedDemoAppointments(deps: Deps, seed: number): Promise<void> {
  const today = todayAt();
  await deps.database.db.transaction(async (tx) => {
    const resources = sql`${`{${(await seedResources(deps.database, tx)).join(',')}}`}::bigint[]`;
    await seedSlots(tx, resources, today);
    await seedBookings(tx, resources, seed, today);
  });
}
