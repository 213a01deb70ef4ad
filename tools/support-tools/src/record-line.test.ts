import { describe, expect, it } from '@jest/globals';
import { parseRecordLine, recordLine, RECORD_FIELDS } from './record-line.js';

const record = {
  upn: 'Alice@Contoso.com',
  secret: 'JBSWY3DPEHPK3PXP',
  enabled: false,
  logon: 1 as const,
  lastlogon: new Date('2026-06-01T11:30:00.000Z'),
  logoncount: 12,
  failedlogoncount: 2,
  failedlastlogon: new Date('2026-06-01T11:40:00.000Z'),
  failedcode: '123456',
  logonip: '192.0.2.7',
  useragent: 'ua',
  laststep: 59_333_340,
  email: 'a@contoso.com',
  mobile: null,
  created: new Date('2026-01-02T08:00:00.000Z'),
};

describe('recordLine / parseRecordLine', () => {
  it('writes the fields in the documented order and reads back the same values', () => {
    const line = recordLine(record, record.secret);
    expect(Object.keys(JSON.parse(line) as object)).toEqual([...RECORD_FIELDS]);
    const parsed = parseRecordLine(line);
    expect(parsed).toEqual({ ok: true, record: { ...record, secretFormat: 'plain' } });
  });

  it('needs only upn and secret; the rest defaults', () => {
    expect(parseRecordLine('{"upn":"a@x","secret":"JBSWY3DPEHPK3PXP"}')).toEqual({
      ok: true,
      record: {
        upn: 'a@x',
        secret: 'JBSWY3DPEHPK3PXP',
        secretFormat: 'plain',
        enabled: true,
        logon: 0,
        lastlogon: null,
        logoncount: 0,
        failedlogoncount: 0,
        failedlastlogon: null,
        failedcode: null,
        logonip: null,
        useragent: null,
        laststep: -1,
        email: null,
        mobile: null,
        created: null,
      },
    });
  });

  it('names every problem of a line, never quoting the secret', () => {
    const r = parseRecordLine(
      JSON.stringify({
        upn: '',
        secret: 'topsecret!',
        logon: 2,
        laststep: -5,
        created: 'yesterday',
        extra: 1,
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      expect.stringContaining('unknown field "extra"'),
      '"upn" must be a non-empty string of at most 1024 characters, got ""',
      '"secret" is in no known format (expected base32, a v2$ envelope or legacy base64)',
      '"logon" must be 0 or 1, got 2',
      '"laststep" must be an integer ≥ -1, got -5',
      '"created" must be an ISO 8601 time from 1970 on, or null, got "yesterday"',
    ]);
    expect(r.problems.join(' ')).not.toContain('topsecret');
  });

  it('bounds what every store can hold: secret, e-mail, mobile, counters and times', () => {
    const r = parseRecordLine(
      JSON.stringify({
        upn: 'a@contoso.com',
        secret: 'A'.repeat(2049),
        email: `${'e'.repeat(314)}@x.test`,
        mobile: '1'.repeat(65),
        logoncount: 2 ** 31,
        failedlogoncount: 2_147_483_647,
        lastlogon: '1969-12-31T23:59:59.000Z',
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      '"secret" must be a non-empty string of at most 2048 characters',
      '"lastlogon" must be an ISO 8601 time from 1970 on, or null, got "1969-12-31T23:59:59.000Z"',
      '"logoncount" must be an integer from 0 to 2147483647, got 2147483648',
      expect.stringMatching(/^"email" must be a string of at most 320 characters, got /),
      expect.stringMatching(/^"mobile" must be a string of at most 64 characters, got /),
    ]);
  });

  it('rejects text that is not a JSON object', () => {
    expect(parseRecordLine('[1,2]')).toEqual({
      ok: false,
      problems: ['expected a JSON object (one user record)'],
    });
    const bad = parseRecordLine('{"upn":');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]).toMatch(/^not JSON \(/);
  });
});
