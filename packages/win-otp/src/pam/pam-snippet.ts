/**
 * The Linux PAM integration: a `pam_exec` line that runs `securemfa-win-otp pam` with the
 * typed code on its standard input (`expose_authtok`), inside a marked block that `install`
 * adds to a service file and `uninstall` removes again — nothing else in the file is touched.
 *
 * RDPonly ("MFA for remote sessions only") maps to the `sshd` service; otherwise the block goes
 * into `common-auth`, which every Debian login service includes.
 *
 * ```
 * # BEGIN securemfa-win-otp …
 * auth required pam_exec.so expose_authtok quiet stdout /usr/bin/node /…/dist/bin.js pam --config-file /etc/securemfa/SecureMfaWinOtp.json
 * # END securemfa-win-otp
 * ```
 *
 * @see pam_exec(8): expose_authtok, stdout, quiet
 * @module pam
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@securemfa/core';

/** First line of the managed block. */
export const PAM_BLOCK_BEGIN =
  '# BEGIN securemfa-win-otp (managed by securemfa-win-otp install/uninstall)';
/** Last line of the managed block. */
export const PAM_BLOCK_END = '# END securemfa-win-otp';
/** Where PAM service files live. */
export const DEFAULT_PAM_DIR = '/etc/pam.d';

const SERVICE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The service the agent protects by default: sshd for remote sessions only, common-auth for all.
 *
 * @param rdpOnly - the RDPonly setting
 * @returns the service name
 */
export function defaultPamService(rdpOnly: boolean): string {
  return rdpOnly ? 'sshd' : 'common-auth';
}

/**
 * The command pam_exec runs: this Node and this package's bin (absolute paths: pam_exec gives
 * the command no PATH).
 *
 * @returns `[node, bin.js]`
 */
export function defaultAgentCommand(): string[] {
  return [process.execPath, fileURLToPath(new URL('../bin.js', import.meta.url))];
}

/**
 * The PAM service file of a service.
 *
 * @param service - service name
 * @param pamDir - the PAM folder
 * @returns the path
 * @throws {ConfigError} when the name is not a plain service name (exit 2)
 */
export function pamFileOf(service: string, pamDir = DEFAULT_PAM_DIR): string {
  if (!SERVICE.test(service)) {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      `--pam-service: "${service}" is not a PAM service name`,
      {
        file: '<command line>',
        hint: 'use a name like sshd, common-auth or login (letters, digits, dots, dashes)',
      },
    );
  }
  return join(pamDir, service);
}

/**
 * The managed block for a config file.
 *
 * @param options - the command (default {@link defaultAgentCommand}) and the config file
 * @returns the block (three lines and a newline)
 * @throws {ConfigError} when a path has white space (PAM cannot quote it)
 * @example
 * ```ts
 * renderPamBlock({ configFile: '/etc/securemfa/SecureMfaWinOtp.json' });
 * ```
 */
export function renderPamBlock(options: {
  command?: readonly string[];
  configFile: string;
}): string {
  const command = options.command ?? defaultAgentCommand();
  for (const part of [...command, options.configFile]) {
    if (/\s/.test(part) || part === '') {
      throw new ConfigError(
        'ERR_CONFIG_INVALID',
        `"${part}" has white space: a PAM module argument cannot contain it`,
        {
          file: '<command line>',
          hint: 'install Node, the agent and its config under paths without spaces',
        },
      );
    }
  }
  const line = [
    'auth',
    'required',
    'pam_exec.so',
    'expose_authtok',
    'quiet',
    'stdout',
    ...command,
    'pam',
    '--config-file',
    options.configFile,
  ].join(' ');
  return `${PAM_BLOCK_BEGIN}\n${line}\n${PAM_BLOCK_END}\n`;
}

/**
 * Remove the managed block from a service file's text.
 *
 * @param text - the file
 * @returns the text without the block, and whether one was there
 */
export function removePamBlock(text: string): { text: string; removed: boolean } {
  const lines = text.split('\n');
  const out: string[] = [];
  let inside = false;
  let removed = false;
  for (const line of lines) {
    if (!inside && line.trim() === PAM_BLOCK_BEGIN) {
      inside = true;
      removed = true;
      continue;
    }
    if (inside) {
      if (line.trim() === PAM_BLOCK_END) inside = false;
      continue;
    }
    out.push(line);
  }
  return { text: out.join('\n'), removed };
}

/**
 * Put the managed block into a service file's text: replacing an earlier block, else before
 * the first `auth` line (the code is asked for first, then the password), else at the end.
 *
 * @param text - the file, or undefined when it does not exist
 * @param block - from {@link renderPamBlock}
 * @returns the new text
 */
export function insertPamBlock(text: string | undefined, block: string): string {
  const base = removePamBlock(text ?? '').text;
  const lines = base === '' ? [] : base.split('\n');
  const at = lines.findIndex(
    (l) => /^\s*-?auth\s/.test(l) || /^\s*@include\s+common-auth\b/.test(l),
  );
  const blockLines = block.replace(/\n$/, '').split('\n');
  if (at < 0) {
    const body = lines.join('\n').replace(/\n*$/, '');
    return `${body === '' ? '' : `${body}\n`}${block}`;
  }
  lines.splice(at, 0, ...blockLines);
  const joined = lines.join('\n');
  return joined.endsWith('\n') ? joined : `${joined}\n`;
}

/**
 * Whether a password module follows the managed block in a service file. pam_unix reuses the
 * token the first prompt collected — with the block first, that is the code — so such a stack
 * cannot also check a password (pam_exec has one prompt only).
 *
 * @param text - the service file
 * @returns true when `pam_unix` or `@include common-auth` comes after the block
 */
export function passwordModuleAfterBlock(text: string): boolean {
  const end = text.indexOf(PAM_BLOCK_END);
  if (end < 0) return false;
  return text
    .slice(end + PAM_BLOCK_END.length)
    .split('\n')
    .some(
      (l) => /^\s*-?auth\s.*\bpam_unix\.so\b/.test(l) || /^\s*@include\s+common-auth\b/.test(l),
    );
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.securemfa-${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, file);
}

/**
 * Add (or refresh) the block in a service file, creating the file when missing.
 *
 * @param file - the service file
 * @param block - the block
 * @returns whether the file was created, and whether a password module follows the block
 */
export async function installPamBlock(
  file: string,
  block: string,
): Promise<{ created: boolean; passwordAfter: boolean }> {
  let existing: string | undefined;
  try {
    existing = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const text = insertPamBlock(existing, block);
  await writeAtomically(file, text);
  return { created: existing === undefined, passwordAfter: passwordModuleAfterBlock(text) };
}

/**
 * Remove the block from a service file; delete the file when nothing else is left in it.
 *
 * @param file - the service file
 * @returns whether a block was removed and whether the file was deleted
 */
export async function uninstallPamBlock(
  file: string,
): Promise<{ removed: boolean; deleted: boolean }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { removed: false, deleted: false };
    throw err;
  }
  const result = removePamBlock(text);
  if (!result.removed) return { removed: false, deleted: false };
  if (result.text.trim() === '') {
    await rm(file, { force: true });
    return { removed: true, deleted: true };
  }
  await writeAtomically(file, result.text);
  return { removed: true, deleted: false };
}
