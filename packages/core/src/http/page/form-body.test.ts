import { describe, expect, it } from '@jest/globals';
import { formField, MAX_FORM_FIELDS, parseFormBody, requireFormPost } from './form-body.js';

describe('parseFormBody', () => {
  it('decodes fields (+ and %XX) and keeps the first of repeated fields', () => {
    const f = parseFormBody('code=123+456&request=a.b.c&x=%3Cy%3E&code=999999');
    expect(f).toEqual({ code: '123 456', request: 'a.b.c', x: '<y>' });
  });

  it('has no prototype, so __proto__ is just a field', () => {
    const f = parseFormBody('__proto__=x&constructor=y');
    expect(Object.getPrototypeOf(f)).toBeNull();
    expect(f.__proto__).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses more than the maximum number of fields with a 400 RequestError', () => {
    const body = Array.from({ length: MAX_FORM_FIELDS + 1 }, (_, i) => `f${i}=1`).join('&');
    expect(() => parseFormBody(body)).toThrow(
      expect.objectContaining({ code: 'ERR_REQUEST_INVALID', status: 400 }),
    );
  });
});

describe('formField', () => {
  it('returns a bounded string field or undefined', () => {
    expect(formField({ a: 'x' }, 'a', 5)).toBe('x');
    expect(formField({ a: ['x'] }, 'a', 5)).toBeUndefined();
    expect(formField(undefined, 'a', 5)).toBeUndefined();
    expect(() => formField({ a: 'toolong' }, 'a', 5)).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});

describe('requireFormPost', () => {
  it('accepts an HTML form post with a charset and refuses JSON with 415', () => {
    expect(() => requireFormPost('application/x-www-form-urlencoded; charset=UTF-8')).not.toThrow();
    expect(() => requireFormPost('application/json')).toThrow(
      expect.objectContaining({ status: 415 }),
    );
    expect(() => requireFormPost(undefined)).toThrow(expect.objectContaining({ status: 415 }));
  });
});
