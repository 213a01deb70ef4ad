/**
 * Writes the generated configuration reference and JSON Schemas into the repository:
 *
 * ```sh
 * npm run build -w @securemfa/core
 * node packages/core/dist/config/generate-docs.js          # write docs/configuration.md + packages/core/schema/*.schema.json
 * node packages/core/dist/config/generate-docs.js --check  # exit 1 when they are out of date
 * ```
 *
 * The repository root is found from this file's location (`packages/core/{src,dist}/config/`);
 * a path given as argument overrides it. Prose outside the `config-keys` markers of
 * docs/configuration.md is kept.
 *
 * @module config
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIGURATION_DOC_PATH, generatedConfigFiles } from './docs.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const root = resolve(
  args.find((a) => !a.startsWith('--')) ??
    join(dirname(fileURLToPath(import.meta.url)), '../../../..'),
);

const existingDoc = await readFile(join(root, CONFIGURATION_DOC_PATH), 'utf8').catch(
  () => undefined,
);
let stale = 0;
for (const [path, content] of Object.entries(generatedConfigFiles(existingDoc))) {
  const target = join(root, path);
  const current = await readFile(target, 'utf8').catch(() => undefined);
  if (current === content) continue;
  stale += 1;
  if (check) {
    process.stderr.write(`out of date: ${path}\n`);
    continue;
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  process.stdout.write(`wrote ${path}\n`);
}
if (check && stale > 0) {
  process.stderr.write('run: node packages/core/dist/config/generate-docs.js\n');
  process.exitCode = 1;
} else if (stale === 0) {
  process.stdout.write('configuration docs and schemas are up to date\n');
}
