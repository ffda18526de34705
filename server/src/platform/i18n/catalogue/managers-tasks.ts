import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 客户经理管理 (managers/tasks): problems, notifications and record names of the sub-area. */
export const managersTasks = {
  entity_manager_task: { 'zh-CN': '任务', 'en-US': 'The task' },
  entity_manager_task_assignment: { 'zh-CN': '任务分派', 'en-US': 'The task assignment' },
  task_status_open: { 'zh-CN': '进行中', 'en-US': 'open' },
  task_status_closed: { 'zh-CN': '已关闭', 'en-US': 'closed' },
  task_status_cancelled: { 'zh-CN': '已取消', 'en-US': 'cancelled' },
  task_assignment_status_assigned: { 'zh-CN': '已下达', 'en-US': 'assigned' },
  task_assignment_status_in_progress: { 'zh-CN': '执行中', 'en-US': 'in progress' },
  task_assignment_status_submitted: { 'zh-CN': '已提交', 'en-US': 'submitted' },
  task_assignment_status_evaluated: { 'zh-CN': '已评价', 'en-US': 'evaluated' },
  task_assignment_status_cancelled: { 'zh-CN': '已取消', 'en-US': 'cancelled' },
  task_illegal_move: {
    'zh-CN': '任务不能从“{from}”转为“{to}”；您当前可转为：{allowed}',
    'en-US': 'The assignment cannot move from “{from}” to “{to}”; you can move it to: {allowed}',
  },
  task_no_moves: { 'zh-CN': '（无）', 'en-US': '(none)' },
  task_not_yours: {
    'zh-CN': '这一步由另一方办理：客户经理开始、报告和提交自己的任务，下达单位的主管评价、回复和取消',
    'en-US': 'This step is the other party’s: the manager starts, reports on and submits their own task; a head of the issuing unit evaluates, replies and cancels',
  },
  task_not_reportable: { 'zh-CN': '任务已{status}，不能再报告进展', 'en-US': 'The assignment is {status}: no more progress can be reported' },
  task_not_open: { 'zh-CN': '任务{status}，不能取消', 'en-US': 'The task is {status} and cannot be cancelled' },
  task_due_in_past: { 'zh-CN': '截止日期不能早于今天（{today}）', 'en-US': 'The due day cannot be before today ({today})' },
  task_target_empty: { 'zh-CN': '所选对象中没有可以下达任务的客户经理', 'en-US': 'The target reaches no account manager' },
  task_manager_not_eligible: { 'zh-CN': '所选人员不是本单位（含下级单位）在职的客户经理', 'en-US': 'The person chosen is not an active account manager of your unit or its sub-units' },
  task_unit_not_eligible: { 'zh-CN': '所选单位不在本单位范围内，或已停用', 'en-US': 'The unit chosen is not within your unit, or is inactive' },
  task_segment_not_found: { 'zh-CN': '没有这个已保存的客户筛选（只能使用本人保存的筛选）', 'en-US': 'There is no such saved customer filter (only your own can be used)' },
  notify_task_assigned: { 'zh-CN': '{issuer} 下达了任务“{title}”，截止 {dueOn}', 'en-US': '{issuer} set you the task “{title}”, due {dueOn}' },
  notify_task_started: { 'zh-CN': '{manager} 已开始执行任务“{title}”', 'en-US': '{manager} started on the task “{title}”' },
  notify_task_progress: { 'zh-CN': '{manager} 报告了任务“{title}”的进展：{progress}%', 'en-US': '{manager} reported progress on “{title}”: {progress}%' },
  notify_task_submitted: { 'zh-CN': '{manager} 提交了任务“{title}”，请评价', 'en-US': '{manager} submitted the task “{title}”: please evaluate it' },
  notify_task_evaluated: { 'zh-CN': '{head} 评价了您的任务“{title}”：{score} 分', 'en-US': '{head} evaluated your task “{title}”: {score} points' },
  notify_task_reply: { 'zh-CN': '{head} 回复了您的任务“{title}”', 'en-US': '{head} replied on your task “{title}”' },
  notify_task_cancelled: { 'zh-CN': '{head} 取消了任务“{title}”（{reason}）', 'en-US': '{head} cancelled the task “{title}” ({reason})' },
  notify_task_escalated: {
    'zh-CN': '逾期上报：{unit} {issuer} 下达的任务“{title}”（截止 {dueOn}）有 {count} 名客户经理逾期未提交',
    'en-US': 'Overdue: {count} manager(s) have not submitted the task “{title}” set by {issuer} of {unit} (due {dueOn})',
  },
  notify_task_overdue: { 'zh-CN': '您的任务“{title}”已逾期（截止 {dueOn}），已上报 {head}', 'en-US': 'Your task “{title}” is overdue (due {dueOn}) and was escalated to {head}' },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof managersTasks;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

/** The problem pages of the tasks' codes (merged into PROBLEM_TYPES). */
export const taskProblemTypes = {
  task_illegal_move: type(
    409,
    '任务按“已下达 → 执行中 → 已提交 → 已评价”流转，主管可取消未评价的任务；答复标题列出了您当前可转的状态，任务详情的 allowedMoves 也列出它们。',
    'Assignments move assigned → in progress → submitted → evaluated, and a head may cancel one not evaluated; the answer’s title names the moves open to you, as does allowedMoves of the task.',
  ),
  task_not_yours: type(403, '客户经理办理自己的任务；评价、回复与取消请由下达单位（或其上级）的主管办理。', 'Managers act on their own tasks; a head of the issuing unit (or above) evaluates, replies and cancels.'),
  task_not_reportable: type(409, '刷新任务查看其当前状态；已提交的任务等待主管评价。', 'Reload the task to see its status; a submitted task waits for the head’s evaluation.'),
  task_not_open: type(409, '刷新任务查看其当前状态：已关闭或已取消的任务不能再取消。', 'Reload the task to see its status: a closed or cancelled task cannot be cancelled.'),
  task_due_in_past: type(400, '选择今天或以后的日期。', 'Choose today or a later day.'),
  task_target_empty: type(400, '先用“预览”查看对象能覆盖的客户经理，再换一个对象或条件。', 'Use the preview to see whom a target reaches, then choose another target or filter.'),
  task_manager_not_eligible: type(400, '从 GET /api/managers/tasks/assignees 列出的客户经理中选择。', 'Choose one of the managers GET /api/managers/tasks/assignees lists.'),
  task_unit_not_eligible: type(400, '选择本单位或下级单位中在用的单位。', 'Choose an active unit of your own unit’s subtree.'),
  task_segment_not_found: type(400, '从 GET /api/customers/saved-filters 列出的本人筛选中选择。', 'Choose one of your own filters that GET /api/customers/saved-filters lists.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
