/**
 * 发送通知: an SMS to each affected key account's contact phone and an in-app message to each of their account
 * managers, in the caller's transaction. A city-wide outage touches tens of thousands of customers, so the
 * SMS go in batches of 1,000, one INSERT each (platform/notify seals the recipients in this process: the
 * database never sees a phone number in the clear), and the dedupe key
 * `outage:<id>:<customer id>` makes a notice go out once per customer however often it is sent.
 */
import type { Executor } from '../../../db/client.js';
import type { Deps } from '../../../platform/deps.js';
import { translate, type MessageCode } from '../../../platform/i18n/messages.js';
import { notifyUsers, queueOutboundBatch } from '../../../platform/notify/notify.js';
import { windowText } from './flow.js';
import * as q from './queries.js';

export const BATCH = 1000;

const kindName = (o: q.OutageRow) => translate(`outage_kind_${o.kind}` as MessageCode, 'zh-CN');
const smsParams = (o: q.OutageRow) => ({ kind: kindName(o), area: o.areaUnitName, window: windowText(o.startsAt, o.endsAt) });
const link = (o: q.OutageRow) => `/services/notices/${o.id}`;

/** SMS of one body to the outage's customers told already (`told`) or not yet, in batches; marks the latter told. */
async function smsInBatches(deps: Deps, tx: Executor, o: q.OutageRow, opts: { told: boolean; body: string; keySuffix: string }) {
  const totals = { customers: 0, sms: 0 };
  for (let after = 0; ; ) {
    const batch = await q.customersToTell(deps.database, tx, o.id, opts.told, after, BATCH);
    if (!batch.length) return totals;
    const messages = batch
      .filter((c) => c.phone)
      .map((c) => ({ channel: 'sms' as const, recipient: c.phone!, body: opts.body, dedupeKey: `outage:${o.id}:${c.customerId}${opts.keySuffix}`, entity: 'planned_outage', entityId: o.id }));
    totals.sms += await queueOutboundBatch(tx, deps.pii, messages);
    if (!opts.told) await q.markTold(tx, o.id, batch.map((c) => c.customerId));
    totals.customers += batch.length;
    after = batch[batch.length - 1]!.customerId;
  }
}

/** The notice: every affected customer not told yet gets the SMS, and their managers one message each with how many of theirs. */
export async function tellCustomers(deps: Deps, tx: Executor, o: q.OutageRow): Promise<{ customers: number; sms: number }> {
  const totals = await smsInBatches(deps, tx, o, { told: false, body: translate('outage_sms', 'zh-CN', smsParams(o)), keySuffix: '' });
  const managers = await q.managersOfTold(deps.database, tx, o.id, false);
  const window = windowText(o.startsAt, o.endsAt);
  await notifyUsers(
    tx,
    managers.map((m) => ({ userId: m.managerId, code: 'notify_outage_customers', params: { title: o.title, window, count: m.n }, link: link(o), entity: 'planned_outage', entityId: o.id })),
  );
  return totals;
}

/** A notice called off: the customers told get a second SMS saying so, and their managers a message. */
export async function tellCancellation(deps: Deps, tx: Executor, o: q.OutageRow): Promise<void> {
  await smsInBatches(deps, tx, o, { told: true, body: translate('outage_cancel_sms', 'zh-CN', smsParams(o)), keySuffix: ':cancelled' });
  const managers = await q.managersOfTold(deps.database, tx, o.id, true);
  await notifyUsers(
    tx,
    managers.map((m) => ({ userId: m.managerId, code: 'notify_outage_cancelled', params: { title: o.title, window: windowText(o.startsAt, o.endsAt) }, link: link(o), entity: 'planned_outage', entityId: o.id })),
  );
}
