/**
 * One CSV field: quoted when needed, and a leading = + - @ neutralised so that a spreadsheet
 * never runs it as a formula.
 */
export function csvField(v: unknown): string {
  let s =
    v === null || v === undefined
      ? ''
      : v instanceof Date
        ? v.toISOString()
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV document from a header and rows. */
export function csvRows(header: readonly string[], data: readonly (readonly unknown[])[]): string {
  return [header, ...data].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
