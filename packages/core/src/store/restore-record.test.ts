import { describe, expect, it } from '@jest/globals';
import {
  checkRestoreOptions,
  checkRestoreRecord,
  guardedLaststep,
  MAX_COUNTER,
} from './restore-record.js';
import type { UserRecord } from './user-store.js';

const record: UserRecord = {
  upn: '  Alice@Contoso.test ',
  secret: 'v2$600000$c2FsdA$abc',
  enabled: true,
  logon: 1,
  lastlogon: new Date('2026-05-01T10:00:00.123Z'),
  logoncount: 7,
  failedlogoncount: 1,
  failedlastlogon: null,
  failedcode: '0042',
  logonip: '192.0.2.1',
  useragent: 'ua',
  laststep: 59_000_000,
  email: 'a@contoso.test',
  mobile: null,
  created: new Date('2026-01-01T00:00:00.000Z'),
};

describe('checkRestoreRecord', () => {
  it('returns a normalised copy: UPN trimmed (case kept), fresh Dates', () => {
    const r = checkRestoreRecord(record);
    expect(r).toEqual({ ...record, upn: 'Alice@Contoso.test' });
    expect(r.lastlogon).not.toBe(record.lastlogon);
    expect(r.created).not.toBe(record.created);
  });

  it('sanitises failedcode like an input but keeps the stored markers', () => {
    const code = (failedcode: string): string | null =>
      checkRestoreRecord({ ...record, failedcode }).failedcode;
    expect(code('hunter2')).toBe('<non-numeric>');
    expect(code('12345678901')).toBe('<too-long>');
    expect(code('')).toBe('<empty>');
    expect(code('<too-long>')).toBe('<too-long>');
    expect(code('<wrong-length>')).toBe('<wrong-length>');
    expect(code('12345')).toBe('12345'); // a restore knows no code length: 1–10 digits are kept
    expect(code('<empty>')).toBe('<empty>');
    expect(code('<non-numeric>')).toBe('<non-numeric>');
    expect(code('<other>')).toBe('<non-numeric>');
  });

  it('bounds ip and user agent and drops control characters; empty profile strings become null', () => {
    const r = checkRestoreRecord({
      ...record,
      logonip: '\u0007 ::1 ',
      useragent: 'u'.repeat(600),
      email: '',
      mobile: '',
    });
    expect(r).toMatchObject({ logonip: '::1', email: null, mobile: null });
    expect(r.useragent).toHaveLength(512);
    expect(checkRestoreRecord({ ...record, logonip: ' \n' }).logonip).toBeNull();
  });

  it.each([
    ['upn', '""', ''],
    ['upn', 'a number', 42],
    ['secret', '""', ''],
    ['secret', '2049 characters', 's'.repeat(2049)],
    ['enabled', '1', 1],
    ['logon', 'true', true],
    ['lastlogon', 'an ISO text', '2026-01-01T00:00:00Z'],
    ['lastlogon', 'before 1970', new Date(-1)],
    ['failedlastlogon', 'after 9999', new Date(Date.UTC(10000, 0, 1))],
    ['created', 'null', null],
    ['logoncount', '1.5', 1.5],
    ['logoncount', '2^31', MAX_COUNTER + 1],
    ['failedlogoncount', '-1', -1],
    ['laststep', '-2', -2],
    ['laststep', '2^53', 2 ** 53],
    ['failedcode', 'a number', 42],
    ['logonip', 'a number', 1],
    ['useragent', 'an object', {}],
    ['email', '321 characters', 'e'.repeat(321)],
    ['mobile', 'a number', 5],
  ])('refuses %s = %s with a TypeError naming the field', (field, _label, value) => {
    let thrown: unknown;
    try {
      checkRestoreRecord({ ...record, [field]: value });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(new RegExp(`^"record\\.${field}" must be `));
  });

  it('never quotes the secret', () => {
    const secret = `${'s'.repeat(2049)}`;
    expect(() => checkRestoreRecord({ ...record, secret })).toThrow(
      /^"record\.secret" must be a non-empty string of at most 2048 characters$/,
    );
  });

  it('refuses what is not an object', () => {
    expect(() => checkRestoreRecord(null)).toThrow('"record" must be an object');
    expect(() => checkRestoreRecord('alice')).toThrow(TypeError);
  });
});

describe('checkRestoreOptions', () => {
  it('needs a boolean overwrite', () => {
    expect(checkRestoreOptions({ overwrite: true })).toEqual({ overwrite: true });
    expect(checkRestoreOptions({ overwrite: false })).toEqual({ overwrite: false });
    for (const bad of [undefined, null, {}, { overwrite: 'yes' }]) {
      expect(() => checkRestoreOptions(bad)).toThrow('"options.overwrite" must be a boolean');
    }
  });
});

describe('guardedLaststep', () => {
  it('keeps a higher stored step for the same secret only', () => {
    expect(guardedLaststep({ secret: 'a', laststep: 900 }, { secret: 'a', laststep: 500 })).toBe(
      900,
    );
    expect(guardedLaststep({ secret: 'a', laststep: 400 }, { secret: 'a', laststep: 500 })).toBe(
      500,
    );
    expect(guardedLaststep({ secret: 'a', laststep: 900 }, { secret: 'b', laststep: 500 })).toBe(
      500,
    );
    // Secrets compare exactly (base64 envelopes are case-sensitive).
    expect(guardedLaststep({ secret: 'A', laststep: 900 }, { secret: 'a', laststep: -1 })).toBe(-1);
  });
});
