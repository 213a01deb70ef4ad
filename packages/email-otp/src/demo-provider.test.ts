import { describe, expect, it } from '@jest/globals';
import { createSilentLogger, parseConfig, type EmailOtpConfig } from '@securemfa/core';
import { emailOtpProvider } from './definition.js';
import { createDemoMailbox, createDemoMailboxChannel } from './demo-mailbox.js';
import { renderDemoMailbox } from './demo-mailbox-page.js';
import { createDemoEmailProvider, isDemoServe, providerFor } from './demo-provider.js';

const config = (json: Record<string, unknown> = {}): EmailOtpConfig =>
  parseConfig('email-otp', json).config;
const context = (c: EmailOtpConfig) => ({
  config: c,
  logger: createSilentLogger(),
  clock: () => new Date('2026-03-14T13:00:00Z'),
});

describe('isDemoServe / providerFor', () => {
  it('only `serve … --demo` gets the demo provider', () => {
    expect(isDemoServe(['node', 'bin', 'serve', '--demo'])).toBe(true);
    expect(isDemoServe(['node', 'bin', 'serve', '--port', '0', '--demo'])).toBe(true);
    expect(isDemoServe(['node', 'bin', 'serve'])).toBe(false);
    expect(isDemoServe(['node', 'bin', 'verify', '--demo'])).toBe(false);
    expect(providerFor(['node', 'bin', 'verify'])).toBe(emailOtpProvider);
    expect(providerFor(['node', 'bin', 'serve', '--demo'])).not.toBe(emailOtpProvider);
  });
});

describe('createDemoEmailProvider', () => {
  it('no smtp_server: the demo mailbox channel and the /demo/mailbox page', async () => {
    const demo = createDemoEmailProvider();
    const c = config();
    const channel = await demo.createChannel(context(c));
    expect(channel).toMatchObject({ mode: 'send', name: 'demo-mailbox' });
    expect(demo.hostExtensions?.(context(c))).toHaveLength(1);
    expect(demo.id).toBe('email-otp');
  });

  it('smtp_server set: the real SMTP channel, no mailbox page', async () => {
    const demo = createDemoEmailProvider();
    const c = config({ smtp_server: 'smtp.adatum.labnet' });
    const channel = await demo.createChannel(context(c));
    try {
      expect(channel).toMatchObject({ mode: 'send', name: 'smtp' });
      expect(demo.hostExtensions?.(context(c))).toEqual([]);
    } finally {
      if (channel.mode === 'send') await channel.close();
    }
  });
});

describe('the demo mailbox', () => {
  it('keeps the newest mails, bounded', () => {
    const box = createDemoMailbox(2);
    for (const n of [1, 2, 3]) {
      box.add({ to: `u${n}@x.test`, subject: 's', text: 't', html: 'h', at: new Date() });
    }
    expect(box.mails.map((m) => m.to)).toEqual(['u3@x.test', 'u2@x.test']);
    expect(() => createDemoMailbox(0)).toThrow(RangeError);
  });

  it('its channel writes the real code e-mail and applies the allowed domains', async () => {
    const box = createDemoMailbox();
    const channel = createDemoMailboxChannel({
      config: config({ ui_customization: 'true', ui_allowed_domains_for_otpcode: 'demo.test' }),
      logger: createSilentLogger(),
      mailbox: box,
      mailboxPath: '/demo/mailbox',
    });
    const msg = {
      upn: 'alice@demo.test',
      to: 'alice@demo.test',
      code: '123456',
      validUntil: new Date('2026-03-14T13:07:00Z'),
      lang: 'de',
      attributes: {},
    };
    expect(await channel.deliver(msg, AbortSignal.timeout(1000))).toEqual({
      destination: 'a***@demo.test',
    });
    expect(box.mails[0]).toMatchObject({ to: 'alice@demo.test', subject: 'Ihr Anmeldecode' });
    expect(box.mails[0]!.text).toContain('123456');
    await expect(
      channel.deliver({ ...msg, to: 'eve@evil-demo.test' }, AbortSignal.timeout(1000)),
    ).rejects.toMatchObject({ code: 'ERR_CHANNEL_REJECTED' });
    expect(box.mails).toHaveLength(1);
  });

  it('the page escapes what it shows and says when it is empty', () => {
    const box = createDemoMailbox();
    expect(renderDemoMailbox(box)).toContain('id="empty"');
    box.add({
      to: '<b>@x.test',
      subject: '<script>',
      text: 'a < b & c',
      html: '',
      at: new Date('2026-03-14T13:00:00Z'),
    });
    const html = renderDemoMailbox(box);
    expect(html).not.toMatch(/<script>|<b>@/);
    expect(html).toContain('<pre>a &lt; b &amp; c</pre>');
  });
});
