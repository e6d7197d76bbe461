/**
 * Check results for people (one colored line per check, then the values to register
 * in the WorkOS dashboard) and for `--json` reports (paths relative to the folder the
 * user named). Shared by `init` and `doctor`, which adds its own static checks.
 */
import { isAbsolute, relative } from 'node:path';
import { wrapText, type Palette, type Paint } from '../util/output.js';
import type { CheckResult, CheckStatus, DashboardValues, ProjectChecksReport } from './types.js';

export interface RenderOptions {
  palette: Palette;
  /** Show file paths relative to this folder (the one the user named). */
  relativeTo?: string;
  /** How many lines of a failing check's detail to show (default 12). */
  detailLines?: number;
  /** Show the values to register in the WorkOS dashboard (default true; dev runs on the emulator). */
  dashboard?: boolean;
  /** Keep every line under this many columns (a terminal's width; default: no limit). */
  width?: number;
}

const SYMBOL: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

function paintFor(status: CheckStatus, p: Palette): Paint {
  return { pass: p.green, fail: p.red, warn: p.yellow, skip: p.dim }[status];
}

export function displayPath(file: string, relativeTo?: string): string {
  if (!relativeTo || !isAbsolute(file)) return file;
  const rel = relative(relativeTo, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

export function renderChecks(checks: readonly CheckResult[], opts: RenderOptions): string[] {
  const p = opts.palette;
  const maxDetail = opts.detailLines ?? 12;
  const lines: string[] = [];
  for (const check of checks) {
    const paint = paintFor(check.status, p);
    const tag = ` [${check.id}]`;
    const room = (opts.width ?? Infinity) - 4 - tag.length;
    if (check.status === 'fail' || check.status === 'warn') {
      // A problem is read in full: wrapped, never cut.
      const wrapped = wrapText(`${check.message}${tag}`, room + tag.length, (opts.width ?? Infinity) - 6);
      const dimTag = (line: string, i: number) => (i === wrapped.length - 1 && line.endsWith(tag.trim()) ? `${line.slice(0, -tag.trim().length)}${p.dim(tag.trim())}` : line);
      wrapped.forEach((line, i) => lines.push(`${i === 0 ? `  ${paint(SYMBOL[check.status])} ` : '      '}${dimTag(line, i)}`));
    } else {
      // A pass is one line; the whole message is in --json.
      const text = shorten(check.message, room);
      lines.push(`  ${paint(SYMBOL[check.status])} ${check.status === 'skip' ? p.dim(text) : text} ${p.dim(tag.trim())}`);
    }
    if (check.status !== 'fail' && check.status !== 'warn') continue;
    if (check.file) {
      const where = check.line ? `${displayPath(check.file, opts.relativeTo)}:${check.line}` : displayPath(check.file, opts.relativeTo);
      lines.push(`      ${p.dim('at')} ${where}`);
    }
    if (check.detail) {
      const detail = check.detail.split('\n');
      // Django's own text (tracebacks, check output): cut to the width, whole in --json.
      for (const line of detail.slice(0, maxDetail)) lines.push(`      ${p.dim(shorten(line, (opts.width ?? Infinity) - 6))}`);
      if (detail.length > maxDetail) lines.push(`      ${p.dim(`... ${detail.length - maxDetail} more lines`)}`);
    }
    if (check.fix) {
      const [first = '', ...rest] = wrapText(check.fix, (opts.width ?? Infinity) - 11, (opts.width ?? Infinity) - 11);
      lines.push(`      ${p.cyan('fix:')} ${first}`);
      for (const line of rest) lines.push(`           ${line}`);
    }
  }
  return lines;
}

/** `text` cut to `room` columns at a word, with an ellipsis; as it is when it fits. */
export function shorten(text: string, room: number): string {
  if (text.length <= room || room < 20) return text;
  const cut = text.slice(0, room - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > room / 2 ? cut.slice(0, space) : cut).replace(/[,;:(\s]+$/, '')}…`;
}

export type CheckCounts = Record<CheckStatus, number>;

export function countChecks(checks: readonly CheckResult[]): CheckCounts {
  const counts: CheckCounts = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const check of checks) counts[check.status] += 1;
  return counts;
}

export function renderSummary(checks: readonly CheckResult[], p: Palette): string {
  const c = countChecks(checks);
  const parts = [p.green(`${c.pass} passed`)];
  if (c.fail) parts.push(p.red(`${c.fail} failed`));
  if (c.warn) parts.push(p.yellow(`${c.warn} warning${c.warn === 1 ? '' : 's'}`));
  if (c.skip) parts.push(p.dim(`${c.skip} skipped`));
  return parts.join(', ');
}

export function renderDashboard(values: DashboardValues, p: Palette): string[] {
  return [
    p.bold('Register in the WorkOS dashboard (Redirects):'),
    `  Redirect URI       ${p.cyan(values.redirectUri)}`,
    `  Sign-in endpoint   ${p.cyan(values.signInEndpoint)}`,
    `  Logout redirect    ${p.cyan(values.logoutRedirect)}`,
    ...(values.host ? [p.dim(`  (for the host ${values.host}${values.hostNote ? `: ${values.hostNote}` : ''})`)] : []),
  ];
}

/** The whole human report of a project checks run: checks, summary, dashboard values. */
export function renderProjectChecks(report: ProjectChecksReport, opts: RenderOptions): string[] {
  const lines = [
    opts.palette.bold(`Checks (${report.interpreter}):`),
    ...renderChecks(report.checks, opts),
    `  ${renderSummary(report.checks, opts.palette)}`,
  ];
  if (report.dashboard && opts.dashboard !== false) lines.push('', ...renderDashboard(report.dashboard, opts.palette));
  return lines;
}

/** One check as `--json` reports it. */
export interface CheckJson {
  id: string;
  status: CheckStatus;
  message: string;
  file: string | null;
  line: number | null;
  fix: string | null;
  detail: string | null;
}

export function checksJson(checks: readonly CheckResult[], relativeTo?: string): CheckJson[] {
  return checks.map((check) => ({
    id: check.id,
    status: check.status,
    message: check.message,
    file: check.file ? displayPath(check.file, relativeTo) : null,
    line: check.line ?? null,
    fix: check.fix ?? null,
    detail: check.detail ?? null,
  }));
}

export interface ProjectChecksJson {
  interpreter: string;
  python: string | null;
  pythonVersion: string | null;
  django: string | null;
  workos: string | null;
  summary: CheckCounts;
  checks: CheckJson[];
  dashboard: DashboardValues | null;
}

export function projectChecksJson(report: ProjectChecksReport, relativeTo?: string): ProjectChecksJson {
  return {
    interpreter: report.interpreter,
    python: report.python,
    pythonVersion: report.pythonVersion,
    django: report.django,
    workos: report.workos,
    summary: countChecks(report.checks),
    checks: checksJson(report.checks, relativeTo),
    dashboard: report.dashboard,
  };
}
