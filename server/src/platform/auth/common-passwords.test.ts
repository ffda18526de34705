import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCommonPassword, lookupForms } from './common-passwords.js';
import { passwordProblems } from './password.js';

const policy = { minLength: 10, minClasses: 3 };
const entries = readFileSync(new URL('../../../assets/common-passwords.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'));
const words = entries.filter((e) => /^[a-z]{4,}$/.test(e));

describe('the common-password deny-list', () => {
  it('holds a few thousand entries, the demo password and keyboard walks among them', () => {
    expect(entries.length).toBeGreaterThan(3000);
    expect(entries.length).toBeLessThan(10_000);
    for (const w of ['demo@2026!', 'password', 'qwertyuiop', '1qaz2wsx', 'zxcvbnm', 'woaini1314']) expect(entries).toContain(w);
  });

  it('refuses the demo password and common words dressed up to pass the composition rule', () => {
    for (const pw of ['Demo@2026!', 'DEMO@2026!', 'Password2026!', 'P@ssw0rd2026', '!!Welcome#2026', 'Qwertyuiop12!', '2026#Guangzhou!']) {
      const problems = passwordProblems(pw, policy, 'body.password');
      expect(problems.map((p) => p.code), pw).toContain('password_common');
      expect(problems.find((p) => p.code === 'password_common')!.message).toMatch(/常见|泄露/);
    }
  });

  it('does not strip inside a password, nor judge by a leftover too short to mean anything', () => {
    expect(isCommonPassword('Lantern#Kestrel42')).toBe(false);
    expect(isCommonPassword('Better#Pass2026')).toBe(false);
    expect(lookupForms('Ab#2026!')).toEqual(['ab#2026!', 'ab#2026']);
  });

  it('refuses every listed word whatever its case and the digits and symbols around it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...words),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        fc.stringMatching(/^[0-9!@#$%^&*.]{0,6}$/),
        fc.stringMatching(/^[0-9!@#$%^&*.]{0,6}$/),
        (word, upper, before, after) => {
          const cased = [...word].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
          expect(isCommonPassword(before + cased + after)).toBe(true);
        },
      ),
    );
  });
});
