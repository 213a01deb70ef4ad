#!/usr/bin/env node
/**
 * `npm run bench [-- --only <id>]`: runs the registered benchmarks (registry.ts), prints a table
 * per suite and writes bench-report.json and bench-report.md in the current directory (the repo
 * root under npm), with a description of the machine. See cli.ts.
 *
 * @module bench
 */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
