/**
 * 积分: a customer's account and ledger, redemption against the catalogue and manual adjustments.
 * The balance never goes negative: every debit is one conditional UPDATE (`balance >= n`) under the
 * row lock, backed by the table's CHECKs, and its ledger entry commits in the same transaction, so
 * the balance always equals earned − redeemed − expired + adjusted and the sum of the ledger.
 */
import type { Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { pgErrorCode, PG_UNIQUE_VIOLATION } from '../../../platform/db-errors.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, duplicate, entityName, invalid, notFound, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { publishEvents, resourceEvents } from '../../../platform/outbox/outbox.js';
import { loadVisibleCustomer, loadWritableCustomer } from '../../customers/service.js';
import * as q from './queries.js';
import type {
  AdjustInput,
  CatalogueItem,
  CatalogueQuery,
  CreateItem,
  LedgerEntry,
  PatchItem,
  PointsAccount,
  RedeemInput,
} from './schemas.js';
import { currentMonthDate } from '../../../platform/months.js';
import { rulesInEffect } from '../service.js';

const PG_OUT_OF_RANGE = '22003';

// the vocabulary of points, for other areas' mappings of them (the TM Forum façade's TMF658)
export { LEDGER_KINDS, type LedgerEntry, type PointsAccount } from './schemas.js';

/** 100 points = ¥yuanPer100Points: the balance's value as a decimal string, computed in whole fen. */
export function pointsValue(balance: number, yuanPer100Points: number): string {
  const fenPer100 = Math.round(yuanPer100Points * 100);
  const fen = Math.round((balance * fenPer100) / 100);
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

async function accountView(deps: Deps, customerId: number, row: q.AccountRow | null): Promise<PointsAccount> {
  const { params } = await rulesInEffect(deps, currentMonthDate());
  return viewOf(customerId, row, params.points.yuanPer100Points);
}

function viewOf(customerId: number, row: q.AccountRow | null, yuanPer100Points: number): PointsAccount {
  const a = row ?? { balance: 0, earned: 0, redeemed: 0, expired: 0, adjusted: 0, updatedAt: null };
  return {
    customerId,
    balance: a.balance,
    earned: a.earned,
    redeemed: a.redeemed,
    expired: a.expired,
    adjusted: a.adjusted,
    valueYuan: pointsValue(a.balance, yuanPer100Points),
    yuanPer100Points,
    updatedAt: a.updatedAt,
  };
}

/**
 * 事件通知: a balance changed by a person (a redemption, an adjustment, promotional points) as a TMF658 event,
 * written with the change (docs/events.md). The monthly run posts every customer's points at once and publishes none.
 */
const balanceChanged = (customerId: number) => resourceEvents('tmf658', 'LoyaltyAccount')('LoyaltyAccountAttributeValueChangeEvent', customerId, 'loyaltyBalance');

const toEntry = (row: Awaited<ReturnType<typeof q.getEntry>>): LedgerEntry => ({ ...row, kind: row.kind as LedgerEntry['kind'] });

/** The balance and its totals (a customer who never earned anything has a zero account). */
export async function getAccount(deps: Deps, actor: Actor, customerId: number): Promise<PointsAccount> {
  await loadVisibleCustomer(deps, actor, customerId);
  return accountView(deps, customerId, await q.getAccount(deps.database.db, customerId));
}

/**
 * The accounts of customers the caller has already found visible (a page of a list), in one statement and
 * one read of the rules in effect: a zero account for those who never earned anything.
 */
export async function accountsOf(deps: Deps, customerIds: readonly number[]): Promise<Map<number, PointsAccount>> {
  if (customerIds.length === 0) return new Map();
  const [{ params }, rows] = await Promise.all([rulesInEffect(deps, currentMonthDate()), q.getAccounts(deps.database.db, customerIds)]);
  const byId = new Map(rows.map((r) => [Number(r.customerId), r]));
  return new Map(customerIds.map((id) => [id, viewOf(id, byId.get(id) ?? null, params.points.yuanPer100Points)]));
}

export async function listLedger(deps: Deps, actor: Actor, customerId: number, query: { kind?: string; offset: number; limit: number }): Promise<Page<LedgerEntry>> {
  await loadVisibleCustomer(deps, actor, customerId);
  const { db } = deps.database;
  const [rows, total] = await Promise.all([q.listEntries(db, customerId, query.kind, query.offset, query.limit), q.countEntries(db, customerId, query.kind)]);
  return { items: rows.map(toEntry), total };
}

async function insufficient(tx: Executor, customerId: number, needed: number): Promise<never> {
  const account = await q.getAccount(tx, customerId);
  throw new AppError(409, 'points_insufficient', { balance: account?.balance ?? 0, needed });
}

/** Runs a points movement, turning an arithmetic overflow of the int4 totals into a 409. */
async function movement<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (pgErrorCode(err) === PG_OUT_OF_RANGE) throw new AppError(409, 'points_out_of_range');
    throw err;
  }
}

