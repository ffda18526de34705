import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

const STATUS = {
  request_status_new: { 'zh-CN': '新建', 'en-US': 'new' },
  request_status_accepted: { 'zh-CN': '已受理', 'en-US': 'accepted' },
  request_status_in_progress: { 'zh-CN': '处理中', 'en-US': 'in progress' },
  request_status_waiting_customer: { 'zh-CN': '待客户反馈', 'en-US': 'waiting for the customer' },
  request_status_resolved: { 'zh-CN': '已解决', 'en-US': 'resolved' },
  request_status_closed: { 'zh-CN': '已关闭', 'en-US': 'closed' },
} satisfies Record<string, Record<Locale, string>>;

/** 工单 (service requests): problems, status names, attachment refusals and the messages of the SLA clock. */
export const servicesRequests = {
  ...STATUS,
  entity_service_request: { 'zh-CN': '工单', 'en-US': 'The service request' },
  entity_attachment: { 'zh-CN': '附件', 'en-US': 'The attachment' },
  request_illegal_move: {
    'zh-CN': '工单不能从“{from}”转为“{to}”；当前可转为：{allowed}',
    'en-US': 'A request cannot move from “{from}” to “{to}”; it can move to: {allowed}',
  },
  request_no_moves: { 'zh-CN': '（无）', 'en-US': '(none)' },
  request_not_owner: {
    'zh-CN': '此工单由“{owner}”处理，仅处理人或本单位工单管理人员可以操作',
    'en-US': 'This request is handled by “{owner}”; only its handler or a manager of the unit’s requests may act on it',
  },
  request_reopen_reason_required: { 'zh-CN': '重新打开工单须说明原因', 'en-US': 'Say why the request is reopened' },
  request_owner_not_handler: {
    'zh-CN': '所选处理人不属于承办单位，或没有受理工单的权限',
    'en-US': 'The handler chosen is not in the handling unit or cannot handle requests',
  },
  request_assign_others: {
    'zh-CN': '只有本单位工单管理人员可以把工单分派给他人或转交其他单位',
    'en-US': 'Only a manager of the unit’s requests may assign a request to someone else or hand it to another unit',
  },
  request_closed: { 'zh-CN': '工单已关闭，不能再修改', 'en-US': 'The request is closed and cannot be changed' },
  request_not_breached: { 'zh-CN': '工单未超时，无需填写超时原因', 'en-US': 'The request has not breached its target: no reason to record' },
  unit_not_found: { 'zh-CN': '单位不存在或已停用', 'en-US': 'The unit does not exist or is inactive' },
  attachment_type_not_allowed: {
    'zh-CN': '仅接受图片（PNG、JPEG、GIF）、PDF、Excel 与 Word 文件（.xlsx、.docx）和文本文件（.txt、.csv）',
    'en-US': 'Only images (PNG, JPEG, GIF), PDF, Excel and Word files (.xlsx, .docx) and text files (.txt, .csv) are accepted',
  },
  attachment_type_mismatch: { 'zh-CN': '文件内容与其扩展名“{ext}”不符', 'en-US': 'The content of the file is not what its extension “{ext}” says' },
  attachment_empty: { 'zh-CN': '文件为空', 'en-US': 'The file is empty' },
  attachment_too_large: { 'zh-CN': '附件超过 {limit} 的上限', 'en-US': 'The attachment is larger than the limit of {limit}' },
  attachment_required: { 'zh-CN': '请选择要上传的文件', 'en-US': 'A file is required' },
  sla_breach_response: { 'zh-CN': '未在响应时限内受理', 'en-US': 'Not answered within the response target' },
  sla_breach_resolution: { 'zh-CN': '未在解决时限内解决', 'en-US': 'Not resolved within the resolution target' },
  fee_waiver_reason: {
    'zh-CN': '故障超过 {hours} 小时修复时限，免收故障期间月租（客户服务标准 2011）',
    'en-US': 'The fault outlasted its {hours}-hour repair limit: the month’s fee for the outage is waived (2011 service standard)',
  },
  notify_request_queued: {
    'zh-CN': '新工单 {requestNo}（{customerName}）待本单位受理',
    'en-US': 'New request {requestNo} ({customerName}) waits for your unit',
  },
  notify_request_assigned: { 'zh-CN': '工单 {requestNo}（{customerName}）已分派给您', 'en-US': 'Request {requestNo} ({customerName}) was assigned to you' },
  notify_sla_warning: { 'zh-CN': '工单 {requestNo}（{customerName}）即将超时，请在 {dueAt} 前解决', 'en-US': 'Request {requestNo} ({customerName}) is due soon: resolve it by {dueAt}' },
  notify_sla_breach: { 'zh-CN': '工单 {requestNo}（{customerName}）已超时', 'en-US': 'Request {requestNo} ({customerName}) has breached its target' },
  survey_sms: {
    'zh-CN': '【中国移动】您的服务工单 {requestNo} 已办结。请回复 1–5 对本次服务评分（5 为非常满意），如对处理结果不满意请回复“投诉”。',
    'en-US': 'China Mobile: your service request {requestNo} is closed. Reply 1–5 to rate the service (5: very satisfied), or “complaint” if you are not satisfied with how it was handled.',
  },
  survey_reopen_note: { 'zh-CN': '客户满意度评价为 {score} 分或投诉处理结果，工单重新打开', 'en-US': 'The customer rated the service {score} or complained about the handling: the request is reopened' },
  survey_not_sent: { 'zh-CN': '该工单尚未发送满意度调查（工单关闭时发送）', 'en-US': 'No satisfaction survey was sent for this request (one is sent when it is closed)' },
  survey_answered: { 'zh-CN': '该工单的满意度调查已有评价', 'en-US': 'The satisfaction survey of this request was answered already' },
  notify_request_reopened: {
    'zh-CN': '工单 {requestNo}（{customerName}）因客户评价不满意已重新打开',
    'en-US': 'Request {requestNo} ({customerName}) was reopened after a dissatisfied survey answer',
  },
} satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof servicesRequests;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });
const RELOAD = ['刷新工单查看其当前状态与可执行的操作。', 'Reload the request to see its status and the actions open now.'] as const;

