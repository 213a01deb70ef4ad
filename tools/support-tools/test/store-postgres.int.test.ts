/**
 * The `store check / store rekey` commands on a real PostgreSQL store (tools/testenv/postgres.sh; a
 * database per configuration).
 */
import { jest } from '@jest/globals';
import { postgresBackend } from './helpers/backends.js';
import { describeStoreCommands } from './suites/store-suite.js';

jest.setTimeout(60_000);
describeStoreCommands(postgresBackend);
