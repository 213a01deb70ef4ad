/**
 * Placeholder rewriting: the shared statements are written once with numbered placeholders
 * `$1, $2, …` (PostgreSQL's form) and compiled once, at prepare time, into each driver's form.
 *
 * | style      | driver         | `$2 … $1 … $2` becomes | arguments bound               |
 * | ---------- | -------------- | ---------------------- | ----------------------------- |
 * | `question` | better-sqlite3 | `? … ? … ?`            | by position, reordered        |
 * | `dollar`   | pg             | `$2 … $1 … $2`         | as given                      |
 * | `at`       | tedious        | `@p2 … @p1 … @p2`      | by name `p1`, `p2`, …         |
 *
 * better-sqlite3 binds `?` strictly by position (it rejects `?NNN` with positional values), so
 * the `question` style records, for each `?`, which argument it takes (`order`).
 *
 * A `$n` inside a quoted string or identifier is left alone. The shared statements never put
 * one there; the scanner only makes sure a literal such as `'$1'` cannot turn into a parameter.
 *
 * @module store
 */

/** How a driver spells bound parameters. */
export type PlaceholderStyle = 'question' | 'dollar' | 'at';

/** A statement rewritten for one driver. */
export interface CompiledStatement {
  /** The SQL text in the driver's placeholder form. */
  text: string;
  /**
   * For each placeholder in text order, the 0-based index of the argument it takes (`$3` → 2).
   * For `question`, bind `order.map((i) => args[i])`; for the other styles it is informative.
   */
  order: number[];
  /** Highest placeholder number used (`$1…$n` → n): how many arguments the statement takes. */
  arity: number;
  /** True when `order` is 0, 1, 2, … arity−1: the arguments can be bound as given. */
  inOrder: boolean;
}

/**
 * Rewrite the `$n` placeholders of a statement into a driver's form.
 *
 * @param sql - statement text with `$1…$n` placeholders
 * @param style - the driver's placeholder form
 * @returns the rewritten text and how arguments map to placeholders
 * @throws {TypeError} when a placeholder is `$0` or has a leading zero
 * @example
 * ```ts
 * compilePlaceholders('UPDATE t SET a = $2 WHERE k = $1', 'question');
 * // → { text: 'UPDATE t SET a = ? WHERE k = ?', order: [1, 0], arity: 2, inOrder: false }
 * ```
 */
export function compilePlaceholders(sql: string, style: PlaceholderStyle): CompiledStatement {
  const order: number[] = [];
  let text = '';
  let quote: string | undefined;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (quote !== undefined) {
      text += c;
      i += 1;
      if (c !== quote) continue;
      // A doubled quote inside a quoted run is an escaped quote; the run continues.
      if (sql[i] === quote) {
        text += c;
        i += 1;
      } else {
        quote = undefined;
      }
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      text += c;
      i += 1;
      continue;
    }
    const m = c === '$' ? /^\$(\d+)/.exec(sql.slice(i, i + 12)) : null;
    if (m === null) {
      text += c;
      i += 1;
      continue;
    }
    const digits = m[1]!;
    if (digits.startsWith('0')) throw new TypeError(`bad placeholder "$${digits}" in SQL`);
    const n = Number(digits);
    order.push(n - 1);
    text += style === 'question' ? '?' : style === 'dollar' ? `$${n}` : `@p${n}`;
    i += m[0].length;
  }
  const arity = order.reduce((max, n) => Math.max(max, n + 1), 0);
  const inOrder = order.length === arity && order.every((n, k) => n === k);
  return { text, order, arity, inOrder };
}
