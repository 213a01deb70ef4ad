#!/usr/bin/env node
// npm pack/publish of @securemfa/core: the package must carry the repository's sql-scripts/
// (the installer applies them; sqlScriptsDir() finds <package>/sql-scripts). `prepack` copies
// them into packages/core/sql-scripts (git-ignored), `postpack` removes the copy.
//   node scripts/core-pack-files.mjs copy|clean
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'packages/core/sql-scripts');
const mode = process.argv[2];
if (mode === 'copy') {
  rmSync(target, { recursive: true, force: true });
  cpSync(join(root, 'sql-scripts'), target, { recursive: true });
} else if (mode === 'clean') {
  rmSync(target, { recursive: true, force: true });
} else {
  process.stderr.write('usage: node scripts/core-pack-files.mjs copy|clean\n');
  process.exit(2);
}
