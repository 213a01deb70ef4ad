/**
 * The systemd unit `install` writes so the provider host starts at boot and restarts on failure
 * (the manuals' "AD FS service restart" becomes `systemctl restart securemfa-<p>`).
 *
 * Writing is idempotent: an unchanged unit is left alone (and reported so), a changed one is
 * replaced atomically (temp file + rename).
 *
 * @module cli
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the unit runs. */
export interface UnitOptions {
  /** CLI name, e.g. `securemfa-qr-otp` (also the unit name). */
  bin: string;
  /** Human title for `Description=`. */
  title: string;
  /** Absolute path of the Node binary. */
  nodePath: string;
  /** Absolute path of the CLI script. */
  binPath: string;
  /** Absolute path of the config file. */
  configPath: string;
  /** Working directory (the config's folder). */
  workingDirectory: string;
}

/** Quote a path for an `ExecStart=` line (systemd's C-style quoting). */
function quote(value: string): string {
  if (/[\s"\\$%;]/.test(value) || value === '') {
    return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
  }
  return value;
}

/**
 * The unit file text.
 *
 * @param options - what to run
 * @returns the unit, hardened (no new privileges, read-only system, private tmp)
 */
export function renderUnit(options: UnitOptions): string {
  for (const [name, value] of Object.entries(options)) {
    if (typeof value !== 'string' || value === '' || /[\r\n]/.test(value)) {
      throw new TypeError(`"${name}" must be a one-line non-empty string`);
    }
  }
  const exec = [options.nodePath, options.binPath, 'serve', '-c', options.configPath]
    .map(quote)
    .join(' ');
  return [
    '# Written by `' + options.bin + ' install`; re-run install after changing the config.',
    '[Unit]',
    `Description=${options.title}`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `WorkingDirectory=${quote(options.workingDirectory)}`,
    `ExecStart=${exec}`,
    'Restart=on-failure',
    'RestartSec=2',
    'NoNewPrivileges=true',
    'PrivateTmp=true',
    'ProtectSystem=full',
    'ProtectHome=read-only',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** Path of a provider's unit in a folder. */
export function unitPath(serviceDir: string, bin: string): string {
  return join(serviceDir, `${bin}.service`);
}

/** What {@link writeUnit} did. */
export type UnitWrite = 'created' | 'updated' | 'unchanged';

/**
 * Write the unit unless it is already exactly this text.
 *
 * @param path - the unit file
 * @param text - its content
 * @returns created, updated or unchanged
 * @throws the fs error (EACCES, ENOENT of a parent…) for the caller to explain
 */
export async function writeUnit(path: string, text: string): Promise<UnitWrite> {
  let before: string | undefined;
  try {
    before = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (before === text) return 'unchanged';
  await mkdir(join(path, '..'), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o644 });
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return before === undefined ? 'created' : 'updated';
}

/**
 * Remove the unit.
 *
 * @param path - the unit file
 * @returns whether there was one
 */
export async function removeUnit(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
