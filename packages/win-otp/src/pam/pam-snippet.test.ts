import { describe, expect, it } from '@jest/globals';
import {
  defaultPamService,
  insertPamBlock,
  PAM_BLOCK_BEGIN,
  PAM_BLOCK_END,
  pamFileOf,
  passwordModuleAfterBlock,
  removePamBlock,
  renderPamBlock,
} from './pam-snippet.js';

const block = renderPamBlock({
  command: ['/usr/bin/node', '/opt/win-otp/dist/bin.js'],
  configFile: '/etc/securemfa/SecureMfaWinOtp.json',
});

describe('renderPamBlock', () => {
  it('runs the agent through pam_exec with the code on stdin (expose_authtok)', () => {
    expect(block).toBe(
      `${PAM_BLOCK_BEGIN}\nauth required pam_exec.so expose_authtok quiet stdout /usr/bin/node /opt/win-otp/dist/bin.js pam --config-file /etc/securemfa/SecureMfaWinOtp.json\n${PAM_BLOCK_END}\n`,
    );
  });
  it('refuses paths with white space (PAM cannot quote them)', () => {
    expect(() =>
      renderPamBlock({
        command: ['/usr/bin/node', '/opt/my agent/bin.js'],
        configFile: '/etc/x.json',
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_INVALID', exitCode: 2 }));
  });
});

describe('insertPamBlock / removePamBlock', () => {
  it('a new file holds just the block', () => {
    expect(insertPamBlock(undefined, block)).toBe(block);
  });
  it('goes before the first auth line (or @include common-auth) and leaves the rest', () => {
    const sshd =
      '# PAM configuration for sshd\n@include common-auth\naccount required pam_nologin.so\n';
    const out = insertPamBlock(sshd, block);
    expect(out).toBe(
      `# PAM configuration for sshd\n${block}@include common-auth\naccount required pam_nologin.so\n`,
    );
    const common =
      'auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\n';
    expect(insertPamBlock(common, block)).toBe(`${block}${common}`);
    expect(removePamBlock(out)).toEqual({ text: sshd, removed: true });
  });
  it('replaces an earlier block instead of adding a second one', () => {
    const once = insertPamBlock('auth required pam_unix.so\n', block);
    const newer = block.replace('/opt/win-otp', '/srv/win-otp');
    const twice = insertPamBlock(once, newer);
    expect(twice.match(/BEGIN securemfa-win-otp/g)).toHaveLength(1);
    expect(twice).toContain('/srv/win-otp');
    expect(twice).not.toContain('/opt/win-otp');
  });
  it('removing from a file without a block changes nothing', () => {
    expect(removePamBlock('auth required pam_unix.so\n')).toEqual({
      text: 'auth required pam_unix.so\n',
      removed: false,
    });
  });
});

describe('services', () => {
  it('RDPonly → sshd (remote sessions), else common-auth (all logons)', () => {
    expect(defaultPamService(true)).toBe('sshd');
    expect(defaultPamService(false)).toBe('common-auth');
  });
  it('accepts plain service names only', () => {
    expect(pamFileOf('sshd', '/etc/pam.d')).toBe('/etc/pam.d/sshd');
    for (const bad of ['../passwd', 'a b', '', '.hidden']) {
      expect(() => pamFileOf(bad)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }));
    }
  });
});

describe('passwordModuleAfterBlock', () => {
  it('notices pam_unix or @include common-auth after the block (the code would be taken as the password)', () => {
    expect(passwordModuleAfterBlock(insertPamBlock('@include common-auth\n', block))).toBe(true);
    expect(
      passwordModuleAfterBlock(insertPamBlock('auth required pam_unix.so nullok\n', block)),
    ).toBe(true);
    expect(
      passwordModuleAfterBlock(
        insertPamBlock('# @include common-auth\naccount required pam_nologin.so\n', block),
      ),
    ).toBe(false);
    expect(passwordModuleAfterBlock(block)).toBe(false);
    expect(passwordModuleAfterBlock('@include common-auth\n')).toBe(false);
  });
});
