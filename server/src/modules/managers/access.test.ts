import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';

/**
 * Who reaches the managers area's pages, as DOMAIN.md §7 gives the roles: the account manager works on their own
 * plans, logs, reminders, tasks and scorecard; the heads review, assign, configure and assess; the analyst reads
 * the managers; the service agent and the auditor see none of it. One representative read per page (the route
 * walks of platform/http check every route's 401/403 and scope).
 */
const READS = {
  workbench: '/api/me/workbench',
  team: '/api/managers/team',
  profiles: '/api/managers',
  plans: '/api/work-plans',
  logs: '/api/work-logs',
  myReminders: '/api/me/reminders',
  myTasks: '/api/managers/tasks/mine',
  issuedTasks: '/api/managers/tasks',
  scorecards: '/api/scorecards',
} as const;
type Page = keyof typeof READS;

const MATRIX: Record<string, Page[]> = {
  gz_am01: ['workbench', 'plans', 'logs', 'myReminders', 'myTasks', 'scorecards'],
  gz_head: ['team', 'profiles', 'plans', 'logs', 'issuedTasks', 'scorecards'],
  gd_head: ['team', 'profiles', 'plans', 'logs', 'issuedTasks', 'scorecards'],
  gd_analyst: ['team', 'profiles', 'scorecards'],
  gz_agent: [],
  gd_auditor: [],
};

let sys: TestSystem;
const sessions = new Map<string, Session>();

beforeAll(async () => {
  sys = await startTestSystem();
  for (const user of Object.keys(MATRIX)) sessions.set(user, await sys.login(user));
});
afterAll(() => sys?.close());

describe('the roles and the managers area', () => {
  for (const [user, allowed] of Object.entries(MATRIX)) {
    it(`${user} reaches ${allowed.length ? allowed.join(', ') : 'none of it'}, and is refused the rest`, async () => {
      const session = sessions.get(user)!;
      const answers: Record<string, number> = {};
      for (const [page, url] of Object.entries(READS)) answers[page] = (await session.request({ method: 'GET', url })).statusCode;
      const expected = Object.fromEntries(Object.keys(READS).map((page) => [page, allowed.includes(page as Page) ? 200 : 403]));
      expect(answers).toEqual(expected);
    });
  }
});
