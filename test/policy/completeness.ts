/**
 * The completeness checker of the policy tables. A table of expected outcomes is written by hand
 * (ACCESS.md as data); the checker walks the policy's own vocabularies (every role, room kind,
 * action) and reports each one the table or the reading of a role has nothing for. The tests call
 * it on the real tables (no gaps) and on deliberately incomplete ones (gaps found), so it can fail.
 */

/** The (row, column) pairs of `table` that have no outcome, as "row | column" strings. */
export function tableGaps(
  table: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>,
  rows: readonly string[],
  columns: readonly string[],
): string[] {
  const gaps: string[] = [];
  for (const row of rows)
    for (const column of columns) if (table[row]?.[column] === undefined) gaps.push(`${row} | ${column}`);
  return gaps;
}

/**
 * The values for which `read` has no answer: it throws (an exhaustive switch's `assertNever`) or
 * answers something that is not a row of the table.
 */
export function readingGaps<T>(values: readonly T[], read: (value: T) => string, rows: readonly string[]): string[] {
  const gaps: string[] = [];
  for (const value of values) {
    try {
      const row = read(value);
      if (!rows.includes(row)) gaps.push(`${String(value)} -> ${row} (no such row)`);
    } catch {
      gaps.push(`${String(value)} (no rule)`);
    }
  }
  return gaps;
}
