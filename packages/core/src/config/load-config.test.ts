// loadConfig / checkConfigFile against real files in a temp folder: which file is read (-c FILE,
// SECUREMFA_CONFIG, the manual's name in the working directory), missing files, encodings
// Windows editors write, size limit, a directory instead of a file, syntax errors.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '../errors.js';
import { checkConfigFile, loadConfig, MAX_CONFIG_BYTES, resolveConfigFile } from './load-config.js';
import { CONFIG_FILE_NAMES, PROVIDER_IDS } from './schema/config-schemas.js';

let root: string;
let dirNo = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'securemfa-config-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh working directory with the given files. */
async function workdir(files: Record<string, string | Uint8Array> = {}): Promise<string> {
  const dir = join(root, `cwd-${(dirNo += 1)}`);
  await mkdir(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, got a config');
}

const company = (name: string): string => `{\n  "company": "${name}"\n}\n`;

describe('which file is read', () => {
  it('reads -c FILE relative to the working directory and names it as given', async () => {
    const cwd = await workdir({ 'etc/mfa.json': '{"company": "Adatum", "smtp_prot": "25"}' });
    const r = await loadConfig('email-otp', { file: 'etc/mfa.json', cwd, env: {} });
    expect(r.config.company).toBe('Adatum');
    expect(r.file).toBe(join(cwd, 'etc/mfa.json'));
    expect(r.warnings.find((w) => w.key === 'smtp_prot')?.message).toMatch(/^etc\/mfa\.json: /);
  });

  it('reads an absolute -c FILE whatever the working directory', async () => {
    const dir = await workdir({ 'a.json': company('Absolute') });
    const r = await loadConfig('qr-otp', { file: join(dir, 'a.json'), cwd: '/', env: {} });
    expect(r.config.company).toBe('Absolute');
    expect(r.file).toBe(join(dir, 'a.json'));
  });

  it('reads SECUREMFA_CONFIG when -c is not given', async () => {
    const cwd = await workdir({ 'from-env.json': company('FromEnv') });
    const env = { SECUREMFA_CONFIG: 'from-env.json' };
    const r = await loadConfig('api-otp', { cwd, env });
    expect(r.config.company).toBe('FromEnv');
    expect(r.file).toBe(join(cwd, 'from-env.json'));
  });

  it('prefers -c over SECUREMFA_CONFIG, and both over the default name', async () => {
    const cwd = await workdir({
      'cli.json': company('Cli'),
      'env.json': company('Env'),
      [CONFIG_FILE_NAMES['api-otp']]: company('Default'),
    });
    const env = { SECUREMFA_CONFIG: 'env.json' };
    expect((await loadConfig('api-otp', { file: 'cli.json', cwd, env })).config.company).toBe(
      'Cli',
    );
    expect((await loadConfig('api-otp', { cwd, env })).config.company).toBe('Env');
    expect((await loadConfig('api-otp', { cwd, env: {} })).config.company).toBe('Default');
    // An empty -c or SECUREMFA_CONFIG counts as not given.
    expect(
      (await loadConfig('api-otp', { file: '', cwd, env: { SECUREMFA_CONFIG: '' } })).config
        .company,
    ).toBe('Default');
  });

  it.each(PROVIDER_IDS)(
    'reads the manual’s file name for %s from the working directory',
    async (p) => {
      const cwd = await workdir({ [CONFIG_FILE_NAMES[p]]: company(`Default-${p}`) });
      const r = await loadConfig(p, { cwd, env: {} });
      expect(r.config.company).toBe(`Default-${p}`);
      expect(r.file).toBe(join(cwd, CONFIG_FILE_NAMES[p]));
      expect(resolveConfigFile(p, { cwd, env: {} })).toEqual({
        path: join(cwd, CONFIG_FILE_NAMES[p]),
        display: CONFIG_FILE_NAMES[p],
        explicit: false,
      });
    },
  );
});

describe('a missing file', () => {
  it('asked for with -c is ERR_CONFIG_NOT_FOUND, exit code 2, with a hint to create it', async () => {
    const cwd = await workdir();
    const r = await checkConfigFile('email-otp', { file: 'missing.json', cwd, env: {} });
    expect(r.config).toBeUndefined();
    expect(r.error?.code).toBe('ERR_CONFIG_NOT_FOUND');
    expect(r.error?.exitCode).toBe(2);
    expect(r.errors).toEqual([
      {
        file: 'missing.json',
        key: '',
        message: `missing.json: configuration file not found (${join(cwd, 'missing.json')})`,
      },
    ]);
    expect(r.error?.hint).toBe(
      'create one with `securemfa-email-otp config init --out missing.json`',
    );
    const err = await rejection(loadConfig('email-otp', { file: 'missing.json', cwd, env: {} }));
    expect(err.code).toBe('ERR_CONFIG_NOT_FOUND');
    expect(err.exitCode).toBe(2);
  });

  it('named by SECUREMFA_CONFIG is an error too, not the defaults', async () => {
    const cwd = await workdir({ [CONFIG_FILE_NAMES['qr-otp']]: company('NotThisOne') });
    const err = await rejection(
      loadConfig('qr-otp', { cwd, env: { SECUREMFA_CONFIG: '/nonexistent/dir/mfa.json' } }),
    );
    expect(err.code).toBe('ERR_CONFIG_NOT_FOUND');
    expect(err.message).toContain('/nonexistent/dir/mfa.json');
    expect(err.hint).toContain('securemfa-qr-otp config init');
  });

  it('by the default name gives the built-in defaults with a warning saying so', async () => {
    const cwd = await workdir();
    const r = await loadConfig('email-otp', { cwd, env: {} });
    expect(r.file).toBeUndefined();
    expect(r.config).toMatchObject({
      auth_mode: 'SQLITE',
      sqlite_path: './securemfa.db',
      smtp_port: 25,
    });
    const [note] = r.warnings;
    expect(note?.message).toContain(`${CONFIG_FILE_NAMES['email-otp']}: no such file in ${cwd}`);
    expect(note?.message).toContain('using the built-in defaults (auth_mode SQLITE)');
    expect(note?.message).toContain('securemfa-email-otp config init');
  });
});

describe('encodings Windows editors write', () => {
  const text = '{\n  "company": "Société Générale – 認証",\n  "smtp_port": "587"\n}\n';
  const utf16be = (s: string): Buffer => {
    const b = Buffer.from(s, 'utf16le');
    b.swap16();
    return b;
  };

  it.each([
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    [
      'UTF-16 LE with a BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    ],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)])],
    ['UTF-8 without a BOM', Buffer.from(text)],
  ])('reads %s', async (_what, bytes) => {
    const cwd = await workdir({ 'mfa.json': bytes });
    const r = await loadConfig('email-otp', { file: 'mfa.json', cwd, env: {} });
    expect(r.config.company).toBe('Société Générale – 認証');
    expect(r.config.smtp_port).toBe(587);
    // The BOM is not an artefact to warn about.
    expect(r.warnings.filter((w) => w.key === '')).toEqual([]);
  });
});

describe('files that are not configuration files', () => {
  it('refuses a file larger than MAX_CONFIG_BYTES with a clear error', async () => {
    const big = `{"company": "${'x'.repeat(MAX_CONFIG_BYTES)}"}`;
    const cwd = await workdir({ 'big.json': big });
    const r = await checkConfigFile('qr-otp', { file: 'big.json', cwd, env: {} });
    expect(r.error?.code).toBe('ERR_CONFIG_INVALID');
    expect(r.error?.exitCode).toBe(2);
    expect(r.errors?.map((e) => e.message)).toEqual([
      `big.json: is ${Buffer.byteLength(big)} bytes, larger than a configuration file can be (${MAX_CONFIG_BYTES})`,
    ]);
  });

  it('reads a file of exactly MAX_CONFIG_BYTES', async () => {
    const head = company('Padded');
    const cwd = await workdir({ 'pad.json': head + ' '.repeat(MAX_CONFIG_BYTES - head.length) });
    const r = await loadConfig('qr-otp', { file: 'pad.json', cwd, env: {} });
    expect(r.config.company).toBe('Padded');
  });

  it('refuses a directory given as the file with an error naming it, without crashing', async () => {
    const cwd = await workdir({ 'conf.d/placeholder': '' });
    const r = await checkConfigFile('email-otp', { file: 'conf.d', cwd, env: {} });
    expect(r.config).toBeUndefined();
    expect(r.error).toBeInstanceOf(ConfigError);
    expect(r.error?.exitCode).toBe(2);
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.message).toMatch(/^conf\.d: cannot read the file \(EISDIR\)$/);
    expect(r.error?.hint).toMatch(/check the path/);
    const err = await rejection(loadConfig('email-otp', { file: 'conf.d', cwd, env: {} }));
    expect(err.message).toContain('conf.d');
  });

  it('refuses a directory with the default name instead of using the defaults', async () => {
    const name = CONFIG_FILE_NAMES['api-otp'];
    const cwd = await workdir({ [`${name}/x`]: '' });
    const r = await checkConfigFile('api-otp', { cwd, env: {} });
    expect(r.config).toBeUndefined();
    expect(r.errors?.map((e) => e.message)).toEqual([`${name}: cannot read the file (EISDIR)`]);
  });
});

describe('errors in the file', () => {
  it('reports a JSON syntax error as file:line:column', async () => {
    const text = '{\n  "smtp_server": "smtp.adatum.labnet"\n  "smtp_port": "25"\n}\n';
    const cwd = await workdir({ 'mfa.json': text });
    const r = await checkConfigFile('email-otp', { file: 'mfa.json', cwd, env: {} });
    expect(r.error?.code).toBe('ERR_CONFIG_SYNTAX');
    expect(r.error?.exitCode).toBe(2);
    expect(r.error?.file).toBe(join(cwd, 'mfa.json'));
    expect(r.errors?.map((e) => e.message)).toEqual([
      'mfa.json:3:3: invalid JSON: expected "," or "}" after the value of "smtp_server" (is a comma missing at the end of the line?)',
    ]);
    const err = await rejection(loadConfig('email-otp', { file: 'mfa.json', cwd, env: {} }));
    expect(err.code).toBe('ERR_CONFIG_SYNTAX');
  });

  it('counts lines the same in a UTF-16 file', async () => {
    const text = '{\r\n"company": "x",\r\n"smtp_port": 25,\r\n}x';
    const cwd = await workdir({
      'u16.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    });
    const r = await checkConfigFile('email-otp', { file: 'u16.json', cwd, env: {} });
    expect(r.error?.code).toBe('ERR_CONFIG_SYNTAX');
    expect(r.errors?.[0]?.message).toMatch(/^u16\.json:4:2: invalid JSON: /);
  });

  it('reports a bad value naming the file as given, the key and the value', async () => {
    const cwd = await workdir({ 'mfa.json': '{"smtp_port": "25a"}' });
    const err = await rejection(loadConfig('email-otp', { file: 'mfa.json', cwd, env: {} }));
    expect(err.code).toBe('ERR_CONFIG_INVALID');
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('mfa.json: smtp_port: got "25a", expected an integer 1–65535');
  });
});
