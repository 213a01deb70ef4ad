/**
 * Plain-text tables for the terminal: a header row and left-aligned columns separated by two
 * spaces (what `users list`, `store check` and `ad-schema status` print).
 *
 * @module table
 */

/**
 * Render rows as an aligned text table.
 *
 * @param header - column titles
 * @param rows - cell texts, one array per row
 * @returns the table, one line per row plus the header, each ending in a newline
 * @example
 * ```ts
 * renderTable(['UPN', 'ENABLED'], [['alice@contoso.com', 'yes']]);
 * // 'UPN                ENABLED\nalice@contoso.com  yes\n'
 * ```
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `${cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()}\n`;
  return [header, ...rows].map(line).join('');
}
