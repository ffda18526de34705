/**
 * The demo's cross-industry partners (跨行业服务): 南方航空's lounge, kept by the province and allowed to verify by
 * membership number, and a Guangzhou hospital's green channel, each with a key whose secret is printed nowhere
 * (an administrator issues a new one in 服务功能 → 合作伙伴, docs/partner-api.md). The lounge has confirmed a
 * dozen lounge visits of five-star customers, through the partner API's own service. Deterministic from the seed.
 */
import { sql } from 'drizzle-orm';
import { ALL_PERMISSIONS } from '../platform/auth/permissions.js';
import { systemActor } from '../platform/auth/principal.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { authenticateKey, confirmUse, partnerActor, startVerification } from '../modules/services/partners/api.js';
import { createPartner, issueCredential } from '../modules/services/partners/service.js';
import type { CreatePartner } from '../modules/services/partners/schemas.js';

const LOUNGE: CreatePartner = {
  code: 'CSA-VIP-LOUNGE',
  name: '南方航空 贵宾厅',
  nameEn: 'China Southern Airlines VIP lounges',
  industry: 'airline',
  benefits: ['vip_lounge', 'priority_service'],
  verifyByMemberNo: true,
  rateLimitPerMinute: 600,
  note: '白云机场 T1/T2 及省内各机场贵宾厅；凭全球通会员号或手机验证码核验',
};

const HOSPITAL = (unitId: number): CreatePartner => ({
  code: 'GZ-HOSPITAL-GREEN',
  name: '广州市第一人民医院 绿色通道',
  nameEn: 'Guangzhou First People’s Hospital green channel',
  industry: 'hospital',
  unitId,
  benefits: ['priority_service'],
  verifyByMemberNo: false,
  rateLimitPerMinute: 120,
  note: '挂号、检查优先（绿色通道按“优先服务”权益核验）',
});

export async function seedDemoPartners(deps: Deps, seed: number): Promise<void> {
  const admin = systemActor(new Set(ALL_PERMISSIONS), 'demo');
  const [gz] = await deps.database.rows<{ id: number }>(sql`SELECT id FROM org_units WHERE code = 'GD-GZ'`);
  const lounge = await createPartner(deps, admin, { ...LOUNGE, unitId: await provinceId(deps) });
  await createPartner(deps, admin, HOSPITAL(Number(gz!.id))).then((p) => issueCredential(deps, admin, p.id, { label: '门诊部服务台' }));
  // the secret lives only in this function: the lounge's visits go through the partner API's own service
  const issued = await issueCredential(deps, admin, lounge.id, { label: '白云机场 T2 贵宾厅前台' });
  const check = await authenticateKey(deps, `Bearer ${issued.token}`);
  if (!('caller' in check)) throw new Error('the demo partner’s key does not open the API');
  const actor = partnerActor(check.caller, 'demo', null);
  const guests = await deps.database.rows<{ customerNo: string }>(sql`
    SELECT c.customer_no AS "customerNo" FROM customer_ratings r JOIN customers c ON c.id = r.customer_id
    WHERE r.month = (SELECT max(month) FROM rule_runs WHERE status = 'completed') AND r.level IN ('5s', '5g', '5d') AND c.merged_into IS NULL
    ORDER BY md5(c.id::text || ${String(seed)}) LIMIT 12`);
  for (const [i, guest] of guests.entries()) {
    const verified = await startVerification(deps, check.caller, actor, { memberNo: guest.customerNo });
    // a guest whose visits of the year are used up is turned away (422), as at the lounge's desk
    await confirmUse(deps, check.caller, actor, { verificationId: verified.verificationId, benefit: 'vip_lounge', quantity: 1 + (i % 2), partnerTxnId: `CZ3${String(100 + i)}-DEMO` }).catch((err: unknown) => {
      if (!(err instanceof AppError && err.status === 422)) throw err;
    });
  }
}

async function provinceId(deps: Deps): Promise<number> {
  const [row] = await deps.database.rows<{ id: number }>(sql`SELECT id FROM org_units WHERE code = 'GD'`);
  return Number(row!.id);
}
