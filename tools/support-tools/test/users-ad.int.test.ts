/**
 * The `users …` commands on the real Samba AD DC (tools/testenv/samba-dc.sh; an OU per
 * configuration, users are AD user objects, secrets always encrypted).
 */
import { jest } from '@jest/globals';
import { adBackend } from './helpers/backends.js';
import { describeUsersCommands } from './suites/users-suite.js';

jest.setTimeout(60_000);
describeUsersCommands(adBackend);
