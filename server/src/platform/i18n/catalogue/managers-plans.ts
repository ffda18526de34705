import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 客户经理管理 (managers/plans): problems, notifications and record names of the sub-area. */
export const managersPlans = {
  entity_work_plan: { 'zh-CN': '工作计划', 'en-US': 'The work plan' },
  entity_work_plan_item: { 'zh-CN': '计划事项', 'en-US': 'The plan item' },
  entity_work_log: { 'zh-CN': '工作日志', 'en-US': 'The work log entry' },
  entity_work_comment: { 'zh-CN': '审阅意见', 'en-US': 'The comment' },
  work_plan_status_draft: { 'zh-CN': '草稿', 'en-US': 'draft' },
  work_plan_status_submitted: { 'zh-CN': '待审阅', 'en-US': 'submitted' },
  work_plan_status_approved: { 'zh-CN': '已批准', 'en-US': 'approved' },
  work_plan_status_returned: { 'zh-CN': '已退回', 'en-US': 'returned' },
  work_plan_no_moves: { 'zh-CN': '无（计划已定稿）', 'en-US': 'none (the plan is final)' },
  work_plan_illegal_move: { 'zh-CN': '计划当前为“{from}”，不能改为“{to}”；可改为：{allowed}', 'en-US': 'The plan is {from}; it cannot become {to}; it may become: {allowed}' },
  work_plan_not_owner: { 'zh-CN': '只有计划所属的客户经理本人可以编辑或提交该计划', 'en-US': 'Only the manager whose plan it is may edit or submit it' },
  work_plan_not_reviewer: { 'zh-CN': '只有该客户经理所在单位的主管可以审阅计划（不能审阅自己的计划）', 'en-US': 'Only a head of the manager’s unit reviews the plan (never their own)' },
  work_plan_locked: { 'zh-CN': '计划当前为“{status}”，事项不能再修改', 'en-US': 'The plan is {status}; its items can no longer be changed' },
  work_plan_exists: { 'zh-CN': '您已有 {from} 至 {to} 的计划', 'en-US': 'You already have a plan for {from} to {to}' },
  work_plan_week_start: { 'zh-CN': '周计划须从周一开始', 'en-US': 'A weekly plan starts on a Monday' },
  work_plan_month_start: { 'zh-CN': '月计划须从当月 1 日开始', 'en-US': 'A monthly plan starts on the 1st of the month' },
  work_customer_not_in_portfolio: { 'zh-CN': '该客户不在您的客户组合中', 'en-US': 'This customer is not in your portfolio' },
  work_item_outside_period: { 'zh-CN': '计划日期须在 {from} 至 {to} 之内', 'en-US': 'The day must be within {from} to {to}' },
  work_plan_item_kept: { 'zh-CN': '该计划事项已由工作日志完成', 'en-US': 'This plan item has already been kept by a log entry' },
  work_plan_empty: { 'zh-CN': '计划还没有事项，请先添加再提交', 'en-US': 'The plan has no items yet; add some before submitting it' },
  work_plan_return_reason_required: { 'zh-CN': '退回计划时请写明需要修改的内容', 'en-US': 'Say what to change when returning a plan' },
  work_log_in_future: { 'zh-CN': '日志日期不能晚于今天', 'en-US': 'The day logged cannot be after today' },
  work_log_next_step_before: { 'zh-CN': '下一步日期不能早于日志日期', 'en-US': 'The next step cannot be due before the day logged' },
  work_log_updates_visit_only: { 'zh-CN': '只有拜访或电话可以更新客户资料', 'en-US': 'Only a visit or a call updates the customer’s profile' },
  work_log_item_unknown: { 'zh-CN': '所选计划事项不存在或不是您的', 'en-US': 'The plan item does not exist or is not yours' },
  work_log_item_other_customer: { 'zh-CN': '所选计划事项属于另一位客户', 'en-US': 'The plan item is for another customer' },
  work_log_item_outside_period: { 'zh-CN': '日志日期须在该事项所属计划的周期（{from} 至 {to}）之内', 'en-US': 'The day logged must be within the item’s plan period ({from} to {to})' },
  notify_work_plan_submitted: { 'zh-CN': '{manager} 提交了工作计划（{from} 至 {to}），请审阅', 'en-US': '{manager} submitted a work plan ({from} to {to}) for your review' },
  notify_work_plan_approved: { 'zh-CN': '您的工作计划（{from} 至 {to}）已批准', 'en-US': 'Your work plan ({from} to {to}) was approved' },
  notify_work_plan_returned: { 'zh-CN': '您的工作计划（{from} 至 {to}）被退回：{comment}', 'en-US': 'Your work plan ({from} to {to}) was returned: {comment}' },
  notify_work_comment_plan: { 'zh-CN': '您的工作计划（{from} 至 {to}）有新的审阅意见', 'en-US': 'Your work plan ({from} to {to}) has a new comment' },
  notify_work_comment_log: { 'zh-CN': '您的工作日志有新的审阅意见', 'en-US': 'Your work log entry has a new comment' },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof managersPlans;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });
