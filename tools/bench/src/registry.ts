/**
 * The registered benchmarks, in the order they run. To add one: write `benches/<name>.ts`
 * exporting a `BenchSuite` (see types.ts: fixed `iterations`, a `maxMs` time cap, cases built in
 * `setup`, optional ratios with targets; async cases and `teardown` are supported, e.g. for an
 * HTTP accept-path bench against a server on 127.0.0.1 port 0) and list it here. Its `id` is what
 * `npm run bench -- --only <id>` selects.
 *
 * @module bench
 */
import { acceptNormalSuite, acceptSuite } from './benches/accept.js';
import { acceptAdSuite } from './benches/accept-ad.js';
import { acceptPostgresSuite } from './benches/accept-postgres.js';
import { acceptScaleSuite } from './benches/accept-scale.js';
import { bruteForceSuite } from './benches/brute-force.js';
import { farmSuite } from './benches/farm.js';
import { httpNormalSuite, httpSuite } from './benches/http.js';
import { smtpSuite } from './benches/smtp.js';
import { soakSuite } from './benches/soak.js';
import { totpSuite } from './benches/totp.js';
import type { BenchSuite } from './types.js';

export const suites: readonly BenchSuite[] = [
  totpSuite,
  acceptSuite,
  acceptNormalSuite,
  acceptScaleSuite,
  acceptPostgresSuite,
  acceptAdSuite,
  httpSuite,
  httpNormalSuite,
  smtpSuite,
  bruteForceSuite,
  farmSuite,
  soakSuite,
];
