import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROBLEM_TYPES, problemPageText, type ProblemCode, type ProblemType } from '../i18n/catalogue/problems.js';
import { LOCALES, translate, type Locale } from '../i18n/messages.js';
import { AppError } from '../errors.js';
import { problemSchema } from './problem.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const LANG = { 'zh-CN': 'zh-CN', 'en-US': 'en' } as const;
const bilingual = (text: Record<Locale, string>, tag = 'span') =>
  LOCALES.map((l) => `<${tag} lang="${LANG[l]}">${esc(text[l])}</${tag}>`).join(tag === 'span' ? ' · ' : '');

const STYLE = `body{font:15px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#1f1f1f}
code{background:#f3f3f3;padding:0 .3em;border-radius:3px}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #e5e5e5;padding:.4rem;text-align:left;vertical-align:top}dt{font-weight:600;margin-top:1rem}`;

const page = (title: string, body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;

const titles = (code: ProblemCode) => Object.fromEntries(LOCALES.map((l) => [l, translate(code, l)])) as Record<Locale, string>;
const nav = `<p><a href="/api/problems">${bilingual(problemPageText.index)}</a> · <a href="/api/docs">${bilingual(problemPageText.docs)}</a></p>`;

function problemPage(code: ProblemCode, type: ProblemType): string {
  const t = problemPageText;
  return page(
    `${code} · ${translate(code, 'zh-CN')}`,
    `${nav}<h1><code>${esc(code)}</code></h1><dl>` +
      `<dt>${bilingual(t.status)}</dt><dd>${type.status.join(', ')}</dd>` +
      `<dt>${bilingual(t.title)}</dt><dd>${bilingual(titles(code), 'p')}<p>${bilingual(t.placeholders)}</p></dd>` +
      `<dt>${bilingual(t.advice)}</dt><dd>${bilingual(type.advice, 'p')}</dd></dl>`,
  );
}

function indexPage(): string {
  const t = problemPageText;
  const rows = (Object.entries(PROBLEM_TYPES) as [ProblemCode, ProblemType][])
    .map(([code, type]) => `<tr><td><a href="/api/problems/${code}"><code>${esc(code)}</code></a></td><td>${type.status.join(', ')}</td><td>${bilingual(titles(code), 'div')}</td></tr>`)
    .join('');
  return page(
    t.heading['zh-CN'],
    `<p><a href="/api/docs">${bilingual(t.docs)}</a></p><h1>${bilingual(t.heading)}</h1>${bilingual(t.intro, 'p')}` +
      `<table><thead><tr><th>code</th><th>${bilingual(t.status)}</th><th>${bilingual(t.title)}</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

const tags = ['系统 System'];
const html = z.string().describe('An HTML page in zh-CN and en-US');

/** The problem types as pages of the API documentation: what a problem answer's `type` resolves to. */
export const problemPages: FastifyPluginAsyncZod = async (app) => {
  const index = indexPage();
  app.get('/api/problems', {
    config: { access: 'public' },
    schema: { tags, summary: 'Every problem type of the API (HTML)', produces: ['text/html'], response: { 200: html } },
    handler: async (_req, reply) => reply.type('text/html; charset=utf-8').send(index),
  });
  app.get('/api/problems/:code', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'One problem type: its HTTP status, title and what to do, in zh-CN and en-US (HTML)',
      produces: ['text/html'],
      params: z.strictObject({ code: z.string().max(64) }),
      response: { 200: html, 404: problemSchema },
    },
    handler: async (req, reply) => {
      const { code } = req.params;
      if (!Object.hasOwn(PROBLEM_TYPES, code)) throw new AppError(404, 'problem_type_unknown');
      return reply.type('text/html; charset=utf-8').send(problemPage(code as ProblemCode, PROBLEM_TYPES[code as ProblemCode]));
    },
  });
};
