// The shared provider CLI in-process (memoryIo): config init/check, usage errors and exit codes,
// the systemd unit. install/verify/serve against real stores run in tests/qr-otp.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { ProviderDefinition } from '../adapter/provider-definition.js';
import type { QrOtpConfig } from '../config/types.js';
import { memoryIo } from './io.js';
import { runProviderCli } from './program.js';
import { renderUnit, writeUnit } from './systemd-unit.js';

// Only identity fields are used by config init/check; the channel is never built here.
const definition: ProviderDefinition<QrOtpConfig> = {
  id: 'qr-otp',
  bin: 'securemfa-qr-otp',
  title: 'SecureMFA QR OTP provider',
  version: '9.9.9',
  configFileName: 'SecureMfaOtpProvider.json',
  eventSource: 'Secure MFA OTP',
  createChannel: () => {
    throw new Error('config commands must not build the channel');
  },
};

const run = async (args: string[], options: Parameters<typeof memoryIo>[0] = {}) => {
  const io = memoryIo({ cwd: mkdtempSync(join(tmpdir(), 'smfa-cli-')), ...options });
  const code = await runProviderCli(definition, ['node', 'securemfa-qr-otp', ...args], io);
  return { code, out: io.stdout(), err: io.stderr(), cwd: io.cwd };
};

describe('provider CLI: usage', () => {
  it('without arguments prints the help to stderr and exits 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('config');
    expect(r.err).toContain('serve');
    expect(r.err).toContain('uninstall');
  });

  it('an unknown command or option is a usage error (exit 2)', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    const r = await run(['verify', '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown option/);
  });

  it('--version prints the package version and exits 0', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe('9.9.9');
  });

  it('serve --port rejects a non-number with a clear message (exit 2, nothing started)', async () => {
    const r = await run(['serve', '--port', '80a']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "option '--port <n>' argument '80a' is invalid. must be an integer 0–65535",
    );
  });
});

