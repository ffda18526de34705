import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** TM Forum 开放接口 (TM Forum Open APIs, modules/tmf): problems and record names. */
export const tmf = {
  entity_tmf_resource: { 'zh-CN': 'TM Forum 开放接口', 'en-US': 'TM Forum Open APIs' },
  tmf_if_match_required: {
    'zh-CN': '修改须带 If-Match 请求头（读取时的 ETag）',
    'en-US': 'A change needs the If-Match header (the ETag it was read with)',
  },
  tmf_status_reason_required: {
    'zh-CN': '变更客户状态须说明原因（statusReason）',
    'en-US': 'A change of the customer’s status needs its reason (statusReason)',
  },
  tmf_status_unsupported: {
    'zh-CN': '工单不能改为状态“{status}”：本系统的工单流转没有此状态',
    'en-US': 'A ticket cannot be set to “{status}”: the request flow of this system has no such status',
  },
  tmf_ticket_customer_required: {
    'zh-CN': '须在 relatedParty 中给出角色为 customer 的客户（其 Customer 编号）',
    'en-US': 'Name the customer in relatedParty, with role customer (its Customer id)',
  },
} as const satisfies Record<string, Record<Locale, string>>;

const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

export const tmfProblemTypes = {
  tmf_if_match_required: type(
    428,
    '先 GET 该资源，把响应的 ETag 原样放进 If-Match 再发 PATCH；这样不会覆盖别人在此期间的修改。',
    'GET the resource first and send its ETag as If-Match with the PATCH: so no change made meanwhile is overwritten.',
  ),
  tmf_status_reason_required: type(
    400,
    '转保留库给出 port_out、closure 或 lost_status；重新入库给出 win_back 或 regained_status。',
    'To the retained archive give port_out, closure or lost_status; back in the network give win_back or regained_status.',
  ),
  tmf_status_unsupported: type(
    400,
    '可用的状态：acknowledged、inProgress、pending、resolved、closed（见 docs/tmf-api.md 的状态对照）。',
    'The statuses available: acknowledged, inProgress, pending, resolved, closed (see the mapping in docs/tmf-api.md).',
  ),
  tmf_ticket_customer_required: type(
    400,
    '在 relatedParty 中加入 {"id": "<客户编号>", "role": "customer", "@referredType": "Customer"}；编号即 TMF629 Customer 的 id。',
    'Add {"id": "<customer id>", "role": "customer", "@referredType": "Customer"} to relatedParty; the id is the TMF629 Customer’s.',
  ),
} as const satisfies Partial<Record<keyof typeof tmf, ProblemType>>;
