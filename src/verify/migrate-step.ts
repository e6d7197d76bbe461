/**
 * `manage.py migrate` as the user should type it: with the project's own interpreter
 * (`uv run python`, `poetry run python`, `.venv/bin/python`), never a bare `python` that may
 * not be the project's. The checks in Python only know they ran; this side knows how.
 */
import { isAbsolute, relative, sep } from 'node:path';
import { shellCommand } from '../install/shell-quote.js';
import type { CheckResult, ProjectChecksReport } from './types.js';

const GENERIC = 'python manage.py migrate';

/** The migrate command from the project's folder (the one holding manage.py). */
export function migrateCommand(python: readonly string[], projectRoot: string): string {
  const [program, ...rest] = python;
  if (!program) return GENERIC;
  let shown = program;
  if (isAbsolute(program)) {
    const inside = relative(projectRoot, program);
    if (inside && !inside.startsWith('..') && !isAbsolute(inside)) shown = inside.split(sep).join('/');
  }
  return `${shellCommand([shown, ...rest])} manage.py migrate`;
}

/** True for a sessions-table result that asks for `migrate`. */
export function needsMigrate(check: Pick<CheckResult, 'id' | 'status' | 'fix'>): boolean {
  // The fix is the command alone (not "start the database, then run ...").
  return check.id === 'sessions-table' && check.status !== 'pass' && /^[^,]*manage\.py migrate$/.test(check.fix ?? '');
}

/** The report with the generic migrate command replaced by the project's own. */
export function withMigrateCommand(report: ProjectChecksReport, command: string): ProjectChecksReport {
  return {
    ...report,
    checks: report.checks.map((check) =>
      needsMigrate(check) ? { ...check, message: check.message.replace(GENERIC, command), fix: command } : check,
    ),
  };
}
