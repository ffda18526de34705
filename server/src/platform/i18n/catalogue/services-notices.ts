import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 割接/停机通知 (services/notices): problems, names of statuses, kinds and actions, the SMS and in-app messages. */
export const servicesNotices = {
  entity_planned_outage: { 'zh-CN': '割接/停机通知', 'en-US': 'The planned-work notice' },
  outage_status_draft: { 'zh-CN': '草稿', 'en-US': 'draft' },
  outage_status_pending_approval: { 'zh-CN': '待审批', 'en-US': 'pending approval' },
  outage_status_approved: { 'zh-CN': '已批准', 'en-US': 'approved' },
  outage_status_notified: { 'zh-CN': '已通知', 'en-US': 'notified' },
  outage_status_completed: { 'zh-CN': '已完成', 'en-US': 'completed' },
  outage_status_cancelled: { 'zh-CN': '已取消', 'en-US': 'cancelled' },
  outage_kind_cutover: { 'zh-CN': '网络割接', 'en-US': 'network cutover' },
  outage_kind_maintenance: { 'zh-CN': '设备维护', 'en-US': 'maintenance' },
  outage_kind_upgrade: { 'zh-CN': '系统升级', 'en-US': 'upgrade' },
  outage_action_submit: { 'zh-CN': '提交', 'en-US': 'submit' },
  outage_action_approve: { 'zh-CN': '批准', 'en-US': 'approve' },
  outage_action_reject: { 'zh-CN': '退回', 'en-US': 'reject' },
  outage_action_send: { 'zh-CN': '发送通知', 'en-US': 'send' },
  outage_action_complete: { 'zh-CN': '完成', 'en-US': 'complete' },
  outage_action_cancel: { 'zh-CN': '取消', 'en-US': 'cancel' },
  outage_no_actions: { 'zh-CN': '无（流程已结束）', 'en-US': 'none (the flow has ended)' },
  outage_illegal_action: {
    'zh-CN': '通知当前为“{status}”，不能“{action}”；可执行：{allowed}',
    'en-US': 'The notice is {status} and cannot {action}; open now: {allowed}',
  },
  outage_in_past: { 'zh-CN': '开始时间已过，不能为过去的时间编制通知', 'en-US': 'The start has passed: a notice cannot be planned in the past' },
  outage_notice_too_short: {
    'zh-CN': '须至少提前 {hours} 小时通知客户：开始时间最早为 {earliest}（北京时间）',
    'en-US': 'Customers must be told at least {hours} hours ahead: the earliest start is {earliest} (Beijing time)',
  },
  outage_notice_late: {
    'zh-CN': '距开始已不足 {hours} 小时，无法按时通知客户：请把开始时间改到 {earliest}（北京时间）或之后',
    'en-US': 'Less than {hours} hours are left before the start, too late to tell the customers: move the start to {earliest} (Beijing time) or later',
  },
  outage_ends_before_start: { 'zh-CN': '结束时间须晚于开始时间', 'en-US': 'The end must come after the start' },
  outage_window_too_long: { 'zh-CN': '一次通知的停机时段最长 {days} 天', 'en-US': 'One notice covers at most {days} days' },
  outage_area_outside: { 'zh-CN': '影响区域须为本单位或下级单位', 'en-US': 'The area must be your unit or one below it' },
  outage_not_editable: { 'zh-CN': '通知已是“{status}”，不能再修改', 'en-US': 'The notice is {status} and can no longer be changed' },
  outage_self_approval: { 'zh-CN': '不能审批自己编制或提交的通知', 'en-US': 'You cannot decide a notice you created or submitted' },
  outage_started: { 'zh-CN': '停机已开始，不再补发通知', 'en-US': 'The work has begun: no more notices are sent' },
  outage_not_started: { 'zh-CN': '停机将于 {startsAt}（北京时间）开始，开始后才能标记完成', 'en-US': 'The work starts at {startsAt} (Beijing time); it can be marked done once it has begun' },
  outage_sms: {
    'zh-CN': '【中国移动】尊敬的客户：因{kind}，{area}所辖区域的通信服务将于 {window}（北京时间）受到影响，给您带来不便，敬请谅解。如有疑问请联系您的客户经理或拨打 10086。',
    'en-US': 'China Mobile: because of {kind}, service in the area of {area} will be affected {window} (Beijing time). We apologise for the inconvenience; your account manager or 10086 can help.',
  },
  outage_cancel_sms: {
    'zh-CN': '【中国移动】尊敬的客户：原定于 {window}（北京时间）在{area}所辖区域进行的{kind}已取消，您的通信服务不受影响。',
    'en-US': 'China Mobile: the {kind} planned for {window} (Beijing time) in the area of {area} is cancelled; your service is not affected.',
  },
  notify_outage_pending: {
    'zh-CN': '割接通知“{title}”（{area}，{window}，影响 {count} 位大客户）待您审批',
    'en-US': 'The notice “{title}” ({area}, {window}, {count} key accounts affected) waits for your approval',
  },
  notify_outage_approved: { 'zh-CN': '割接通知“{title}”已获批准，可以发送', 'en-US': 'The notice “{title}” is approved and can be sent' },
  notify_outage_rejected: { 'zh-CN': '割接通知“{title}”被退回：{note}', 'en-US': 'The notice “{title}” was sent back: {note}' },
  notify_outage_customers: {
    'zh-CN': '割接通知：“{title}”将于 {window} 影响您的 {count} 位客户，已短信告知',
    'en-US': 'Planned work “{title}” affects {count} of your customers {window}; they were told by SMS',
  },
  notify_outage_cancelled: { 'zh-CN': '割接“{title}”（{window}）已取消，已短信告知您的客户', 'en-US': 'The planned work “{title}” ({window}) is cancelled; your customers were told by SMS' },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof servicesNotices;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

/** The problem pages of the notices' codes (merged into PROBLEM_TYPES). */
export const noticeProblemTypes = {
  outage_illegal_action: type(
    409,
    '通知按“草稿 → 待审批 → 已批准 → 已通知 → 已完成”流转，完成前可取消，退回后回到草稿；标题列出了当前可执行的操作，详情的 allowedActions 也列出它们。',
    'A notice moves draft → pending approval → approved → notified → completed, may be cancelled until completed, and goes back to draft when rejected; the title names the actions open now, as does allowedActions of the notice.',
  ),
  outage_in_past: type(400, '选择将来的开始时间（至少 72 小时之后）。', 'Choose a start in the future (at least 72 hours ahead).'),
  outage_notice_too_short: type(400, '按客户服务标准，影响通信的计划作业须提前 72 小时告知客户：把开始时间改到标题给出的时间或之后。', 'The service standard asks for 72 hours’ notice of planned work: move the start to the time the title gives, or later.'),
  outage_notice_late: type(409, '已来不及提前 72 小时通知：修改通知的开始时间（修改后须重新提交审批），或取消后重新编制。', 'It is too late for 72 hours’ notice: change the start (the notice is then submitted and approved again), or cancel it and plan anew.'),
  outage_ends_before_start: type(400, '把结束时间设在开始时间之后。', 'Set the end after the start.'),
  outage_window_too_long: type(400, '把较长的作业拆成几次通知，每次不超过 30 天。', 'Split longer work into several notices of at most 30 days each.'),
  outage_area_outside: type(400, '从本单位及下级单位中选择影响区域；其他单位的作业由其单位编制通知。', 'Choose the area among your unit and those below it; another unit plans the notices of its own work.'),
  outage_not_editable: type(409, '已通知客户的作业不再修改：如计划有变，取消本通知（客户会收到取消短信）后重新编制。', 'Work the customers were told of is not changed: if the plan changes, cancel the notice (the customers get an SMS) and plan anew.'),
  outage_self_approval: type(409, '请由本单位或上级单位的另一位主管审批。', 'Ask another head of your unit or a unit above it to decide.'),
  outage_started: type(409, '停机开始后不再补发通知；新入网的客户由客户经理另行告知。', 'No more notices go out once the work has begun; account managers tell customers who joined since.'),
  outage_not_started: type(409, '等停机开始后再标记完成；如作业不再进行，请取消通知。', 'Mark the work done once it has begun; if it will not happen, cancel the notice.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
