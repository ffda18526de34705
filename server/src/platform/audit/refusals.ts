/**
 * 安全审计 of refused accesses (MLPS 2.0): a missing permission (403), a record out of the reader's scope
 * (answered 404 so that ids cannot be probed, recorded as out of scope), a write without its CSRF token,
 * and a stale or forged session cookie (401) are written to the audit trail with who, which route, which
 * record and the client address. So that an attack cannot flood the trail, each user (or, without a
 * session, each client address) gets its first AUDIT_REFUSALS_PER_MINUTE refusals of a minute in full,
 * then one summary entry with the count of the rest when the minute is over. The counts are per server
 * instance.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { AppError, ScopeRefusal } from '../errors.js';
import { audit } from './audit.js';

export interface Refusal {
  /** The problem code answered: unauthenticated, forbidden, csrf_failed, out_of_scope, or a service's 403 code. */
  reason: string;
  method: string;
  /** The route's pattern (`/api/customers/:id`). */
  route: string;
  /** The route's parameters: the record asked for. */
  params: Record<string, string>;
  /** The permission the route declares, when the refusal is for lacking it. */
  permission?: string;
  /** The kind of record found out of scope. */
  entity?: string;
}

interface Minute {
  minute: number;
  written: number;
  suppressed: number;
  /** Refusals not written, by reason. */
  reasons: Record<string, number>;
  actor: Actor;
}

/** Senders tracked at once; beyond, the rest share one count (an attack from very many addresses). */
const MAX_SENDERS = 10_000;
const MINUTE_MS = 60_000;

const unitOf = (actor: Actor) => (actor.userId === null ? null : actor.unitPath);

export class RefusalAudit {
  private readonly minutes = new Map<string, Minute>();

  constructor(
    private readonly deps: Pick<Deps, 'database' | 'config'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one refused access: in full while its sender's minute has room, else counted for the summary. */
  async record(actor: Actor, refusal: Refusal): Promise<void> {
    const minute = Math.floor(this.now() / MINUTE_MS);
    let sender = actor.userId !== null ? `user:${actor.userId}` : `address:${actor.ip ?? ''}`;
    if (!this.minutes.has(sender) && this.minutes.size >= MAX_SENDERS) sender = 'overflow';
    const ended = this.minutes.get(sender);
    let m = ended?.minute === minute ? ended : undefined;
    if (!m) {
      m = { minute, written: 0, suppressed: 0, reasons: {}, actor };
      this.minutes.set(sender, m);
    }
    const inFull = m.written < this.deps.config.AUDIT_REFUSALS_PER_MINUTE;
    if (inFull) m.written++;
    else {
      m.suppressed++;
      m.reasons[refusal.reason] = (m.reasons[refusal.reason] ?? 0) + 1;
    }
    // the counts are kept before any await, so that concurrent refusals never pass the limit
    if (ended && ended !== m) await this.summarise(ended);
    if (inFull) {
      const { params, ...rest } = refusal;
      await audit(this.deps.database.db, actor, { action: 'refused', entity: 'access', entityId: params.id ?? null, unitPath: unitOf(actor), after: { ...rest, params } });
    }
  }

  /** Writes the summaries of the minutes that have ended (a timer calls it every minute), or of all at close. */
  async flush(all = false): Promise<void> {
    const minute = Math.floor(this.now() / MINUTE_MS);
    const done = [...this.minutes].filter(([, m]) => all || m.minute < minute);
    for (const [sender] of done) this.minutes.delete(sender);
    for (const [, m] of done) await this.summarise(m);
  }

  private async summarise(m: Minute): Promise<void> {
    if (!m.suppressed) return;
    await audit(this.deps.database.db, m.actor, {
      action: 'refused',
      entity: 'access',
      unitPath: unitOf(m.actor),
      after: {
        reason: 'suppressed',
        count: m.suppressed,
        reasons: m.reasons,
        from: new Date(m.minute * MINUTE_MS).toISOString(),
        to: new Date((m.minute + 1) * MINUTE_MS).toISOString(),
      },
    });
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The refused-access recorder (tests flush it). */
    refusalAudit: RefusalAudit;
  }
}

/** Who was refused: the signed-in user, or only a client address. */
export function refusedActor(req: FastifyRequest): Actor {
  const p = req.principal;
  return {
    userId: p?.userId ?? null,
    username: p?.username ?? null,
    unitPath: p?.unitPath ?? '',
    areaPath: p?.areaPath ?? '',
    permissions: p?.permissions ?? new Set(),
    requestId: String(req.id),
    ip: req.ip,
  };
}

function refusalOf(req: FastifyRequest, reason: string, extra: Pick<Refusal, 'permission' | 'entity'>): Refusal {
  return {
    reason,
    method: req.method,
    route: req.routeOptions.url ?? req.url.split('?')[0]!,
    params: { ...(req.params as Record<string, string>) },
    ...extra,
  };
}

/** Records a refusal on its way to the answer: a failure to write it is logged, never answered. */
export const recordRefusal = (refusals: RefusalAudit, req: FastifyRequest, reason: string, extra: Pick<Refusal, 'permission' | 'entity'> = {}) =>
  refusals.record(refusedActor(req), refusalOf(req, reason, extra)).catch((err: unknown) => req.log.error({ err }, 'refused access not audited'));

/**
 * Installs the recorder: the access gate records its refusals through it; services' refusals (a 403
 * AppError, a ScopeRefusal) are caught here on their way to the error handler.
 */
export function installRefusalAudit(app: FastifyInstance, deps: Deps): RefusalAudit {
  const refusals = new RefusalAudit(deps);
  app.decorate('refusalAudit', refusals);
  app.addHook('onError', async (req, _reply, error) => {
    if (error instanceof ScopeRefusal) await recordRefusal(refusals, req, 'out_of_scope', { entity: error.entity });
    else if (error instanceof AppError && error.status === 403) await recordRefusal(refusals, req, error.code);
  });
  const timer = setInterval(() => void refusals.flush().catch((err: unknown) => app.log.error({ err }, 'refusal summaries not audited')), MINUTE_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await refusals.flush(true);
  });
  return refusals;
}
