/**
 * Which process is working on a run (a scheduled job's run, an import), told by advisory locks.
 *
 * A process holds a session-level advisory lock per run for as long as it works on it, on one connection of its
 * own. However the process ends (crash, kill, power), PostgreSQL releases its locks with its connection: a run
 * still marked 'running' whose lock nobody holds was interrupted, and the next server start marks it failed. The
 * lock is taken before the run's row is committed, so that no other process ever sees the row unheld.
 *
 * PGlite is embedded: only one process opens the database, so the runs this process holds are all there are, and
 * the locks are kept in memory. (So are they on a PostgreSQL database opened without a URL, which only tests do.)
 *
 *   tryLock(key)             → true when this process now holds the key (false: held here or elsewhere)
 *   unlock(key)
 *   withUnheld(cls, ids, fn)  → runs fn with the ids of class `cls` that no process holds, locked meanwhile
 */
import pg from 'pg';
import type { Deps } from '../deps.js';

/** Two 32-bit halves of an advisory lock key: a class and a number within it. */
export type LockKey = readonly [cls: number, n: number];

/** Classes of run locks ("KAM" and a number), distinct from the one-number keys that other code may use. */
export const LOCK_CLASS = {
  /** A scheduled job, by its name: one run at a time across the servers. */
  jobName: 0x4b414d01,
  /** A row of job_runs, while its run goes on. */
  jobRun: 0x4b414d02,
  /** A row of import_jobs, from its recording until it ends. */
  importJob: 0x4b414d03,
} as const;

/** A row id as the second half of a key (ids beyond 2^31 wrap; two such runs at once are not expected). */
export const runKey = (cls: number, id: number): LockKey => [cls, Number(id) % 2_147_483_647];

export interface RunLocks {
  tryLock(key: LockKey): Promise<boolean>;
  unlock(key: LockKey): Promise<void>;
  withUnheld<T>(cls: number, ids: number[], fn: (unheld: number[]) => Promise<T>): Promise<T>;
}

const name = (k: LockKey) => `${k[0]}:${k[1]}`;

/** In memory: the only process (PGlite). */
class LocalLocks implements RunLocks {
  private readonly held = new Set<string>();
  tryLock(key: LockKey) {
    if (this.held.has(name(key))) return Promise.resolve(false);
    this.held.add(name(key));
    return Promise.resolve(true);
  }
  unlock(key: LockKey) {
    this.held.delete(name(key));
    return Promise.resolve();
  }
  withUnheld<T>(cls: number, ids: number[], fn: (unheld: number[]) => Promise<T>) {
    return fn(ids.filter((id) => !this.held.has(name(runKey(cls, id)))));
  }
}

/**
 * PostgreSQL: session locks on a connection of their own, opened when the first lock is taken and closed when
 * this process holds none (a CLI import must be able to exit).
 */
class PgLocks implements RunLocks {
  private client: Promise<pg.Client> | null = null;
  private readonly held = new Set<string>();
  private busy = 0;
  constructor(private readonly url: string) {}

  private connection(): Promise<pg.Client> {
    if (!this.client) {
      const client = new pg.Client({ connectionString: this.url, application_name: 'kam-run-locks' });
      // the connection ended under us (server restart): its locks are gone with it
      client.on('error', () => {
        if (this.client === opening) this.client = null;
        this.held.clear();
      });
      const opening = client.connect().then(() => client);
      opening.catch(() => {
        if (this.client === opening) this.client = null;
      });
      this.client = opening;
    }
    return this.client;
  }

  private async using<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work(await this.connection());
    } finally {
      this.busy--;
      this.closeWhenIdle();
    }
  }

  private closeWhenIdle() {
    if (this.busy || this.held.size || !this.client) return;
    const c = this.client;
    this.client = null;
    void c.then((client) => client.end()).catch(() => undefined);
  }

  async tryLock(key: LockKey) {
    if (this.held.has(name(key))) return false;
    this.held.add(name(key)); // reserved at once: a second caller in this process is refused
    try {
      const got = await this.using(async (c) => (await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int, $2::int) AS ok', [...key])).rows[0]!.ok);
      if (!got) {
        this.held.delete(name(key));
        this.closeWhenIdle();
      }
      return got;
    } catch (err) {
      this.held.delete(name(key));
      this.closeWhenIdle();
      throw err;
    }
  }

  async unlock(key: LockKey) {
    if (!this.held.has(name(key))) return;
    try {
      await this.using(async (c) => {
        this.held.delete(name(key));
        await c.query('SELECT pg_advisory_unlock($1::int, $2::int)', [...key]);
      });
    } catch {
      // the connection is gone, and the lock with it
    }
  }

  async withUnheld<T>(cls: number, ids: number[], fn: (unheld: number[]) => Promise<T>): Promise<T> {
    const candidates = ids.filter((id) => !this.held.has(name(runKey(cls, id))));
    if (!candidates.length) return fn([]);
    return this.using(async (c) => {
      const keys = candidates.map((id) => runKey(cls, id)[1]);
      const { rows } = await c.query<{ n: number }>(
        'SELECT n FROM unnest($2::int[]) AS n WHERE pg_try_advisory_lock($1::int, n)',
        [cls, keys],
      );
      const got = new Set(rows.map((r) => Number(r.n)));
      try {
        return await fn(candidates.filter((id) => got.has(runKey(cls, id)[1])));
      } finally {
        if (got.size) await c.query('SELECT pg_advisory_unlock($1::int, n) FROM unnest($2::int[]) AS n', [cls, [...got]]);
      }
    });
  }
}

const perDatabase = new WeakMap<object, RunLocks>();

/** The run locks of this process on the database of `deps` (one set per database). */
export function runLocks(deps: Pick<Deps, 'database' | 'config'>): RunLocks {
  let locks = perDatabase.get(deps.database);
  if (!locks) {
    const url = deps.database.kind === 'postgres' ? deps.config.DATABASE_URL : undefined;
    locks = url ? new PgLocks(url) : new LocalLocks();
    perDatabase.set(deps.database, locks);
  }
  return locks;
}
