/**
 * The demo's solutions (集团/个人解决方案): a catalogue of a mobile operator's enterprise and personal offer, and
 * proposals for about one customer in eight, in every status; the signed ones have added their products to the
 * customer's products. Deterministic from the seed (md5 of the customer and the seed, never random()), set-based.
 */
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import type { Deps } from '../platform/deps.js';
import { TODAY } from './catalog.js';

interface DemoProduct {
  code: string;
  name: string;
  nameEn: string;
  category: string;
  fee: string;
  description: string;
  /** How many a customer typically takes: the quantity of a proposal's item lies in this range. */
  qty: [number, number];
  /** A bundle's products with their quantities. */
  bundle?: [string, number][];
}

const P = (code: string, name: string, nameEn: string, category: string, fee: string, qty: [number, number], description: string): DemoProduct => ({
  code,
  name,
  nameEn,
  category,
  fee,
  qty,
  description,
});

export const DEMO_PRODUCTS: DemoProduct[] = [
  P('DIA-100M', '互联网专线（100M）', 'Dedicated Internet access, 100 Mbps', 'connectivity', '3000.00', [1, 2], '对称带宽、固定公网地址，可用率 99.9%'),
  P('CLOUD-LINK', '云专线', 'Cloud private line', 'connectivity', '2500.00', [1, 2], '企业机房到移动云的专用链路'),
  P('DATA-LINK', '数据专线（跨市）', 'Inter-city data line', 'connectivity', '5000.00', [1, 3], '总部与分支机构互联的专用网络'),
  P('BIZ-BB-300M', '企业宽带（300M）', 'Business broadband, 300 Mbps', 'connectivity', '299.00', [1, 5], '中小企业上网，含固定公网地址一个'),
  P('5G-VPN', '5G专网（虚拟专网）', '5G private network (virtual)', 'connectivity', '20000.00', [1, 1], '园区 5G 切片专网，数据不出园区'),
  P('ECS-4C8G', '移动云主机（4核8G）', 'Mobile Cloud server, 4 vCPU 8 GB', 'cloud', '899.00', [2, 20], '含 100G 云硬盘与 5M 公网带宽'),
  P('CLOUD-PC', '云电脑（企业版）', 'Cloud PC, business edition', 'cloud', '99.00', [10, 100], '按席位计费的云桌面'),
  P('VPMN', '集团V网', 'Group VPMN', 'voice', '10.00', [20, 300], '集团成员间短号互拨、网内通话优惠（每成员）'),
  P('MOBILE-PBX', '移动总机', 'Mobile switchboard', 'voice', '800.00', [1, 1], '总机号码、语音导航、来电分配'),
  P('HOTLINE-400', '400 热线', '400 hotline', 'voice', '500.00', [1, 2], '全国统一客服号码，主叫免长途费'),
  P('PTT', '和对讲', 'Push-to-talk (PTT)', 'voice', '30.00', [10, 80], '公网集群对讲（每终端）'),
  P('ENT-SMS', '企业短信（万条）', 'Business SMS, 10 000 messages', 'messaging', '400.00', [1, 10], '验证码、通知类短信'),
  P('CLOUD-VC', '云视讯', 'Cloud video conferencing', 'video', '300.00', [2, 10], '高清视频会议（每会议室）'),
  P('QLY-CAM', '千里眼 视频监控', 'Qianliyan video surveillance', 'video', '20.00', [8, 120], '云存储 7 天的视频监控（每路）'),
  P('IOT-CARD', '物联网卡', 'IoT SIM', 'iot', '5.00', [100, 2000], '定向流量物联网卡（每卡）'),
  P('ICT-OM', '信息化代维服务', 'ICT operation and maintenance', 'ict', '2000.00', [1, 1], '网络与机房设备 7×24 代维'),
  P('HOME-1000M', '家庭宽带千兆', 'Gigabit home broadband', 'personal', '129.00', [1, 1], '千兆光纤入户，含全屋光纤组网'),
  P('GOTONE-VIP', '全球通尊享套餐', 'GoTone premium plan', 'personal', '388.00', [1, 2], '含 100GB 流量、2000 分钟通话'),
  P('HECAIYUN-1T', '和彩云（1TB）', 'Cloud storage, 1 TB', 'personal', '10.00', [1, 1], '个人云盘'),
  P('KANJIA', '移动看家', 'Home camera service', 'personal', '15.00', [1, 3], '家庭摄像头云存储'),
  P('MIGU-VIP', '咪咕视频钻石会员', 'Migu Video diamond membership', 'personal', '30.00', [1, 1], '体育赛事与影视会员'),
  {
    ...P('HESHANGWU', '和商务套餐', 'HeShangwu business bundle', 'ict', '599.00', [1, 3], '中小企业上网、V网与短信的组合'),
    bundle: [['BIZ-BB-300M', 1], ['VPMN', 20], ['ENT-SMS', 1]],
  },
  { ...P('SMART-SHOP', '智慧门店套餐', 'Smart shop bundle', 'video', '699.00', [1, 5], '门店宽带、视频监控与云电脑'), bundle: [['BIZ-BB-300M', 1], ['QLY-CAM', 8], ['CLOUD-PC', 2]] },
  { ...P('CLOUD-START', '上云套餐', 'Move-to-cloud bundle', 'cloud', '4200.00', [1, 2], '云专线加两台云主机'), bundle: [['CLOUD-LINK', 1], ['ECS-4C8G', 2]] },
  { ...P('FAMILY-PACK', '全家享套餐', 'Family bundle', 'personal', '158.00', [1, 1], '千兆宽带、看家与云盘'), bundle: [['HOME-1000M', 1], ['KANJIA', 1], ['HECAIYUN-1T', 1]] },
];

