import { date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { id, ref, ts } from './columns.js';

/**
 * 流失预警 (DOMAIN.md §6): a logistic regression over explainable features of a customer-month, trained and
 * validated on the facts in the system. A model row keeps everything needed to score and to explain a score
 * (the features in order, their training means and standard deviations, the coefficients) and its validation
 * figures on a held-out later month; models are never edited, a new training adds a new row.
 */
export const churnModels = pgTable('churn_models', {
  id: id(),
  features: text('features').array().notNull(), // feature codes, in the order of means, sds and coefficients
  means: doublePrecision('means').array().notNull(),
  sds: doublePrecision('sds').array().notNull(),
  coefficients: doublePrecision('coefficients').array().notNull(), // per standardised feature
  intercept: doublePrecision('intercept').notNull(),
  trainFrom: date('train_from').notNull(), // first and last feature month of the training rows
  trainTo: date('train_to').notNull(),
  validationMonth: date('validation_month').notNull(), // the held-out later month
  horizonMonths: integer('horizon_months').notNull(), // label: left within this many months after the feature month
  // the scores at which the validation month's top 5 % and top 20 % began (for reference: the bands of a scored month are by rank)
  highThreshold: doublePrecision('high_threshold').notNull(),
  mediumThreshold: doublePrecision('medium_threshold').notNull(),
  figures: jsonb('figures').notNull(), // auc, topDecilePrecision, lift, baseRate, trainRows, trainPositives, validationRows, validationPositives
  createdBy: ref('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** The monthly scores of the in-network key accounts; a month scored again replaces its rows. */
export const churnScores = pgTable(
  'churn_scores',
  {
    month: date('month').notNull(),
    customerId: ref('customer_id').notNull(),
    modelId: ref('model_id').notNull(),
    score: doublePrecision('score').notNull(), // probability of leaving within the model's horizon
    band: text('band').notNull(), // high: the month's top 5 % of scores; medium: the next 15 %; low: the rest
    reasons: jsonb('reasons').notNull(), // [{ feature, value, contribution }] the top 3 by contribution, largest first
    scoredAt: ts('scored_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.month, t.customerId] }), index('churn_scores_month_band_idx').on(t.month, t.band, t.score), index('churn_scores_customer_idx').on(t.customerId, t.month)],
);
