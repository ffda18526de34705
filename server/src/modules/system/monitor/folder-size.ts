import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const CACHE_MS = 60_000;
const cache = new Map<string, { at: number; size: Promise<number | null> }>();

async function walk(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await walk(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}

/**
 * The bytes of the files under a folder (PGlite's data folder: thousands of files), kept a minute so that the
 * console's refresh every 15 s walks it seldom; null when there is no such folder (a database in memory).
 */
export function folderSize(dir: string, now = Date.now()): Promise<number | null> {
  const key = path.resolve(dir);
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.size;
  const size = walk(key).catch(() => null);
  cache.set(key, { at: now, size });
  return size;
}
