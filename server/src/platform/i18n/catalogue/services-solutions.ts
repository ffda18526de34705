import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 集团/个人解决方案 (services/solutions): problems, status names and the moves the status flow allows. */
export const servicesSolutions = {
  entity_solution: { 'zh-CN': '解决方案', 'en-US': 'The solution' },
  entity_solution_product: { 'zh-CN': '解决方案产品', 'en-US': 'The catalogue product' },
  solution_status_draft: { 'zh-CN': '草稿', 'en-US': 'draft' },
  solution_status_proposed: { 'zh-CN': '已提交方案', 'en-US': 'proposed' },
  solution_status_negotiating: { 'zh-CN': '洽谈中', 'en-US': 'negotiating' },
  solution_status_signed: { 'zh-CN': '已签约', 'en-US': 'signed' },
  solution_status_lost: { 'zh-CN': '已丢单', 'en-US': 'lost' },
  // the moves allowed from each status, named in the refusal of an illegal one
  solution_moves_draft: { 'zh-CN': '“已提交方案”或“已丢单”', 'en-US': 'proposed or lost' },
  solution_moves_proposed: { 'zh-CN': '“洽谈中”或“已丢单”', 'en-US': 'negotiating or lost' },
  solution_moves_negotiating: { 'zh-CN': '“已签约”或“已丢单”', 'en-US': 'signed or lost' },
  solution_moves_signed: { 'zh-CN': '无（已签约的方案不再变更）', 'en-US': 'none (a signed solution is final)' },
  solution_moves_lost: { 'zh-CN': '无（已丢单的方案不再变更）', 'en-US': 'none (a lost solution is final)' },
  solution_illegal_move: {
    'zh-CN': '方案当前为“{from}”，不能改为“{to}”；可改为：{allowed}',
    'en-US': 'The solution is {from} and cannot become {to}; it may become: {allowed}',
  },
  solution_closed: { 'zh-CN': '方案已是“{status}”，不能再修改', 'en-US': 'The solution is {status} and can no longer be changed' },
  solution_empty: { 'zh-CN': '方案还没有任何产品，不能提交客户', 'en-US': 'A solution without items cannot be proposed' },
  solution_lost_reason_required: { 'zh-CN': '标记丢单须写明原因', 'en-US': 'Marking a solution lost needs the reason' },
  solution_kind_mismatch: {
    'zh-CN': '集团客户编制集团解决方案，个人客户编制个人解决方案',
    'en-US': 'A group customer gets a group solution, an individual a personal one',
  },
  solution_owner_invalid: { 'zh-CN': '负责人须为本单位或下级单位的在职用户', 'en-US': 'The owner must be an active user of your unit or below' },
  solution_item_duplicate: { 'zh-CN': '同一产品只能列一次，请改数量', 'en-US': 'List a product once and change its quantity instead' },
  solution_product_inactive: { 'zh-CN': '该产品已停用，不能新加入方案', 'en-US': 'This product is withdrawn and cannot be added' },
  solution_bundle_nested: { 'zh-CN': '套餐不能包含另一个套餐', 'en-US': 'A bundle cannot contain another bundle' },
  solution_bundle_empty: { 'zh-CN': '套餐至少包含一个产品', 'en-US': 'A bundle lists at least one product' },
  solution_product_no_items: { 'zh-CN': '只有套餐才能包含产品', 'en-US': 'Only a bundle lists products' },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof servicesSolutions;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

/** The problem pages of the solutions' codes (merged into PROBLEM_TYPES). */
export const solutionProblemTypes = {
  solution_illegal_move: type(409, '按状态流转推进方案：草稿 → 已提交方案 → 洽谈中 → 已签约，未签约前可随时标记丢单；标题列出了当前可改为的状态。', 'Move a solution along its flow: draft → proposed → negotiating → signed, or to lost while not signed; the title names the moves allowed now.'),
  solution_closed: type(409, '已签约或已丢单的方案不再修改：如需新的报价，请另建一份方案。', 'A signed or lost solution no longer changes: draft a new solution for a new offer.'),
  solution_empty: type(409, '先从产品目录为方案添加至少一项产品，再提交客户。', 'Add at least one product from the catalogue first, then propose the solution.'),
  solution_lost_reason_required: type(400, '在 reason 中写明丢单原因（如价格、竞争对手、需求取消），便于分析。', 'Write why the solution was lost in reason (price, a competitor, the need went away): it feeds the analysis.'),
  solution_kind_mismatch: type(400, '集团客户选择“集团”，个人客户选择“个人”；不填时按客户类型自动确定。', 'Choose group for a group customer and personal for an individual; left out, the customer’s kind decides.'),
  solution_owner_invalid: type(400, '负责人选择本单位或下级单位的在职用户；不填时为您本人。', 'Choose an active user of your unit or below as the owner; left out, it is you.'),
  solution_item_duplicate: type(400, '每个产品在方案中只列一行，用数量表示多份。', 'List each product once in a solution and use the quantity for more than one.'),
  solution_product_inactive: type(400, '停用的产品不能再加入方案：选择目录中在售的产品，或请目录管理员重新启用。', 'Withdrawn products cannot be added: pick an offered one, or ask a catalogue administrator to offer it again.'),
  solution_bundle_nested: type(400, '套餐只能由单一产品组成：把另一个套餐中的产品逐项加入。', 'A bundle consists of products only: add the other bundle’s products one by one.'),
  solution_bundle_empty: type(400, '为套餐选择至少一个产品及其数量。', 'Choose at least one product and its quantity for the bundle.'),
  solution_product_no_items: type(400, '单一产品不含组成项：去掉 items，或把它建为套餐。', 'A product has no parts: leave out items, or create it as a bundle.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
