// Root jest run: one project per workspace package that has tests, plus the summary reporter
// whose last line ("Summary: N passed, N failed, N skipped") is what CI reads.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'tools'];
const projects = [];
for (const root of roots) {
  for (const name of readdirSync(root).sort()) {
    if (existsSync(join(root, name, 'jest.config.js'))) projects.push(`<rootDir>/${root}/${name}`);
  }
}
if (existsSync('tests/jest.config.js')) projects.push('<rootDir>/tests');

/** @type {import('jest').Config} */
export default {
  projects,
  reporters: ['default', '<rootDir>/tools/testkit/jest-summary-reporter.cjs'],
};
