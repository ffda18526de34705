/**
 * The fields of `values` that differ from `initial`; empty strings become null so that a cleared
 * optional field is sent as a removal. Used by edit forms to send only what the user changed.
 */
export function changedFields<T extends object>(initial: Partial<T>, values: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(values) as (keyof T)[]) {
    let value = values[key];
    if (value === '' || value === undefined) value = null as T[keyof T];
    const before = initial[key] ?? null;
    if (JSON.stringify(before) !== JSON.stringify(value)) out[key] = value;
  }
  return out;
}
