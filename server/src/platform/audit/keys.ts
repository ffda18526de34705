import { createHmac } from 'node:crypto';

/**
 * The key of the audit chain (AUDIT_HMAC_KEY). It never reaches the database: the application signs each
 * entry and each checkpoint with keys derived from it, one per purpose, so that an entry's hash can never
 * pass for a checkpoint's signature. Its id (a fingerprint, not a secret) is stored with each entry, so
 * that entries signed before a change of key are verified with the retired key.
 */
export class AuditKey {
  readonly id: string;
  private readonly entryKey: Buffer;
  private readonly checkpointKey: Buffer;

  constructor(hex: string) {
    const master = Buffer.from(hex, 'hex');
    const derive = (purpose: string) => createHmac('sha256', master).update(purpose).digest();
    this.id = derive('kam audit key id').toString('hex').slice(0, 16);
    this.entryKey = derive('kam audit entry v1');
    this.checkpointKey = derive('kam audit checkpoint v1');
  }

  signEntry(message: string): string {
    return createHmac('sha256', this.entryKey).update(message, 'utf8').digest('hex');
  }

  signCheckpoint(message: string): string {
    return createHmac('sha256', this.checkpointKey).update(message, 'utf8').digest('hex');
  }
}

/** The key that signs, and the retired ones that still verify what they signed. */
export class AuditKeyring {
  readonly current: AuditKey;
  private readonly byId: Map<string, AuditKey>;

  constructor(currentHex: string, retiredHex: readonly string[] = []) {
    this.current = new AuditKey(currentHex);
    this.byId = new Map([...retiredHex.map((h) => new AuditKey(h)), this.current].map((k) => [k.id, k]));
  }

  get(id: string): AuditKey | undefined {
    return this.byId.get(id);
  }

  get all(): AuditKey[] {
    return [...this.byId.values()];
  }
}

// The audit writer is called from every module with a transaction, not with the process's dependencies,
// so the signing keys are the process's, set once at start from the configuration (makeDeps).
let signing: AuditKeyring | null = null;

export function useAuditKeys(keyring: AuditKeyring): void {
  signing = keyring;
}

export function signingKeys(): AuditKeyring {
  if (!signing) throw new Error('the audit key is not configured (makeDeps sets it from AUDIT_HMAC_KEY)');
  return signing;
}
