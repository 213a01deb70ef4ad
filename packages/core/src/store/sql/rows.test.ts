import { describe, expect, it } from '@jest/globals';
import { mssqlDialect, postgresDialect, sqliteDialect } from './dialect.js';
import { RECORD_COLUMNS, rowToRecord, rowToRegistration } from './rows.js';

const t = new Date('2026-03-01T08:00:00.000Z');

describe('rowToRecord', () => {
  it('maps a SQLite row (0/1 flags, millisecond integers) to a record', () => {
    const row = [
      'Ann@X.test',
      'SECRET',
      1,
      0,
      t.getTime(),
      3,
      2,
      null,
      '<non-numeric>',
      '::1',
      'ua',
      59_000_000,
      null,
      '+1555',
      t.getTime(),
    ];
    expect(row).toHaveLength(RECORD_COLUMNS.length);
    expect(rowToRecord(row, sqliteDialect)).toEqual({
      upn: 'Ann@X.test',
      secret: 'SECRET',
      enabled: true,
      logon: 0,
      lastlogon: t,
      logoncount: 3,
      failedlogoncount: 2,
      failedlastlogon: null,
      failedcode: '<non-numeric>',
      logonip: '::1',
      useragent: 'ua',
      laststep: 59_000_000,
      email: null,
      mobile: '+1555',
      created: t,
    });
  });

  it('maps PostgreSQL values (booleans, BIGINT as string, Date) and MS SQL values', () => {
    const pg = ['a', 's', true, 1, t, '7', '0', t, null, null, null, '123456789012', null, null, t];
    expect(rowToRecord(pg, postgresDialect)).toMatchObject({
      enabled: true,
      logon: 1,
      logoncount: 7,
      laststep: 123_456_789_012,
      lastlogon: t,
      failedlastlogon: t,
    });
    const ms = ['a', 's', false, 0, null, 0, 0, null, null, null, null, -1, null, null, t];
    expect(rowToRecord(ms, mssqlDialect)).toMatchObject({ enabled: false, logon: 0, laststep: -1 });
  });

  it('hands out fresh Date objects, not the driver’s', () => {
    const created = new Date(t);
    const rec = rowToRecord(
      ['a', 's', 1, 0, null, 0, 0, null, null, null, null, -1, null, null, created],
      postgresDialect,
    );
    rec.created.setTime(0);
    expect(created.getTime()).toBe(t.getTime());
  });

  it('reads bigint columns', () => {
    const row = ['a', 's', 1n, 1n, 5n, 5n, 0n, null, null, null, null, 9n, null, null, 10n];
    expect(rowToRecord(row, sqliteDialect)).toMatchObject({
      enabled: true,
      logon: 1,
      laststep: 9,
      lastlogon: new Date(5),
      created: new Date(10),
    });
  });
});

describe('rowToRegistration', () => {
  it('maps a providers row', () => {
    expect(rowToRegistration(['qr-otp', '0.1.0', 'ab', t.getTime()], sqliteDialect)).toEqual({
      provider: 'qr-otp',
      version: '0.1.0',
      fingerprint: 'ab',
      updated: t,
    });
  });
});
