/**
 * Problem types that resolve (issue 11 item 8): every code a problem answer carries has a page of the
 * API documentation on the system itself, in zh-CN and en-US, and the answer's `type` points at it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../db/testing.js';
import { PROBLEM_TYPES } from '../i18n/catalogue/problems.js';
import { isMessageCode, translate } from '../i18n/messages.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ DEMO_PROFILE: 'none' });
});
afterAll(() => sys.close());

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : [],
  );

/** Every (status, code) a problem is raised with in the sources: AppError, sendProblem, invalid(…) (400), forbidden(…) (403). */
function raisedProblems(): Map<string, Set<number>> {
  const found = new Map<string, Set<number>>();
  const add = (code: string, status: number) => found.set(code, (found.get(code) ?? new Set()).add(status));
  const patterns: [RegExp, (m: RegExpExecArray) => [string, number]][] = [
    [/new AppError\(\s*(\d{3}),\s*'([a-z0-9_]+)'/g, (m) => [m[2]!, Number(m[1])]],
    [/sendProblem\(\s*\w+,\s*\w+,\s*(\d{3}),\s*'([a-z0-9_]+)'/g, (m) => [m[2]!, Number(m[1])]],
    [/\binvalid\(\s*(?:'[^']*'|`[^`]*`|\w+),\s*'([a-z0-9_]+)'/g, (m) => [m[1]!, 400]],
    [/\bforbidden\(\s*'([a-z0-9_]+)'/g, (m) => [m[1]!, 403]],
  ];
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    for (const [re, pick] of patterns) for (const m of text.matchAll(re)) add(...pick(m));
  }
  return found;
}

describe('problem types resolve on the system', () => {
  it('every code a problem is raised with has a page giving its status, both titles and what to do', async () => {
    const raised = raisedProblems();
    expect(raised.size).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const [code, statuses] of raised) {
      const type = (PROBLEM_TYPES as Record<string, { status: readonly number[]; advice: Record<string, string> }>)[code];
      const undocumented = [...statuses].filter((s) => !type?.status.includes(s));
      if (!isMessageCode(code) || !type || undocumented.length) {
        missing.push(`${code} (${[...statuses].join(', ')})`);
        continue;
      }
      const page = await sys.app.inject({ url: `/api/problems/${code}` });
      expect(page.statusCode, code).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      for (const text of [code, ...[...statuses].map(String), translate(code, 'zh-CN'), translate(code, 'en-US'), type.advice['zh-CN']!, type.advice['en-US']!]) {
        const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
        expect(page.body, `${code}: ${text}`).toContain(escaped);
      }
    }
    expect(missing).toEqual([]);
  });

  it("a problem answer's type is its page, which resolves against the request", async () => {
    const problem = await sys.app.inject({ url: '/api/customers' });
    expect(problem.json()).toMatchObject({ code: 'unauthenticated', type: '/api/problems/unauthenticated' });
    const page = await sys.app.inject({ url: new URL(problem.json().type, 'http://localhost/api/customers').pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('请先登录');
    expect(page.body).toContain('Please sign in');
  });

  it('an index lists every problem type with a link to its page, and the API docs link to the index', async () => {
    const index = await sys.app.inject({ url: '/api/problems' });
    expect(index.statusCode).toBe(200);
    for (const code of Object.keys(PROBLEM_TYPES)) expect(index.body).toContain(`href="/api/problems/${code}"`);
    const doc = (await sys.app.inject({ url: '/api/openapi.json' })).json() as { info: { description: string } };
    expect(doc.info.description).toContain('(/api/problems)');
  });

  it('an unknown code answers a 404 problem, itself documented', async () => {
    const res = await sys.app.inject({ url: '/api/problems/no_such_code', headers: { 'accept-language': 'en-US' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'problem_type_unknown', title: 'There is no such problem type', type: '/api/problems/problem_type_unknown' });
  });
});
