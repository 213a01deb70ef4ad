/**
 * The `users …` commands on a real PostgreSQL store (tools/testenv/postgres.sh; a
 * database per configuration).
 */
import { jest } from '@jest/globals';
import { postgresBackend } from './helpers/backends.js';
import { describeUsersCommands } from './suites/users-suite.js';

jest.setTimeout(60_000);
describeUsersCommands(postgresBackend);
