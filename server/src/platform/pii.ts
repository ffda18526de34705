import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** 个人信息保护: phone numbers are shown as 138****5678 unless a permitted reader reveals them. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const digits = phone.replace(/\s/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** An ID number shown by its last four characters only: 4401**********1234 → **************1234. */
export function maskIdNumber(tail: string | null): string | null {
  return tail ? `${'*'.repeat(14)}${tail}` : null;
}

/** Encrypts and hashes ID numbers with the keys from the configuration. */
export class PiiVault {
  private readonly encKey: Buffer;
  private readonly hashKey: Buffer;
  constructor(encryptionKeyHex: string, hashKeyHex: string) {
    this.encKey = Buffer.from(encryptionKeyHex, 'hex');
    this.hashKey = Buffer.from(hashKeyHex, 'hex');
  }

  /** AES-256-GCM: 12-byte nonce ‖ 16-byte tag ‖ ciphertext. */
  encrypt(plain: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  decrypt(sealed: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Keyed hash for exact lookup and duplicate detection; normalised so that case and spaces do not matter. */
  lookupHash(idNumber: string): string {
    return createHmac('sha256', this.hashKey).update(normaliseIdNumber(idNumber)).digest('hex');
  }

  /** Everything a row needs to store one ID number. */
  seal(idNumber: string) {
    const normal = normaliseIdNumber(idNumber);
    return { idNumberEnc: this.encrypt(normal), idNumberHash: this.lookupHash(normal), idNumberTail: normal.slice(-4) };
  }
}

export function normaliseIdNumber(idNumber: string): string {
  return idNumber.replace(/\s/g, '').toUpperCase();
}
