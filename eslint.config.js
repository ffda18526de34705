import path from 'node:path';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const serverSrc = path.resolve('server/src');
const modulesDir = path.join(serverSrc, 'modules');

/** The area of a file under server/src/modules (`customers`, `rules`, …), or null elsewhere. */
const areaOf = (file) => {
  const rel = path.relative(modulesDir, file);
  return rel.startsWith('..') ? null : rel.split(path.sep)[0];
};

/**
 * ARCHITECTURE.md's import boundaries: a module imports another only through its `service.ts` (the
 * area's own, or a sub-area's: `rules/points/service.ts`); `platform/` and `db/` import no module.
 * Tests may reach into other areas for fixtures and types.
 */
const boundaries = {
  rules: {
    'module-boundaries': {
      meta: { type: 'problem', schema: [], messages: { service: '{{from}} may import the {{to}} module only through its service.ts', platform: '{{from}} must not import a module ({{to}})' } },
      create(context) {
        const file = context.filename;
        if (/\.test\.ts$/.test(file) || file.endsWith('testing.ts')) return {};
        const from = areaOf(file);
        const inPlatform = !path.relative(serverSrc, file).startsWith('..') && /^(platform|db)\//.test(path.relative(serverSrc, file));
        const check = (node) => {
          const spec = node.source?.value;
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const target = path.resolve(path.dirname(file), spec);
          const to = areaOf(target);
          if (!to || to === from) return;
          if (inPlatform) context.report({ node, messageId: 'platform', data: { from: path.relative(serverSrc, file), to } });
          else if (from && path.basename(target).replace(/\.js$/, '') !== 'service') context.report({ node, messageId: 'service', data: { from, to } });
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: (node) => check({ source: node.source, ...node }) };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'web/src/api/schema.d.ts', 'server/src/db/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['server/src/**/*.ts'],
    plugins: { kam: boundaries },
    rules: { 'kam/module-boundaries': 'error' },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    // every rule of the plugin's recommended set, each an error (exhaustive-deps included)
    rules: Object.fromEntries(Object.keys(reactHooks.configs['recommended-latest'].rules).map((rule) => [rule, 'error'])),
  },
);
