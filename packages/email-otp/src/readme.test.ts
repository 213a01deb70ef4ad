// The README's key table is the generated one (configKeyTable of @securemfa/core, from the
// schema's descriptions and defaults), so the documentation of every key cannot drift; and the
// README documents every command, the exit codes and the events.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { configKeyTable, providerKeys } from '@securemfa/core';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const BEGIN = '<!-- keys:begin -->\n';
const END = '<!-- keys:end -->';

describe('README', () => {
  it('holds the generated key table of SecureMfaEmailOtpProvider.json', () => {
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start + BEGIN.length, end).trim()).toBe(configKeyTable('email-otp').trim());
  });

  it('has a row for every key', () => {
    for (const k of providerKeys('email-otp')) expect(readme).toContain(`| \`${k.name}\` |`);
  });

  it('documents every command, the exit codes and the events', () => {
    for (const command of [
      'config init',
      'config check',
      'install',
      'verify',
      'serve',
      '--demo',
      'uninstall',
    ]) {
      expect(readme).toContain(
        `securemfa-email-otp ${command.startsWith('--') ? 'serve ' : ''}${command}`,
      );
    }
    expect(readme).toMatch(/\*\*Exit codes:\*\* `0`[^\n]*`1`[^\n]*\n[^\n]*`2`/);
    for (const id of [5550, 5551, 5552, 5553, 5556, 5557]) expect(readme).toContain(`| ${id} `);
  });
});
