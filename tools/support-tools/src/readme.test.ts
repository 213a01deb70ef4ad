// The README documents every command the program has, each with an example: a `$ securemfa-tools
// <command>` line for every leaf command and a `### ` heading naming it, so a new command cannot
// ship undocumented and a renamed one cannot leave a stale example behind.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { BIN, createSupportToolsProgram } from './program.js';
import { memoryToolsIo } from './tools-io.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** Every runnable command as its words after the binary name, e.g. `users list`. */
function leafCommands(command: Command, prefix: readonly string[] = []): string[] {
  return command.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return sub.commands.length > 0 ? leafCommands(sub, path) : [path.join(' ')];
  });
}

const commands = leafCommands(createSupportToolsProgram(memoryToolsIo()));
/** `### users disable / enable / unlock` and the like. */
const headings = readme
  .split('\n')
  .filter((line) => line.startsWith('### '))
  .map((line) => line.slice(4).trim());
const examples = readme
  .split('\n')
  .filter((line) => line.startsWith(`$ ${BIN} `))
  .map((line) => line.slice(`$ ${BIN} `.length));

describe('support-tools README', () => {
  it('knows the program has commands (the walk found them)', () => {
    expect(commands).toEqual(
      expect.arrayContaining(['users list', 'store rekey', 'ad-schema status']),
    );
  });

  it.each(commands)('documents `%s` with an example', (command) => {
    expect(examples.some((e) => e === command || e.startsWith(`${command} `))).toBe(true);
    const [group, verb] = command.split(' ');
    const headed = headings.some(
      (h) =>
        h.startsWith(`${group} `) &&
        h
          .split(/[ /]+/)
          .slice(1)
          .includes(verb ?? ''),
    );
    expect(headed).toBe(true);
  });

  it('has no example of a command the program does not have', () => {
    const unknown = examples.filter((e) => !commands.some((c) => e === c || e.startsWith(`${c} `)));
    expect(unknown).toEqual([]);
  });
});
