import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 跨行业合作伙伴 (services/partners): the administration's and the partner API's problems. */
export const servicesPartners = {
  entity_partner: { 'zh-CN': '合作伙伴', 'en-US': 'The partner' },
  entity_partner_credential: { 'zh-CN': '接口密钥', 'en-US': 'The API key' },
  entity_partner_verification: { 'zh-CN': '身份认证', 'en-US': 'The verification' },
  partner_benefit_unknown: { 'zh-CN': '现行权益规则中没有权益“{code}”', 'en-US': 'The benefits rules in effect have no benefit “{code}”' },
  partner_benefit_duplicate: { 'zh-CN': '权益“{code}”重复', 'en-US': 'The benefit “{code}” is listed twice' },
  partner_unit_invalid: { 'zh-CN': '所属单位须为本单位或下级单位', 'en-US': 'The unit must be yours or one below it' },
  partner_credential_revoked: { 'zh-CN': '该密钥已被吊销', 'en-US': 'This key is revoked already' },
  partner_unauthenticated: {
    'zh-CN': '缺少有效的合作伙伴密钥（Authorization: Bearer <keyId>.<secret>），或密钥已过期、已吊销',
    'en-US': 'No valid partner key (Authorization: Bearer <keyId>.<secret>), or the key expired or was revoked',
  },
  partner_inactive: { 'zh-CN': '该合作伙伴已暂停合作', 'en-US': 'This partner is suspended' },
  partner_member_no_not_allowed: { 'zh-CN': '该合作伙伴不能凭会员号认证，请用手机验证码', 'en-US': 'This partner may not verify by membership number; use a code to the phone' },
  partner_member_unknown: { 'zh-CN': '没有这个会员号', 'en-US': 'There is no such membership number' },
  partner_otp_too_frequent: {
    'zh-CN': '{minutes} 分钟内已向该客户发送 {max} 次验证码，请稍后再试',
    'en-US': '{max} codes were sent to this customer within {minutes} minutes; try again later',
  },
  partner_code_wrong: { 'zh-CN': '验证码错误，还可再试 {left} 次', 'en-US': 'Wrong code; {left} tries left' },
  partner_code_expired: { 'zh-CN': '验证码已过期（有效期 {minutes} 分钟），请重新发起认证', 'en-US': 'The code expired (it lives {minutes} minutes); start a new verification' },
  partner_code_locked: { 'zh-CN': '验证码已输错 {max} 次，本次认证作废，请重新发起', 'en-US': 'The code was wrong {max} times; this verification is void, start a new one' },
  partner_verification_used: { 'zh-CN': '该认证已完成，不能再次输入验证码', 'en-US': 'This verification is complete; its code cannot be entered again' },
  partner_verification_unusable: {
    'zh-CN': '该认证尚未完成，或完成已超过 {minutes} 分钟，请重新认证客户',
    'en-US': 'This verification is not complete, or was completed more than {minutes} minutes ago; verify the customer again',
  },
  partner_benefit_not_allowed: { 'zh-CN': '贵方未获授权确认权益“{benefit}”', 'en-US': 'You are not authorised to confirm the benefit “{benefit}”' },
  partner_allowance_exceeded: {
    'zh-CN': '超出客户本年度权益额度，剩余 {remaining} 次',
    'en-US': 'Beyond the customer’s allowance for this year: {remaining} left',
  },
  partner_txn_reused: {
    'zh-CN': '交易号 {txn} 已用于另一笔不同的确认',
    'en-US': 'The transaction id {txn} was used for a different confirmation',
  },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof servicesPartners;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

/** The problem pages of the partners' codes (merged into PROBLEM_TYPES). */
export const partnerProblemTypes = {
  partner_benefit_unknown: type(400, '从现行权益规则中选择权益（GET /api/services/partner-benefits 列出）。', 'Choose benefits of the rules in effect (GET /api/services/partner-benefits lists them).'),
  partner_benefit_duplicate: type(400, '每项权益只列一次。', 'List each benefit once.'),
  partner_unit_invalid: type(400, '选择本单位或下级单位作为合作伙伴的所属单位；不填时为本单位。', 'Choose your unit or one below it to keep the partner; left out, it is yours.'),
  partner_credential_revoked: type(409, '吊销的密钥不能恢复：为合作伙伴签发新的密钥。', 'A revoked key cannot come back: issue the partner a new one.'),
  partner_unauthenticated: type(
    401,
    '在 Authorization 头中发送管理员签发的密钥：Bearer <keyId>.<secret>。密钥过期或被吊销时，请联系运营商的系统管理员签发新密钥（docs/partner-api.md）。',
    'Send the key an administrator issued in the Authorization header: Bearer <keyId>.<secret>. When it expired or was revoked, ask the operator’s administrator for a new one (docs/partner-api.md).',
  ),
  partner_inactive: type(403, '合作已暂停：请联系运营商的合作伙伴管理员。', 'The partnership is suspended: contact the operator’s partner administrator.'),
  partner_member_no_not_allowed: type(403, '请用手机号发起认证（验证码发到客户手机）；如需凭会员号认证，请联系运营商开通。', 'Verify by the phone number (a code goes to the customer’s phone); ask the operator to allow membership numbers if you need them.'),
  partner_member_unknown: type(404, '核对客户出示的会员号；也可以改用手机验证码认证。', 'Check the membership number the customer shows, or verify by a code to the phone instead.'),
  partner_otp_too_frequent: type(429, '请客户查收已发送的验证码；按 Retry-After 头给出的秒数等待后再发。', 'Ask the customer for the code already sent; wait the seconds the Retry-After header gives before sending another.'),
  partner_code_wrong: type(422, '请客户核对短信中的 6 位验证码后重新输入；标题给出剩余次数。', 'Ask the customer to read the 6-digit code from the SMS again; the title gives the tries left.'),
  partner_code_expired: type(409, '重新发起认证（POST /api/partner/v1/verifications），客户会收到新的验证码。', 'Start a new verification (POST /api/partner/v1/verifications); the customer gets a new code.'),
  partner_code_locked: type(409, '输错次数已达上限：重新发起认证，客户会收到新的验证码。', 'The tries are used up: start a new verification; the customer gets a new code.'),
  partner_verification_used: type(409, '认证已完成：直接用 verificationId 确认权益消费。', 'The verification is complete: confirm the consumption with its verificationId.'),
  partner_verification_unusable: type(409, '先完成认证（输入验证码）；超过有效期后请重新认证客户。', 'Complete the verification first (enter the code); once it is too old, verify the customer again.'),
  partner_benefit_not_allowed: type(403, '只能确认合作协议约定的权益：GET /api/partner/v1/profile 列出贵方可确认的权益。', 'You may confirm only the benefits of your agreement: GET /api/partner/v1/profile lists them.'),
  partner_allowance_exceeded: type(
    422,
    '客户本年度的权益额度不足：标题和 X-Allowance-Remaining 头给出剩余次数。可减少数量，或按自费标准为客户服务。',
    'The customer’s allowance for this year is too small: the title and the X-Allowance-Remaining header give what is left. Confirm fewer, or serve the customer at your own rates.',
  ),
  partner_txn_reused: type(409, '每笔确认使用新的交易号；重发同一笔确认时，请求内容须与第一次相同。', 'Use a new transaction id for each confirmation; a repeat of the same one must send the same content.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
