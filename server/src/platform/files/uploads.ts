/**
 * 上传文件夹: uploaded files (BOSS extracts, ID numbers included) wait for their work under DATA_DIR, never in
 * the system's temp folder: in `uploads/` (UPLOAD_DIR), readable by the server's account alone, each removed
 * when its work ends, and every one removed when a server starts, so that a crash or a kill -9 leaves no copy
 * behind. The folder belongs to one server instance (as DATA_DIR does). Only files named as uploads are
 * removed: a folder set by mistake to one that holds other files loses none of them.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../../config.js';

const PREFIX = 'kam-upload-';
const NAME = /^kam-upload-[0-9a-f]{32}$/;

export class UploadFolder {
  private constructor(readonly dir: string) {}

  /**
   * The folder of `config` (UPLOAD_DIR, else DATA_DIR/uploads; with an in-memory database, a fresh folder of
   * this process under the system's temp folder), created if missing and emptied of earlier uploads.
   */
  static async open(config: Pick<Config, 'DATA_DIR' | 'UPLOAD_DIR'>): Promise<UploadFolder> {
    const dir = config.UPLOAD_DIR || (config.DATA_DIR ? path.join(config.DATA_DIR, 'uploads') : await mkdtemp(path.join(tmpdir(), 'kam-uploads-')));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700); // a folder that was there already is closed too
    const left = (await readdir(dir)).filter((name) => NAME.test(name));
    await Promise.all(left.map((name) => rm(path.join(dir, name), { force: true })));
    return new UploadFolder(dir);
  }

  /** A new file for an upload, created empty for this process's account alone. */
  create(): { path: string; stream: WriteStream } {
    const file = path.join(this.dir, `${PREFIX}${randomBytes(16).toString('hex')}`);
    return { path: file, stream: createWriteStream(file, { flags: 'wx', mode: 0o600 }) };
  }

  /** Removes an upload (nothing if it is gone already). */
  remove(file: string): Promise<void> {
    return rm(file, { force: true });
  }
}
