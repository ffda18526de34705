import type { Locale } from '../locale.js';

/** 接口客户端 (API clients): problems, notifications and record names. */
export const systemClients = {
  entity_api_client: { 'zh-CN': '接口客户端', 'en-US': 'API clients' },
} as const satisfies Record<string, Record<Locale, string>>;
