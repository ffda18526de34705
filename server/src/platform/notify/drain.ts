/**
 * The outbound messages' sender: a scheduled job takes the pending messages (SKIP LOCKED, so several
 * instances share the work and never send one twice), hands each to the adapter and marks it sent, or
 * tries again later with a growing delay (1, 2, 4 … up to 60 minutes) and gives up after MAX_ATTEMPTS.
 *
 * The adapter shipped writes each message as one JSON line to a file (OUTBOUND_LOG_FILE): a stand-in an
 * operator can read, and the documented interface of a real gateway (docs/operations.md): implement
 * `OutboundAdapter.send` for the SMS platform or the mail relay, throw to have the message retried.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import type { JobDef } from '../jobs/scheduler.js';
import type { OutboundChannel } from './notify.js';

export interface OutboundDelivery {
  id: number;
  channel: OutboundChannel;
  recipient: string;
  body: string;
}

export interface OutboundAdapter {
  send(message: OutboundDelivery): Promise<void>;
}

export const MAX_ATTEMPTS = 8;
const BATCH = 200;

/** Writes each message as a JSON line to a file (the recipient in full: the file is the gateway's side). */
export class LogFileAdapter implements OutboundAdapter {
  constructor(private readonly file: string) {}
  async send(message: OutboundDelivery): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify({ at: new Date().toISOString(), ...message })}\n`, { mode: 0o600 });
  }
}

export const outboundAdapterOf = (deps: Deps): OutboundAdapter =>
  new LogFileAdapter(deps.config.OUTBOUND_LOG_FILE || path.join(deps.config.DATA_DIR, 'outbound-messages.log'));

interface Pending {
  id: number;
  channel: OutboundChannel;
  recipient_enc: string;
  body: string;
  attempts: number;
}

/** Sends what is due, a batch at a time, until none is left; returns the counts. */
export async function drainOutbound(deps: Deps, adapter: OutboundAdapter = outboundAdapterOf(deps)): Promise<{ sent: number; failed: number }> {
  const { database } = deps;
  let sent = 0;
  let failed = 0;
  for (;;) {
    const done = await database.db.transaction(async (tx) => {
      const batch = await database.rows<Pending>(
        sql`SELECT id, channel, recipient_enc, body, attempts FROM outbound_messages
            WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        tx,
      );
      for (const m of batch) {
        const id = Number(m.id);
        try {
          await adapter.send({ id, channel: m.channel, recipient: deps.pii.decrypt(Buffer.from(m.recipient_enc, 'base64')), body: m.body });
          await tx.execute(sql`UPDATE outbound_messages SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ${id}`);
          sent++;
        } catch (err) {
          const attempts = m.attempts + 1;
          const status = attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
          const delayMinutes = Math.min(60, 2 ** (attempts - 1));
          await tx.execute(sql`
            UPDATE outbound_messages SET status = ${status}, attempts = ${attempts}, last_error = ${String(err).slice(0, 500)},
              next_attempt_at = now() + make_interval(mins => ${delayMinutes}) WHERE id = ${id}`);
          failed++;
        }
      }
      return batch.length < BATCH;
    });
    if (done) return { sent, failed };
  }
}

export const outboundDrainJob: JobDef = { name: 'notify.outbound', pattern: '* * * * *', run: (deps) => drainOutbound(deps) };