const GROUP_TITLES = ['信息化升级方案', '5G 智慧园区方案', '融合通信方案', '视频监控与安防方案', '上云与数据专线方案', '物联网连接方案', '移动办公方案'];
const PERSONAL_TITLES = ['家庭融合套餐方案', '全球通尊享升级方案', '智慧家庭方案'];
const LOST_REASONS = ['价格高于竞争对手报价', '客户预算取消', '客户选择了中国电信的方案', '需求延后至明年', '客户内部决策调整'];

/** A number in [0, 2^31) from md5 of a row key and a salt: the same on PGlite and PostgreSQL for the same seed. */
const hash = (key: ReturnType<typeof sql>, salt: string) => sql`((('x' || substr(md5(${key}::text || ${salt}), 1, 8))::bit(32)::int) & 2147483647)`;

async function seedCatalogue(database: Database, tx: Executor) {
  const [{ n }] = (await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM solution_products`, tx)) as [{ n: number }];
  if (Number(n) > 0) return;
  const products = JSON.stringify(
    DEMO_PRODUCTS.map((p) => ({ code: p.code, name: p.name, name_en: p.nameEn, kind: p.bundle ? 'bundle' : 'product', category: p.category, fee: p.fee, description: p.description })),
  );
  await database.rows(sql`
    INSERT INTO solution_products (code, name, name_en, kind, category, monthly_fee, description)
    SELECT code, name, name_en, kind, category, fee, description
    FROM jsonb_to_recordset(${products}::jsonb) AS p(code text, name text, name_en text, kind text, category text, fee numeric, description text)`, tx);
  const parts = JSON.stringify(DEMO_PRODUCTS.flatMap((p) => (p.bundle ?? []).map(([part, quantity]) => ({ bundle: p.code, part, quantity }))));
  await database.rows(sql`
    INSERT INTO solution_bundle_items (bundle_id, product_id, quantity)
    SELECT b.id, m.id, x.quantity
    FROM jsonb_to_recordset(${parts}::jsonb) AS x(bundle text, part text, quantity int)
    JOIN solution_products b ON b.code = x.bundle JOIN solution_products m ON m.code = x.part`, tx);
}

/** Proposals for about one customer in eight: drafts 30 %, proposed 20 %, negotiating 20 %, signed 20 %, lost 10 %. */
async function seedProposals(database: Database, tx: Executor, seed: number) {
  const [{ n }] = (await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM solutions`, tx)) as [{ n: number }];
  if (Number(n) > 0) return;
  const s = `:${seed}`;
  const at = sql`((${TODAY}::date + time '10:00') AT TIME ZONE 'Asia/Shanghai')`;
  await database.rows(sql`
    WITH chosen AS (
      SELECT c.id, c.kind, c.manager_id, ${hash(sql`c.id`, `${s}:pick`)} AS h, ${hash(sql`c.id`, `${s}:status`)} % 10 AS st,
             ${hash(sql`c.id`, `${s}:age`)} % 330 + 5 AS age
      FROM customers c WHERE c.archive = 'in_network' AND c.merged_into IS NULL
    ), dated AS (
      SELECT ch.*, CASE WHEN st < 3 THEN 'draft' WHEN st < 5 THEN 'proposed' WHEN st < 7 THEN 'negotiating' WHEN st < 9 THEN 'signed' ELSE 'lost' END AS status,
             ${at} - make_interval(days => age) AS created,
             ${at} - make_interval(days => age) + make_interval(days => least(age - 1, 15 + h % 40)) AS closed
      FROM chosen ch WHERE h % 8 = 0
    )
    INSERT INTO solutions (customer_id, kind, title, status, owner_id, lost_reason, proposed_at, signed_at, closed_at, created_at, updated_at)
    SELECT d.id, CASE WHEN d.kind = 'group' THEN 'group' ELSE 'personal' END,
           CASE WHEN d.kind = 'group' THEN ${JSON.stringify(GROUP_TITLES)}::jsonb ->> (d.h % ${GROUP_TITLES.length})
                ELSE ${JSON.stringify(PERSONAL_TITLES)}::jsonb ->> (d.h % ${PERSONAL_TITLES.length}) END,
           d.status, d.manager_id,
           CASE WHEN d.status = 'lost' THEN ${JSON.stringify(LOST_REASONS)}::jsonb ->> (d.h % ${LOST_REASONS.length}) END,
           CASE WHEN d.status <> 'draft' THEN d.created + interval '3 days' END,
           CASE WHEN d.status = 'signed' THEN d.closed END,
           CASE WHEN d.status IN ('signed', 'lost') THEN d.closed END,
           d.created,
           CASE WHEN d.status IN ('signed', 'lost') THEN d.closed WHEN d.status = 'draft' THEN d.created ELSE d.created + interval '3 days' END
    FROM dated d ORDER BY d.id`,
    tx,
  );
  await seedItems(database, tx, s);
}

