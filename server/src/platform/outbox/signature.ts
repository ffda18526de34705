/**
 * The signature of each delivery (docs/events.md): HMAC-SHA256, keyed with the subscription's secret, over
 * `<timestamp>.<body>`, sent as `X-KAM-Signature: sha256=<hex>` beside `X-KAM-Timestamp: <unix seconds>`. The
 * timestamp in the signed text lets a listener refuse old replays (say, older than five minutes).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-kam-signature';
export const TIMESTAMP_HEADER = 'x-kam-timestamp';

export const signBody = (secret: string, timestamp: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** What a listener does (written here so that the documentation's recipe is tested): true when the body is ours and fresh. */
export function verifySignature(secret: string, headers: { signature?: string; timestamp?: string }, body: string, maxAgeSeconds = 300, nowMs = Date.now()): boolean {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > maxAgeSeconds) return false;
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
