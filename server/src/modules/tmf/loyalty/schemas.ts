/** TMF658 Loyalty Management at the edge: the lists' attribute filters. */
import { z } from 'zod';
import { LEDGER_KINDS } from '../../rules/points/service.js';
import { listQuery } from '../common/conventions.js';

export const accountListQuery = listQuery({
  name: z.string().trim().min(1).max(100).optional().describe('Any two characters of the key account’s name (one: its start)'),
});
export type AccountListQuery = z.infer<typeof accountListQuery>;

/** A points ledger is read per account: the account filter is required (there is no list of every customer's entries). */
export const transactionListQuery = listQuery({
  'loyaltyAccount.id': z.string().regex(/^[1-9]\d{0,15}$/, 'a loyalty account id').describe('The account (its key account’s id): required'),
  transactionType: z.enum(LEDGER_KINDS).optional().describe('earn, promo, redeem, expire or adjust'),
});
export type TransactionListQuery = z.infer<typeof transactionListQuery>;
