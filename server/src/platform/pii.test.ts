import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone, PiiVault } from './pii.js';

const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));

describe('personal data protection', () => {
  it('masks a mobile number as 138****5678', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone('12345')).toBe('*****');
  });
  it('masks an ID number down to its last four characters', () => {
    expect(maskIdNumber('123X')).toBe('**************123X');
  });
  it('decrypts what it encrypted, with a fresh nonce each time', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (id) => {
        const a = vault.encrypt(id);
        expect(vault.decrypt(a)).toBe(id);
        expect(vault.encrypt(id).equals(a)).toBe(false);
      }),
    );
  });
  it('refuses a tampered ciphertext', () => {
    const sealed = vault.encrypt('440106198001011234');
    sealed[sealed.length - 1]! ^= 1;
    expect(() => vault.decrypt(sealed)).toThrow();
  });
  it('hashes equal ID numbers equally regardless of case and spaces, and depends on the key', () => {
    expect(vault.lookupHash('44010619800101123x')).toBe(vault.lookupHash(' 44010619800101123X '));
    expect(new PiiVault('11'.repeat(32), '33'.repeat(32)).lookupHash('x1')).not.toBe(vault.lookupHash('x1'));
  });
});