/** The problem pages of the requests' codes (merged into PROBLEM_TYPES). */
export const requestProblemTypes = {
  request_illegal_move: type(409, '工单按“新建 → 已受理 → 处理中 ⇄ 待客户反馈 → 已解决 → 已关闭”流转；答复标题列出了当前可转的状态，详情的 allowedMoves 也列出它们。', 'Requests move new → accepted → in progress ⇄ waiting for the customer → resolved → closed; the answer’s title names the moves open now, as does allowedMoves of the request.'),
  request_not_owner: type(403, '请处理人本人办理，或请本单位工单管理人员（主管）改派后再办理。', 'Ask the handler, or have a manager of the unit’s requests (a head) assign it to you first.'),
  request_reopen_reason_required: type(400, '在 note 中写明重新打开的原因。', 'Give the reason for reopening in note.'),
  request_owner_not_handler: type(400, '从承办单位有受理工单权限的人员中选择处理人（GET /api/services/requests/{id}/handlers 列出他们）。', 'Choose a handler of the handling unit who may handle requests (GET /api/services/requests/{id}/handlers lists them).'),
  request_assign_others: type(403, '可以“由我处理”；分派给他人或转交其他单位请联系本单位主管。', 'You may take the request yourself; ask a head of the unit to give it to someone else or another unit.'),
  request_closed: type(409, '已关闭的工单不再修改；如需继续处理，请主管重新打开。', 'A closed request is not changed; to work on it again, a head reopens it.'),
  request_not_breached: type(409, ...RELOAD),
  unit_not_found: type(400, '从组织结构中选择一个在用的单位。', 'Choose an active unit of the organisation.'),
  attachment_too_large: type(413, '压缩或拆分文件后再上传；上限由 ATTACHMENT_MAX_BYTES 设定。', 'Compress or split the file; the limit is ATTACHMENT_MAX_BYTES.'),
  attachment_type_not_allowed: type(415, '把文件另存为图片（PNG/JPEG）、PDF、Excel/Word（.xlsx/.docx）或文本文件后再上传。', 'Save the file as an image (PNG/JPEG), PDF, Excel/Word (.xlsx/.docx) or text, then upload it.'),
  attachment_type_mismatch: type(415, '文件内容与扩展名不符：用原程序另存为正确的格式，不要只改扩展名。', 'The content does not match the extension: save the file in the right format from its program; do not just rename it.'),
  attachment_empty: type(415, '选择一个非空的文件。', 'Choose a file that is not empty.'),
  survey_not_sent: type(409, '满意度调查在工单关闭时发送：先关闭工单。', 'The survey is sent when the request is closed: close it first.'),
  survey_answered: type(409, ...RELOAD),
} as const satisfies Partial<Record<Code, ProblemType>>;
