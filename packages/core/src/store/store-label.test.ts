import { describe, expect, it } from '@jest/globals';
import { storeLabel } from './store-label.js';

describe('storeLabel', () => {
  it('names each backend without secrets', () => {
    expect(storeLabel({ kind: 'sqlite', path: '/var/lib/securemfa/otp.db' })).toBe(
      'sqlite /var/lib/securemfa/otp.db',
    );
    expect(storeLabel({ kind: 'memory' })).toBe('memory');
    expect(
      storeLabel({ kind: 'postgres', connectionString: 'postgres://u:s3cret@db1:5433/otp?ssl=1' }),
    ).toBe('postgres db1:5433/otp');
    expect(
      storeLabel({
        kind: 'postgres',
        connectionString: "host=db1 port=5433 dbname=otp user=u password='s3 cret'",
      }),
    ).toBe('postgres db1:5433/otp');
    expect(storeLabel({ kind: 'postgres', connectionString: 'password=s3cret' })).toBe('postgres');
    expect(storeLabel({ kind: 'mssql', server: 'sql1,1433', database: 'SecureMfaOTP' })).toBe(
      'mssql sql1,1433/SecureMfaOTP',
    );
    expect(
      storeLabel({
        kind: 'ad',
        url: 'ldaps://dc1.contoso.com',
        baseDn: 'DC=contoso,DC=com',
        bindDn: 'x',
        bindPassword: 's3cret',
      }),
    ).toBe('ad ldaps://dc1.contoso.com DC=contoso,DC=com');
  });

  it('never repeats a password, whatever the connection string looks like', () => {
    for (const cs of [
      'postgres://u:s3cret@h/d',
      'host=h password=s3cret dbname=d',
      "password='s3cret' host=h",
      's3cret',
      'postgresql://h/d?password=s3cret',
    ]) {
      expect(storeLabel({ kind: 'postgres', connectionString: cs })).not.toContain('s3cret');
    }
  });
});
