/**
 * 直接装载, the work itself (facts-direct.ts has the pieces): a facts CSV of one empty month, on three
 * connections; the tables are made, indexed and swapped in by the customers area (customers/service.ts). The import's own connection holds the transaction: it locks the month's empty partition
 * at the first line, and at the end swaps the loaded tables in for the month's partitions and commits, so
 * that readers see all of the month or none of it. Two side connections do the bulk work outside it, on
 * load tables that no reader sees until then: the first reads the subscriptions while the file is
 * scanned; both then COPY the rewritten lines (chunks in turn, two backends at once); then one builds the
 * primary key's index and the other the customer index, while the transaction loads the month's totals.
 * A load that stops (DirectAbort, an error) drops its load table; the partitions were never touched.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { Deps } from '../../platform/deps.js';
import * as customers from '../customers/service.js';
import { DirectAbort, FactsToTable, firstMonth, readSubscriptionIndex, TOTALS_COLUMNS, type SubscriptionIndex } from './facts-direct.js';
import { streamFactsCsv, type FastKind } from './facts-fast.js';
import type { HeaderMap } from './layouts.js';
import * as q from './queries.js';
import type { FileEncoding } from './source.js';

/** The side connections, and the subscriptions being read on the first. */
export interface DirectSides {
  connections: [q.ImportConnection, q.ImportConnection];
  index: Promise<SubscriptionIndex>;
}

/**
 * Opens the side connections and starts reading the subscriptions (before the file is scanned); null when
 * the database refuses a connection (its limit reached): the import then takes the staged path.
 */
export async function openSides(deps: Deps): Promise<DirectSides | null> {
  const opened = await Promise.allSettled([q.openImportConnection(deps), q.openImportConnection(deps)]);
  const ok = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  if (ok.length < 2) {
    await Promise.all(ok.map((c) => c.close().catch(() => undefined)));
    return null;
  }
  const connections = ok as DirectSides['connections'];
  // the two sides build one index each at the same time: parallel workers would only compete for the same cores
  await Promise.all(connections.map((c) => c.rows(sql`SET max_parallel_maintenance_workers = 0`)));
  const index = readSubscriptionIndex(connections[0].copyOut!(q.SUBSCRIPTIONS_COPY));
  index.catch(() => undefined); // awaited by the load, if there is one; closing the sides early rejects it
  return { connections, index };
}

export async function closeSides(sides: DirectSides) {
  await Promise.all(sides.connections.map((c) => c.close().catch(() => undefined)));
}

export interface DirectLoadInput {
  path: string;
  encoding: FileEncoding;
  kinds: FastKind[];
  /** The header's mapping and the layout's keys in the file's order (throws a FileError for a bad header). */
  header(cells: string[]): { header: HeaderMap; fileColumns: string[] };
  /** A line the scanner did not accept: its staged line after the checks, null for a blank line; DirectAbort for a refused row. */
  slowRow(rowNo: number, cells: string[]): string | null;
  onBytes(n: number): void;
  progress(fastRows: number): Promise<void>;
  mark(what: string): void;
  /** In the transaction, after the swap: the audit record of `rows` loaded. */
  beforeCommit(tx: Executor, rows: number): Promise<void>;
  /** Do it all, then roll back. */
  dryRun: boolean;
}

class DryRun extends Error {}

/** Rows loaded (or that a dry run would load), of which the scanner passed on `fastRows`; null when the file needs the staged path (nothing kept). */
export async function loadFactsDirect(main: q.ImportConnection, sides: DirectSides, input: DirectLoadInput): Promise<{ rows: number; fastRows: number } | null> {
  const [a, b] = sides.connections;
  const loads: string[] = [];
  let loaded = { rows: 0, fastRows: 0 };
  try {
    await main.db.transaction(async (tx) => {
      let mapping: { header: HeaderMap; fileColumns: string[] } | null = null;
      const into: { part: string | null; totals: string | null; toTable: FactsToTable | null; copies: Writable[] } = {
        part: null,
        totals: null,
        toTable: null,
        copies: [],
      };
      let turn = 0;
      // the first chunk names the month: its partition must be empty; the load table gets its rows from both sides
      const start = async (chunk: Buffer) => {
        const month = firstMonth(chunk, mapping!.fileColumns.indexOf('month'));
        // the month's partitions are made (if missing) and committed on a side: the transaction then creates no
        // table, and holds no lock on the parents that the sides' CREATE TABLE … LIKE would wait for
        await customers.ensureFactPartitions(a.db, [month]);
        into.totals = await customers.totalsPartition(a.db, month);
        const part = await customers.lockEmptyFactMonth(tx, month);
        if (!part) throw new DirectAbort('the month holds facts already');
        into.toTable = new FactsToTable(await sides.index, mapping!.fileColumns);
        input.mark('subscriptions read');
        const load = await customers.createLoadTable(a.db, 'monthly_facts', part, month);
        loads.push(load);
        into.copies = [a, b].map((side) => side.copyIn!(load, into.toTable!.columns, 'csv').on('error', () => undefined));
        into.part = part;
      };
      const write = (chunk: Buffer): Promise<void> | null => {
        if (!into.copies.length) return start(chunk).then(() => write(chunk) ?? undefined);
        const copy = into.copies[turn++ % 2]!;
        return copy.write(into.toTable!.convert(chunk)) ? null : once(copy, 'drain').then(() => undefined);
      };
      try {
        const res = await streamFactsCsv({
          path: input.path,
          encoding: input.encoding,
          onBytes: input.onBytes,
          kinds: input.kinds,
          header: (cells) => (mapping = input.header(cells)).header,
          slowRow: input.slowRow,
          write,
          month: () => undefined,
          progress: input.progress,
        });
        if (!into.copies.length) throw new DirectAbort('no rows');
        await Promise.all(into.copies.map((copy) => finished(copy.end())));
        loaded = { rows: into.toTable!.rows, fastRows: res.fastRows };
      } catch (err) {
        for (const copy of into.copies) copy.destroy(new Error('import aborted'));
        throw err;
      }
      input.mark('read and loaded');
      const [part, totals, month] = [into.part!, into.totals!, into.toTable!.month!];
      // three backends at once: the facts' two indexes on the sides, the customer totals in the transaction
      await Promise.all([
        customers.indexLoadTable(a.db, 'monthly_facts', `${part}_load`, 'pkey', true),
        customers.indexLoadTable(b.db, 'monthly_facts', `${part}_load`, 'cidx'),
        (async () => {
          const load = await customers.createLoadTable(tx, 'customer_month_totals', totals, month);
          await q.copyChunks(main, load, TOTALS_COLUMNS, into.toTable!.totals());
          await customers.indexLoadTable(tx, 'customer_month_totals', load, 'pkey', true);
        })(),
      ]);
      input.mark('indexed, totals loaded');
      await customers.attachLoadTable(tx, 'monthly_facts', part, month);
      await customers.attachLoadTable(tx, 'customer_month_totals', totals, month);
      await input.beforeCommit(tx, loaded.rows);
      if (input.dryRun) throw new DryRun();
    });
    loads.length = 0; // swapped in
    return loaded;
  } catch (err) {
    if (err instanceof DryRun) return loaded;
    if (err instanceof DirectAbort) {
      input.mark(`direct load left: ${err.message}`);
      return null;
    }
    throw err;
  } finally {
    for (const load of loads) await customers.dropLoadTable(a.db, load).catch(() => undefined);
  }
}
