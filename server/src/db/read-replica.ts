/**
 * The analytics handle on a read replica (ANALYTICS_DATABASE_URL, docs/scale-out.md): a PostgreSQL streaming
 * replica that serves the heavy reads (exports, team views) so that they do not compete with the writes on the
 * primary. Read-only twice over: a hot standby refuses writes, and every session of this pool starts with
 * default_transaction_read_only=on, so that a URL that points at a primary by mistake still takes no write.
 */
import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import type { AnalyticsReads } from './client.js';
import { types } from './prepared.js';
import { statementText } from './statement-text.js';
import { openSnapshot } from './snapshot-pg.js';

/** Connections to the replica: its reads are few and long. */
const CONNECTIONS = 8;

export interface ReadReplica extends AnalyticsReads {
  close(): Promise<void>;
}

export function openReadReplica(url: string): ReadReplica {
  const pool = new pg.Pool({
    connectionString: url,
    max: CONNECTIONS,
    application_name: 'kam-analytics',
    options: '-c default_transaction_read_only=on',
    // opened with the settings, not with the process's life cycle: idle, it lets a CLI command end
    allowExitOnIdle: true,
  });
  // an idle connection the replica ends (restart, a dropped database replayed) is discarded by the pool
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    async rows<T>(query: SQL): Promise<T[]> {
      const { sql: text, params } = statementText(query);
      return (await pool.query<T & pg.QueryResultRow>({ text, values: params as unknown[], types })).rows;
    },
    snapshot: () => openSnapshot(pool),
    close: () => pool.end(),
  };
}
