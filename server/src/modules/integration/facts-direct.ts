/**
 * 直接装载: a monthly facts extract into an empty month on PostgreSQL without a staging table.
 *
 * The staged path copies the file into a temporary table, checks it with set-based SQL, joins it to the
 * subscriptions to insert it, and sums the month's customer totals afresh from the facts. Here the
 * subscriptions are read once into memory (MSISDN → subscription and customer), and each line the scanner
 * (facts-fast.ts) passes on is rewritten as the table's own line — the MSISDN replaced by the two ids —
 * and goes straight to COPY into a fresh table, while the customers' totals are summed on the way. The
 * checks the staged path makes in SQL are made per line here: an MSISDN no subscription has, one the
 * file repeats, or a second month stops the direct load (`DirectAbort`); so does any row the per-cell
 * checks refuse. The caller then rolls back and imports the file by the staged path, which reports each
 * rejected row: the direct load only ever loads a file the staged path would load whole.
 */
import type { Readable } from 'node:stream';

/** The direct load cannot take this file; nothing it did is kept (the caller rolls back). */
export class DirectAbort extends Error {}

/**
 * MSISDN → slot, open addressing in typed arrays: two million numbers are set in a fraction of the time a
 * Map takes, and looked up as fast. Keys are 11-digit numbers (never 0, the empty mark).
 */
export class MsisdnSlots {
  private keys = new Float64Array(1 << 16);
  private slots = new Int32Array(1 << 16);
  size = 0;

  private static hash(key: number, mask: number): number {
    return (Math.imul((key % 4294967296) ^ Math.floor(key / 4294967296), 0x9e3779b1) >>> 0) & mask;
  }

  /** The slot of `key`, or -1. */
  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let i = MsisdnSlots.hash(key, mask); ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key) return this.slots[i]!;
      if (k === 0) return -1;
    }
  }

  set(key: number, slot: number) {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = MsisdnSlots.hash(key, mask);
    while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & mask;
    if (this.keys[i] === 0) this.size++;
    this.keys[i] = key;
    this.slots[i] = slot;
  }

  private grow() {
    const [keys, slots] = [this.keys, this.slots];
    this.keys = new Float64Array(keys.length * 2);
    this.slots = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.set(keys[i]!, slots[i]!);
  }
}

/**
 * The subscriptions by MSISDN: `slotOf` gives a subscription's slot; per slot its id and its customer's
 * slot; customers are numbered in ascending id order (the order of the totals' primary key).
 */
export interface SubscriptionIndex {
  slotOf: MsisdnSlots;
  subscriptionId: number[];
  customerSlot: number[];
  customerId: number[];
}

const LF = 10;
const TAB = 9;
const COMMA = 44;
const D0 = 48;
const DOT = 46;

