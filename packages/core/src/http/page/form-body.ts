/**
 * `application/x-www-form-urlencoded` bodies for the hosted page's plain HTML forms, parsed with
 * `URLSearchParams` (WHATWG) inside fastify's body limit — no extra dependency. Registered in the
 * page's own encapsulated context, so other routes keep refusing form bodies.
 *
 * @see https://url.spec.whatwg.org/#application/x-www-form-urlencoded
 * @module http
 */
import type { FastifyInstance } from 'fastify';
import { RequestError } from '../../errors.js';

/** The media type of an HTML form post. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
/** Most fields a form body may have (ours have seven). */
export const MAX_FORM_FIELDS = 32;

/** A parsed form: the first value of each field (a repeated field keeps its first value). */
export type FormFields = Readonly<Record<string, string>>;

/**
 * Parse a form body.
 *
 * @param body - the raw body text
 * @returns field → first value (prototype-free object)
 * @throws {RequestError} 400 when the body has more than {@link MAX_FORM_FIELDS} fields
 * @example
 * ```ts
 * parseFormBody('code=123456&action=verify'); // { code: '123456', action: 'verify' }
 * ```
 */
export function parseFormBody(body: string): FormFields {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  let count = 0;
  for (const [name, value] of new URLSearchParams(body)) {
    count += 1;
    if (count > MAX_FORM_FIELDS) {
      throw new RequestError('ERR_REQUEST_INVALID', 400, 'invalid_request', 'too many form fields');
    }
    if (!(name in fields)) fields[name] = value;
  }
  return fields;
}

/**
 * Add the form parser to an (encapsulated) fastify context, unless one is already there.
 *
 * @param app - the fastify context of the page's routes
 * @param bodyLimit - largest body in bytes (default: the instance's bodyLimit); larger is a 413
 */
export function registerFormBodyParser(app: FastifyInstance, bodyLimit?: number): void {
  if (app.hasContentTypeParser(FORM_CONTENT_TYPE)) return;
  app.addContentTypeParser(
    FORM_CONTENT_TYPE,
    { parseAs: 'string', ...(bodyLimit === undefined ? {} : { bodyLimit }) },
    (_request, body, done) => {
      try {
        done(null, parseFormBody(typeof body === 'string' ? body : body.toString('utf8')));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
}

/**
 * Read one text field of a parsed form, bounded.
 *
 * @param body - the request body (a {@link FormFields} when the form parser ran)
 * @param name - the field
 * @param maxLength - longest accepted value
 * @returns the value, or undefined when absent
 * @throws {RequestError} 400 when the value is longer than `maxLength`
 */
export function formField(body: unknown, name: string, maxLength: number): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  if (typeof value !== 'string') return undefined;
  if (value.length > maxLength) {
    throw new RequestError(
      'ERR_REQUEST_INVALID',
      400,
      'invalid_request',
      `form field "${name}" is too long`,
    );
  }
  return value;
}

/**
 * Refuse a post that is not an HTML form (JSON, multipart …): the page's handlers read form
 * fields only.
 *
 * @param contentType - the request's Content-Type header
 * @throws {RequestError} 415 for any other media type
 */
export function requireFormPost(contentType: string | undefined): void {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== FORM_CONTENT_TYPE) {
    throw new RequestError(
      'ERR_REQUEST_INVALID',
      415,
      'invalid_request',
      'expected an HTML form post',
    );
  }
}
