#!/usr/bin/env node
/**
 * The `securemfa-win-otp` command.
 *
 * @module bin
 */
import { runWinOtpCli } from './cli/program.js';

process.exitCode = await runWinOtpCli(process.argv);
