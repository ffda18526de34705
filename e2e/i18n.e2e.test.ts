import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zhCN } from '../web/src/i18n/zh-CN/index';
import { enUS } from '../web/src/i18n/en-US/index';

describe('i18n catalogues', () => {
  it('zh-CN and en-US have the same keys and no empty messages', () => {
    expect(Object.keys(enUS).sort()).toEqual(Object.keys(zhCN).sort());
    const all: [string, string][] = [...Object.entries(zhCN), ...Object.entries(enUS)];
    for (const [key, text] of all) expect(text.trim(), key).not.toBe('');
  });

  it('placeholders match between the languages', () => {
    const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) expect(vars(enUS[key]), String(key)).toEqual(vars(zhCN[key]));
  });

  it('names every kind of entry and every action the server writes to the audit log', () => {
    // the server's own source (tests aside): the literal entities and actions of its audit calls
    const root = join(import.meta.dirname, '../server/src');
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(root, f), 'utf8'));
    const codes = (texts: string[], field: string) => new Set(texts.flatMap((t) => [...t.matchAll(new RegExp(`\\b${field}: '([a-z_]+)'`, 'g'))].map((m) => m[1]!)));
    const auditing = sources.filter((t) => /import \{[^}]*\baudit\b[^}]*\} from '[./]*platform\/audit/.test(t));
    const entities = codes(sources, 'entity');
    const actions = codes(auditing, 'action');
    expect(entities.size).toBeGreaterThan(40);
    expect(actions.size).toBeGreaterThan(10);
    const missing = [...[...entities].map((e) => `audit.entity.${e}`), ...[...actions].map((a) => `audit.action.${a}`)].filter((key) => !(key in zhCN));
    expect(missing).toEqual([]);
  });
});
