/**
 * A partner with a key, for the tests that walk the route catalogue (access, bad input, personal data): the
 * partner API's routes answer 401 to anything but a partner's key, so a walk that means to reach their
 * validation sends one.
 */
import type { Session } from '../../../db/testing.js';

export interface TestPartner {
  id: number;
  /** The header value: `Bearer <keyId>.<secret>`. */
  authorization: string;
}

export async function testPartner(admin: Session, code = 'TEST-WALK', fields: Record<string, unknown> = {}): Promise<TestPartner> {
  const created = await admin.request({
    method: 'POST',
    url: '/api/services/partners',
    payload: { code, name: '测试合作伙伴', industry: 'airline', benefits: ['vip_lounge'], rateLimitPerMinute: 1_000_000, ...fields },
  });
  if (created.statusCode !== 201) throw new Error(`partner not created: ${created.statusCode} ${created.body}`);
  const id = (created.json() as { id: number }).id;
  const issued = await admin.request({ method: 'POST', url: `/api/services/partners/${id}/credentials`, payload: {} });
  if (issued.statusCode !== 201) throw new Error(`key not issued: ${issued.statusCode} ${issued.body}`);
  return { id, authorization: `Bearer ${(issued.json() as { token: string }).token}` };
}
