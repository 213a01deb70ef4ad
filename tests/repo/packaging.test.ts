// What `npm pack` puts in each published package: an installed provider must find everything it
// needs (core's sql-scripts for `install`, the bins, the READMEs) and nothing that is not for
// users (tests, sources of tests).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, jest } from '@jest/globals';

// tests/jest.config.js sets 60 s, but a project's testTimeout is ignored when jest runs from the
// repository root (multi-project): set it here so both ways of running give the same bound.
jest.setTimeout(60_000);

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

interface PackFile {
  path: string;
}

async function packedFiles(workspace: string): Promise<string[]> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '-w', workspace], {
    cwd: root,
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [info] = JSON.parse(stdout) as Array<{ files: PackFile[] }>;
  return info!.files.map((f) => f.path).sort();
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

describe('npm pack', () => {
  it('@securemfa/core carries every sql-scripts file (install applies them) and cleans up its copy', async () => {
    const files = await packedFiles('@securemfa/core');
    const scripts = filesUnder(join(root, 'sql-scripts')).map((f) => relative(root, f));
    expect(scripts.length).toBeGreaterThan(5);
    for (const f of scripts) expect(files).toContain(f);
    expect(files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/cli/index.js', 'README.md']),
    );
    expect(files.filter((f) => f.startsWith('schema/'))).toHaveLength(3);
    expect(files.some((f) => /\.test\.|^src\/|^test\//.test(f))).toBe(false);
    expect(existsSync(join(root, 'packages/core/sql-scripts'))).toBe(false);
  }, 90_000);

  it.each([
    ['@securemfa/qr-otp', 'securemfa-qr-otp'],
    ['@securemfa/email-otp', 'securemfa-email-otp'],
    ['@securemfa/api-otp', 'securemfa-api-otp'],
    ['@securemfa/win-otp', 'securemfa-win-otp'],
    ['@securemfa/support-tools', 'securemfa-tools'],
  ])(
    '%s carries its bin, its README and no tests',
    async (workspace) => {
      const files = await packedFiles(workspace);
      expect(files).toEqual(
        expect.arrayContaining(['dist/bin.js', 'dist/index.js', 'README.md', 'package.json']),
      );
      expect(files.some((f) => /\.test\.|^src\/|^test\//.test(f))).toBe(false);
    },
    90_000,
  );
});
