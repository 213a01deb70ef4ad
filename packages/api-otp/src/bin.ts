#!/usr/bin/env node
/**
 * `securemfa-api-otp`: the API OTP provider's CLI (config init|check, install, verify, serve,
 * uninstall), the shared implementation in `@securemfa/core/cli`.
 *
 * @module bin
 */
import { runProviderCli } from '@securemfa/core/cli';
import { apiOtpProvider } from './definition.js';

process.exitCode = await runProviderCli(apiOtpProvider, process.argv);
