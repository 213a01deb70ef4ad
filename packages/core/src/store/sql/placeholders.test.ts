import { describe, expect, it } from '@jest/globals';
import { compilePlaceholders } from './placeholders.js';

describe('compilePlaceholders', () => {
  const sql = 'UPDATE t SET a = $2, b = $3 WHERE k = $1 AND a < $2';

  it('rewrites $n to ? and records which argument each ? takes', () => {
    expect(compilePlaceholders(sql, 'question')).toEqual({
      text: 'UPDATE t SET a = ?, b = ? WHERE k = ? AND a < ?',
      order: [1, 2, 0, 1],
      arity: 3,
      inOrder: false,
    });
  });

  it('keeps $n for pg and writes @pn for tedious', () => {
    expect(compilePlaceholders(sql, 'dollar').text).toBe(sql);
    expect(compilePlaceholders(sql, 'at').text).toBe(
      'UPDATE t SET a = @p2, b = @p3 WHERE k = @p1 AND a < @p2',
    );
  });

  it('flags statements whose placeholders appear once each, in order', () => {
    expect(compilePlaceholders('SELECT $1, $2, $3', 'question')).toMatchObject({
      text: 'SELECT ?, ?, ?',
      inOrder: true,
      arity: 3,
    });
    expect(compilePlaceholders('SELECT 1', 'question')).toEqual({
      text: 'SELECT 1',
      order: [],
      arity: 0,
      inOrder: true,
    });
    expect(compilePlaceholders('SELECT $1, $1', 'question').inOrder).toBe(false);
  });

  it('handles multi-digit numbers: $10 is not $1 followed by 0', () => {
    const many = Array.from({ length: 11 }, (_, i) => `$${i + 1}`).join(',');
    const c = compilePlaceholders(many, 'at');
    expect(c.text.split(',').at(-2)).toBe('@p10');
    expect(c.arity).toBe(11);
    expect(c.inOrder).toBe(true);
  });

  it('leaves $n inside quoted strings and identifiers alone, including doubled quotes', () => {
    const c = compilePlaceholders(
      `SELECT '$1', 'it''s $2', "col$3" FROM t WHERE a = $1`,
      'question',
    );
    expect(c.text).toBe(`SELECT '$1', 'it''s $2', "col$3" FROM t WHERE a = ?`);
    expect(c.order).toEqual([0]);
  });

  it('rejects $0 and leading zeros', () => {
    expect(() => compilePlaceholders('SELECT $0', 'question')).toThrow(TypeError);
    expect(() => compilePlaceholders('SELECT $01', 'dollar')).toThrow(/bad placeholder/);
  });

  it('leaves a lone $ alone', () => {
    expect(compilePlaceholders("SELECT '$' || $1, x$", 'question').text).toBe(
      "SELECT '$' || ?, x$",
    );
  });
});
