/**
 * Presents results: a console table, and bench-report.json / bench-report.md for CI artefacts
 * and pull requests.
 *
 * @module bench
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  BenchFigure,
  BenchReport,
  BenchSuite,
  CaseResult,
  RatioResult,
  RequiredFigureRow,
  SuiteFailure,
  SuiteResult,
} from './types.js';

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

/** A figure's value as shown: rounded to what its size warrants, with its unit. */
export function figureValue(f: Pick<BenchFigure, 'value' | 'unit'>): string {
  const v = f.value;
  const abs = Math.abs(v);
  const digits = Number.isInteger(v) || abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const n = v.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return f.unit === '' ? n : `${n} ${f.unit}`;
}

function figureTarget(f: BenchFigure): string {
  if (f.target === undefined) return '';
  const t = `target ${f.target.op === '<=' ? '≤' : '≥'} ${figureValue({ value: f.target.value, unit: f.unit })}`;
  return `${t}: ${f.met === true ? 'met' : 'NOT met'}`;
}

/** An id, or a pattern for ids another issue's suite chose. */
type Want = string | RegExp;

/**
 * Where a required figure is found: a suite (id or pattern, since other issues name their own
 * suites) and in it a ratio, a figure, or the first case's ops/s.
 */
export interface RequiredFigureSpec {
  issue: number;
  title: string;
  target?: string;
  suite: string | RegExp;
  /** The ratio's id; a list is tried in order (the first that matches a ratio wins). */
  ratio?: Want | readonly Want[];
  figure?: Want | readonly Want[];
  /** Take the ops/s of this case (or of the first case when `true`). */
  case?: string | true;
  /** Multiply the case's ops/s by this (one op is a burst of `scale` items) … */
  scale?: number;
  /** … and show it in this unit (default `ops/s`). */
  unit?: string;
  /** Shown instead of "no suite registered" when the suite is known to come later. */
  pending?: string;
}

/**
 * Every figure the issues ask `npm run bench` for. A row whose suite is not in the run says
 * why (not registered, not selected, failed, soak not run), so a report never silently lacks
 * a number.
 */
export const REQUIRED_FIGURES: readonly RequiredFigureSpec[] = [
  {
    issue: 2,
    title: 'TOTP worst-case verify ÷ raw node:crypto HMAC (ops/s)',
    target: '≥ 0.7x',
    suite: 'totp',
    ratio: 'verify-vs-raw',
  },
  {
    issue: 2,
    title: 'in-process accept path ÷ bare SQLite conditional UPDATE (synchronous FULL)',
    target: '≥ 0.8x',
    suite: 'accept',
    ratio: 'accept-vs-bare',
  },
  {
    issue: 3,
    title: 'HTTP POST /adapter/end ÷ bare node:http (requests/s, 64 in flight)',
    target: '≥ 0.35x',
    suite: 'http',
    ratio: 'host-vs-bare',
  },
  {
    issue: 3,
    title: 'HTTP POST /adapter/end p99 latency',
    target: '≤ 15 ms',
    suite: 'http',
    figure: /p99/,
  },
  {
    issue: 4,
    title: 'SMTP delivery to a local server with the pooled transport (messages/s)',
    suite: /smtp|email|mail/,
    figure: /messages|msgs/,
    // benches/smtp.ts: one op = a burst of 20 code e-mails over the shipped pool.
    case: 'pool-5',
    scale: 20,
    unit: 'messages/s',
    pending: 'the e-mail OTP suite (issue 4) is not registered yet',
  },
  {
    issue: 7,
    title: 'accept path on PostgreSQL ÷ the raw driver’s conditional UPDATE',
    target: '≥ 0.8x (the suite’s own)',
    suite: /postgres|(^|-)pg(-|$)/,
    ratio: ['accept-vs-bare', /./],
    pending: 'the PostgreSQL accept-path suite (issue 7) is not registered yet',
  },
  {
    issue: 7,
    title: 'accept path on AD ÷ the raw LDAP delete-old/add-new modify',
    suite: /(^|-)ad(-|$)|ldap/,
    ratio: ['accept-vs-bare', /./],
    pending: 'the AD accept-path suite (issue 7) is not registered yet',
  },
  {
    issue: 7,
    title: 'SQLite accept path with 1,000,000 users ÷ with 1,000 users',
    target: '≥ 0.9x',
    suite: /1m|million|users/,
    ratio: ['flat', /./],
    pending: 'the SQLite 1k-vs-1M users suite (issue 7) is not registered yet',
  },
  {
    issue: 9,
    title: 'time to exhaust the 10^6 code space per user, shipped defaults, one node',
    suite: 'brute-force',
    figure: 'exhaust-defaults-days',
  },
  {
    issue: 9,
    title: 'time to exhaust the 10^6 code space per user, lockout 5 failures / 15 min',
    suite: 'brute-force',
    figure: 'exhaust-lockout-5-15-days',
  },
  {
    issue: 9,
    title: 'farm: accepts/s of two serve processes on one SQLite file ÷ one process',
    suite: 'farm',
    figure: 'two-vs-one',
  },
  {
    issue: 9,
    title:
      'soak: heap floor growth over the run (used heap after collections; mixed logins on loopback)',
    target: '≤ 5 MiB over the run',
    suite: 'soak',
    figure: 'heap-floor-growth-mib',
  },
  {
    issue: 9,
    title: 'soak: errors (network errors, 5xx, unexpected outcomes)',
    target: '= 0',
    suite: 'soak',
    figure: 'errors',
  },
];

const matches = (want: Want, id: string): boolean =>
  typeof want === 'string' ? want === id : want.test(id);