const RELOAD = ['刷新计划查看其当前状态与可执行的操作。', 'Reload the plan to see its status and the actions open now.'] as const;

/** The problem pages of the plans' and logs' codes (merged into PROBLEM_TYPES). */
export const planProblemTypes = {
  work_plan_illegal_move: type(409, '计划按“草稿 → 待审阅 → 已批准”流转，退回后修改再提交；答复标题列出了当前可转的状态，详情的 allowedMoves 也列出它们。', 'Plans move draft → submitted → approved, or returned → submitted again; the answer’s title names the moves open now, as does allowedMoves of the plan.'),
  work_plan_not_owner: type(403, '请计划所属的客户经理本人编辑和提交。', 'Ask the manager whose plan it is.'),
  work_plan_not_reviewer: type(403, '请该客户经理所在单位的主管审阅。', 'Ask a head of the manager’s unit to review it.'),
  work_plan_locked: type(409, ...RELOAD),
  work_plan_exists: type(409, '打开已有的该周期计划继续编辑（GET /api/work-plans?from=&to= 可找到它）。', 'Open the plan you have for that period and go on with it (GET /api/work-plans?from=&to= finds it).'),
  work_plan_week_start: type(400, '选择该周的周一作为 startsOn。', 'Give the Monday of the week as startsOn.'),
  work_plan_month_start: type(400, '选择该月的 1 日作为 startsOn。', 'Give the 1st of the month as startsOn.'),
  work_customer_not_in_portfolio: type(400, '从您名下的客户中选择（客户列表只显示您的客户组合）。', 'Choose a customer you hold (the customer list shows your portfolio).'),
  work_item_outside_period: type(400, '选择计划周期内的一天。', 'Choose a day of the plan’s period.'),
  work_plan_item_kept: type(409, '该事项已完成；如需再次跟进，请在新的计划中添加事项。', 'The item is done; to follow up again, add an item to a new plan.'),
  work_plan_empty: type(409, '先为计划添加至少一个事项。', 'Add at least one item to the plan first.'),
  work_plan_return_reason_required: type(400, '在 comment 中写明需要修改的内容。', 'Say what to change in comment.'),
  work_log_in_future: type(400, '填写今天或之前的日期。', 'Give today or an earlier day.'),
  work_log_next_step_before: type(400, '下一步日期填写在日志日期当天或之后。', 'Give a next-step day on or after the day logged.'),
  work_log_updates_visit_only: type(400, '提案或催收的日志不更新客户资料；需要时请另记一条拜访或电话。', 'A proposal or collection entry does not update the profile; log a visit or call for that.'),
  work_log_item_unknown: type(400, '从该客户的未完成计划事项中选择（GET /api/work-plan-items?customerId= 列出它们）。', 'Choose one of the customer’s open plan items (GET /api/work-plan-items?customerId= lists them).'),
  work_log_item_other_customer: type(400, '选择同一客户的计划事项。', 'Choose a plan item of the same customer.'),
  work_log_item_outside_period: type(400, '该事项只能由其计划周期内的工作完成；不选事项也可以记录日志。', 'An item is kept only by work within its plan’s period; the entry can be logged without the item.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
