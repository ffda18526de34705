import { bigint, integer, numeric, timestamp } from 'drizzle-orm/pg-core';

/** The column kinds every table uses, so that ids, times, money and versions are alike everywhere. */
export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** Money is numeric(14,2), a decimal string in JS; never a float. */
export const money = (name: string) => numeric(name, { precision: 14, scale: 2 });
/** A reference to another table's id. */
export const ref = (name: string) => bigint(name, { mode: 'number' });

/** Rows that a person edits carry a version for optimistic locking and their timestamps. */
export const editable = () => ({
  version: integer('version').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
