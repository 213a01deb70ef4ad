// The README's key table is the key list: every key (its flag, default, secrecy and seed) has its
// row, in order, so the documentation cannot drift from what `install` accepts.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { AGENT_KEY_NAMES, AGENT_KEYS, type AgentKey } from './config/agent-keys.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const table = readme.slice(
  readme.indexOf('<!-- win-otp-keys:start -->'),
  readme.indexOf('<!-- win-otp-keys:end -->'),
);
const rows = table.split('\n').filter((l) => l.startsWith('| `'));

describe('README key table', () => {
  it('has one row per key, in order', () => {
    expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)?.[1])).toEqual(AGENT_KEY_NAMES);
  });

  it.each(AGENT_KEY_NAMES)('%s: flag, default, secret, seed and description', (name) => {
    const k = AGENT_KEYS[name] as AgentKey;
    const cells = rows.find((r) => r.startsWith(`| \`${name}\` |`))!.split(' | ');
    const managed = name === 'pam_service' || name === 'pam_file';
    expect(cells[1]).toBe(managed ? '(install)' : `\`--${k.flag}\``);
    expect(cells[2]).toBe(k.default === '' ? '(empty)' : `\`${String(k.default)}\``);
    expect(cells[3]).toBe(k.secret === true ? 'yes' : '');
    expect(cells[4]).toBe(k.seed === true ? '004' : 'new');
    expect(cells[5]).toContain(k.description);
    for (const alias of k.aliases ?? []) expect(cells[5]).toContain(`\`${alias}\``);
  });
});
