/** Rule versions (规则版本): list, the versions in effect, new versions with their checks, the defaults. */
import type { Executor } from '../../db/client.js';
import { audit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/principal.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, versionConflict } from '../../platform/errors.js';
import { DEFAULT_PARAMS, FAMILIES, PARAMS_SCHEMAS, semanticIssues, type Family, type RuleParams } from './params.js';
import * as q from './queries.js';
import { toMonthDate } from '../../platform/months.js';

/** The first versions, effective from long before any billing month, written once into an empty table (no note: the console words them, createdBy null). */
export async function ensureDefaultRules(db: Executor): Promise<void> {
  const present = await q.familiesWithVersions(db);
  const missing = FAMILIES.filter((family) => !present.has(family));
  if (!missing.length) return;
  await q.insertVersion(
    db,
    missing.map((family) => ({ family, version: 1, effectiveFrom: '2000-01-01', params: DEFAULT_PARAMS[family], note: null, createdBy: null })),
  );
}

export interface RulesInEffect {
  params: RuleParams;
  versions: Record<Family, number>;
}

/** The parameters and version numbers of every family for a month (YYYY-MM-01). */
export async function rulesInEffect(deps: Deps, monthDate: string, executor?: Executor): Promise<RulesInEffect> {
  const rows = await q.versionsInEffect(deps.database, monthDate, executor);
  const params = { ...DEFAULT_PARAMS };
  const versions = Object.fromEntries(FAMILIES.map((f) => [f, 0])) as Record<Family, number>;
  for (const row of rows) {
    (params as Record<Family, unknown>)[row.family] = PARAMS_SCHEMAS[row.family].parse(row.params);
    versions[row.family] = row.version;
  }
  return { params, versions };
}

/** Throws a 400 naming every field that breaks a rule family's semantic checks. */
export function assertValidParams<F extends Family>(family: F, params: RuleParams[F], at = 'body.params') {
  const issues = semanticIssues(family, params);
  if (issues.length) {
    throw new AppError(
      400,
      'rules_invalid',
      { family },
      issues.map((i) => ({ field: `${at}.${i.field}`, code: i.code, message: '', params: i.params })),
    );
  }
}

export function listVersions(deps: Deps, family: Family) {
  return q.listVersions(deps.database.db, family);
}

export interface NewVersion<F extends Family = Family> {
  family: F;
  effectiveFrom: string; // YYYY-MM
  params: RuleParams[F];
  note?: string | null;
  /** The latest version the editor started from: a newer one in between is a 409. */
  baseVersion: number;
}

export async function createVersion(deps: Deps, actor: Actor, input: NewVersion) {
  assertValidParams(input.family, input.params);
  return deps.database.db.transaction(async (tx) => {
    const latest = await q.latestVersion(tx, input.family);
    if (latest !== input.baseVersion) throw versionConflict();
    const row = {
      family: input.family,
      version: latest + 1,
      effectiveFrom: toMonthDate(input.effectiveFrom),
      params: input.params,
      note: input.note ?? null,
      createdBy: actor.userId,
    };
    const [created] = await q.insertVersion(tx, row);
    await audit(tx, actor, { action: 'create', entity: 'rule_set', entityId: `${input.family}:v${row.version}`, after: row });
    return { id: created!.id, family: input.family, version: row.version, effectiveFrom: input.effectiveFrom };
  });
}

// Versions never change once written, so their parsed parameters can be kept for the process's life.
const versionCache = new Map<string, unknown>();

/** The parameters of a set of versions (a run's), defaults for a family it does not name. */
export async function paramsOfVersions(deps: Deps, versions: Record<string, number>, executor: Executor = deps.database.db): Promise<RuleParams> {
  const out = { ...DEFAULT_PARAMS } as Record<Family, unknown>;
  for (const family of FAMILIES) {
    const version = versions[family];
    if (!version) continue;
    const key = `${family}:${version}`;
    if (!versionCache.has(key)) {
      const [row] = await q.getVersion(executor, family, version);
      if (row) versionCache.set(key, PARAMS_SCHEMAS[family].parse(row.params));
    }
    out[family] = versionCache.get(key) ?? out[family];
  }
  return out as unknown as RuleParams;
}
