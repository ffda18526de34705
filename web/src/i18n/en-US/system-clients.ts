import type { systemClients as zh } from '../zh-CN/system-clients';

/** API clients. */
export const systemClients: Record<keyof typeof zh, string> = {
  'menu.system.clients': 'API clients',
};
