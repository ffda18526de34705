import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 事件订阅与投递 (Event subscriptions and delivery, platform/outbox): problems and record names. */
export const systemEvents = {
  entity_event_subscription: { 'zh-CN': '事件订阅', 'en-US': 'The event subscription' },
  event_callback_invalid: {
    'zh-CN': '回调地址须为 http 或 https 地址，且不能包含用户名、密码或 # 片段',
    'en-US': 'The callback must be an http or https URL without a user name, password or # fragment',
  },
  event_callback_private: {
    'zh-CN': '回调地址指向内网、本机地址或无法解析，本系统不允许',
    'en-US': 'The callback points at a private or loopback address, or cannot be resolved; this system does not allow it',
  },
  event_query_invalid: { 'zh-CN': '订阅过滤条件“{part}”无法识别', 'en-US': 'The subscription filter “{part}” cannot be read' },
} as const satisfies Record<string, Record<Locale, string>>;

const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

export const eventProblemTypes = {
  event_callback_invalid: type(400, '提供形如 https://listener.example.com/events 的地址；身份由每次投递的签名（X-KAM-Signature）证明，地址中不要带密码。', 'Give an address like https://listener.example.com/events; each delivery proves who sent it by its signature (X-KAM-Signature), so put no password in the address.'),
  event_callback_private: type(
    400,
    '使用公网可达、可解析的地址；如监听方确在运营商内网，请系统管理员设置 EVENT_CALLBACK_ALLOW_PRIVATE=true（docs/events.md）。',
    'Use a public address that resolves; if the listener is inside the operator’s network, an administrator sets EVENT_CALLBACK_ALLOW_PRIVATE=true (docs/events.md).',
  ),
  event_query_invalid: type(400, '写成 eventType=CustomerCreateEvent,CustomerStateChangeEvent，或资源属性 status=resolved，用 & 连接（docs/events.md）。', 'Write eventType=CustomerCreateEvent,CustomerStateChangeEvent, or attributes of the resource such as status=resolved, joined by & (docs/events.md).'),
};
