/**
 * The search box (客户检索): one text looked up as a name fragment (of the customer or of a key person), a
 * customer number, a phone number however typed, a credit code or an ID number (by its keyed hash).
 */
import { sql, type SQL } from 'drizzle-orm';
import { likeEscape } from '../../platform/db-errors.js';
import { CUSTOMER_NO_PATTERN } from './schemas.js';

/**
 * One arm of the search box: the customers `c` it reaches (a FROM clause naming `c` and its conditions, to
 * which the list's own conditions are added) and how well each matches (`rank`: 0 exactly — a whole name,
 * a number, a code —, 1 by the start of a name, 2 elsewhere in a name).
 */
export interface SearchArm {
  from: SQL;
  where: SQL;
  rank: SQL;
  /** The arm finds a name fragment anywhere (rank 2 at best unless the name starts with it). */
  anywhere?: boolean;
  /**
   * The order the arm walks its index in, when it can: a prefix arm reads its first matches by name and stops,
   * where a generic plan would otherwise gather every match of a common prefix into a bitmap first (广州市: 33,000
   * entries, 7 ms, against 0.1 ms), and the page's best matches are then the first by name, not any 101.
   */
  order?: SQL;
}

/**
 * How a name fragment of two or more characters is found anywhere in the names: 'index' reads its entries
 * in the names' pair or trigram index (cheap for a fragment of few names, but a fragment in a fifth of them,
 * such as 有限, has two hundred thousand entries, all read before the first row); 'scan' walks the customers
 * and stops at the first matches the list needs (cheap exactly when the fragment is common).
 */
export type FragmentLookup = 'index' | 'scan';

/**
 * The values of `column` that start with `prefix`, as a range of its `text_pattern_ops` index (byte order,
 * which in UTF-8 is code point order): from the prefix up to the prefix with its last character's
 * successor. Unlike LIKE 'ab%', a range of bound values keeps the index in a generic (prepared) plan.
 */
export function startsWith(column: SQL, prefix: string): SQL {
  const chars = [...prefix];
  const last = chars.pop()!.codePointAt(0)!;
  const next = last === 0xd7ff ? 0xe000 : last + 1; // past the surrogates, which no string holds alone
  if (next > 0x10ffff) return sql`${column} LIKE ${`${likeEscape(prefix)}%`}`;
  return sql`${column} ~>=~ ${prefix} AND ${column} ~<~ ${chars.join('') + String.fromCodePoint(next)}`;
}

/** Ordered as the `text_pattern_ops` index of `column` is (byte order), so that the index gives the order. */
const byteOrder = (column: SQL): SQL => sql`${column} USING ~<~`;

/**
 * The national number of a phone number however it is typed: spaces, dashes, dots and brackets left out,
 * full-width digits read as digits, and the country code (+86, 0086, 86) dropped before a mobile number.
 * Null when the text is not a phone number.
 */
export function phoneDigits(text: string): string | null {
  const typed = text.normalize('NFKC').trim();
  if (!/^\+?[\d\s\-.()]+$/.test(typed)) return null;
  const digits = typed.replace(/\D/g, '');
  const national = /^(?:0086|86)1\d{10}$/.test(digits) ? digits.replace(/^(?:0086|86)/, '') : digits;
  return national.length >= 5 && national.length <= 20 ? national : null;
}

/** The pairs of adjacent characters (code points) of a text, as `name_bigrams()` (migration 0021) makes them. */
export function bigramsOf(text: string): string[] {
  const chars = [...text];
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
}

/** How a name matches the text: 0 the whole name, 1 its start, 2 elsewhere. */
const rankOf = (name: SQL, q: string): SQL => sql`CASE WHEN ${name} = ${q} THEN 0 WHEN starts_with(${name}, ${q}) THEN 1 ELSE 2 END`;

/**
 * The name holds `q` anywhere (two or more characters): one of its pairs for two characters (exact, from
 * the pairs' index), a LIKE over the trigram index for more, or a plain substring test that no index
 * serves, so that the walk is what the plan does.
 */
function contains(name: SQL, q: string, lookup: FragmentLookup): SQL {
  if (lookup === 'scan') return sql`strpos(${name}, ${q}) > 0`;
  if ([...q].length === 2) return sql`name_bigrams(${name}) @> ARRAY[${q}]::text[]`;
  return sql`${name} LIKE ${`%${likeEscape(q)}%`}`;
}

/** Arms over the names of `c` (customers) or `k` (key persons): from the start (one character), or also anywhere. */
function nameArms(q: string, lookup: FragmentLookup): SearchArm[] {
  const customers = sql`customers c`;
  const keyPersons = sql`key_persons k JOIN customers c ON c.id = k.customer_id`;
  const arms: SearchArm[] = [
    { from: customers, where: startsWith(sql`c.name`, q), rank: rankOf(sql`c.name`, q), order: byteOrder(sql`c.name`) },
    { from: keyPersons, where: startsWith(sql`k.name`, q), rank: rankOf(sql`k.name`, q), order: byteOrder(sql`k.name`) },
  ];
  if ([...q].length < 2) return arms;
  // key persons' names are short and varied: no fragment is in many of them, the index serves every one
  arms.push({ from: customers, where: contains(sql`c.name`, q, lookup), rank: rankOf(sql`c.name`, q), anywhere: true });
  arms.push({ from: keyPersons, where: contains(sql`k.name`, q, 'index'), rank: rankOf(sql`k.name`, q), anywhere: true });
  return arms;
}

/** Whether a search text may be a credit code or an ID number (15 to 18 letters and digits): only then is it looked up as one. */
export const mayBeCodeOrIdNumber = (q: string): boolean => /^[0-9A-Za-z]{15,18}$/.test(q);

/**
 * The arms of a search text, each with its own index: the customer number (a text that may be one); a phone number
 * (MSISDN or contact phone) or else a name fragment; a credit code and an ID number. `idHash` is the keyed hash of
 * the text as an ID number.
 */
export function searchArms(q: string, idHash: string, lookup: FragmentLookup): SearchArm[] {
  const customers = sql`customers c`;
  const exact = (where: SQL, from = customers): SearchArm => ({ from, where, rank: sql`0` });
  // a Chinese fragment is never a customer number: one arm fewer to build, plan and probe
  const arms = CUSTOMER_NO_PATTERN.test(q) ? [exact(sql`c.customer_no = ${q.toUpperCase()}`)] : [];
  const phone = phoneDigits(q);
  if (phone) {
    arms.push(exact(sql`s.msisdn = ${phone}`, sql`subscriptions s JOIN customers c ON c.id = s.customer_id`));
    arms.push(exact(sql`c.contact_phone = ${phone}`));
  } else {
    arms.push(...nameArms(q, lookup));
  }
  if (mayBeCodeOrIdNumber(q)) {
    arms.push(exact(sql`c.credit_code = ${q.toUpperCase()}`));
    arms.push(exact(sql`c.id_number_hash = ${idHash}`));
  }
  return arms;
}

/** The most common pairs of characters in customers' names with the share of names holding each (ANALYZE), and the number of customers. */
export const selectNamePairStats = (): SQL => sql`
  SELECT s.most_common_elems::text::text[] AS pairs, s.most_common_elem_freqs AS shares, greatest(t.reltuples, 0)::float8 AS customers
  FROM pg_class t
  LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'customers_name_bigrams_idx'
  WHERE t.oid = 'customers'::regclass`;
