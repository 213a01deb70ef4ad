/**
 * This package's version, from its package.json (`../package.json` from both src/ and dist/).
 *
 * @module agent
 */
import { readFileSync } from 'node:fs';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  if (typeof pkg.version !== 'string' || pkg.version === '') {
    throw new Error('@securemfa/win-otp: package.json has no version');
  }
  return pkg.version;
}

/** The agent's version (sent to the portal, printed by --version). */
export const AGENT_VERSION: string = packageVersion();
