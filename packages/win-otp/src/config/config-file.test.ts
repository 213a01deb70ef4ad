import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAgentConfig } from './agent-keys.js';
import {
  defaultConfigFile,
  readAgentConfigFile,
  resolveConfigFile,
  writeAgentConfigFile,
} from './config-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'win-otp-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const config = {
  ...defaultAgentConfig(),
  api_endpoint: 'https://mfa.adatum.labnet',
  data_encryption_passphrase: 'unit-test-passphrase-123',
  api_headers_value: 'unit-test-header-value-456',
};

describe('where the config is', () => {
  it('--config-file, else $SECUREMFA_WIN_OTP_CONFIG, else the platform default', () => {
    expect(resolveConfigFile('x.json', {}, '/home/a', 'linux')).toBe('/home/a/x.json');
    expect(
      resolveConfigFile(undefined, { SECUREMFA_WIN_OTP_CONFIG: '/srv/w.json' }, '/', 'linux'),
    ).toBe('/srv/w.json');
    expect(resolveConfigFile(undefined, {}, '/', 'linux')).toBe(
      '/etc/securemfa/SecureMfaWinOtp.json',
    );
    expect(defaultConfigFile('win32', { ProgramData: 'D:\\PD' })).toBe(
      'D:\\PD\\SecureMFA\\SecureMfaWinOtp.json',
    );
  });
});

describe('writeAgentConfigFile / readAgentConfigFile', () => {
  it('writes mode 0600 (also over a file that was 0644) and reads it back', async () => {
    const file = join(dir, 'sub', 'w.json');
    await writeAgentConfigFile(file, config);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await writeFile(file, '{}', { mode: 0o644 });
    await writeAgentConfigFile(file, config);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const loaded = await readAgentConfigFile(file);
    expect(loaded).toMatchObject({ file, config, warnings: [], tooOpen: false });
  });

  it('a missing file, a JSON syntax error (line and column) and a bad value are exit-2 errors', async () => {
    await expect(readAgentConfigFile(join(dir, 'none.json'))).rejects.toMatchObject({
      code: 'ERR_CONFIG_NOT_FOUND',
      exitCode: 2,
    });
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{\n  "a": 1,\n  "b": ]\n}');
    await expect(readAgentConfigFile(broken)).rejects.toMatchObject({
      code: 'ERR_CONFIG_SYNTAX',
      message: `${broken}: not valid JSON at line 3, column 8`,
    });
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...config, api_timeout: 'x' }));
    await expect(readAgentConfigFile(bad)).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID' });
  });

  it('notes a file readable by others', async () => {
    const open = join(dir, 'open.json');
    await writeFile(open, JSON.stringify(config), { mode: 0o644 });
    expect((await readAgentConfigFile(open)).tooOpen).toBe(true);
  });
});
