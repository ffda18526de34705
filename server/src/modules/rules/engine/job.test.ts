import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../db/testing.js';
import { makeDeps } from '../../../platform/deps.js';
import { runPreviousMonth } from './job.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
}, 120_000);
afterAll(() => sys?.close());

it('runs the previous Shanghai month once, and skips a month without facts', async () => {
  const deps = makeDeps(sys.config, sys.database);
  // 2026-11-03 02:00 in 广东 is still 2 November in UTC
  const third = new Date('2026-11-02T18:00:00Z');
  expect(await runPreviousMonth(deps, third)).toMatchObject({ month: '2026-10', runId: expect.any(Number) });
  expect(await runPreviousMonth(deps, third)).toEqual({ month: '2026-10', skipped: 'already run' });
  expect(await runPreviousMonth(deps, new Date('2026-12-03T02:00:00+08:00'))).toEqual({ month: '2026-11', skipped: 'no facts yet' });
});
