/** Who may call each TM Forum API: the scope a machine client's token needs, or the permission a signed-in user needs. */
import type { FastifyRequest } from 'fastify';
import type { ApiCaller, MachineAccess } from '../../../platform/http/access.js';

const machine = (scope: string, permission: MachineAccess['permission']) => ({ access: 'machine' as const, machine: { scope, permission } });

export const ACCESS = {
  customerRead: machine('tmf629.read', 'customers.read'),
  customerWrite: machine('tmf629.write', 'customers.edit'),
  partyRead: machine('tmf632.read', 'customers.read'),
  ticketRead: machine('tmf621.read', 'services.read'),
  ticketWrite: machine('tmf621.write', 'services.handle'),
  loyaltyRead: machine('tmf658.read', 'customers.read'),
};

/** The caller the access gate identified (a route of access 'machine' runs only with one). */
export function callerOf(req: FastifyRequest): ApiCaller {
  if (!req.caller) throw new Error('callerOf() on a route without a machine access');
  return req.caller;
}
