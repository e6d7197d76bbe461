/** The invariant's result for people (a few lines under the plan) and for --json. */
import type { Palette } from '../util/output.js';
import type { DifferenceReport, InvariantReport } from './index.js';

function where(d: DifferenceReport, display: (file: string) => string): string {
  return d.file ? ` (${d.step}, ${display(d.file)}${d.line ? `:${d.line}` : ''})` : '';
}

export function renderInvariant(report: InvariantReport, interpreter: string, display: (file: string) => string, p: Palette): string[] {
  const lines: string[] = [];
  const time = p.dim(`(${report.durationMs} ms)`);
  switch (report.status) {
    case 'skipped':
      lines.push(p.dim(`Check before writing: skipped (${report.reason}); the project was not loaded to compare before and after.`));
      break;
    case 'static':
      lines.push(p.yellow(`Check before writing: static checks only. ${report.reason}.`));
      break;
    case 'passed':
      lines.push(`${p.green('Checked before writing')} with ${interpreter}: ${report.reason}. ${time}`);
      break;
    case 'failed':
      lines.push(`${p.red('Check before writing')} with ${interpreter}: ${report.reason}. ${time}`);
      break;
  }
  // What earlier placements would have changed, and what was done instead.
  for (const attempt of report.status === 'failed' ? report.attempts : report.attempts.slice(0, -1)) {
    lines.push(p.dim(`  with routes placed "${attempt.placement}"${attempt.home === 'planned' ? ' and a home route' : ''}:`));
    for (const d of attempt.differences) lines.push(`    ${d.kind === 'keys' ? p.yellow('!') : p.red('x')} ${d.message}${p.dim(where(d, display))}`);
  }
  for (const note of report.notes) lines.push(p.dim(`  note: ${note}`));
  return lines;
}

export function invariantJson(report: InvariantReport, rel: (file: string) => string): Record<string, unknown> {
  const diff = (d: DifferenceReport) => ({ kind: d.kind, subject: d.subject, message: d.message, step: d.step, file: d.file ? rel(d.file) : null, line: d.line });
  return {
    status: report.status,
    reason: report.reason,
    durationMs: report.durationMs,
    differences: report.differences.map(diff),
    attempts: report.attempts.map((a) => ({ placement: a.placement, home: a.home, differences: a.differences.map(diff) })),
    notes: report.notes,
  };
}
