/**
 * How common a name fragment is, to choose how the search box finds it (search.queries.ts, FragmentLookup).
 * PostgreSQL's statistics of the names' character pairs (ANALYZE of `customers_name_bigrams_idx`: its most
 * common elements, with the share of names holding each) tell it without a query per search: a fragment is
 * in at most as many names as its least common pair, and a pair missing from the list is rarer than every
 * pair on it. Read once per database and kept for ten minutes.
 */
import type { Database } from '../../db/client.js';
import { bigramsOf, selectNamePairStats, type FragmentLookup } from './search.queries.js';

/** A fragment in at least this many names and this share of them is walked to rather than read from its index. */
const SCAN_MIN_NAMES = 20_000;
const SCAN_MIN_SHARE = 0.02;
const KEEP_MS = 10 * 60_000;

interface PairStats {
  customers: number;
  shares: Map<string, number>;
  readAt: number;
}

const cache = new WeakMap<Database, Promise<PairStats>>();

async function readStats(database: Database): Promise<PairStats> {
  const [row] = await database.rows<{ pairs: string[] | null; shares: number[] | null; customers: number }>(selectNamePairStats());
  const pairs = row?.pairs ?? [];
  return {
    customers: Number(row?.customers ?? 0),
    shares: new Map(pairs.map((pair, i) => [pair, Number(row!.shares![i])])),
    readAt: Date.now(),
  };
}

async function statsOf(database: Database): Promise<PairStats> {
  const cached = cache.get(database);
  if (cached) {
    const stats = await cached.catch(() => null);
    // stale statistics serve this search while fresh ones are read
    if (stats && Date.now() - stats.readAt > KEEP_MS) cache.set(database, readStats(database).catch(() => stats));
    if (stats) return stats;
  }
  const reading = readStats(database);
  cache.set(database, reading);
  return reading;
}

/** How the search looks up a name fragment of two or more characters (one character is always a prefix). */
export async function fragmentLookup(database: Database, fragment: string): Promise<FragmentLookup> {
  const pairs = bigramsOf(fragment);
  if (pairs.length === 0) return 'index';
  const stats = await statsOf(database);
  const share = Math.min(...pairs.map((p) => stats.shares.get(p) ?? 0));
  return share >= SCAN_MIN_SHARE && share * stats.customers >= SCAN_MIN_NAMES ? 'scan' : 'index';
}