/** The decimal digits of buf[s, e) as a number; NaN if any byte is not a digit. */
function digits(buf: Buffer, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) {
    const d = buf[i]! - D0;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Reads `COPY (SELECT msisdn, id, customer_id FROM subscriptions ORDER BY customer_id) TO STDOUT` (text
 * format). Numbers that are not 11 digits are left out: no file row can name them (the MSISDN check).
 */
export async function readSubscriptionIndex(copy: Readable): Promise<SubscriptionIndex> {
  const index: SubscriptionIndex = { slotOf: new MsisdnSlots(), subscriptionId: [], customerSlot: [], customerId: [] };
  let lastCustomer = -1;
  let rest: Buffer | null = null;
  const line = (buf: Buffer, s: number, e: number) => {
    const t1 = buf.indexOf(TAB, s);
    const t2 = buf.indexOf(TAB, t1 + 1);
    if (t1 < 0 || t2 < 0 || t2 >= e || t1 - s !== 11) return;
    const msisdn = digits(buf, s, t1);
    if (Number.isNaN(msisdn)) return;
    const customer = digits(buf, t2 + 1, e);
    if (customer !== lastCustomer) {
      index.customerId.push(customer);
      lastCustomer = customer;
    }
    index.slotOf.set(msisdn, index.subscriptionId.length);
    index.subscriptionId.push(digits(buf, t1 + 1, t2));
    index.customerSlot.push(index.customerId.length - 1);
  };
  for await (const chunk of copy as AsyncIterable<Buffer>) {
    const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    let s = 0;
    for (let nl = buf.indexOf(LF); nl >= 0; nl = buf.indexOf(LF, s)) {
      line(buf, s, nl);
      s = nl + 1;
    }
    rest = s < buf.length ? buf.subarray(s) : null;
  }
  return index;
}

/** Writes the decimal digits of a non-negative integer at `w`; returns the end. */
function writeDigits(out: Buffer, w: number, n: number): number {
  let end = w + 1;
  for (let m = n; m >= 10; m = Math.floor(m / 10)) end++;
  for (let i = end - 1; i >= w; i--) {
    out[i] = D0 + (n % 10);
    n = Math.floor(n / 10);
  }
  return end;
}

/** The month (YYYY-MM-01) of the first staged line of `buf`, whose cell `monthCell` (after the row number) holds it. */
export function firstMonth(buf: Buffer, monthCell: number): string {
  let s = buf.indexOf(COMMA) + 1;
  for (let f = 0; f < monthCell; f++) s = buf.indexOf(COMMA, s) + 1;
  let e = s;
  while (e < buf.length && buf[e] !== COMMA && buf[e] !== LF) e++;
  return buf.toString('latin1', s, e);
}

/** A figure as the checks pass it (`\d{1,12}(\.\d{1,2})?`, CELL_GRAMMAR.money) in fen (分): exact as a JS number. */
export function fen(buf: Buffer, s: number, e: number): number {
  let whole = 0;
  let i = s;
  for (; i < e && buf[i] !== DOT; i++) whole = whole * 10 + (buf[i]! - D0);
  let cents = 0;
  if (i < e) {
    cents = (buf[i + 1]! - D0) * 10;
    if (i + 2 < e) cents += buf[i + 2]! - D0;
  }
  return whole * 100 + cents;
}

/**
 * Rewrites staged lines (`row_no,` then the cells in the file's order, as facts-fast.ts writes them) as
 * lines of monthly_facts (`columns`), and sums each customer's billed, paid and arrears.
 */
export class FactsToTable {
  /** COPY columns of the fresh table: the file's columns, the MSISDN replaced by the two ids. */
  readonly columns: string[];
  rows = 0;
  /** The month of the file (YYYY-MM-01), from its first line. */
  month: string | null = null;
  private monthBytes: Buffer | null = null;
  private readonly seen: Uint8Array;
  private readonly billed: Float64Array;
  private readonly paid: Float64Array;
  private readonly arrears: Float64Array;
  private readonly arrearsSubs: Int32Array;
  private readonly subs: Int32Array;
  private readonly pos: { month: number; msisdn: number; billed: number; paid: number; arrears: number };

  constructor(
    private readonly index: SubscriptionIndex,
    fileColumns: string[],
  ) {
    this.columns = fileColumns.flatMap((c) => (c === 'msisdn' ? ['subscription_id', 'customer_id'] : [c]));
    const at = (c: string) => fileColumns.indexOf(c);
    this.pos = { month: at('month'), msisdn: at('msisdn'), billed: at('billed'), paid: at('paid'), arrears: at('arrears') };
    this.seen = new Uint8Array(index.subscriptionId.length);
    const customers = index.customerId.length;
    [this.billed, this.paid, this.arrears] = [new Float64Array(customers), new Float64Array(customers), new Float64Array(customers)];
    [this.arrearsSubs, this.subs] = [new Int32Array(customers), new Int32Array(customers)];
  }

  /** A chunk of whole staged lines as table lines; DirectAbort on an unknown or repeated MSISDN, or a second month. */
  convert(buf: Buffer): Buffer {
    // each line loses its row number and gains at most 21 bytes (two ids for an 11-digit number)
    const out = Buffer.allocUnsafe(buf.length * 2 + 64);
    let w = 0;
    let s = 0;
    while (s < buf.length) {
      let e = buf.indexOf(LF, s);
      if (e < 0) e = buf.length;
      w = this.line(buf, buf.indexOf(COMMA, s) + 1, e, out, w);
      s = e + 1;
    }
    return out.subarray(0, w);
  }

  /**
   * One line: the bytes before and after the MSISDN are copied whole (two copies, not one per cell), the ids
   * written as digits in its place; the month and the three figures are read where they lie.
   */
  private line(buf: Buffer, s: number, e: number, out: Buffer, w: number): number {
    const p = this.pos;
    let billed = 0;
    let paid = 0;
    let arrears = 0;
    let msisdnStart = -1;
    let msisdnEnd = -1;
    let f = 0;
    let cs = s;
    for (let i = s; i <= e; i++) {
      if (i < e && buf[i] !== COMMA) continue;
      if (f === p.msisdn) [msisdnStart, msisdnEnd] = [cs, i];
      else if (f === p.month) this.checkMonth(buf, cs, i);
      else if (f === p.billed) billed = fen(buf, cs, i);
      else if (f === p.paid) paid = fen(buf, cs, i);
      else if (f === p.arrears) arrears = fen(buf, cs, i);
      f++;
      cs = i + 1;
    }
    const slot = this.index.slotOf.get(digits(buf, msisdnStart, msisdnEnd));
    if (slot < 0) throw new DirectAbort('an MSISDN without a subscription');
    if (this.seen[slot]) throw new DirectAbort('an MSISDN the file repeats');
    this.seen[slot] = 1;
    const customer = this.index.customerSlot[slot]!;
    w += buf.copy(out, w, s, msisdnStart);
    w = writeDigits(out, w, this.index.subscriptionId[slot]!);
    out[w++] = COMMA;
    w = writeDigits(out, w, this.index.customerId[customer]!);
    w += buf.copy(out, w, msisdnEnd, e);
    out[w++] = LF;
    this.billed[customer] = this.billed[customer]! + billed;
    this.paid[customer] = this.paid[customer]! + paid;
    this.arrears[customer] = this.arrears[customer]! + arrears;
    if (arrears > 0) this.arrearsSubs[customer]!++;
    this.subs[customer]!++;
    this.rows++;
    return w;
  }

  private checkMonth(buf: Buffer, s: number, e: number) {
    if (!this.monthBytes) {
      this.monthBytes = Buffer.from(buf.subarray(s, e));
      this.month = this.monthBytes.toString('latin1');
    } else if (this.monthBytes.compare(buf, s, e) !== 0) throw new DirectAbort('a second month');
  }

  /** The month's customer totals (customer_month_totals' columns, in customer order), as CSV chunks. */
  *totals(): Generator<Buffer> {
    const lines: string[] = [];
    for (let c = 0; c < this.subs.length; c++) {
      if (!this.subs[c]) continue;
      lines.push(`${this.month},${this.index.customerId[c]},${this.paid[c]},${this.billed[c]},${this.arrears[c]},${this.arrearsSubs[c]},${this.subs[c]}\n`);
      if (lines.length === 8192) yield Buffer.from(lines.splice(0).join(''), 'latin1');
    }
    if (lines.length) yield Buffer.from(lines.join(''), 'latin1');
  }
}

/** The columns of `totals()`. */
export const TOTALS_COLUMNS = ['month', 'customer_id', 'paid_fen', 'billed_fen', 'arrears_fen', 'arrears_subs', 'subs'];
