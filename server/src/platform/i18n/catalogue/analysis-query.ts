import type { ProblemType } from './problems.js';

/** 综合查询, 目标客户群 and 营销活动 (modules/analysis/query, segments): problems and record names. */
export const analysisQuery = {
  entity_analysis_query: { 'zh-CN': '查询', 'en-US': 'The query' },
  entity_analysis_segment: { 'zh-CN': '目标客户群', 'en-US': 'The target group' },
  entity_analysis_campaign: { 'zh-CN': '营销活动', 'en-US': 'The campaign' },
  query_tree_invalid: { 'zh-CN': '查询条件有误，请按提示改正', 'en-US': 'The query’s conditions are not valid; correct the ones named' },
  query_node_invalid: { 'zh-CN': '条件应为一个条件或一个条件组', 'en-US': 'Expected a condition or a group of conditions' },
  query_match_invalid: { 'zh-CN': '条件组的关系应为“全部满足”或“任一满足”', 'en-US': 'A group matches all or any of its conditions' },
  query_group_empty: { 'zh-CN': '条件组至少要有一个条件（最多 {max} 个）', 'en-US': 'A group holds 1 to {max} conditions' },
  query_too_deep: { 'zh-CN': '条件组最多嵌套 {max} 层', 'en-US': 'Groups nest at most {max} levels deep' },
  query_field_unknown: { 'zh-CN': '不能按“{field}”查询', 'en-US': 'No field “{field}” to query by' },
  query_operator_invalid: { 'zh-CN': '该字段可用的比较方式：{allowed}', 'en-US': 'The operators of this field: {allowed}' },
  query_value_invalid: { 'zh-CN': '值应为：{expected}', 'en-US': 'The value should be: {expected}' },
  query_expect_enum: { 'zh-CN': '以下之一：{values}', 'en-US': 'one of {values}' },
  query_expect_id: { 'zh-CN': '一个编号', 'en-US': 'an id' },
  query_expect_unit: { 'zh-CN': '单位编号', 'en-US': 'a unit id' },
  query_expect_text: { 'zh-CN': '1–100 个字的文字', 'en-US': 'a text of 1–100 characters' },
  query_expect_number: { 'zh-CN': '一个数', 'en-US': 'a number' },
  query_expect_date: { 'zh-CN': '日期（YYYY-MM-DD）', 'en-US': 'a date (YYYY-MM-DD)' },
  query_expect_boolean: { 'zh-CN': '是或否（true / false）', 'en-US': 'true or false' },
  query_expect_within: { 'zh-CN': '0–3650 天', 'en-US': '0–3650 days' },
  query_expect_list: { 'zh-CN': '1–100 个值的列表，每个为{one}', 'en-US': 'a list of 1–100 values, each {one}' },
  query_expect_between: { 'zh-CN': '[下限, 上限] 两个值，每个为{one}', 'en-US': '[low, high], each {one}' },
  query_expect_nothing: { 'zh-CN': '不填值', 'en-US': 'no value' },
  query_period_invalid: { 'zh-CN': '统计期间应为最近 1–24 个月，或起止月份（YYYY-MM，起不晚于止，最多 24 个月）', 'en-US': 'The period is the last 1–24 months, or a from–to month range (YYYY-MM, at most 24 months)' },
  query_aggregate_invalid: { 'zh-CN': '汇总方式应为平均、合计、最小或最大', 'en-US': 'The aggregate is avg, sum, min or max' },
  analysis_version_required: { 'zh-CN': '删除时须提供读取时的版本号（version）', 'en-US': 'Deleting needs the version it was read at (version)' },
  segment_empty: { 'zh-CN': '目标客户群中没有您可见的客户', 'en-US': 'The target group holds no customer you can see' },
  segment_export_too_large: {
    'zh-CN': '目标客户群有 {rows} 户，超过导出上限 {limit} 户，请收窄条件或拆分客户群后再导出',
    'en-US': 'The target group has {rows} customers, more than the {limit} an export takes; narrow its conditions or split it, then export',
  },
  campaign_not_open: { 'zh-CN': '活动已{status}，不能再登记响应或变更', 'en-US': 'The campaign is {status}: no more responses or changes' },
  campaign_status_draft: { 'zh-CN': '草稿', 'en-US': 'draft' },
  campaign_status_running: { 'zh-CN': '进行中', 'en-US': 'running' },
  campaign_status_closed: { 'zh-CN': '已结束', 'en-US': 'closed' },
  campaign_move_invalid: { 'zh-CN': '活动只能按“草稿 → 进行中 → 已结束”推进', 'en-US': 'A campaign moves draft → running → closed' },
  campaign_period_invalid: { 'zh-CN': '结束日期不能早于开始日期', 'en-US': 'The end cannot be before the start' },
  campaign_member_unknown: { 'zh-CN': '客户 {customerNo} 不是本活动的对象', 'en-US': 'Customer {customerNo} is not a member of this campaign' },
  campaign_import_invalid: { 'zh-CN': '导入文件有 {count} 行有误，未登记任何响应', 'en-US': '{count} rows of the file are wrong: no response was recorded' },
  campaign_import_row: { 'zh-CN': '第 {line} 行：{reason}', 'en-US': 'Line {line}: {reason}' },
} satisfies Record<string, Record<'zh-CN' | 'en-US', string>>;

const t = (status: number | number[], zh: string, en: string): ProblemType => ({ status: [status].flat(), advice: { 'zh-CN': zh, 'en-US': en } });
const FIX = ['答复的 errors 以条件路径（如 body.tree.conditions[1].conditions[0].value）指出每个有问题的条件，改正后重新提交。', 'The answer’s errors name each bad condition by its path (body.tree.conditions[1].conditions[0].value); correct them and send again.'] as const;

export const analysisQueryProblemTypes = {
  query_tree_invalid: t(400, ...FIX),
  analysis_version_required: t(400, '先读取记录，再带上其版本号（version）删除。', 'Read the record first, then delete it with its version.'),
  segment_empty: t(400, '换一个客户群，或放宽它的条件。', 'Choose another target group or widen its conditions.'),
  segment_export_too_large: t(413, '收窄客户群的条件，或把它拆成几个客户群分别导出（上限见 SEGMENT_EXPORT_MAX_ROWS）。', 'Narrow the group’s conditions, or split it into several groups and export each (the limit is SEGMENT_EXPORT_MAX_ROWS).'),
  campaign_not_open: t(409, '刷新活动查看其当前状态：已结束的活动不能再变更。', 'Reload the campaign to see its status: a closed campaign cannot change.'),
  campaign_move_invalid: t(409, '刷新活动查看其当前状态，再按顺序推进。', 'Reload the campaign and move it on in order.'),
  campaign_period_invalid: t(400, ...FIX),
  campaign_member_unknown: t(400, ...FIX),
  campaign_import_invalid: t(400, '答复的 errors 按行列出了错误；改正文件后重新导入（整个文件一起登记）。', 'The answer’s errors list the wrong lines; correct the file and import it again (the whole file is recorded at once).'),
} satisfies Record<string, ProblemType>;
