/** doctor's report: grouped by family for people, one flat list for programs (--json). */
import type { Palette } from '../util/output.js';
import { checksJson, countChecks, renderChecks, renderSummary, type CheckCounts, type CheckJson } from '../verify/render.js';
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

/** A check as `--json` prints it: the shared check fields plus doctor's own. */
export interface DoctorCheckJson extends CheckJson {
  family: Family;
  /** `doctor --fix` repairs it (`fix` then says how). */
  fixable: boolean;
  /** The failing checks it was not judged because of. */
  blockedBy: string[] | null;
}

export function doctorChecksJson(results: readonly DoctorResult[], relativeTo: string): DoctorCheckJson[] {
  return checksJson(results, relativeTo).map((json, i) => {
    const r = results[i]!;
    return { ...json, family: r.family, fixable: r.fixable, blockedBy: r.blockedBy ?? null };
  });
}

export function summary(results: readonly DoctorResult[]): CheckCounts {
  return countChecks(results);
}
