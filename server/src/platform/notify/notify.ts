/**
 * 消息通知, shared by every area: in-app messages to users (a catalogue code and its parameters, worded in
 * the reader's language when read) and outbound SMS / e-mail, queued in the changing transaction for an
 * adapter to send (drain.ts). The recipient of an outbound message is kept sealed by the PII vault, with a
 * masked copy to show; a `dedupeKey` makes a reminder or a notice go out once however often its job runs.
 */
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';
import { namedRows } from '../../db/statements.js';
import { notifications, outboundMessages } from '../../db/schema/index.js';
import { isMessageCode, translate, type Locale, type MessageCode } from '../i18n/messages.js';
import type { PiiVault } from '../pii.js';
import { maskPhone } from '../pii.js';

export interface InAppMessage {
  userId: number;
  code: MessageCode;
  params?: Record<string, string | number>;
  /** A console path the message opens (`/services/requests/17`). */
  link?: string;
  entity?: string;
  entityId?: number;
}

/** Sends in-app messages (one per user; duplicates of a user in the list are sent once). */
export async function notifyUsers(tx: Executor, messages: InAppMessage[]): Promise<number> {
  const seen = new Set<string>();
  const rows = messages.filter((m) => {
    const key = `${m.userId}\u0000${m.code}\u0000${m.entity ?? ''}\u0000${m.entityId ?? ''}`;
    return !seen.has(key) && seen.add(key);
  });
  if (!rows.length) return 0;
  // one statement of one shape however many messages: a named statement, planned once per connection
  const column = (pick: (m: InAppMessage) => string | number | null) => sql.param(rows.map(pick));
  await namedRows(
    tx,
    sql`INSERT INTO notifications (user_id, code, params, link, entity, entity_id)
        SELECT user_id, code, params::jsonb, link, entity, entity_id
        FROM unnest(${column((m) => m.userId)}::bigint[], ${column((m) => m.code)}::text[], ${column((m) => JSON.stringify(m.params ?? {}))}::text[],
          ${column((m) => m.link ?? null)}::text[], ${column((m) => m.entity ?? null)}::text[], ${column((m) => m.entityId ?? null)}::bigint[])
          AS t(user_id, code, params, link, entity, entity_id)`,
  );
  return rows.length;
}

/**
 * Sends one in-app message to whoever answers for a unit (nearestHoldersSql), leaving out `except` (the one who
 * acted): the holders found and their messages written by one statement. Returns how many were sent.
 */
export async function notifyNearestHolders(tx: Executor, unitPath: string, permission: string, message: Omit<InAppMessage, 'userId'>, except: number | null = null): Promise<number> {
  const sent = await namedRows(
    tx,
    sql`INSERT INTO notifications (user_id, code, params, link, entity, entity_id)
        SELECT holder.id, ${message.code}, ${JSON.stringify(message.params ?? {})}::jsonb, ${message.link ?? null}, ${message.entity ?? null}, ${message.entityId ?? null}::bigint
        FROM (${nearestHoldersSql(sql`${unitPath}::text`, permission)}) holder
        WHERE holder.id IS DISTINCT FROM ${except}::bigint
        RETURNING 1`,
  );
  return sent.length;
}

export type OutboundChannel = 'sms' | 'email';

export interface OutboundMessage {
  channel: OutboundChannel;
  /** A mobile number (sms) or an address (email), sealed before it is stored. */
  recipient: string;
  body: string;
  /** Sent once per key: a second message with the same key is dropped (false is returned). */
  dedupeKey?: string;
  entity?: string;
  entityId?: number;
}

export function maskRecipient(channel: OutboundChannel, recipient: string): string {
  if (channel === 'sms') return maskPhone(recipient) ?? '';
  const [name = '', domain = ''] = recipient.split('@');
  return `${name.slice(0, 1)}***@${domain}`;
}

