/**
 * 接口客户端 (integrations.manage): the operator's other systems, and partners' systems, as OAuth 2.0 clients. A
 * client acts for a unit (administrators of that unit and above see it) with scopes; its secrets are answered once
 * and kept as their hash; a rotation issues a new secret while the others keep working until the expiry chosen.
 * Every change is audited (never a secret); a change forgets this process's cached tokens at once, other instances
 * within TOKEN_CACHE_MS (gate.ts).
 */
import { randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { audit } from '../../audit/audit.js';
import type { Deps } from '../../deps.js';
import { invalid, notFound, outOfScope, AppError, versionConflict } from '../../errors.js';
import type { Page } from '../../http/list.js';
import type { JobDef } from '../../jobs/scheduler.js';
import { hashSecret, newSecret } from '../credentials.js';
import type { Actor } from '../principal.js';
import { inScope } from '../scope.js';
import { ALL_SCOPES, SCOPES, SCOPE_PERMISSIONS } from '../scopes.js';
import * as q from './queries.js';
import type { CallCounts, CallQuery, Call, Client, ClientDetail, ClientQuery, CreateClient, PatchClient, Secret } from './schemas.js';

const CLIENT = 'api_client';
const SECRET = 'api_client_secret';
const HOUR_MS = 3_600_000;

/** Forgets the tokens cached by the gate, after a change to a client, a secret or its tokens (installed by gate.ts). */
let forgetTokens: () => void = () => undefined;
export const onClientChange = (forget: () => void) => {
  forgetTokens = forget;
};

const scopeOf = (actor: Actor): SQL => q.clientsInScope(actor.unitPath);

/** A new secret: what is shown once, what is kept, and a hint of a few characters to tell it apart. */
function freshSecret() {
  const secret = newSecret();
  return { secret, secretHash: hashSecret(secret), hint: `${secret.slice(0, 4)}…` };
}

export async function listClients(deps: Deps, actor: Actor, query: ClientQuery): Promise<Page<Client>> {
  const where = sql`${scopeOf(actor)} AND ${q.clientFilter(query)}`;
  const [items, total] = await Promise.all([q.listClients(deps.database, where, query.offset, query.limit), q.countClients(deps.database, where)]);
  return { items, total };
}

/** A client in the actor's scope: 404 outside it, exactly as when there is none. */
async function visibleClient(deps: Deps, actor: Actor, id: number, executor?: Executor): Promise<Client> {
  const row = await q.getClient(deps.database, id, scopeOf(actor), executor);
  if (!row) throw notFound(CLIENT);
  if (!row.visible) throw outOfScope(CLIENT);
  const { visible: _visible, ...client } = row;
  return client;
}

export async function getClient(deps: Deps, actor: Actor, id: number): Promise<ClientDetail> {
  const client = await visibleClient(deps, actor, id);
  return { ...client, secrets: await q.secretsOf(deps.database, id) };
}

async function lockForChange(deps: Deps, tx: Executor, actor: Actor, id: number) {
  const row = await q.lockClient(deps.database, tx, id, scopeOf(actor));
  if (!row) throw notFound(CLIENT);
  if (!row.visible) throw outOfScope(CLIENT);
  return row;
}

/** The unit a client acts for: the one named, in the actor's subtree, or the actor's own. */
async function actingUnit(deps: Deps, actor: Actor, unitId: number | undefined) {
  if (unitId === undefined) return { id: (await q.unitByPath(deps.database, actor.unitPath))!, path: actor.unitPath };
  const unit = await q.unitById(deps.database, unitId);
  if (!unit || !inScope(actor, unit.path)) throw invalid('body.unitId', 'client_unit_invalid');
  return unit;
}

/** A partner's client names a partner of the actor's scope; only such a client may hold the scope `partner`. */
async function checkPartner(deps: Deps, actor: Actor, partnerId: number | null | undefined, scopes: readonly string[]) {
  if (partnerId != null && !(await q.partnerInScope(deps.database, partnerId, actor.unitPath))) throw invalid('body.partnerId', 'client_partner_unknown');
  if (partnerId == null && scopes.includes('partner')) throw invalid('body.scopes', 'client_partner_scope');
}

const record = (c: Pick<Client, 'clientId' | 'name' | 'description' | 'unitId' | 'scopes' | 'partnerId' | 'rateLimitPerMinute' | 'active'>) => ({
  clientId: c.clientId,
  name: c.name,
  description: c.description,
  unitId: c.unitId,
  scopes: c.scopes,
  partnerId: c.partnerId,
  rateLimitPerMinute: c.rateLimitPerMinute,
  active: c.active,
});

/** 新建客户端: a client id and its first secret, answered once; audited without the secret. */
export async function createClient(deps: Deps, actor: Actor, input: CreateClient): Promise<{ client: ClientDetail; secret: string }> {
  const unit = await actingUnit(deps, actor, input.unitId);
  await checkPartner(deps, actor, input.partnerId, input.scopes);
  const fresh = freshSecret();
  const fields = {
    clientId: `cl_${randomBytes(10).toString('hex')}`,
    name: input.name,
    description: input.description || null,
    unitId: unit.id,
    scopes: input.scopes,
    partnerId: input.partnerId ?? null,
    rateLimitPerMinute: input.rateLimitPerMinute,
  };
  const id = await deps.database.db.transaction(async (tx) => {
    const id = await q.insertClient(tx, fields);
    const secretId = await q.insertSecret(tx, { apiClientId: id, secretHash: fresh.secretHash, hint: fresh.hint, createdBy: actor.userId });
    await audit(tx, actor, { action: 'create', entity: CLIENT, entityId: id, unitPath: unit.path, after: { ...record({ ...fields, active: true }), secretId, secretHint: fresh.hint } });
    return id;
  });
  return { client: await getClient(deps, actor, id), secret: fresh.secret };
}

/** Renames, rescopes, moves to another unit, changes the limit of, deactivates or reactivates a client at the version read; audited. */
export async function patchClient(deps: Deps, actor: Actor, id: number, input: PatchClient): Promise<ClientDetail> {
  const { version, unitId, ...fields } = input;
  const unit = unitId === undefined ? null : await actingUnit(deps, actor, unitId);
  await deps.database.db.transaction(async (tx) => {
    const row = await lockForChange(deps, tx, actor, id);
    if (row.version !== version) throw versionConflict();
    const before = await visibleClient(deps, actor, id, tx);
    const partnerId = fields.partnerId === undefined ? before.partnerId : fields.partnerId;
    await checkPartner(deps, actor, partnerId, fields.scopes ?? before.scopes);
    const set = { ...fields, ...(fields.description !== undefined && { description: fields.description || null }), ...(unit && { unitId: unit.id }) };
    if (!(await q.updateClient(tx, id, version, set))) throw versionConflict();
    const after = await visibleClient(deps, actor, id, tx);
    await audit(tx, actor, { action: 'update', entity: CLIENT, entityId: id, unitPath: row.unitPath, before: record(before), after: record(after) });
  });
  forgetTokens();
  return getClient(deps, actor, id);
}

/**
 * 轮换密钥: a new secret, answered once; the client's other secrets keep working for `retireOthersInHours` (0: they
 * stop at once), so that its system can switch over without an outage. Audited without the secret.
 */
export async function rotateSecret(deps: Deps, actor: Actor, id: number, retireOthersInHours: number, now = new Date()): Promise<{ client: ClientDetail; secret: string }> {
  const fresh = freshSecret();
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const client = await lockForChange(deps, tx, actor, id);
    const secretId = await q.insertSecret(tx, { apiClientId: id, secretHash: fresh.secretHash, hint: fresh.hint, createdBy: actor.userId });
    const retireAt = new Date(now.getTime() + retireOthersInHours * HOUR_MS);
    const retired = await q.retireOthers(database, tx, id, secretId, retireAt);
    await audit(tx, actor, {
      action: 'create',
      entity: SECRET,
      entityId: secretId,
      unitPath: client.unitPath,
      after: { apiClientId: id, clientId: client.clientId, hint: fresh.hint, retiredSecrets: retired, retiredAt: retireAt },
    });
  });
  return { client: await getClient(deps, actor, id), secret: fresh.secret };
}

