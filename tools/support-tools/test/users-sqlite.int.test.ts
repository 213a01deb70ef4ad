/**
 * The `users …` commands on a real SQLite store (a database file per configuration).
 */
import { jest } from '@jest/globals';
import { sqliteBackend } from './helpers/backends.js';
import { describeUsersCommands } from './suites/users-suite.js';

jest.setTimeout(30_000);
describeUsersCommands(sqliteBackend);
