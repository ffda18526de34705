#!/usr/bin/env node
/**
 * 跨行业合作伙伴 — an example client of the partner API (docs/partner-api.md), as a lounge's front desk would
 * use it: verify a key account by phone (a code goes to the customer's phone) or by membership number, show
 * the level and the allowances left, then confirm one use of a benefit — and send the same confirmation
 * again to show that a repeat never deducts twice.
 *
 *   PARTNER_KEY='pk_….…' node examples/partner-client.mjs --phone 13800138000
 *   PARTNER_KEY='pk_….…' node examples/partner-client.mjs --member-no GZ00012345 --benefit vip_lounge
 *
 * Options: --base (KAM_URL, default http://127.0.0.1:3000), --phone | --member-no, --code (else asked for),
 * --benefit (default: the first you may confirm), --quantity (1), --txn (default: a new id), --lang en.
 * Node 20 or later (global fetch); no dependencies.
 */
/* global fetch */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string', default: process.env.KAM_URL ?? 'http://127.0.0.1:3000' },
    phone: { type: 'string' },
    'member-no': { type: 'string' },
    code: { type: 'string' },
    benefit: { type: 'string' },
    quantity: { type: 'string', default: '1' },
    txn: { type: 'string' },
    lang: { type: 'string', default: 'zh' },
  },
});
const key = process.env.PARTNER_KEY;
if (!key || (!args.phone && !args['member-no'])) {
  console.error('usage: PARTNER_KEY=<keyId>.<secret> node examples/partner-client.mjs (--phone <mobile> | --member-no <no>) [--benefit <code>]');
  process.exit(2);
}
const en = args.lang.startsWith('en');

/** One call of the API: the answer's JSON, or the problem (RFC 9457) printed and thrown. */
async function call(method, path, body) {
  const res = await fetch(`${args.base}/api/partner/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'accept-language': en ? 'en-US' : 'zh-CN', ...(body && { 'content-type': 'application/json' }) },
    body: body && JSON.stringify(body),
  });
  const answer = await res.json();
  if (res.ok) return { status: res.status, headers: res.headers, answer };
  console.error(`✗ ${method} ${path} → ${res.status} ${answer.code}: ${answer.title}`);
  if (res.headers.get('retry-after')) console.error(`  retry after ${res.headers.get('retry-after')} s`);
  if (res.headers.get('x-allowance-remaining')) console.error(`  allowance left: ${res.headers.get('x-allowance-remaining')}`);
  for (const e of answer.errors ?? []) console.error(`  ${e.field}: ${e.message}`);
  throw Object.assign(new Error(answer.code), { status: res.status, problem: answer });
}

const levelOf = (v) => (v.level ? `${en ? v.levelNameEn : v.levelName} (${v.level})` : en ? 'not a rated key account' : '非星级大客户');

try {
  const { answer: me } = await call('GET', '/profile');
  console.log(`partner ${me.code} ${me.name}; key ${me.keyId}; may confirm: ${me.benefits.join(', ')}; ${me.rateLimitPerMinute} calls a minute`);

  let verified;
  if (args['member-no']) {
    ({ answer: verified } = await call('POST', '/verifications', { memberNo: args['member-no'] }));
  } else {
    const { answer: started } = await call('POST', '/verifications', { phone: args.phone });
    console.log(`code sent (verification ${started.verificationId}), valid until ${new Date(started.expiresAt).toLocaleString()}`);
    let code = args.code;
    if (!code) {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      code = (await rl.question(en ? 'the 6-digit code the customer received: ' : '客户收到的 6 位验证码：')).trim();
      rl.close();
    }
    ({ answer: verified } = await call('POST', `/verifications/${started.verificationId}/confirm`, { code }));
  }
  console.log(`✓ verified ${verified.customer ?? ''}: ${levelOf(verified)}; usable until ${new Date(verified.validUntil).toLocaleString()}`);
  for (const b of verified.benefits) {
    const left = b.remaining === null ? (b.eligible ? 'yes' : 'no') : `${b.remaining} of ${b.allowance} left in ${verified.year}`;
    console.log(`  ${b.code.padEnd(18)} ${en ? b.nameEn : b.name}: ${left}`);
  }

  const benefit = args.benefit ?? me.benefits[0];
  const confirmation = { verificationId: verified.verificationId, benefit, quantity: Number(args.quantity), partnerTxnId: args.txn ?? `DEMO-${randomUUID()}` };
  const first = await call('POST', '/confirmations', confirmation);
  console.log(`✓ confirmed ${first.answer.quantity} × ${benefit} (${first.status}, confirmation ${first.answer.confirmationId}); left this year: ${first.answer.remaining ?? '-'}`);
  // a network retry of the same transaction: the first answer again, nothing deducted twice
  const again = await call('POST', '/confirmations', confirmation);
  console.log(`✓ the same transaction sent again: ${again.status}, Idempotent-Replayed: ${again.headers.get('idempotent-replayed')}, left: ${again.answer.remaining ?? '-'}`);
} catch (err) {
  if (!err.problem) console.error(err);
  process.exitCode = 1;
}
