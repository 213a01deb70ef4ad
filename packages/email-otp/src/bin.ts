#!/usr/bin/env node
/**
 * `securemfa-email-otp`: the e-mail OTP provider's CLI (config init|check, install, verify,
 * serve, uninstall), the shared implementation in `@securemfa/core/cli`; `serve --demo` without
 * an SMTP server delivers to the demo mailbox (demo-provider.ts).
 *
 * @module bin
 */
import { runProviderCli } from '@securemfa/core/cli';
import { providerFor } from './demo-provider.js';

process.exitCode = await runProviderCli(providerFor(process.argv), process.argv);