/** 吊销密钥: the secret stops opening tokens at once (tokens already issued live on: revoke them too after a leak); 409 when revoked already. */
export async function revokeSecret(deps: Deps, actor: Actor, id: number, secretId: number): Promise<Secret> {
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const client = await lockForChange(deps, tx, actor, id);
    const before = await q.secretById(database, id, secretId, tx);
    if (!before) throw notFound(SECRET);
    if (!(await q.revokeSecret(database, tx, id, secretId, actor.userId))) throw new AppError(409, 'client_secret_revoked');
    await audit(tx, actor, { action: 'update', entity: SECRET, entityId: secretId, unitPath: client.unitPath, before: { hint: before.hint, status: before.status }, after: { hint: before.hint, status: 'revoked' } });
  });
  return (await q.secretById(database, id, secretId))!;
}

/** 吊销全部令牌: every live token of the client stops working (this instance at once, others within seconds); audited with the count. */
export async function revokeTokens(deps: Deps, actor: Actor, id: number): Promise<ClientDetail> {
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const client = await lockForChange(deps, tx, actor, id);
    const revoked = await q.revokeTokens(database, tx, id);
    await audit(tx, actor, { action: 'update', entity: CLIENT, entityId: id, unitPath: client.unitPath, after: { clientId: client.clientId, tokensRevoked: revoked } });
  });
  forgetTokens();
  return getClient(deps, actor, id);
}

/** The client's calls of the last CALL_LOG_DAYS days, latest first, and their counts by status. */
export async function clientCalls(deps: Deps, actor: Actor, id: number, query: CallQuery): Promise<Page<Call>> {
  await visibleClient(deps, actor, id);
  const counts = await q.callCounts(deps.database, id);
  const total = query.status === undefined ? counts.total : (counts.byStatus.find((s) => s.status === query.status)?.count ?? 0);
  return { items: await q.calls(deps.database, id, query.status, query.offset, query.limit), total };
}

export async function clientCallCounts(deps: Deps, actor: Actor, id: number): Promise<CallCounts> {
  await visibleClient(deps, actor, id);
  return q.callCounts(deps.database, id);
}

/** The scopes a client may hold, with their names and the permissions they grant. */
export const scopeOptions = () =>
  ALL_SCOPES.map((scope) => ({ scope, name: SCOPES[scope]['zh-CN'], nameEn: SCOPES[scope]['en-US'], permissions: [...SCOPE_PERMISSIONS[scope]] }));

const CALL_PRUNE_BATCH = 50_000;

/** 调用日志 retention: the calls older than API_CALL_RETENTION_DAYS go, in batches of their own transactions. */
export async function pruneCallLog(deps: Pick<Deps, 'database' | 'config'>): Promise<{ removed: number }> {
  let removed = 0;
  for (;;) {
    const n = await q.deleteOldCalls(deps.database, deps.config.API_CALL_RETENTION_DAYS, CALL_PRUNE_BATCH);
    removed += n;
    if (n < CALL_PRUNE_BATCH) return { removed };
  }
}

export const callLogPruneJob: JobDef = { name: 'clients.calls_prune', pattern: '50 3 * * *', run: pruneCallLog };
