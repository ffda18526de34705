/**
 * The demo's manager profiles (经理档案): every account manager gets a grade, a start as a manager (1 to 15 years
 * ago), one to three skills and a maximum portfolio (a few set below what they hold, so that the list flags them),
 * and one to three certifications — about one in five expiring within 60 days, a few expired, the others valid
 * for years. Deterministic from the seed (md5 of the seed and the user), relative to today; set-based SQL.
 */
import { sql } from 'drizzle-orm';
import type { Deps } from '../platform/deps.js';
import { todayAt } from '../platform/months.js';

/** A stable number in [0, 2^31) from the key and the salt. */
const hash = (key: ReturnType<typeof sql>, salt: string) => sql`((('x' || substr(md5(${key}::text || ${salt}), 1, 8))::bit(32)::int) & 2147483647)`;

const GRADES = ['junior', 'intermediate', 'intermediate', 'senior', 'senior', 'expert'];
const SKILLS = ['ict', 'finance', 'government', 'manufacturing', 'education', 'health', 'retail', 'logistics'];
const CERTIFICATIONS: [string, string][] = [
  ['通信工程师（中级）', '人力资源和社会保障部'],
  ['ICT 解决方案专家', '中国移动通信集团'],
  ['政企客户经理岗位资格', '中国移动广东公司'],
  ['项目管理专业人士（PMP）', 'PMI'],
  ['信息系统项目管理师', '工业和信息化部'],
  ['HCIP-Datacom 数据通信工程师', '华为'],
  ['云计算工程师（ACP）', '阿里云'],
  ['网络安全等级保护测评师', '公安部第三研究所'],
];

const textArray = (items: string[]) => `{${items.map((i) => `"${i}"`).join(',')}}`;

export async function seedDemoManagerProfiles(deps: Deps, seed: number): Promise<void> {
  const s = String(seed);
  const today = todayAt();
  const managers = sql`
    SELECT u.id FROM users u
    WHERE u.active AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.code = 'account_manager')`;
  await deps.database.db.transaction(async (tx) => {
    await tx.execute(sql`
      INSERT INTO manager_profiles (user_id, grade, started_on, skills, max_portfolio, note)
      SELECT m.id,
        (${textArray(GRADES)}::text[])[1 + ${hash(sql`m.id`, `${s}grade`)} % ${GRADES.length}],
        ${today}::date - (365 + ${hash(sql`m.id`, `${s}start`)} % (14 * 365)),
        ARRAY(SELECT DISTINCT (${textArray(SKILLS)}::text[])[1 + ${hash(sql`m.id::text || k`, `${s}skill`)} % ${SKILLS.length}]
              FROM generate_series(1, 1 + ${hash(sql`m.id`, `${s}skills`)} % 3) k),
        CASE WHEN ${hash(sql`m.id`, `${s}max`)} % 4 = 0 THEN NULL
             -- one in six is set below what they hold: over the maximum, a head moves some of their customers
             WHEN ${hash(sql`m.id`, `${s}over`)} % 6 = 0 THEN greatest(1, held.n - 1 - held.n / 10)
             ELSE held.n + 10 + ${hash(sql`m.id`, `${s}room`)} % 40 END,
        NULL
      FROM (${managers}) m
      CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM customers c WHERE c.manager_id = m.id AND c.merged_into IS NULL AND c.archive = 'in_network') held
      ON CONFLICT (user_id) DO NOTHING`);
    await tx.execute(sql`
      INSERT INTO manager_certifications (user_id, name, issuer, certificate_no, issued_on, expires_on)
      SELECT m.id, cert.name, cert.issuer, 'GD' || lpad((${hash(sql`m.id::text || k`, `${s}no`)} % 100000000)::text, 8, '0'),
        exp.expires_on - (365 * (2 + ${hash(sql`m.id::text || k`, `${s}valid`)} % 3)),
        exp.expires_on
      FROM (${managers}) m
      CROSS JOIN LATERAL generate_series(1, 1 + ${hash(sql`m.id`, `${s}certs`)} % 3) k
      CROSS JOIN LATERAL (SELECT 1 + (${hash(sql`m.id`, `${s}first`)} + k * 3) % ${CERTIFICATIONS.length} AS n) pick
      CROSS JOIN LATERAL (
        SELECT (${textArray(CERTIFICATIONS.map((c) => c[0]))}::text[])[pick.n] AS name, (${textArray(CERTIFICATIONS.map((c) => c[1]))}::text[])[pick.n] AS issuer) cert
      CROSS JOIN LATERAL (
        SELECT CASE
          WHEN ${hash(sql`m.id::text || k`, `${s}exp`)} % 100 < 20 THEN ${today}::date + 1 + ${hash(sql`m.id::text || k`, `${s}soon`)} % 59
          WHEN ${hash(sql`m.id::text || k`, `${s}exp`)} % 100 < 25 THEN ${today}::date - 1 - ${hash(sql`m.id::text || k`, `${s}past`)} % 200
          ELSE ${today}::date + 60 + ${hash(sql`m.id::text || k`, `${s}later`)} % (4 * 365) END AS expires_on) exp`);
  });
}
