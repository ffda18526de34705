import { Name, Param, SQL, StringChunk } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

/**
 * The text and parameters of a statement written with Drizzle's `sql` templates, exactly as PgDialect.sqlToQuery
 * makes them, in a third of its time: Drizzle tests every chunk against each kind of chunk it knows by walking
 * the chunk's class chain, and a search's statement has hundreds of chunks (its text and parameters: 100 µs
 * with Drizzle, 34 µs here; docs/decisions.md, "Hot reads and writes"). The hot reads, the named writes, the
 * snapshots and the replica send their statements through it. A chunk of any other kind (a table, a column, a
 * placeholder, a subquery) leaves the whole statement to Drizzle.
 */
export function statementText(query: SQL): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const text = textOf(query, params);
  return text === undefined ? dialect.sqlToQuery(query) : { sql: text, params };
}

const dialect = new PgDialect();
const ENTITY_KIND = Symbol.for('drizzle:entityKind');

/** One chunk's text, its parameters appended to `params`; undefined for a chunk left to Drizzle. */
function textOf(chunk: unknown, params: unknown[]): string | undefined {
  if (chunk instanceof StringChunk) return chunk.value.join('');
  if (chunk instanceof SQL) return (chunk as unknown as { shouldInlineParams: boolean }).shouldInlineParams ? undefined : joined(chunk.queryChunks, params, '');
  if (chunk === undefined) return '';
  if (typeof chunk === 'function') return undefined;
  if (chunk === null || typeof chunk !== 'object') return parameter(chunk, params);
  if (chunk instanceof Name) return `"${chunk.value.replace(/"/g, '""')}"`;
  if (Array.isArray(chunk)) {
    const list = joined(chunk, params, ', ');
    return list === undefined ? undefined : `(${list})`;
  }
  if (chunk instanceof Param) {
    const value: unknown = chunk.value === null ? null : chunk.encoder.mapToDriverValue(chunk.value);
    return isDrizzleEntity(value) ? textOf(value, params) : parameter(value, params);
  }
  // a value (a date, a buffer), unless Drizzle renders it itself
  return isDrizzleEntity(chunk) || typeof (chunk as { getSQL?: unknown }).getSQL === 'function' ? undefined : parameter(chunk, params);
}

function joined(chunks: readonly unknown[], params: unknown[], separator: string): string | undefined {
  let text = '';
  for (const [i, chunk] of chunks.entries()) {
    const part = textOf(chunk, params);
    if (part === undefined) return undefined;
    text += i > 0 ? separator + part : part;
  }
  return text;
}

function parameter(value: unknown, params: unknown[]): string {
  params.push(value);
  return `$${params.length}`;
}

function isDrizzleEntity(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const kind: unknown = (value as { constructor?: unknown }).constructor;
  return typeof kind === 'function' && ENTITY_KIND in kind;
}
