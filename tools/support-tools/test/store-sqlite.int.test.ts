/**
 * `store check` / `store rekey` on a real SQLite store, including a SIGKILL in the middle of a
 * rekey.
 */
import { jest } from '@jest/globals';
import { sqliteBackend } from './helpers/backends.js';
import { describeStoreCommands } from './suites/store-suite.js';

jest.setTimeout(60_000);
describeStoreCommands(sqliteBackend);
