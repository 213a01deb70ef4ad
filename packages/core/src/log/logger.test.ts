import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import winston from 'winston';
import { EventId } from './events.js';
import { createLogger } from './logger.js';
import { MASK, createRedactor, isSecretFieldName } from './redact.js';

function capture(verbose = false, secrets: string[] = []) {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
  });
  const log = createLogger({
    source: 'test-source',
    console: false,
    verbose,
    secrets,
    transports: [new winston.transports.Stream({ stream })],
  });
  return { log, lines, flush: () => new Promise((r) => setImmediate(r)) };
}

describe('createLogger', () => {
  it('writes JSON records with the event ID, source, outcome, upn and ip', async () => {
    const { log, lines, flush } = capture();
    log.event(EventId.OtpSuccess, 'OTP accepted', { upn: 'alice@adatum.labnet', ip: '127.0.0.1' });
    log.event(EventId.OtpFailure, 'OTP rejected', {
      upn: 'bob@adatum.labnet',
      reason: 'invalid_code',
    });
    await flush();
    expect(lines[0]).toMatchObject({
      eventId: 5556,
      outcome: 'success',
      source: 'test-source',
      upn: 'alice@adatum.labnet',
      ip: '127.0.0.1',
      message: 'OTP accepted',
      level: 'info',
    });
    expect(typeof lines[0]?.timestamp).toBe('string');
    expect(lines[1]).toMatchObject({
      eventId: 5557,
      outcome: 'failure',
      level: 'warn',
      reason: 'invalid_code',
    });
  });

  it('writes debug records only with verboselog', async () => {
    const quiet = capture(false);
    quiet.log.debug('details');
    await quiet.flush();
    expect(quiet.lines).toHaveLength(0);
    const loud = capture(true);
    loud.log.debug('details');
    await loud.flush();
    expect(loud.lines[0]).toMatchObject({ level: 'debug', message: 'details' });
  });

  it('never writes secrets or codes, even with verboselog', async () => {
    const pass = 'd9GhT=7=Ox8-+LaZ';
    const { log, lines, flush } = capture(true, [pass]);
    log.debug(`binding with ${pass}`, {
      code: '123456',
      failedcode: '654321',
      smtp_password: 'hunter22',
      headers: { 'x-api-key': 'abc', Authorization: 'Bearer zzzzzz' },
      nested: [{ passphrase: pass }],
    });
    log.child({ upn: 'a@b.c' }).error(new Error(`decrypt with ${pass}`).message);
    await flush();
    const text = JSON.stringify(lines);
    for (const s of [pass, '123456', '654321', 'hunter22', 'zzzzzz']) expect(text).not.toContain(s);
    expect(lines[0]).toMatchObject({ code: MASK, failedcode: MASK, smtp_password: MASK });
    expect(lines[1]).toMatchObject({ upn: 'a@b.c', message: `decrypt with ${MASK}` });
  });
});

describe('redaction', () => {
  it('recognises secret field names in any spelling', () => {
    for (const k of [
      'password',
      'smtp_password',
      'data_encryption_passphrase',
      'api_headers_value',
      'Authorization',
      'adapter-api-key',
      'code',
      'otp',
      'ldap_bind_password',
      'data_encryption_legacy_salt',
    ])
      expect([k, isSecretFieldName(k)]).toEqual([k, true]);
    for (const k of ['upn', 'ip', 'eventId', 'reason', 'smtp_server', 'api_headers_key'])
      expect([k, isSecretFieldName(k)]).toEqual([k, false]);
  });

  it('removes a registered secret from any string it is embedded in', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 40 }).filter((s) => s.trim().length >= 6),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          const r = createRedactor([secret]);
          return !r.redactString(`${before}${secret.trim()}${after}`).includes(secret.trim());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps ordinary fields and handles cycles without throwing', () => {
    const r = createRedactor();
    const o: Record<string, unknown> = { upn: 'x', n: 1 };
    o.self = o;
    expect(r.redact(o)).toMatchObject({ upn: 'x', n: 1, self: '[…]' });
  });
});
