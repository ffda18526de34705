/**
 * What a hub accepts as a listener: a callback URL (http or https, no credentials in it — the secret of the
 * signature authenticates us to the listener) and a `query` filter as TMF hubs take it.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Config } from '../../config.js';
import { invalid } from '../errors.js';

/** Loopback, private, link-local, carrier-grade NAT and unspecified ranges: an operator's inside network. */
const PRIVATE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  const kind = isIP(address);
  return kind !== 0 && PRIVATE.check(address, kind === 4 ? 'ipv4' : 'ipv6');
}

export const privateCallbacksAllowed = (config: Pick<Config, 'EVENT_CALLBACK_ALLOW_PRIVATE' | 'NODE_ENV'>) =>
  config.EVENT_CALLBACK_ALLOW_PRIVATE ?? config.NODE_ENV !== 'production';

/**
 * The callback as it will be called; refused (400, naming `body.callback`) when it is not an http(s) URL, carries
 * credentials or, unless allowed, names or resolves to a private address. The check is made at registration.
 */
export async function checkCallback(config: Pick<Config, 'EVENT_CALLBACK_ALLOW_PRIVATE' | 'NODE_ENV'>, callback: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    throw invalid('body.callback', 'event_callback_invalid');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.hash) throw invalid('body.callback', 'event_callback_invalid');
  if (!privateCallbacksAllowed(config)) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : await lookup(host, { all: true }).then((all) => all.map((a) => a.address), () => null);
    if (!addresses?.length || addresses.some(isPrivateAddress)) throw invalid('body.callback', 'event_callback_private');
  }
  return url.toString();
}

export interface HubFilter {
  /** Only these event types (none: all). */
  eventTypes: Set<string> | null;
  /** Attributes of the rendered resource that must have these values (`status=resolved`, `event.troubleTicket.status=resolved`). */
  attributes: [path: string[], value: string][];
}

const decoded = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
};

const ATTRIBUTE = /^[A-Za-z@][\w@]*(\.[A-Za-z@][\w@]*)*$/;

/** Parses a hub's `query` (`eventType=A,B&status=resolved`); refused (400, naming `body.query`) when it does not read. */
export function parseHubQuery(query: string | null | undefined): HubFilter {
  const filter: HubFilter = { eventTypes: null, attributes: [] };
  if (!query?.trim()) return filter;
  for (const part of query.trim().replace(/^\?/, '').split('&')) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? decoded(part.slice(0, eq)) : '';
    const value = eq > 0 ? decoded(part.slice(eq + 1).replace(/\+/g, ' ')) : '';
    // `event.<resource>.<attribute>`, as TMF hubs write it, names the rendered resource's attribute
    const path = name.split('.').slice(name.startsWith('event.') ? 2 : 0);
    if (!ATTRIBUTE.test(name) || !value || !path.length) throw invalid('body.query', 'event_query_invalid', { part });
    if (name === 'eventType') filter.eventTypes = new Set(value.split(',').map((v) => v.trim()).filter(Boolean));
    else filter.attributes.push([path, value]);
  }
  return filter;
}

export function matchesAttributes(filter: HubFilter, resource: unknown): boolean {
  return filter.attributes.every(([path, value]) => {
    let at: unknown = resource;
    for (const key of path) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
    return at !== undefined && at !== null && String(at) === value;
  });
}
