/**
 * `store check` / `store rekey` on the real Samba AD DC, including a SIGKILL in the middle of a
 * rekey.
 */
import { jest } from '@jest/globals';
import { adBackend } from './helpers/backends.js';
import { describeStoreCommands } from './suites/store-suite.js';

jest.setTimeout(90_000);
describeStoreCommands(adBackend);