/** One to three catalogue items of the solution's kind each, at the catalogue's fee less up to 15 %; then the totals and the signed products. */
async function seedItems(database: Database, tx: Executor, s: string) {
  const ranges = JSON.stringify(DEMO_PRODUCTS.map((p) => ({ code: p.code, lo: p.qty[0], hi: p.qty[1] })));
  await database.rows(sql`
    INSERT INTO solution_items (solution_id, product_id, quantity, monthly_fee)
    SELECT so.id, p.id, r.lo + ${hash(sql`so.customer_id || p.code`, `${s}:qty`)} % (r.hi - r.lo + 1),
           round(p.monthly_fee * (85 + ${hash(sql`so.customer_id || p.code`, `${s}:fee`)} % 16) / 100, 2)
    FROM solutions so
    CROSS JOIN LATERAL (
      SELECT p.id, p.code, p.monthly_fee FROM solution_products p
      WHERE (p.category = 'personal') = (so.kind = 'personal')
      ORDER BY md5(so.customer_id || p.code || ${s}) LIMIT 1 + ${hash(sql`so.customer_id`, `${s}:n`)} % 3
    ) p
    JOIN jsonb_to_recordset(${ranges}::jsonb) AS r(code text, lo int, hi int) ON r.code = p.code
    ORDER BY so.id, p.code`,
    tx,
  );
  await database.rows(sql`
    UPDATE solutions so SET expected_monthly_revenue = t.total
    FROM (SELECT solution_id, sum(quantity * monthly_fee) AS total FROM solution_items GROUP BY solution_id) t
    WHERE t.solution_id = so.id`, tx);
  await database.rows(sql`
    INSERT INTO customer_products (customer_id, competitor, product, since, monthly_fee, note)
    SELECT so.customer_id, NULL, p.name, (so.signed_at AT TIME ZONE 'Asia/Shanghai')::date, i.quantity * i.monthly_fee, so.title || '（×' || i.quantity || '）'
    FROM solutions so JOIN solution_items i ON i.solution_id = so.id JOIN solution_products p ON p.id = i.product_id
    WHERE so.status = 'signed' ORDER BY so.id, i.id`, tx);
}

export async function seedSolutions(deps: Deps, seed: number): Promise<void> {
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    await seedCatalogue(database, tx);
    await seedProposals(database, tx, seed);
  });
}