/**
 * Queues outbound messages in the caller's transaction, in one statement however many (a city-wide notice queues
 * tens of thousands, a batch at a time); returns how many were new: a message whose dedupe key was used is dropped.
 */
export async function queueOutboundBatch(tx: Executor, vault: PiiVault, messages: OutboundMessage[]): Promise<number> {
  if (!messages.length) return 0;
  const rows = await tx
    .insert(outboundMessages)
    .values(
      messages.map((m) => ({
        channel: m.channel,
        recipientEnc: vault.encrypt(m.recipient).toString('base64'),
        recipientMasked: maskRecipient(m.channel, m.recipient),
        body: m.body,
        dedupeKey: m.dedupeKey ?? null,
        entity: m.entity ?? null,
        entityId: m.entityId ?? null,
      })),
    )
    .onConflictDoNothing({ target: outboundMessages.dedupeKey })
    .returning({ id: outboundMessages.id });
  return rows.length;
}

/** Queues one outbound message; false when its dedupe key was used already. */
export const queueOutbound = async (tx: Executor, vault: PiiVault, message: OutboundMessage): Promise<boolean> => (await queueOutboundBatch(tx, vault, [message])) > 0;

/** A user's messages, newest first, worded in their language; with the number unread. */
export async function myNotifications(database: Database, userId: number, locale: Locale, page: { unread?: 'true' | 'false'; offset: number; limit: number }) {
  const { db } = database;
  const mine = eq(notifications.userId, userId);
  const unreadOnly = and(mine, isNull(notifications.readAt));
  const where = page.unread === 'true' ? unreadOnly : mine;
  const [rows, [total], [unread]] = await Promise.all([
    db.select().from(notifications).where(where).orderBy(desc(notifications.id)).offset(page.offset).limit(page.limit),
    db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(where),
    db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(unreadOnly),
  ]);
  const items = rows.map((r) => ({
    id: r.id,
    code: r.code,
    text: isMessageCode(r.code) ? translate(r.code, locale, r.params as Record<string, unknown>) : r.code,
    link: r.link,
    entity: r.entity,
    entityId: r.entityId,
    createdAt: r.createdAt,
    readAt: r.readAt,
  }));
  return { items, total: Number(total?.n ?? 0), unread: Number(unread?.n ?? 0) };
}

/** Marks a user's messages read (those listed, or all); returns how many changed. */
export async function markRead(database: Database, userId: number, ids?: number[]): Promise<number> {
  const conds = [eq(notifications.userId, userId), isNull(notifications.readAt)];
  if (ids) conds.push(inArray(notifications.id, ids.length ? ids : [0]));
  const marked = await database.db.update(notifications).set({ readAt: new Date() }).where(and(...conds)).returning({ id: notifications.id });
  return marked.length;
}

/**
 * Who answers for a unit: the active users holding `permission` in the nearest unit at or above it that has
 * any (an outlet's requests go to its county's or its city's heads when the outlet has none). `unitPath` is an
 * SQL expression (a column of the caller's query, or a bound path); the result selects their `id`s.
 */
export function nearestHoldersSql(unitPath: SQL, permission: string): SQL {
  return sql`
    SELECT DISTINCT holder.id FROM users holder JOIN org_units holder_unit ON holder_unit.id = holder.unit_id JOIN user_roles holder_role ON holder_role.user_id = holder.id JOIN roles holder_r ON holder_r.id = holder_role.role_id
    WHERE holder.active AND ${permission} = ANY(holder_r.permissions) AND holder_unit.path = (
      SELECT near_unit.path FROM users near JOIN org_units near_unit ON near_unit.id = near.unit_id JOIN user_roles near_role ON near_role.user_id = near.id JOIN roles near_r ON near_r.id = near_role.role_id
      WHERE near.active AND ${permission} = ANY(near_r.permissions) AND starts_with(${unitPath}, near_unit.path)
      ORDER BY length(near_unit.path) DESC LIMIT 1)`;
}
