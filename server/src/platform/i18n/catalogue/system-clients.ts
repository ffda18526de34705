import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 接口客户端 (API clients): problems, notifications and record names. */
export const systemClients = {
  entity_api_client: { 'zh-CN': '接口客户端', 'en-US': 'The API client' },
  entity_api_client_secret: { 'zh-CN': '客户端密钥', 'en-US': 'The client secret' },
  // the token endpoint (RFC 6749 §5.2)
  oauth_invalid_request: {
    'zh-CN': '令牌请求不完整或格式不对：须为 grant_type=client_credentials，客户端凭据只用一种方式提供',
    'en-US': 'The token request is incomplete or malformed: send grant_type=client_credentials and the client credentials one way only',
  },
  oauth_invalid_client: { 'zh-CN': '客户端认证失败：客户端标识或密钥不对，或客户端已停用', 'en-US': 'Client authentication failed: wrong client id or secret, or the client is deactivated' },
  oauth_unsupported_grant_type: { 'zh-CN': '只支持 client_credentials 授权方式', 'en-US': 'Only the client_credentials grant is supported' },
  oauth_invalid_scope: { 'zh-CN': '申请的权限范围“{scope}”不存在或未授予该客户端', 'en-US': 'The scope “{scope}” does not exist or is not granted to this client' },
  oauth_too_many_failures: { 'zh-CN': '该客户端认证失败次数过多，请稍后再试', 'en-US': 'Too many failed authentications of this client; try again later' },
  // the bearer token on a route (RFC 6750 §3.1)
  token_invalid: { 'zh-CN': '访问令牌无效：未知、已吊销，或其客户端已停用', 'en-US': 'The access token is not valid: unknown, revoked, or its client is deactivated' },
  token_expired: { 'zh-CN': '访问令牌已过期', 'en-US': 'The access token expired' },
  scope_insufficient: { 'zh-CN': '访问令牌不含此接口所需的权限范围“{scope}”', 'en-US': 'The access token lacks the scope “{scope}” this endpoint needs' },
  client_rate_limited: { 'zh-CN': '超出该客户端每分钟 {max} 次的调用限额', 'en-US': 'Beyond this client’s limit of {max} calls a minute' },
  // the administration
  client_unit_invalid: { 'zh-CN': '客户端所属单位须为本单位或下级单位', 'en-US': 'The client’s unit must be yours or one below it' },
  client_partner_unknown: { 'zh-CN': '没有这个合作伙伴，或它不在您的管辖范围内', 'en-US': 'There is no such partner in your scope' },
  client_partner_scope: { 'zh-CN': '只有关联了合作伙伴的客户端才能授予“合作伙伴接口”权限', 'en-US': 'Only a client linked to a partner may hold the partner API scope' },
  client_secret_revoked: { 'zh-CN': '该密钥已被吊销', 'en-US': 'This secret is revoked already' },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof systemClients;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });
const DOCS = 'docs/machine-clients.md';

/** The problem pages of the API clients' codes (merged into PROBLEM_TYPES). */
export const clientProblemTypes = {
  oauth_invalid_request: type(
    400,
    `以 application/x-www-form-urlencoded 提交 grant_type=client_credentials；客户端凭据用 HTTP Basic 或表单中的 client_id 与 client_secret，二选一（${DOCS}）。`,
    `Post grant_type=client_credentials as application/x-www-form-urlencoded; send the client credentials by HTTP Basic or as client_id and client_secret in the form, not both (${DOCS}).`,
  ),
  oauth_invalid_client: type(
    401,
    `核对管理员提供的客户端标识与密钥；密钥轮换后旧密钥只在约定期限内有效。仍失败时请联系运营商的系统管理员（${DOCS}）。`,
    `Check the client id and secret the administrator gave you; after a rotation the old secret works only until its expiry. If it still fails, ask the operator’s administrator (${DOCS}).`,
  ),
  oauth_unsupported_grant_type: type(400, '本系统只为系统间调用签发令牌：grant_type=client_credentials。', 'This system issues tokens to systems only: grant_type=client_credentials.'),
  oauth_invalid_scope: type(400, '不填 scope 即获得客户端的全部权限范围；或只申请其中的一部分，以空格分隔。', 'Leave scope out to get all of the client’s scopes, or ask for some of them, separated by spaces.'),
  oauth_too_many_failures: type(429, '检查程序中配置的密钥；按 Retry-After 头给出的秒数等待后再试。', 'Check the secret your program is configured with; wait the seconds the Retry-After header gives, then try again.'),
  token_invalid: type(
    401,
    `用客户端凭据重新申请令牌（POST /api/oauth/token）；仍被拒绝时，客户端可能已被停用（${DOCS}）。`,
    `Get a new token with the client credentials (POST /api/oauth/token); if that is refused too, the client may be deactivated (${DOCS}).`,
  ),
  token_expired: type(401, '令牌有效期见签发时的 expires_in：到期前重新申请即可。', 'A token lives expires_in seconds from its issue: get a new one before it ends.'),
  scope_insufficient: type(403, '申请令牌时包含所需的权限范围；客户端没有该范围时，请管理员为其授予。', 'Ask for the needed scope when getting the token; if the client does not hold it, ask the administrator to grant it.'),
  client_rate_limited: type(429, '按 Retry-After 头给出的秒数等待后再试；需要更高限额请联系管理员。', 'Wait the seconds the Retry-After header gives; ask the administrator for a higher limit if you need one.'),
  client_unit_invalid: type(400, '选择本单位或下级单位：客户端只能读取该单位及下级单位的数据。', 'Choose your unit or one below it: the client reads the data of that unit and those below it only.'),
  client_partner_unknown: type(400, '从合作伙伴管理中选择已登记的合作伙伴。', 'Choose a partner registered in the partner administration.'),
  client_partner_scope: type(400, '先为客户端关联合作伙伴，再授予“合作伙伴接口”权限。', 'Link the client to a partner first, then grant the partner API scope.'),
  client_secret_revoked: type(409, '吊销的密钥不能恢复：为客户端轮换一个新密钥。', 'A revoked secret cannot come back: rotate a new one for the client.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
