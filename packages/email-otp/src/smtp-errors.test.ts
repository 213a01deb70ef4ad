import { describe, expect, it } from '@jest/globals';
import { ChannelError, t } from '@securemfa/core';
import { domainNotAllowedError, smtpError } from './smtp-errors.js';

const CTX = { server: 'smtp.adatum.labnet:587', timeoutMs: 1500 };

/** A nodemailer-shaped error (code, responseCode, command, response). */
function nm(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message ?? fields.response ?? 'boom')), fields);
}

describe('smtpError: nodemailer errors → stable ChannelError codes', () => {
  it('EAUTH → ERR_CHANNEL_AUTH "authentication failed", quoting the reply', () => {
    const e = smtpError(
      nm({ code: 'EAUTH', responseCode: 535, response: '535 Invalid username or password' }),
      CTX,
    );
    expect(e).toBeInstanceOf(ChannelError);
    expect(e.code).toBe('ERR_CHANNEL_AUTH');
    expect(e.message).toBe(
      'smtp smtp.adatum.labnet:587: authentication failed (535 Invalid username or password)',
    );
    expect(e.hint).toBe('check smtp_username and smtp_password');
    expect(e.userMessage).toBeUndefined(); // the user sees the generic "could not send"
  });

  it('530 without TLS wording → the server requires authentication', () => {
    const e = smtpError(
      nm({ code: 'EENVELOPE', responseCode: 530, response: '530 Error: authentication Required' }),
      CTX,
    );
    expect(e.code).toBe('ERR_CHANNEL_AUTH');
    expect(e.message).toMatch(/requires authentication/);
    expect(e.hint).toMatch(/set smtp_username and smtp_password/);
  });

  it('530 asking for STARTTLS → the server requires TLS', () => {
    const e = smtpError(
      nm({
        code: 'EENVELOPE',
        responseCode: 530,
        response: '530 5.7.0 Must issue a STARTTLS command first',
      }),
      CTX,
    );
    expect(e.code).toBe('ERR_CHANNEL_UNREACHABLE');
    expect(e.message).toMatch(/requires TLS/);
    expect(e.hint).toMatch(/smtp_enablessl true/);
  });

  it('our own deadline (TimeoutError, AbortError, EABORT) → ERR_CHANNEL_TIMEOUT naming smtp_timeout_ms', () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), {
      name: 'TimeoutError',
    });
    for (const err of [
      timeout,
      nm({ code: 'EABORT', cause: timeout }),
      nm({ name: 'AbortError' }),
    ]) {
      const e = smtpError(err, CTX);
      expect(e.code).toBe('ERR_CHANNEL_TIMEOUT');
      expect(e.message).toBe(
        'smtp smtp.adatum.labnet:587: no answer within 1500 ms (smtp_timeout_ms)',
      );
    }
  });

  it('ETIMEDOUT (greeting never received) → ERR_CHANNEL_TIMEOUT with a port hint', () => {
    const e = smtpError(nm({ code: 'ETIMEDOUT', message: 'Greeting never received' }), CTX);
    expect(e.code).toBe('ERR_CHANNEL_TIMEOUT');
    expect(e.message).toBe('smtp smtp.adatum.labnet:587: timed out (Greeting never received)');
    expect(e.hint).toMatch(/465 is implicit TLS/);
  });

  it('a refused recipient → ERR_CHANNEL_REJECTED, masked, with a message for the user', () => {
    const e = smtpError(
      nm({
        code: 'EENVELOPE',
        command: 'RCPT TO',
        responseCode: 550,
        response: '550 5.1.1 <bob.jones@example.com>: Recipient address rejected',
      }),
      { ...CTX, recipient: 'b***@example.com', lang: 'de' },
    );
    expect(e.code).toBe('ERR_CHANNEL_REJECTED');
    expect(e.message).toBe(
      'smtp smtp.adatum.labnet:587: recipient b***@example.com refused (550 5.1.1 <b***@example.com>: Recipient address rejected)',
    );
    expect(e.message).not.toContain('bob.jones');
    expect(e.userMessage).toBe(t('de', 'outcome.recipient_rejected'));
  });

  it('a refused sender or message → ERR_CHANNEL_REJECTED with an operator hint, no user message', () => {
    const sender = smtpError(
      nm({ code: 'EENVELOPE', command: 'MAIL FROM', response: '553 sender not allowed' }),
      CTX,
    );
    expect(sender.message).toMatch(/sender refused/);
    expect(sender.hint).toMatch(/smtp_mailfrom/);
    expect(sender.userMessage).toBeUndefined();
    const message = smtpError(nm({ code: 'EMESSAGE', response: '554 spam' }), CTX);
    expect(message.message).toMatch(/message refused \(554 spam\)/);
  });

  it.each([
    [{ code: 'ETLS', message: 'unable to verify the first certificate' }, /TLS failed/],
    [{ code: 'ESOCKET', message: 'self-signed certificate in certificate chain' }, /TLS failed/],
    [{ code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:25' }, /cannot connect/],
    [{ code: 'EDNS', message: 'getaddrinfo ENOTFOUND smtp.nowhere' }, /host not found/],
    [{ code: 'EPROTOCOL', message: 'Invalid greeting' }, /the answer is not SMTP/],
    [{ message: 'something else' }, /cannot connect \(something else\)/],
  ])('%o → ERR_CHANNEL_UNREACHABLE %s', (fields, text) => {
    const e = smtpError(nm(fields), CTX);
    expect(e.code).toBe('ERR_CHANNEL_UNREACHABLE');
    expect(e.message).toMatch(text);
    expect(e.hint).toEqual(expect.any(String));
  });

  it('one line, bounded: a long multi-line reply is collapsed and cut', () => {
    const e = smtpError(nm({ code: 'ECONNECTION', message: `line one\n${'x'.repeat(500)}` }), CTX);
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeLessThan(300);
    expect(e.message.endsWith('…)')).toBe(true);
  });

  it('a ChannelError passes through unchanged; non-errors are handled', () => {
    const own = new ChannelError('ERR_CHANNEL_REJECTED', 'already mapped');
    expect(smtpError(own, CTX)).toBe(own);
    expect(smtpError('plain string', CTX).code).toBe('ERR_CHANNEL_UNREACHABLE');
    expect(smtpError(undefined, CTX).code).toBe('ERR_CHANNEL_UNREACHABLE');
  });
});

describe('domainNotAllowedError', () => {
  it('ERR_CHANNEL_REJECTED naming the key, with the user message in the user’s language', () => {
    const e = domainNotAllowedError('e***@evil-mydomain.org', 'ar');
    expect(e.code).toBe('ERR_CHANNEL_REJECTED');
    expect(e.message).toBe(
      'recipient e***@evil-mydomain.org: its domain is not in ui_allowed_domains_for_otpcode',
    );
    expect(e.userMessage).toBe(t('ar', 'outcome.domain_not_allowed'));
  });
});