/** 积分兑换: takes item.points × quantity if the balance covers them, else 409 with balance and need; a counter service ('serve'). */
export async function redeem(deps: Deps, actor: Actor, customerId: number, input: RedeemInput) {
  const { entryId, account } = await movement(() =>
    deps.database.db.transaction(async (tx) => {
      const customer = await loadWritableCustomer(deps, actor, customerId, tx, 'serve');
      const item = await q.getItem(tx, input.itemId);
      if (!item) throw invalid('body.itemId', 'not_found', { entity: entityName('points_catalogue_item') });
      if (item.active !== 'yes') throw new AppError(409, 'points_item_inactive');
      const needed = item.points * input.quantity;
      const account = await q.debitForRedemption(tx, customerId, needed);
      if (!account) return insufficient(tx, customerId, needed);
      const entryId = await q.insertEntry(tx, {
        customerId,
        kind: 'redeem',
        points: -needed,
        catalogueItemId: item.id,
        quantity: input.quantity,
        reason: item.name,
        actorId: actor.userId,
      });
      await publishEvents(tx, [balanceChanged(customerId)]);
      await audit(tx, actor, {
        action: 'create',
        entity: 'points_redemption',
        entityId: entryId,
        unitPath: customer.unitPath,
        after: { customerId, itemId: item.id, code: item.code, quantity: input.quantity, points: needed, balance: account.balance },
      });
      return { entryId, account };
    }),
  );
  return { account: await accountView(deps, customerId, account), entry: toEntry(await q.getEntry(deps.database.db, entryId)) };
}

/** 积分调整: a signed correction with a reason; a debit never takes the balance below zero. */
export async function adjust(deps: Deps, actor: Actor, customerId: number, input: AdjustInput) {
  const { entryId, account } = await movement(() =>
    deps.database.db.transaction(async (tx) => {
      const customer = await loadWritableCustomer(deps, actor, customerId, tx);
      const account = await q.applyAdjustment(tx, customerId, input.points);
      if (!account) return insufficient(tx, customerId, -input.points);
      const entryId = await q.insertEntry(tx, { customerId, kind: 'adjust', points: input.points, reason: input.reason, actorId: actor.userId });
      await publishEvents(tx, [balanceChanged(customerId)]);
      await audit(tx, actor, {
        action: 'create',
        entity: 'points_adjustment',
        entityId: entryId,
        unitPath: customer.unitPath,
        after: { customerId, points: input.points, reason: input.reason, balance: account.balance },
      });
      return { entryId, account };
    }),
  );
  return { account: await accountView(deps, customerId, account), entry: toEntry(await q.getEntry(deps.database.db, entryId)) };
}

/**
 * 赠送积分: promotional points from a campaign or a partner (the monthly run posts consumption and
 * birthday points itself, set-based). Counted as earned, entered in the ledger as `promo` with the
 * current month, so that they expire by the same rolling rule; audited.
 */
