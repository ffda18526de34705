/**
 * How an event's resource is shown: the API that owns the type registers a renderer (the TMF façade does, when
 * its routes are registered); the platform never imports a module. A type without one, or a resource its
 * renderer no longer finds, travels as `{ id, href }`.
 */
import type { Deps } from '../deps.js';
import type { EventRenderer, TmfApi } from './types.js';

const renderers = new Map<string, EventRenderer>();

export function registerEventRenderer(resourceType: string, fn: EventRenderer): void {
  renderers.set(resourceType, fn);
}

export const eventRendererOf = (resourceType: string): EventRenderer | undefined => renderers.get(resourceType);

/** The base path of each API, where its hub and its resources live. */
export const API_BASE: Record<TmfApi, string> = {
  tmf629: '/tmf-api/customerManagement/v4',
  tmf632: '/tmf-api/partyManagement/v4',
  tmf621: '/tmf-api/troubleTicket/v4',
  tmf658: '/tmf-api/loyaltyManagement/v4',
};

/** `TroubleTicket` → `troubleTicket`: the key of the resource in the event body, and its path segment. */
export const resourceName = (resourceType: string) => resourceType.charAt(0).toLowerCase() + resourceType.slice(1);

export const resourceHref = (api: TmfApi, resourceType: string, id: string) => `${API_BASE[api]}/${resourceName(resourceType)}/${encodeURIComponent(id)}`;

/** Renders the resources of a batch of events, once per type; what cannot be rendered is left out of the map. */
export async function renderResources(deps: Deps, wanted: { resourceType: string; resourceId: string }[]): Promise<Map<string, unknown>> {
  const byType = new Map<string, Set<string>>();
  for (const w of wanted) {
    if (!renderers.has(w.resourceType)) continue;
    let ids = byType.get(w.resourceType);
    if (!ids) byType.set(w.resourceType, (ids = new Set()));
    ids.add(w.resourceId);
  }
  const out = new Map<string, unknown>();
  await Promise.all(
    [...byType].map(async ([type, ids]) => {
      const rendered = await renderers.get(type)!(deps, [...ids]);
      for (const [id, resource] of rendered) out.set(renderedKey(type, id), resource);
    }),
  );
  return out;
}

export const renderedKey = (resourceType: string, resourceId: string) => `${resourceType}\u0000${resourceId}`;
