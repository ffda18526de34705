import type { Locale } from '../locale.js';

/** Input refused at the edge, before any schema: shapes of JSON, ill-formed text, unreadable names, slow requests. */
export const input = {
  json_too_deep: {
    'zh-CN': 'JSON 嵌套层数超过 {max} 层',
    'en-US': 'The JSON is nested more than {max} levels deep',
  },
  json_array_too_long: {
    'zh-CN': 'JSON 数组元素超过 {max} 个',
    'en-US': 'A JSON array has more than {max} elements',
  },
  json_too_many_keys: {
    'zh-CN': 'JSON 对象的字段超过 {max} 个',
    'en-US': 'A JSON object has more than {max} members',
  },
  text_nul_character: { 'zh-CN': '不能包含 NUL 字符', 'en-US': 'NUL characters are not allowed' },
  text_ill_formed: {
    'zh-CN': '含有不成对的 UTF-16 代理项（不是合法的 Unicode 文本）',
    'en-US': 'Contains a lone UTF-16 surrogate (not well-formed Unicode text)',
  },
  name_not_readable: {
    'zh-CN': '名称须包含可见字符（不能只由空白、零宽或方向控制字符组成）',
    'en-US': 'A name needs a visible character (not only blank, zero-width or direction control characters)',
  },
  text_control_character: {
    'zh-CN': '不能包含换行、制表符等控制字符',
    'en-US': 'Line breaks, tabs and other control characters are not allowed',
  },
  request_timeout: {
    'zh-CN': '请求未在 {seconds} 秒内传送完毕，连接已关闭',
    'en-US': 'The request was not received within {seconds} seconds; the connection is closed',
  },
  malformed_url: { 'zh-CN': 'URL 不是合法的 UTF-8 百分号编码', 'en-US': 'The URL is not valid percent-encoded UTF-8' },
  problem_type_unknown: { 'zh-CN': '没有这个错误代码', 'en-US': 'There is no such problem type' },
} as const satisfies Record<string, Record<Locale, string>>;