export async function awardPromotional(deps: Deps, actor: Actor, customerId: number, input: { points: number; reason: string }) {
  if (!Number.isInteger(input.points) || input.points <= 0) throw invalid('body.points', 'points_not_positive');
  const { entryId, account } = await movement(() =>
    deps.database.db.transaction(async (tx) => {
      const customer = await loadWritableCustomer(deps, actor, customerId, tx);
      const account = await q.creditEarned(tx, customerId, input.points);
      const entryId = await q.insertEntry(tx, { customerId, kind: 'promo', points: input.points, month: currentMonthDate(), reason: input.reason, actorId: actor.userId });
      await publishEvents(tx, [balanceChanged(customerId)]);
      await audit(tx, actor, { action: 'create', entity: 'points_promo', entityId: entryId, unitPath: customer.unitPath, after: { customerId, points: input.points, reason: input.reason } });
      return { entryId, account };
    }),
  );
  return { account: await accountView(deps, customerId, account), entry: toEntry(await q.getEntry(deps.database.db, entryId)) };
}

// ---- the redemption catalogue (积分兑换目录) ----

const toItem = (row: q.CatalogueRow): CatalogueItem => ({
  id: row.id,
  code: row.code,
  name: row.name,
  nameEn: row.nameEn,
  points: row.points,
  active: row.active === 'yes',
  version: row.version,
  updatedAt: row.updatedAt,
});

/** The first catalogue (100 points = ¥1 by the default points rules), written once into an empty table. */
export const DEFAULT_CATALOGUE: CreateItem[] = [
  { code: 'credit_10', name: '话费充值 10 元', nameEn: 'Mobile credit ¥10', points: 1000 },
  { code: 'credit_50', name: '话费充值 50 元', nameEn: 'Mobile credit ¥50', points: 5000 },
  { code: 'data_5gb', name: '流量包 5GB（当月有效）', nameEn: 'Data pack 5 GB (this month)', points: 1500 },
  { code: 'video_vip_month', name: '视频会员月卡', nameEn: 'Video streaming membership, 1 month', points: 2000 },
  { code: 'music_vip_month', name: '音乐会员月卡', nameEn: 'Music streaming membership, 1 month', points: 1200 },
  { code: 'cinema_ticket', name: '电影票（2D 通兑）', nameEn: 'Cinema ticket (2D)', points: 3500 },
];

export async function ensureDefaultCatalogue(db: Executor): Promise<void> {
  if ((await q.countCatalogue(db)) > 0) return;
  await q.insertItems(db, DEFAULT_CATALOGUE.map((i) => ({ ...i, nameEn: i.nameEn ?? null })));
}

export async function listCatalogue(deps: Deps, query: CatalogueQuery): Promise<Page<CatalogueItem>> {
  const { db } = deps.database;
  const [rows, total] = await Promise.all([q.listCatalogue(db, query.active, query.offset, query.limit), q.countCatalogue(db, query.active)]);
  return { items: rows.map(toItem), total };
}

export async function createItem(deps: Deps, actor: Actor, input: CreateItem): Promise<CatalogueItem> {
  try {
    const id = await deps.database.db.transaction(async (tx) => {
      const [id] = await q.insertItems(tx, [{ ...input, nameEn: input.nameEn ?? null }]);
      await audit(tx, actor, { action: 'create', entity: 'points_catalogue_item', entityId: id, after: { code: input.code, name: input.name, nameEn: input.nameEn ?? null, points: input.points } });
      return id!;
    });
    return toItem((await q.getItem(deps.database.db, id))!);
  } catch (err) {
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) throw duplicate('body.code');
    throw err;
  }
}

/** Renames, reprices or withdraws an item at the version read (items are never deleted). */
export async function patchItem(deps: Deps, actor: Actor, id: number, input: PatchItem): Promise<CatalogueItem> {
  const { version, active, ...fields } = input;
  await deps.database.db.transaction(async (tx) => {
    const before = await q.getItem(tx, id);
    if (!before) throw notFound('points_catalogue_item');
    if (before.version !== version) throw versionConflict();
    const set = { ...fields, ...(active === undefined ? {} : { active: active ? 'yes' : 'no' }) };
    if (!(await q.updateItem(tx, id, version, set))) throw versionConflict();
    const after = (await q.getItem(tx, id))!;
    await audit(tx, actor, { action: 'update', entity: 'points_catalogue_item', entityId: id, before: toItem(before), after: toItem(after) });
  });
  return toItem((await q.getItem(deps.database.db, id))!);
}