describe('provider CLI: config init', () => {
  it('prints a sample with fresh random keys to stdout; two runs differ in their keys', async () => {
    const a = JSON.parse((await run(['config', 'init'])).out) as Record<string, string>;
    const b = JSON.parse((await run(['config', 'init'])).out) as Record<string, string>;
    expect(a.data_encryption).toBe('true');
    expect(a.adapter_api_key!.length).toBeGreaterThanOrEqual(32);
    expect(a.adapter_api_key).not.toBe(b.adapter_api_key);
    expect(a.data_encryption_passphrase).not.toBe(b.data_encryption_passphrase);
    // lockout on for new installations (the manuals' samples ship it off)
    expect([a.ui_login_failures, a.ui_lockout_minutes]).toEqual(['5', '15']);
  });

  it('--out writes a 0600 file that config check accepts; a second init refuses to overwrite', async () => {
    const first = await run(['config', 'init', '--out', 'SecureMfaOtpProvider.json']);
    expect(first.code).toBe(0);
    const file = join(first.cwd, 'SecureMfaOtpProvider.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const before = readFileSync(file, 'utf8');

    const io = memoryIo({ cwd: first.cwd });
    const again = await runProviderCli(
      definition,
      ['node', 'x', 'config', 'init', '--out', 'SecureMfaOtpProvider.json'],
      io,
    );
    expect(again).toBe(1);
    expect(io.stderr()).toContain('already exists; nothing written');
    expect(io.stderr()).toContain('--force');
    expect(readFileSync(file, 'utf8')).toBe(before);

    const check = memoryIo({ cwd: first.cwd });
    expect(await runProviderCli(definition, ['node', 'x', 'config', 'check'], check)).toBe(0);
    const printed = JSON.parse(check.stdout()) as Record<string, unknown>;
    expect(printed.adapter_api_key).toBe('********');
    expect(printed.data_encryption_passphrase).toBe('********');
    expect(check.stdout()).not.toContain(JSON.parse(before).adapter_api_key as string);
  });
});

describe('provider CLI: config check', () => {
  const write = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'smfa-cfg-'));
    writeFileSync(join(dir, 'my.json'), text);
    return dir;
  };

  it('a bad value exits 2 with one line naming file, key, value and what is expected', async () => {
    const cwd = write('{ "ui_login_failures": "many" }');
    const io = memoryIo({ cwd });
    expect(
      await runProviderCli(definition, ['node', 'x', 'config', 'check', '-c', 'my.json'], io),
    ).toBe(2);
    const line = io
      .stderr()
      .split('\n')
      .find((l) => l.startsWith('error: '));
    expect(line).toMatch(/my\.json: ui_login_failures: got "many", expected /);
    expect(io.stdout()).toBe('');
  });

  it('a JSON syntax error exits 2 naming line and column', async () => {
    const cwd = write('{\n  "company": "ACME"\n  "verboselog": "true"\n}');
    const io = memoryIo({ cwd });
    expect(
      await runProviderCli(definition, ['node', 'x', 'config', 'check', '-c', 'my.json'], io),
    ).toBe(2);
    expect(io.stderr()).toMatch(/my\.json:3:3: invalid JSON/);
  });

  it('a secret with a bad value is never echoed', async () => {
    const cwd = write('{ "data_encryption_legacy_salt": "not-sixteen-bytes-Zq9" }');
    const io = memoryIo({ cwd });
    await runProviderCli(definition, ['node', 'x', 'config', 'check', '-c', 'my.json'], io);
    expect(io.stderr() + io.stdout()).not.toContain('not-sixteen-bytes-Zq9');
  });

  it('a missing file given with -c exits 2 with a hint to run config init', async () => {
    const io = memoryIo({ cwd: mkdtempSync(join(tmpdir(), 'smfa-none-')) });
    expect(
      await runProviderCli(definition, ['node', 'x', 'config', 'check', '-c', 'nope.json'], io),
    ).toBe(2);
    expect(io.stderr()).toContain('configuration file not found');
    expect(io.stderr()).toContain('config init');
  });

  it('SECUREMFA_CONFIG names the file when -c is not given', async () => {
    const cwd = write('{ "company": "Env Co" }');
    const io = memoryIo({ cwd, env: { SECUREMFA_CONFIG: 'my.json' } });
    expect(await runProviderCli(definition, ['node', 'x', 'config', 'check'], io)).toBe(0);
    expect(JSON.parse(io.stdout()).company).toBe('Env Co');
  });

  it('an unknown key warns with a suggestion and still exits 0', async () => {
    const cwd = write('{ "ui_login_failure": "3" }');
    const io = memoryIo({ cwd });
    expect(
      await runProviderCli(definition, ['node', 'x', 'config', 'check', '-c', 'my.json'], io),
    ).toBe(0);
    expect(io.stderr()).toMatch(/warning: .*ui_login_failure.*did you mean "ui_login_failures"/);
  });
});

describe('systemd unit', () => {
  const options = {
    bin: 'securemfa-qr-otp',
    title: 'SecureMFA QR OTP provider',
    nodePath: '/usr/bin/node',
    binPath: '/opt/secure mfa/bin.js',
    configPath: '/etc/securemfa/SecureMfaOtpProvider.json',
    workingDirectory: '/etc/securemfa',
  };

  it('runs serve with the config, quoting paths with spaces', () => {
    const unit = renderUnit(options);
    expect(unit).toContain(
      'ExecStart=/usr/bin/node "/opt/secure mfa/bin.js" serve -c /etc/securemfa/SecureMfaOtpProvider.json',
    );
    expect(unit).toContain('Restart=on-failure');
    expect(unit).toContain('NoNewPrivileges=true');
  });

  it('refuses a path with a newline (unit injection)', () => {
    expect(() => renderUnit({ ...options, configPath: '/x\nExecStartPre=/bin/rm -rf /' })).toThrow(
      /one-line/,
    );
  });

  it('writes once, then reports unchanged, then updated when the text changes', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'smfa-unit-')), 'units', 'a.service');
    expect(await writeUnit(path, 'one\n')).toBe('created');
    expect(await writeUnit(path, 'one\n')).toBe('unchanged');
    expect(await writeUnit(path, 'two\n')).toBe('updated');
    expect(readFileSync(path, 'utf8')).toBe('two\n');
  });
});
