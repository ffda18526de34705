import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblems, verifyPassword } from './password.js';

const policy = { minLength: 10, minClasses: 3 };

describe('password policy', () => {
  it('accepts a long password of three classes', () => {
    expect(passwordProblems('Lantern#Kestrel42', policy, 'body.password')).toEqual([]);
  });
  it('names both problems of a short single-class password', () => {
    expect(passwordProblems('abc', policy, 'body.password').map((p) => p.code)).toEqual(['password_too_short', 'password_classes']);
  });
  it('counts characters, not UTF-16 units, so that Chinese passwords are measured fairly', () => {
    expect(passwordProblems('密码A1密码A1密码', { minLength: 10, minClasses: 1 }, 'f')).toEqual([]);
    expect(passwordProblems('😀😀😀😀😀', { minLength: 10, minClasses: 1 }, 'f')).toHaveLength(1);
  });
  it('never accepts a password shorter than the minimum, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 9 }), (pw) => {
        expect(passwordProblems(pw, policy, 'f').some((p) => p.code === 'password_too_short')).toBe(true);
      }),
    );
  });
  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('Right#Pass2026');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'Right#Pass2026')).toBe(true);
    expect(await verifyPassword(hash, 'Wrong#Pass2026')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});
