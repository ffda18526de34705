/**
 * 流失预警: trains a logistic regression on the history in the system, validates it on a held-out later month,
 * scores the latest month's key accounts in one statement, and serves the scores within the reader's scope.
 * Training reads a sample of at most ~100k customer-months in one query (on the read replica when there is one).
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../../platform/auth/principal.js';
import { ALL_PERMISSIONS } from '../../../platform/auth/permissions.js';
import { systemActor } from '../../../platform/auth/principal.js';
import { audit } from '../../../platform/audit/audit.js';
import { analyticsReads, type Deps } from '../../../platform/deps.js';
import { AppError, invalid } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { loadVisibleCustomer, visibleCustomersSql } from '../../customers/service.js';
import { createTask } from '../../managers/tasks/service.js';
import { FEATURES } from './features.js';
import { fitLogistic, predict, standardise, standardiser, validate } from './model.js';
import * as q from './queries.js';
import type { ChurnModel, ChurnScore, Figures, HandInput, ScoreInput, ScoresQuery, TrainInput } from './schemas.js';

const MODEL = 'churn_model';
/** Rows a training (and a validation) reads at most: the sample shrinks to fit. */
export const MAX_SAMPLE_ROWS = 100_000;
/** Months of totals a feature reads (the last 3 against the 3 before). */
const HISTORY = 6;
const MAX_TRAIN_MONTHS = 6;

/** YYYY-MM-01 plus n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const k = y * 12 + (m - 1) + n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;
}
const ym = (d: string) => d.slice(0, 7);

export function toModel(m: q.ModelRow): ChurnModel {
  return {
    ...m,
    features: m.features as ChurnModel['features'],
    trainFrom: ym(m.trainFrom),
    trainTo: ym(m.trainTo),
    validationMonth: ym(m.validationMonth),
    figures: m.figures as unknown as Figures,
  };
}

/**
 * The months of a training with horizon h on facts from `first` to `last`: validation on last − h (its labels
 * reach the last month), training on the months up to validation − h (their labels end before the validation
 * month's features begin to be labelled), each with 6 months of history behind it.
 */
export function plan(first: string, last: string, h: number) {
  const validationMonth = addMonths(last, -h);
  const trainTo = addMonths(validationMonth, -h);
  const earliest = addMonths(first, HISTORY - 1);
  const trainFrom = [earliest, addMonths(trainTo, -(MAX_TRAIN_MONTHS - 1))].reduce((a, b) => (a > b ? a : b));
  const months: string[] = [];
  for (let m = trainFrom; m <= trainTo; m = addMonths(m, 1)) months.push(m);
  return { validationMonth, trainFrom, trainTo, months };
}

/** 训练: fits, validates and stores a model; answers it with its figures. */
export async function train(deps: Deps, actor: Actor, input: TrainInput): Promise<ChurnModel> {
  const started = performance.now();
  const reads = analyticsReads(deps);
  const h = input.horizonMonths;
  const { first, last } = await q.factMonths(reads);
  if (!first || !last) throw new AppError(409, 'churn_not_enough_history', { months: HISTORY + 2 * h });
  const p = plan(first, last, h);
  if (!p.months.length) throw new AppError(409, 'churn_not_enough_history', { months: HISTORY + 2 * h });
  const customers = await q.billingCustomers(reads, p.validationMonth);
  const rate = Math.min(1, MAX_SAMPLE_ROWS / Math.max(1, customers * p.months.length));
  const rateV = Math.min(1, MAX_SAMPLE_ROWS / Math.max(1, customers));
  const trainRows = await q.labelledRows(reads, p.months, q.sampleOf(rate), h);
  const trainPositives = trainRows.filter((r) => r.label).length;
  if (!trainPositives || trainPositives === trainRows.length) throw new AppError(409, 'churn_no_leavers', {});
  const std = standardiser(
    trainRows.map((r) => r.values),
    FEATURES.length,
  );
  const fit = fitLogistic(
    trainRows.map((r) => standardise(std, r.values)),
    trainRows.map((r) => r.label),
  );
  const valRows = await q.labelledRows(reads, [p.validationMonth], q.sampleOf(rateV), h);
  const v = validate(
    valRows.map((r) => predict(fit, standardise(std, r.values))),
    valRows.map((r) => r.label),
  );
  const figures: Figures = {
    auc: v.auc,
    topDecilePrecision: v.topDecilePrecision,
    lift: v.lift,
    baseRate: v.baseRate,
    trainRows: trainRows.length,
    trainPositives,
    validationRows: v.rows,
    validationPositives: v.positives,
    sampleRate: rate,
    trainSeconds: Math.round(performance.now() - started) / 1000,
  };
  const id = await deps.database.db.transaction(async (tx) => {
    const modelId = await q.insertModel(
      tx,
      deps.database,
      {
        features: [...FEATURES],
        means: std.means,
        sds: std.sds,
        coefficients: fit.coefficients,
        intercept: fit.intercept,
        trainFrom: p.trainFrom,
        trainTo: p.trainTo,
        validationMonth: p.validationMonth,
        horizonMonths: h,
        highThreshold: v.p95,
        mediumThreshold: v.p80,
        figures: figures as unknown as Record<string, number>,
      },
      actor.userId,
    );
    await audit(tx, actor, { action: 'create', entity: MODEL, entityId: modelId, unitPath: actor.unitPath, after: { trainFrom: p.trainFrom, trainTo: p.trainTo, validationMonth: p.validationMonth, auc: v.auc } });
    return modelId;
  });
  return toModel((await q.findModel(deps.database, id))!);
}

