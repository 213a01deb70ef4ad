import { describe, expect, it } from '@jest/globals';
import {
  ChannelError,
  ConfigError,
  ERROR_CODES,
  RequestError,
  SecureMfaError,
  StoreError,
  isSecureMfaError,
} from './errors.js';

describe('SecureMfaError', () => {
  it('derives name from the subclass and keeps code, status, exit code and hint', () => {
    const err = new StoreError('ERR_STORE_UNAVAILABLE', 'store down', { hint: 'start it' });
    expect(err).toBeInstanceOf(SecureMfaError);
    expect(err.name).toBe('StoreError');
    expect(err.code).toBe('ERR_STORE_UNAVAILABLE');
    expect(err.status).toBe(503);
    expect(err.exitCode).toBe(1);
    expect(err.hint).toBe('start it');
  });

  it('gives configuration errors exit code 2 and carries the issues', () => {
    const issue = { file: 'a.json', key: 'smtp_port', message: 'smtp_port: bad' };
    const err = new ConfigError('ERR_CONFIG_INVALID', 'bad config', {
      file: 'a.json',
      issues: [issue],
    });
    expect(err.exitCode).toBe(2);
    expect(err.issues).toEqual([issue]);
    expect(err.file).toBe('a.json');
  });

  it('keeps the cause for the debug log', () => {
    const cause = new Error('ECONNREFUSED');
    const err = new ChannelError('ERR_CHANNEL_UNREACHABLE', 'smtp unreachable', { cause });
    expect(err.cause).toBe(cause);
    expect(err.status).toBe(502);
    expect(new ChannelError('ERR_CHANNEL_TIMEOUT', 't').status).toBe(504);
  });

  it('maps request errors to their HTTP status and snake_case error', () => {
    const err = new RequestError('ERR_UNAUTHORIZED', 401, 'invalid_token', 'bad bearer');
    expect([err.status, err.error, err.code]).toEqual([401, 'invalid_token', 'ERR_UNAUTHORIZED']);
  });

  it('isSecureMfaError narrows by code', () => {
    const err = new StoreError('ERR_STORE_CONFLICT', 'x');
    expect(isSecureMfaError(err)).toBe(true);
    expect(isSecureMfaError(err, 'ERR_STORE_CONFLICT')).toBe(true);
    expect(isSecureMfaError(err, 'ERR_STORE_SCHEMA')).toBe(false);
    expect(isSecureMfaError(new Error('x'))).toBe(false);
  });

  it('lists every code once', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(ERROR_CODES.every((c) => /^ERR_[A-Z]+(_[A-Z]+)*$/.test(c))).toBe(true);
  });
});
