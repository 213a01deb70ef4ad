#!/usr/bin/env node
/**
 * `securemfa-qr-otp`: the QR OTP provider's CLI (config init|check, install, verify, serve,
 * uninstall), the shared implementation in `@securemfa/core/cli`.
 *
 * @module bin
 */
import { runProviderCli } from '@securemfa/core/cli';
import { qrOtpProvider } from './definition.js';

process.exitCode = await runProviderCli(qrOtpProvider, process.argv);
