import { projectConfig } from '../tools/testkit/jest-preset.js';

// Cross-package end-to-end suites: real provider hosts on 127.0.0.1, real CLIs, zbarimg,
// oathtool and headless Chromium. Slower than unit suites: generous per-test timeout.
export default projectConfig('e2e', {
  testMatch: ['<rootDir>/**/*.test.ts'],
  testTimeout: 60_000,
});
