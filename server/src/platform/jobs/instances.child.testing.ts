/**
 * A server process cut short, for instances.test.ts: it starts a run of `test.killed` whose work never ends,
 * prints "started" once the run is recorded and its locks are held, and waits to be killed (kill -9).
 *   node --import tsx src/platform/jobs/instances.child.testing.ts <DATABASE_URL>
 */
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { makeDeps } from '../deps.js';
import { runJob } from './scheduler.js';

const url = process.argv[2]!;
const config = loadConfig({}, { DATABASE_URL: url, LOG_LEVEL: 'silent' });
const deps = makeDeps(config, await openDatabase({ databaseUrl: url }));
void runJob(deps, { name: 'test.killed', pattern: '0 0 1 1 *', run: () => new Promise(() => undefined) }, () => process.stdout.write('started\n'));