/** The first item matching the first preference that matches any item. */
function pick<T extends { id: string }>(
  items: readonly T[],
  wants: Want | readonly Want[] | undefined,
): T | undefined {
  if (wants === undefined) return undefined;
  const list: readonly Want[] = Array.isArray(wants) ? wants : [wants as Want];
  for (const want of list) {
    const hit = items.find((item) => matches(want, item.id));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * Find each required figure in a run.
 *
 * @param results - suites measured
 * @param registered - every registered suite (to tell "not selected" from "not registered")
 * @param failures - suites that failed
 * @param soak - whether soak suites were asked for
 * @returns one row per {@link REQUIRED_FIGURES} entry
 */
export function requiredFigures(
  results: readonly SuiteResult[],
  registered: readonly Pick<BenchSuite, 'id' | 'soak'>[],
  failures: readonly SuiteFailure[],
  soak: boolean,
): RequiredFigureRow[] {
  return REQUIRED_FIGURES.map((spec) => {
    const row: RequiredFigureRow = { issue: spec.issue, title: spec.title };
    if (spec.target !== undefined) row.target = spec.target;
    for (const suite of results.filter((r) => matches(spec.suite, r.id))) {
      const ratio = pick(suite.ratios, spec.ratio);
      if (ratio !== undefined) {
        return {
          ...row,
          value: `${ratio.value.toFixed(2)}x`,
          raw: ratio.value,
          ...(ratio.met === undefined ? {} : { met: ratio.met }),
          source: `${suite.id} / ratio ${ratio.id}`,
        };
      }
      const figure = pick(suite.figures, spec.figure);
      if (figure !== undefined) {
        return {
          ...row,
          value: figureValue(figure),
          raw: figure.value,
          ...(figure.met === undefined ? {} : { met: figure.met }),
          source: `${suite.id} / figure ${figure.id}`,
        };
      }
      const c =
        spec.case === undefined
          ? undefined
          : spec.case === true
            ? suite.cases[0]
            : suite.cases.find((x) => x.id === spec.case);
      if (c !== undefined) {
        const raw = c.opsPerSec * (spec.scale ?? 1);
        const how = spec.scale === undefined ? '' : ` × ${spec.scale}`;
        return {
          ...row,
          value: `${ops(raw)} ${spec.unit ?? 'ops/s'}`,
          raw,
          source: `${suite.id} / case ${c.id} (ops/s${how})`,
        };
      }
    }
    const failed = failures.find((f) => matches(spec.suite, f.id));
    if (failed !== undefined)
      return { ...row, missing: `suite ${failed.id} failed: ${failed.error}` };
    const known = registered.filter((r) => matches(spec.suite, r.id));
    if (known.length === 0)
      return { ...row, missing: spec.pending ?? 'no suite registered for it' };
    if (results.some((r) => matches(spec.suite, r.id))) {
      return { ...row, missing: spec.pending ?? 'the suite ran but did not report this figure' };
    }
    if (known.every((k) => k.soak === true) && !soak) {
      return { ...row, missing: 'the soak did not run (npm run bench -- --soak)' };
    }
    return {
      ...row,
      missing: `not selected in this run (suite ${known.map((k) => k.id).join(', ')})`,
    };
  });
}

function requiredStatus(r: RequiredFigureRow): string {
  if (r.missing !== undefined) return `not measured: ${r.missing}`;
  if (r.met === undefined)
    return r.target === undefined ? 'measured' : 'measured (target not checked)';
  return r.met ? 'met' : 'NOT met';
}

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
  const out = [`${suite.title} [${suite.id}]`];
  if (suite.cases.length > 0) {
    out.push(line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows.slice(1)) out.push(line(r));
  }
  for (const r of suite.ratios) out.push(`ratio ${r.title}: ${ratioText(r)}`);
  for (const f of suite.figures) {
    const target = figureTarget(f);
    out.push(`${f.title}: ${figureValue(f)}${target === '' ? '' : ` (${target})`}`);
  }
  return out.join('\n');
}

const mdCell = (text: string): string => text.replace(/\|/g, '\\|');

/**
 * The report as Markdown: machine, the figures the issues ask for (value, target, or why it is
 * missing), failed suites, then one section per suite: its cases, ratios and figures.
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
    `| arguments | ${report.argv.length === 0 ? '(none)' : mdCell(report.argv.join(' '))} |`,
    '',
    '## Figures the issues ask for',
    '',
    '| issue | figure | value | target | status | from |',
    '| ---: | --- | ---: | --- | --- | --- |',
    ...report.required.map(
      (r) =>
        `| ${r.issue} | ${mdCell(r.title)} | ${r.value ?? '—'} | ${mdCell(r.target ?? '')} | ${mdCell(requiredStatus(r))} | ${mdCell(r.source ?? '')} |`,
    ),
    '',
  ];
  if (report.failures.length > 0) {
    lines.push('## Suites that failed', '');
    for (const f of report.failures)
      lines.push(`- \`${f.id}\` (${mdCell(f.title)}): ${mdCell(f.error)}`);
    lines.push('');
  }
  for (const suite of report.suites) {
    lines.push(`## ${mdCell(suite.title)} (\`${suite.id}\`)`, '');
    if (suite.cases.length > 0) {
      lines.push(
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
    }
    for (const r of suite.ratios) lines.push(`- **${mdCell(r.title)}**: ${ratioText(r)}`);
    if (suite.ratios.length > 0) lines.push('');
    if (suite.figures.length > 0) {
      lines.push('| figure | value | target | how |', '| --- | ---: | --- | --- |');
      for (const f of suite.figures) {
        lines.push(
          `| ${mdCell(f.title)} | ${figureValue(f)} | ${mdCell(figureTarget(f))} | ${mdCell(f.note ?? '')} |`,
        );
      }
      lines.push('');
    }
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
