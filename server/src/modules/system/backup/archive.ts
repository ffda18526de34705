/**
 * A backup archive on disk: a folder `kam-backup-<time>-<kind>` holding the database's dump under `data/` and a
 * `manifest.json` that lists every file with its size and sha256. The folder is written under a `.partial-` name
 * and renamed when everything, the manifest last, is on disk (fsync): a folder without the prefix is complete, and
 * an interrupted backup (kill -9, a full disk) leaves only a `.partial-` folder, removed at the next backup.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { AppError } from '../../../platform/errors.js';
import { manifestSchema, type Manifest } from './schemas.js';

export const FORMAT = 'kam-backup/1';
export const SYSTEM = 'kam-key-account-service';
export const SYSTEM_NAME = '大客户服务管理系统';
export const MANIFEST = 'manifest.json';
export const DATA = 'data';
const ARCHIVE_NAME = /^kam-backup-\d{8}T\d{6}\d{3}Z-(pglite|postgres)$/;
const PARTIAL = '.partial-';

export const archiveName = (at: Date, kind: string) => `kam-backup-${at.toISOString().replace(/[-:.]/g, '')}-${kind}`;
export const isArchiveName = (name: string) => ARCHIVE_NAME.test(name);

/** The partial folder's name says which process on which machine writes it, so that only dead writers' folders are cleaned. */
export const partialName = (name: string) => `${PARTIAL}${name}.${hostname()}.${process.pid}`;

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes the partial folders left by interrupted backups: of this machine's dead processes, or older than a day (another machine's). */
export async function cleanPartials(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(PARTIAL)) continue;
    const [, host, pid] = /\.([^.]+)\.(\d+)$/.exec(name) ?? [];
    const full = path.join(dir, name);
    const old = Date.now() - (await stat(full)).mtimeMs > 86_400_000;
    if (old || (host === hostname() && !processAlive(Number(pid)))) {
      await rm(full, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}

async function fsyncPath(p: string) {
  const handle = await open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under `dir`, relative, in a stable order. */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((e) => (e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : Promise.resolve([path.join(prefix, e.name)]))),
  );
  return nested.flat();
}

/** Sizes and checksums of the dump's files, each flushed to disk on the way. */
export async function describeFiles(folder: string): Promise<Manifest['files']> {
  const files: Manifest['files'] = [];
  for (const rel of await filesUnder(folder)) {
    const full = path.join(folder, rel);
    await fsyncPath(full);
    files.push({ path: rel.split(path.sep).join('/'), bytes: (await stat(full)).size, sha256: await sha256File(full) });
  }
  return files;
}

/** Writes the manifest into the partial folder, flushes it and the folder, then renames the folder to its final name. */
export async function seal(partial: string, final: string, manifest: Manifest): Promise<void> {
  const file = path.join(partial, MANIFEST);
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  await fsyncPath(file);
  await fsyncPath(path.join(partial, DATA));
  await fsyncPath(partial);
  await rename(partial, final);
  await fsyncPath(path.dirname(final));
}

export async function createPartial(dir: string, name: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const partial = path.join(dir, partialName(name));
  await mkdir(path.join(partial, DATA), { recursive: true });
  return partial;
}

const refuse = (code: 'backup_incomplete' | 'backup_manifest_invalid' | 'backup_foreign' | 'backup_truncated' | 'backup_corrupt', params: Record<string, unknown> = {}) =>
  new AppError(422, code, params);

/** The archive's manifest, read and checked for its shape and origin (a foreign or unreadable archive is refused). */
export async function readManifest(archive: string): Promise<Manifest> {
  const text = await readFile(path.join(archive, MANIFEST), 'utf8').catch(() => null);
  if (text === null) throw refuse('backup_incomplete', { archive });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw refuse('backup_manifest_invalid', { archive });
  }
  const origin = parsed as { format?: unknown; system?: unknown };
  if (origin?.format !== FORMAT || origin?.system !== SYSTEM) {
    throw refuse('backup_foreign', { archive, format: String(origin?.format ?? '—'), system: String(origin?.system ?? '—') });
  }
  const manifest = manifestSchema.safeParse(parsed);
  if (!manifest.success) throw refuse('backup_manifest_invalid', { archive });
  return manifest.data;
}

/**
 * Checks every file of the archive against its manifest (present, same size, same sha256, nothing else there):
 * the manifest when intact, else the problem that refuses the archive. Reads only.
 */
export async function checkArchive(archive: string): Promise<Manifest> {
  const manifest = await readManifest(archive);
  const data = path.join(archive, DATA);
  const present = await filesUnder(data).catch(() => [] as string[]);
  const listed = new Set(manifest.files.map((f) => f.path));
  const extra = present.map((p) => p.split(path.sep).join('/')).find((p) => !listed.has(p));
  if (extra) throw refuse('backup_corrupt', { archive, file: extra });
  for (const f of manifest.files) {
    const full = path.join(data, f.path);
    const size = await stat(full).then((s) => s.size, () => null);
    if (size === null || size < f.bytes) throw refuse('backup_truncated', { archive, file: f.path });
    if (size !== f.bytes || (await sha256File(full)) !== f.sha256) throw refuse('backup_corrupt', { archive, file: f.path });
  }
  return manifest;
}

export interface ArchiveEntry {
  name: string;
  path: string;
  bytes: number;
  manifest: Manifest | null;
}

/** The complete archives in `dir` (by their names: the partial ones are not listed), newest first, with their sizes. */
export async function listArchives(dir: string): Promise<ArchiveEntry[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter(isArchiveName).sort().reverse();
  return Promise.all(
    names.map(async (name) => {
      const full = path.join(dir, name);
      const files = await filesUnder(full).catch(() => [] as string[]);
      const sizes = await Promise.all(files.map((f) => stat(path.join(full, f)).then((s) => s.size, () => 0)));
      const manifest = await readManifest(full).catch(() => null);
      return { name, path: full, bytes: sizes.reduce((a, b) => a + b, 0), manifest };
    }),
  );
}

/** Removes the complete archives beyond the newest `keep`. */
export async function applyRetention(dir: string, keep: number): Promise<string[]> {
  const old = (await listArchives(dir)).slice(keep);
  for (const a of old) await rm(a.path, { recursive: true, force: true });
  return old.map((a) => a.name);
}
