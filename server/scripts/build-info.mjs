#!/usr/bin/env node
/**
 * Writes dist/build-info.json at build time: the commit (git when the build runs in a checkout, else the
 * KAM_COMMIT variable, else null: the page says it was not recorded) and the build time, shown by GET /api/system/version and the About page.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const server = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let commit = process.env.KAM_COMMIT || null;
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: server, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  // not a checkout (an archive, a container build): KAM_COMMIT or nothing
}
mkdirSync(path.join(server, 'dist'), { recursive: true });
writeFileSync(path.join(server, 'dist', 'build-info.json'), `${JSON.stringify({ commit, builtAt: new Date().toISOString() }, null, 2)}\n`);
