#!/usr/bin/env node
/**
 * Builds each named workspace (`server`, `web`) only when what it is built from changed since its last
 * successful build, so that `npm start` restarts in seconds. The inputs' contents (sources, the
 * workspace's configuration, the root package.json and lockfile) are hashed and compared with the hash
 * recorded after the last build; contents, not modification times, so a checkout that touches files
 * without changing them rebuilds nothing. A missing output, or a fresh `node_modules` (where the record
 * lives), builds again. Usage: node scripts/build-if-stale.mjs server web
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKSPACES = {
  // the tests are not built (tsconfig.build.json)
  server: { inputs: ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'], built: 'dist/main.js', ignore: /\.test\.ts$/ },
  web: { inputs: ['src', 'public', 'index.html', 'package.json', 'tsconfig.json', 'vite.config.ts'], built: 'dist/index.html' },
};
const SHARED = ['package.json', 'package-lock.json'];
const records = path.join(root, 'node_modules', '.cache', 'kam-build');

function filesUnder(p) {
  if (!existsSync(p)) return [];
  if (statSync(p).isFile()) return [p];
  return readdirSync(p, { withFileTypes: true })
    .map((e) => e.name)
    .sort()
    .flatMap((name) => filesUnder(path.join(p, name)));
}

function inputsHash(name) {
  const ws = WORKSPACES[name];
  const hash = createHash('sha256');
  const files = [...SHARED.map((f) => path.join(root, f)), ...ws.inputs.flatMap((i) => filesUnder(path.join(root, name, i)))];
  for (const file of files) {
    if (ws.ignore?.test(file)) continue;
    hash.update(`${path.relative(root, file)}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const names = process.argv.slice(2);
const unknown = names.filter((n) => !Object.hasOwn(WORKSPACES, n));
if (!names.length || unknown.length) {
  console.error(`usage: build-if-stale.mjs ${Object.keys(WORKSPACES).join('|')} …`);
  process.exit(2);
}
mkdirSync(records, { recursive: true });
for (const name of names) {
  const started = Date.now();
  const record = path.join(records, `${name}.sha256`);
  const hash = inputsHash(name);
  const built = existsSync(path.join(root, name, WORKSPACES[name].built));
  if (built && existsSync(record) && readFileSync(record, 'utf8').trim() === hash) {
    console.log(`${name}: up to date (checked in ${Date.now() - started} ms)`);
    continue;
  }
  const res = spawnSync('npm', ['run', 'build', '-w', name], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
  // the hash of the inputs as they were when the build began: a change during the build rebuilds next time
  writeFileSync(record, `${hash}\n`);
}
