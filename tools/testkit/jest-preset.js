// Shared jest project config: ts-jest in ESM mode (see STYLE.md "Facts checked on this machine").
// Type checking is tsc's job (npm run typecheck); jest transpiles only, which keeps runs fast.
import { createDefaultEsmPreset } from 'ts-jest';

/**
 * @param {string} displayName
 * @param {Partial<import('jest').Config>} [extra]
 * @returns {import('jest').Config}
 */
export function projectConfig(displayName, extra = {}) {
  return {
    displayName,
    ...createDefaultEsmPreset({ tsconfig: { isolatedModules: true }, diagnostics: false }),
    testEnvironment: 'node',
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    ...extra,
  };
}
