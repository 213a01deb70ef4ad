/**
 * The provider the CLI runs for `serve --demo`: the e-mail provider, except that with no SMTP
 * server configured (`smtp_server` empty — the built-in defaults when there is no config file)
 * codes go to the in-memory demo mailbox shown at `/demo/mailbox`. With `smtp_server` set, the
 * demo sends real e-mails like `serve` does (e.g. to a local test mail server).
 *
 * @module demo-provider
 */
import type { EmailOtpConfig, ProviderDefinition } from '@securemfa/core';
import { createDemoMailbox, createDemoMailboxChannel } from './demo-mailbox.js';
import { DEMO_MAILBOX_PATH, demoMailboxPage } from './demo-mailbox-page.js';
import { emailOtpProvider } from './definition.js';

/**
 * The demo variant of {@link emailOtpProvider} (one mailbox per call).
 *
 * @returns the provider definition
 */
export function createDemoEmailProvider(): ProviderDefinition<EmailOtpConfig> {
  const mailbox = createDemoMailbox();
  const useMailbox = (config: EmailOtpConfig): boolean => config.smtp_server.trim() === '';
  return {
    ...emailOtpProvider,
    createChannel: (context) =>
      useMailbox(context.config)
        ? createDemoMailboxChannel({
            config: context.config,
            logger: context.logger,
            mailbox,
            mailboxPath: DEMO_MAILBOX_PATH,
            clock: context.clock,
          })
        : emailOtpProvider.createChannel(context),
    hostExtensions: ({ config }) => (useMailbox(config) ? [demoMailboxPage(mailbox)] : []),
  };
}

/**
 * Whether a command line is `serve … --demo`.
 *
 * @param argv - `process.argv`
 * @returns true for the demo
 */
export function isDemoServe(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  return args[0] === 'serve' && args.includes('--demo');
}

/**
 * The provider a command line runs: the demo variant for `serve --demo`, else the e-mail
 * provider.
 *
 * @param argv - `process.argv`
 * @returns the provider definition
 * @example
 * ```ts
 * process.exitCode = await runProviderCli(providerFor(process.argv), process.argv);
 * ```
 */
export function providerFor(argv: readonly string[]): ProviderDefinition<EmailOtpConfig> {
  return isDemoServe(argv) ? createDemoEmailProvider() : emailOtpProvider;
}
