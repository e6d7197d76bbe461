/**
 * The login-flow report for people (one line per step with its reason, Django's output
 * under a failure) and for `--json`. Secrets never get here: the steps hold URLs and
 * statuses, and runserver's output was redacted when it was captured.
 */
import type { Palette } from '../util/output.js';
import { wrapText } from '../util/output.js';
import type { FlowStep, StepStatus } from './login-flow.js';
import type { FlowReport } from './verify-flow.js';

const SYMBOL: Record<StepStatus, string> = { pass: '✓', fail: '✗', skip: '-' };
const DETAIL_LINES = 25;

export function renderFlowReport(report: FlowReport, p: Palette, width = Infinity): string[] {
  const where = report.site ? ` at ${report.site}` : '';
  const lines = wrapText(`Login flow${where} (WorkOS emulator, test user ${report.user}):`, width, width - 2).map((line, i) => (i === 0 ? p.bold(line) : `  ${p.bold(line)}`));
  for (const note of report.notes) wrapText(note, width - 4, width - 4).forEach((line, i) => lines.push(i === 0 ? `  ${p.yellow('!')} ${line}` : `    ${line}`));
  for (const step of report.steps) lines.push(...renderStep(step, p, width));
  lines.push(`  ${flowSummary(report, p)}`);
  return lines;
}

function renderStep(step: FlowStep, p: Palette, width: number): string[] {
  const paint = step.status === 'pass' ? p.green : step.status === 'fail' ? p.red : p.dim;
  if (step.status === 'skip') return [`  ${paint(SYMBOL.skip)} ${p.dim(`${step.title} (${step.reason})`)} ${p.dim(`[${step.id}]`)}`];
  const tag = `[${step.id}]`;
  const lines = wrapText(`${step.title} ${tag}`, width - 4, width - 4).map((line, i, all) => {
    const text = i === all.length - 1 && line.endsWith(tag) ? `${line.slice(0, -tag.length)}${p.dim(tag)}` : line;
    return i === 0 ? `  ${paint(SYMBOL[step.status])} ${text}` : `    ${text}`;
  });
  // The reason is the evidence: wrapped to the terminal, never cut (all of it is in --json too).
  wrapText(step.reason, width - 6, width - 8).forEach((line, i) => lines.push(`${i === 0 ? '      ' : '        '}${p.dim(line)}`));
  if (step.status === 'fail' && step.detail) {
    const detail = step.detail.split('\n');
    for (const line of detail.slice(-DETAIL_LINES)) lines.push(`      ${p.dim(line)}`);
  }
  return lines;
}

export function flowSummary(report: FlowReport, p: Palette): string {
  const passed = report.steps.filter((s) => s.status === 'pass').length;
  const failed = report.steps.filter((s) => s.status === 'fail').length;
  const skipped = report.steps.filter((s) => s.status === 'skip').length;
  const seconds = (report.durationMs / 1000).toFixed(1);
  const parts = [p.green(`${passed} passed`)];
  if (failed) parts.push(p.red(`${failed} failed`));
  if (skipped) parts.push(p.dim(`${skipped} skipped`));
  const verdict = report.ok ? p.green('the login flow works') : p.red('the login flow does not work');
  return `${verdict}: ${parts.join(', ')} in ${seconds} s`;
}

export interface FlowJson {
  ok: boolean;
  site: string | null;
  emulator: FlowReport['emulator'];
  user: string;
  interpreter: string;
  database: FlowReport['database'];
  notes: string[];
  summary: Record<StepStatus, number>;
  /** The steps as they are, with `detail` always present (null when none). */
  steps: (Omit<FlowStep, 'detail'> & { detail: string | null })[];
  durationMs: number;
}

export function flowJson(report: FlowReport): FlowJson {
  const summary: Record<StepStatus, number> = { pass: 0, fail: 0, skip: 0 };
  for (const step of report.steps) summary[step.status] += 1;
  return {
    ok: report.ok,
    site: report.site,
    emulator: report.emulator,
    user: report.user,
    interpreter: report.interpreter,
    database: report.database,
    notes: report.notes,
    summary,
    steps: report.steps.map((s) => ({ ...s, detail: s.detail ?? null })),
    durationMs: report.durationMs,
  };
}
