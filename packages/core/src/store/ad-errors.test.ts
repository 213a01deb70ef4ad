import { describe, expect, it } from '@jest/globals';
import {
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  ObjectClassViolationError,
  StrongAuthRequiredError,
  UndefinedTypeError,
  UnwillingToPerformError,
} from 'ldapts';
import { DirectoryError, StoreError } from '../errors.js';
import { classifyLdapError, ldapResultCode, toDirectoryError, toStoreError } from './ad-errors.js';

const ctx = { server: 'dc1.contoso.com:636', operation: 'enrol' };
const errno = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('classifyLdapError', () => {
  it('invalid credentials (49): the bind hint names ldap_bind_dn / ldap_bind_password', () => {
    const f = classifyLdapError(
      new InvalidCredentialsError('80090308: LdapErr: DSID-0C09044E, data 52e'),
      ctx,
    );
    expect(f).toMatchObject({ problem: 'bind', resultCode: 49 });
    expect(f.message).toBe('LDAP bind to dc1.contoso.com:636 failed: invalid credentials (49)');
    expect(f.hint).toContain('bind failed: check ldap_bind_dn / ldap_bind_password');
  });

  it('insufficient access (50): a "no write access" hint', () => {
    const f = classifyLdapError(new InsufficientAccessError(), ctx);
    expect(f).toMatchObject({ problem: 'access', resultCode: 50 });
    expect(f.hint).toContain('no write access');
  });

  it.each([
    ['undefined attribute type (17)', new UndefinedTypeError()],
    ['object class violation (65)', new ObjectClassViolationError()],
  ])('%s: a schema problem with a hint to run the ad-schema extension', (_label, err) => {
    const f = classifyLdapError(err, ctx);
    expect(f.problem).toBe('schema');
    expect(f.hint).toContain('ad-schema');
  });

  it('stronger authentication required (8): use LDAPS or StartTLS', () => {
    expect(classifyLdapError(new StrongAuthRequiredError(), ctx)).toMatchObject({
      problem: 'strong-auth',
      hint: expect.stringContaining('ldaps://'),
    });
  });

  it('no such object (32): check ldap_base_dn', () => {
    expect(classifyLdapError(new NoSuchObjectError(), ctx).hint).toContain('ldap_base_dn');
  });

  it('other result codes name the code', () => {
    const f = classifyLdapError(new UnwillingToPerformError('00002035: nope'), ctx);
    expect(f).toMatchObject({ problem: 'other', resultCode: 53 });
    expect(f.message).toContain('LDAP result 53');
  });

  it.each(['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'ECONNRESET'])(
    '%s: unreachable, naming the server',
    (code) => {
      const f = classifyLdapError(errno(code, `connect ${code} 10.0.0.1:636`), ctx);
      expect(f.problem).toBe('unreachable');
      expect(f.message).toContain('dc1.contoso.com:636');
    },
  );

  it.each([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
  ])('%s: a TLS problem pointing at ldap_tls_ca_file', (code) => {
    const f = classifyLdapError(errno(code), ctx);
    expect(f.problem).toBe('tls');
    expect(f.message).toContain(code);
    expect(f.hint).toContain('ldap_tls_ca_file');
  });

  it('timeouts (ldapts "Operation timed out", "Connection timeout") are timeouts', () => {
    expect(classifyLdapError(new Error('BindRequest: Operation timed out'), ctx).problem).toBe(
      'timeout',
    );
    expect(classifyLdapError(new Error('Connection timeout'), ctx).problem).toBe('timeout');
  });

  it('a closed socket is "unreachable"', () => {
    const err = new Error(
      'Connection closed before message response was received. Message type: SearchRequest (0x63)',
    );
    expect(classifyLdapError(err, ctx).problem).toBe('unreachable');
  });

  it('reads the result code only from LDAP answers', () => {
    expect(ldapResultCode(new InsufficientAccessError())).toBe(50);
    expect(ldapResultCode(errno('ECONNREFUSED'))).toBeUndefined();
  });
});

describe('toStoreError / toDirectoryError', () => {
  it('schema problems become ERR_STORE_SCHEMA, the rest ERR_STORE_UNAVAILABLE, with cause and hint', () => {
    const schema = toStoreError(new UndefinedTypeError(), ctx);
    expect(schema).toBeInstanceOf(StoreError);
    expect(schema).toMatchObject({ code: 'ERR_STORE_SCHEMA', status: 503 });
    const bind = new InvalidCredentialsError();
    const wrapped = toStoreError(bind, ctx);
    expect(wrapped).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', cause: bind });
    expect(wrapped.hint).toContain('ldap_bind_password');
  });

  it('passes SecureMFA errors through unchanged', () => {
    const own = new StoreError('ERR_STORE_NOT_FOUND', 'x');
    expect(toStoreError(own, ctx)).toBe(own);
    expect(toDirectoryError(own, ctx)).toBe(own);
  });

  it('directory errors are DirectoryError ERR_DIRECTORY_UNAVAILABLE; access problems get a read hint', () => {
    const err = toDirectoryError(new InsufficientAccessError(), ctx);
    expect(err).toBeInstanceOf(DirectoryError);
    expect(err).toMatchObject({
      code: 'ERR_DIRECTORY_UNAVAILABLE',
      hint: expect.stringContaining('read access'),
    });
  });

  it('never puts the bind password in a message', () => {
    const err = toStoreError(new InvalidCredentialsError('bad password hunter2'), ctx);
    expect(err.message).not.toContain('hunter2');
  });
});
