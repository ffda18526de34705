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
});
