#!/usr/bin/env node
/**
 * `securemfa-email-otp`: the e-mail OTP provider's CLI (config init|check, install, verify,
 * serve, uninstall), the shared implementation in `@securemfa/core/cli`.
 *
 * @module bin
 */
import { runProviderCli } from '@securemfa/core/cli';
import { emailOtpProvider } from './definition.js';

process.exitCode = await runProviderCli(emailOtpProvider, process.argv);