/** 评分: scores a month (by default the latest with facts) with a model (by default the latest). */
export async function score(deps: Deps, actor: Actor, input: ScoreInput) {
  const model = await q.findModel(deps.database, input.modelId ?? null);
  if (!model) throw input.modelId ? invalid('body.modelId', 'churn_model_unknown') : new AppError(409, 'churn_no_model', {});
  const month = input.month ? `${input.month}-01` : (await q.factMonths(deps.database)).last;
  if (!month) throw new AppError(409, 'churn_not_enough_history', { months: HISTORY });
  const counts = await deps.database.db.transaction(async (tx) => {
    const r = await q.scoreMonth(deps.database, tx, model, month);
    await audit(tx, actor, { action: 'update', entity: MODEL, entityId: model.id, unitPath: actor.unitPath, after: { scoredMonth: ym(month), ...r } });
    return r;
  });
  return { month: ym(month), modelId: model.id, ...counts };
}

export const listModels = async (deps: Deps): Promise<ChurnModel[]> => (await q.listModels(analyticsReads(deps))).map(toModel);

const asScore = (r: q.ScoreRaw): ChurnScore => r as ChurnScore;

/** 预警名单: the scores of a month within the reader's scope (unit subtree; an account manager's own portfolio). */
export async function listScores(deps: Deps, actor: Actor, query: ScoresQuery): Promise<Page<ChurnScore>> {
  const reads = analyticsReads(deps);
  const month = query.month ? `${query.month}-01` : await q.latestScoredMonth(reads);
  if (!month) return { items: [], total: 0 };
  const page = await q.listScores(reads, { month, band: query.band, unitId: query.unitId, managerId: query.managerId, scope: visibleCustomersSql(actor) }, query.offset, query.limit);
  return { items: page.items.map(asScore), total: page.total };
}

/** A customer's scores month by month (404 outside the reader's scope). */
export async function customerHistory(deps: Deps, actor: Actor, id: number) {
  await loadVisibleCustomer(deps, actor, id);
  const items = await q.customerHistory(analyticsReads(deps), id);
  return { customerId: id, items: items.map((r) => ({ month: r.month, modelId: r.modelId, score: r.score, band: r.band, reasons: asScore(r).reasons })) };
}

/**
 * 下达挽留任务: one task per account manager holding high-band customers of the month within the head's scope,
 * listing them with their first reason; through the tasks area (createTask), which tells each manager.
 */
export async function handToTasks(deps: Deps, actor: Actor, input: HandInput) {
  const reads = analyticsReads(deps);
  const month = input.month ? `${input.month}-01` : await q.latestScoredMonth(reads);
  if (!month) throw new AppError(409, 'churn_no_scores', {});
  const groups = await q.highByManager(reads, { month, unitId: input.unitId, scope: visibleCustomersSql(actor) });
  if (!groups.length) throw invalid('body.month', 'churn_no_high_band');
  const tasks: { id: number; managerId: number; customers: number }[] = [];
  for (const g of groups) {
    const lines = g.customers.slice(0, 200).map((c) => `${c.customerNo} ${c.name}`);
    const more = g.customers.length > lines.length ? `\n… (${g.customers.length - lines.length})` : '';
    const task = await createTask(deps, actor, {
      title: input.title ?? `流失预警客户挽留 ${ym(month)}`,
      description: `${lines.join('\n')}${more}`.slice(0, 5000),
      expectedOutcome: '走访或联系名单中的客户，了解流失原因并采取挽留措施，回报结果',
      dueOn: input.dueOn,
      target: { kind: 'manager', managerId: g.managerId },
    });
    tasks.push({ id: task.id, managerId: g.managerId, customers: g.customers.length });
  }
  return { tasks };
}

// ---- the monthly job

const system = () => systemActor(new Set(ALL_PERMISSIONS));

/**
 * Scores the latest month with facts once it has no scores: after the monthly rules run (the 3rd–10th at 02:00)
 * the job at 04:00 finds the new month; it trains a model first when there is none, or when the latest is older
 * than the month (the model follows the history).
 */
export async function runMonthlyScoring(deps: Deps): Promise<Record<string, unknown>> {
  const { last } = await q.factMonths(deps.database);
  if (!last) return { skipped: 'no facts' };
  const [done] = await deps.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM churn_scores WHERE month = ${last}::date`);
  if (Number(done?.n ?? 0) > 0) return { month: ym(last), skipped: 'already scored' };
  let model = await q.findModel(deps.database, null);
  if (!model || addMonths(model.validationMonth, model.horizonMonths) < last) {
    try {
      model = await q.findModel(deps.database, (await train(deps, system(), { horizonMonths: 2 })).id);
    } catch (err) {
      // too little history or no leavers yet: keep the model there is, or wait for more months
      if (!(err instanceof AppError)) throw err;
      if (!model) return { month: ym(last), skipped: err.code };
    }
  }
  return score(deps, system(), { modelId: model!.id });
}
