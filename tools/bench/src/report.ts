/**
 * Presents results: a console table, and bench-report.json / bench-report.md for CI artefacts
 * and pull requests.
 *
 * @module bench
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchReport, CaseResult, RatioResult, SuiteResult } from './types.js';

/** File names written in the output directory. */
export const REPORT_JSON = 'bench-report.json';
export const REPORT_MD = 'bench-report.md';

const ops = (n: number): string => Math.round(n).toLocaleString('en-US');
const ns = (n: number): string =>
  n >= 10_000 ? `${(n / 1000).toFixed(1)} µs` : `${Math.round(n)} ns`;

function ratioText(r: RatioResult): string {
  const value = `${r.value.toFixed(2)}x`;
  if (r.target === undefined) return value;
  return `${value} (target ≥ ${r.target}x: ${r.met === true ? 'met' : 'NOT met'})`;
}

function caseRow(c: CaseResult): string[] {
  return [
    c.title,
    ops(c.opsPerSec),
    ns(c.nsPerOp),
    `${ops(c.minOpsPerSec)}–${ops(c.maxOpsPerSec)}`,
    `${c.iterations.toLocaleString('en-US')}${c.capped ? ' (time cap)' : ''}`,
  ];
}

const HEADER = ['case', 'ops/s (median)', 'time/op', 'ops/s range', 'iterations'];

/**
 * A plain-text table of one suite, columns aligned, for the console.
 *
 * @param suite - measured suite
 * @returns the lines, without a trailing newline
 * @example
 * ```ts
 * process.stdout.write(formatSuiteTable(result) + '\n');
 * ```
 */
export function formatSuiteTable(suite: SuiteResult): string {
  const rows = [HEADER, ...suite.cases.map(caseRow)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  const out = [
    `${suite.title} [${suite.id}]`,
    line(HEADER),
    widths.map((w) => '-'.repeat(w)).join('  '),
  ];
  for (const r of rows.slice(1)) out.push(line(r));
  for (const r of suite.ratios) out.push(`ratio ${r.title}: ${ratioText(r)}`);
  return out.join('\n');
}

const mdCell = (text: string): string => text.replace(/\|/g, '\\|');

/**
 * The report as Markdown: machine, then one table per suite and its ratios.
 *
 * @param report - the run
 * @returns Markdown text ending in a newline
 * @example
 * ```ts
 * await writeFile('bench-report.md', toMarkdown(report));
 * ```
 */
export function toMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    '# Benchmark report',
    '',
    `Generated ${report.generatedAt} by \`npm run bench\` (tools/bench).`,
    '',
    '| machine | |',
    '| --- | --- |',
    `| OS | ${mdCell(m.os)} (${m.arch}) |`,
    `| CPU | ${mdCell(m.cpuModel)} × ${m.cpuCount} |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| Node | ${m.node} (V8 ${m.v8}, OpenSSL ${m.openssl}) |`,
    `| load average (1 min) at start | ${m.loadAverage1m} |`,
    '',
  ];
  for (const suite of report.suites) {
    lines.push(
      `## ${mdCell(suite.title)} (\`${suite.id}\`)`,
      '',
      `${suite.iterations.toLocaleString('en-US')} iterations per case in ${suite.rounds} interleaved rounds, ` +
        `time cap ${suite.maxMs.toLocaleString('en-US')} ms per case; ops/s of the median round.`,
      '',
      `| ${HEADER.join(' | ')} |`,
      `| --- | ${HEADER.slice(1)
        .map(() => '---:')
        .join(' | ')} |`,
      ...suite.cases.map((c) => `| ${caseRow(c).map(mdCell).join(' | ')} |`),
      '',
    );
    for (const r of suite.ratios) lines.push(`- **${mdCell(r.title)}**: ${ratioText(r)}`);
    if (suite.ratios.length > 0) lines.push('');
  }
  return lines.join('\n');
}

/**
 * Write bench-report.json and bench-report.md into `dir`.
 *
 * @param report - the run
 * @param dir - output directory (the CLI passes `process.cwd()`, the repo root under `npm run bench`)
 * @returns the two paths written
 * @example
 * ```ts
 * const [json, md] = await writeReports(report, process.cwd());
 * ```
 */
export async function writeReports(report: BenchReport, dir: string): Promise<[string, string]> {
  const json = join(dir, REPORT_JSON);
  const md = join(dir, REPORT_MD);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
  await writeFile(md, toMarkdown(report), 'utf8');
  return [json, md];
}
