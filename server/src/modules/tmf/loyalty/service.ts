/**
 * TMF658 Loyalty Management over the points (积分, rules/points): each key account's points account as a
 * `LoyaltyAccount` (under the key account's id) with its balance, and its ledger entries as `LoyaltyTransaction`s
 * (an extension: v4 has no resource for them). Reads only; the scope is the key account's.
 */
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import * as customers from '../../customers/service.js';
import * as points from '../../rules/points/service.js';
import { compact, hrefOf, isoOf, typed } from '../common/conventions.js';
import { pageOfRecords, recordsOf } from '../customer/service.js';
import type { AccountListQuery, TransactionListQuery } from './schemas.js';

const pointsOf = (value: number) => ({ unit: 'points', value });

export function toLoyaltyAccount(c: Pick<customers.CustomerRecord, 'id' | 'name'>, a: points.PointsAccount) {
  return compact({
    id: String(c.id),
    href: hrefOf('tmf658', 'loyaltyAccount', c.id),
    name: c.name,
    loyaltyBalance: [{ quantity: pointsOf(a.balance), '@type': 'LoyaltyBalance' }],
    characteristic: [
      { name: 'earned', valueType: 'integer', value: a.earned },
      { name: 'redeemed', valueType: 'integer', value: a.redeemed },
      { name: 'expired', valueType: 'integer', value: a.expired },
      { name: 'adjusted', valueType: 'integer', value: a.adjusted },
      { name: 'valueYuan', valueType: 'decimal', value: a.valueYuan },
    ],
    relatedParty: [{ id: String(c.id), href: hrefOf('tmf629', 'customer', c.id), name: c.name, role: 'owner', '@referredType': 'Customer' }],
    lastUpdate: isoOf(a.updatedAt),
    ...typed('tmf658', 'LoyaltyAccount'),
  });
}

export async function listAccounts(deps: Deps, actor: Actor, query: AccountListQuery) {
  const page = await pageOfRecords(deps, actor, { offset: query.offset, limit: query.limit, q: query.name }, (c) => c);
  const accounts = await points.accountsOf(deps, page.items.map((c) => Number(c.id)));
  return { ...page, items: page.items.map((c) => toLoyaltyAccount(c, accounts.get(Number(c.id))!)) };
}

export async function getAccount(deps: Deps, actor: Actor, id: number) {
  const c = await customers.loadVisibleCustomer(deps, actor, id);
  const accounts = await points.accountsOf(deps, [id]);
  return toLoyaltyAccount(c, accounts.get(id)!);
}

/** Events: the LoyaltyAccounts of these ids (key accounts), whoever may see them. */
export async function renderAccounts(deps: Deps, ids: string[]): Promise<Map<string, unknown>> {
  const rows = await recordsOf(deps, null, ids.map(Number).filter(Number.isSafeInteger));
  const accounts = await points.accountsOf(deps, rows.map((c) => Number(c.id)));
  return new Map(rows.map((c) => [String(c.id), toLoyaltyAccount(c, accounts.get(Number(c.id))!)]));
}

export function toTransaction(accountId: number, e: points.LedgerEntry) {
  return compact({
    id: String(e.id),
    transactionType: e.kind,
    quantity: pointsOf(e.points),
    transactionDate: isoOf(e.at),
    description: e.reason ?? e.itemName ?? undefined,
    loyaltyAccount: { id: String(accountId), href: hrefOf('tmf658', 'loyaltyAccount', accountId), '@referredType': 'LoyaltyAccount' },
    relatedParty: e.actor ? [compact({ id: e.actor, name: e.actorName ?? undefined, role: 'operator', '@referredType': 'Individual' })] : undefined,
    '@type': 'LoyaltyTransaction',
  });
}

/** An account's transactions, newest first (404 for an account outside the scope, as for none). */
export async function listTransactions(deps: Deps, actor: Actor, query: TransactionListQuery) {
  const accountId = Number(query['loyaltyAccount.id']);
  const page = await points.listLedger(deps, actor, accountId, { kind: query.transactionType, offset: query.offset, limit: query.limit });
  return { items: page.items.map((e) => toTransaction(accountId, e)), total: page.total };
}
