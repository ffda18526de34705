/**
 * A heap that stays small while a file is written or read back (exports of a million rows, their downloads, the
 * BOSS extract).
 *
 * Such work makes and drops a batch of rows after another, and part of each batch outlives two young collections
 * and moves to the old generation (about 2 MB per young collection on the `large` profile). V8 lets the old
 * generation grow up to four times what survived the last full collection before it collects again: 58 → 244 MB,
 * and the server's memory peaked at 339 MB (CSV) and 375 MB (.xlsx) against the goal of 300 MB. While such work
 * runs, the old generation may grow by half what survived (`--heap-growing-percent`), so that full collections
 * come sooner (each a few milliseconds, mostly incremental): 203–245 MB at the same speed. Outside it V8 chooses
 * again, as the same setting for every request made the searches' p95 rise from 46–54 to 67–77 ms
 * (docs/decisions.md, "A small heap during exports").
 *
 * V8 reads this setting each time it sets the next limit: the work starts with a full collection, so that the
 * limit it meets is already a small one. Node 20, 22 and 24 leave V8's flags open to change after start
 * (`--no-freeze-flags-after-init`).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The old generation's growth between full collections while bulk work runs, as a percentage of what survived. */
const BULK_GROWING_PERCENT = 50;

/** What the process was started with (`node --heap-growing-percent=…`), else 0: V8's own heuristics. */
const STARTED_WITH = /--heap[-_]growing[-_]percent=(\d+)/.exec(process.execArgv.join(' '))?.[1] ?? '0';

/**
 * A full collection on demand, in a context of its own (the process's global `gc` stays as it was): the limit in
 * force when bulk work starts was set with V8's own factor, up to four times what survived, and would let the first
 * stretch of the work grow that far (the BOSS extract: 292 MB in a run without it, 215–223 MB with it). About 20 ms.
 */
setFlagsFromString('--expose-gc');
const collectNow = runInNewContext('gc') as () => void;

let running = 0;

function enter() {
  if (running++ > 0) return;
  setFlagsFromString(`--heap-growing-percent=${BULK_GROWING_PERCENT}`);
  collectNow();
}

function leave() {
  if (--running === 0) setFlagsFromString(`--heap-growing-percent=${STARTED_WITH}`);
}

/** Runs `work` with the small heap (several at once share it until the last ends). */
export async function withSmallHeap<T>(work: () => Promise<T>): Promise<T> {
  enter();
  try {
    return await work();
  } finally {
    leave();
  }
}

/** The items of `source` read with the small heap, from the first asked for until the end or until let go. */
export async function* smallHeapItems<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  enter();
  try {
    yield* source;
  } finally {
    leave();
  }
}

/** Bulk work running now (for tests). */
export const bulkWorkRunning = () => running;
