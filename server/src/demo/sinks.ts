/**
 * Where generated rows go: batched multi-row inserts through Drizzle (PGlite, small loads) or one
 * streamed `COPY … FROM STDIN` per table (PostgreSQL). `write` returns a promise only when the caller
 * must wait (a batch is being inserted, or a COPY stream's buffer is full), so that a tight generation
 * loop does not pay for an await per row.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Executor } from '../db/client.js';
import {
  contracts,
  customerChanges,
  customerProducts,
  customers,
  keyPersons,
  lifecycleEvents,
  portfolioAssignments,
  subscriptions,
  visits,
} from '../db/schema/index.js';
import { COLUMNS, type Row, type TableKey } from './generate.js';

export const TABLES: Record<TableKey, PgTable> = {
  customers,
  subscriptions,
  keyPersons,
  contracts,
  customerProducts,
  portfolioAssignments,
  lifecycleEvents,
  visits,
  customerChanges,
};

export interface RowSink {
  write(table: TableKey, row: Row): Promise<void> | undefined;
  /** Flushes what is buffered and ends the streams. */
  close(): Promise<void>;
  readonly rows: number;
}

/**
 * Multi-row INSERTs of `chunk` rows, each chunk one JSON parameter expanded by json_populate_recordset
 * (on PGlite twice as fast as Drizzle's VALUES lists with one parameter per value); tables with
 * explicit ids are inserted OVERRIDING SYSTEM VALUE.
 */
export class BatchSink implements RowSink {
  private readonly buffers = new Map<TableKey, Row[]>();
  rows = 0;
  constructor(
    private readonly db: Executor,
    private readonly chunk = 1000,
  ) {}

  write(table: TableKey, row: Row) {
    let buf = this.buffers.get(table);
    if (!buf) this.buffers.set(table, (buf = []));
    buf.push(row);
    this.rows++;
    return buf.length >= this.chunk ? this.flush(table) : undefined;
  }

  private async flush(table: TableKey) {
    const buf = this.buffers.get(table);
    if (!buf?.length) return;
    this.buffers.set(table, []);
    const cols = getTableColumns(TABLES[table]) as Record<string, { name: string }>;
    const keys = COLUMNS[table];
    const names = keys.map((k) => `"${cols[k]!.name}"`).join(', ');
    const json = JSON.stringify(buf.map((row) => Object.fromEntries(keys.map((k) => [cols[k]!.name, jsonValue(row[k])]))));
    const name = getTableName(TABLES[table]);
    await this.db.execute(
      sql`INSERT INTO ${sql.identifier(name)} (${sql.raw(names)}) ${sql.raw(keys.includes('id') ? 'OVERRIDING SYSTEM VALUE' : '')}
          SELECT ${sql.raw(names)} FROM json_populate_recordset(NULL::${sql.identifier(name)}, ${json}::json)`,
    );
  }

  async close() {
    for (const table of this.buffers.keys()) await this.flush(table);
  }
}

function jsonValue(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  return v;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One value in COPY's text format. */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return NEEDS_ESCAPE.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  return copyValue(JSON.stringify(v));
}

interface CopyStream {
  client: pg.PoolClient;
  stream: NodeJS.WritableStream & { destroyed?: boolean };
  keys: string[];
  pending: string[];
  pendingChars: number;
  error: Error | null;
}

/** One COPY stream per table, each on its own connection; rows are encoded in text format and written in ~256 kB pieces. */
export class CopySink implements RowSink {
  rows = 0;
  private constructor(private readonly streams: Map<TableKey, CopyStream>) {}

  static async open(pool: pg.Pool, tables: TableKey[]): Promise<CopySink> {
    const streams = new Map<TableKey, CopyStream>();
    for (const t of tables) {
      const client = await pool.connect();
      await client.query('SET synchronous_commit = off');
      const cols = getTableColumns(TABLES[t]) as Record<string, { name: string }>;
      const keys = COLUMNS[t];
      const list = keys.map((k) => `"${cols[k]!.name}"`).join(', ');
      const stream = client.query(copyFrom(`COPY "${getTableName(TABLES[t])}" (${list}) FROM STDIN`));
      const s: CopyStream = { client, stream, keys, pending: [], pendingChars: 0, error: null };
      stream.on('error', (err: Error) => (s.error ??= err));
      streams.set(t, s);
    }
    return new CopySink(streams);
  }

  write(table: TableKey, row: Row) {
    const s = this.streams.get(table);
    if (!s) throw new Error(`CopySink: no stream for ${table}`);
    if (s.error) throw s.error;
    let line = '';
    for (let i = 0; i < s.keys.length; i++) line += (i ? '\t' : '') + copyValue(row[s.keys[i]!]);
    line += '\n';
    s.pending.push(line);
    s.pendingChars += line.length;
    this.rows++;
    if (s.pendingChars < 256 * 1024) return undefined;
    return this.push(s);
  }

  private push(s: CopyStream): Promise<void> | undefined {
    const chunk = s.pending.join('');
    s.pending = [];
    s.pendingChars = 0;
    if (s.stream.write(chunk)) return undefined;
    return once(s.stream, 'drain').then(() => undefined);
  }

  async close() {
    const errors: unknown[] = [];
    await Promise.all(
      [...this.streams.values()].map(async (s) => {
        try {
          if (s.error) throw s.error;
          if (s.pending.length) await this.push(s);
          s.stream.end();
          await finished(s.stream);
          // the connection goes back to the application's pool: its later transactions commit durably again
          await s.client.query('RESET synchronous_commit');
          s.client.release();
        } catch (err) {
          errors.push(err);
          s.client.release(err instanceof Error ? err : true);
        }
      }),
    );
    if (errors.length) throw errors[0];
  }

  abort() {
    for (const s of this.streams.values()) {
      (s.stream as unknown as { destroy(e?: Error): void }).destroy(new Error('demo load aborted'));
      s.client.release(true);
    }
    this.streams.clear();
  }
}

/** Gives up a sink after an error: COPY streams are failed (the server rolls them back) and their connections dropped. */
export function abortSink(sink: RowSink): void {
  if (sink instanceof CopySink) sink.abort();
}
