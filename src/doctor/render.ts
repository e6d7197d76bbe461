/** doctor's report: grouped by family for people, one flat list for programs (--json). */
import type { Palette } from '../util/output.js';
import { countChecks, displayPath, renderChecks, renderSummary, type CheckCounts } from '../verify/render.js';
import { FAMILIES, type DoctorResult, type Family } from './types.js';

/** The report by family; `problemsOnly` leaves out what passed (for the check after --fix). */
export function renderDoctorReport(results: readonly DoctorResult[], p: Palette, relativeTo: string, problemsOnly = false): string[] {
  const lines: string[] = [];
  for (const family of Object.keys(FAMILIES) as Family[]) {
    const mine = results.filter((r) => r.family === family && (!problemsOnly || r.status === 'fail' || r.status === 'warn'));
    if (mine.length === 0) continue;
    lines.push(p.bold(FAMILIES[family]));
    lines.push(...renderChecks(mine, { palette: p, relativeTo, detailLines: 8 }));
  }
  lines.push('', `  ${renderSummary(results, p)}`);
  return lines;
}

export interface DoctorCheckJson {
  id: string;
  family: Family;
  status: DoctorResult['status'];
  message: string;
  file: string | null;
  line: number | null;
  /** What `--fix` does about it, or the manual step. */
  fix: string | null;
  fixable: boolean;
  detail: string | null;
  /** The failing checks it was not judged because of. */
  blockedBy: string[] | null;
}

export function doctorChecksJson(results: readonly DoctorResult[], relativeTo: string): DoctorCheckJson[] {
  return results.map((r) => ({
    id: r.id,
    family: r.family,
    status: r.status,
    message: r.message,
    file: r.file ? displayPath(r.file, relativeTo) : null,
    line: r.line ?? null,
    fix: r.fix ?? null,
    fixable: r.fixable,
    detail: r.detail ?? null,
    blockedBy: r.blockedBy ?? null,
  }));
}

export function summary(results: readonly DoctorResult[]): CheckCounts {
  return countChecks(results);
}
