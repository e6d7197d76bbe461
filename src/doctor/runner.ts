/**
 * Runs doctor's checks: all at once (most wait on the same run of the project's Python),
 * each isolated, so a check that throws is reported as that check failing with its error
 * while the others still run. Then, in registry order, a check whose prerequisite failed
 * (or was itself held back by one) is reported as not checked, naming the failure to fix
 * first: one problem, reported where it starts.
 */
import type { DoctorContext } from './context.js';
import type { DoctorCheck, DoctorResult, Outcome } from './types.js';

async function runIsolated(check: DoctorCheck, ctx: DoctorContext): Promise<Outcome & { id: string }> {
  try {
    const outcome = await check.run(ctx);
    return { ...outcome, id: check.id };
  } catch (error) {
    const err = error as Error;
    return {
      id: check.id,
      status: 'fail',
      message: `the ${check.id} check crashed: ${err?.message ?? String(error)}`,
      ...(err?.stack ? { detail: err.stack.split('\n').slice(0, 6).join('\n') } : {}),
      fix: 'this is a bug in authkit-django doctor; the other checks are not affected',
    };
  }
}

export async function runDoctorChecks(checks: readonly DoctorCheck[], ctx: DoctorContext): Promise<DoctorResult[]> {
  const raw = await Promise.all(checks.map((check) => runIsolated(check, ctx)));
  return applyPrerequisites(checks, raw);
}

/**
 * Holds back the findings that only follow from an earlier failure. `roots` maps each
 * check to the failures it waits on: its own failure, or the roots of a prerequisite
 * that was held back. Then a check whose finding other failures fully account for (see
 * `explainedBy`) is held back too: that pass comes last, as its explanations may come
 * from checks listed after it.
 */
export function applyPrerequisites(checks: readonly DoctorCheck[], raw: readonly (Outcome & { id: string })[]): DoctorResult[] {
  const roots = new Map<string, string[]>();
  const out: DoctorResult[] = [];
  checks.forEach((check, i) => {
    const result = raw[i]!;
    const blockers = new Set<string>();
    for (const id of check.after ?? []) for (const root of roots.get(id) ?? []) blockers.add(root);
    const judged = result.status === 'fail' || result.status === 'warn';
    if (judged && blockers.size > 0) {
      out.push(heldBack(check, result, [...blockers]));
      roots.set(check.id, [...blockers]);
      return;
    }
    if (result.status === 'fail') roots.set(check.id, [check.id]);
    if (result.status === 'skip' && blockers.size > 0) {
      // A prerequisite failed and this one could not even look: keep its reason, note the cause.
      roots.set(check.id, [...blockers]);
      out.push({ ...result, family: check.family, fixable: false, blockedBy: [...blockers] });
      return;
    }
    out.push({ ...result, family: check.family, fixable: false });
  });
  const failing = new Set(out.filter((r) => r.status === 'fail').map((r) => r.id));
  return out.map((result, i) => {
    const check = checks[i]!;
    if (!check.explainedBy || (result.status !== 'fail' && result.status !== 'warn')) return result;
    failing.delete(check.id);
    const by = check.explainedBy(result, failing);
    failing.add(check.id);
    return by ? heldBack(check, result, by) : result;
  });
}

function heldBack(check: DoctorCheck, result: Outcome, by: string[]): DoctorResult {
  return {
    id: check.id,
    family: check.family,
    status: 'skip',
    message: `not checked while ${by.join(', ')} fail${by.length === 1 ? 's' : ''}: fix ${by.length === 1 ? 'that' : 'those'} first`,
    detail: result.message + (result.detail ? `\n${result.detail}` : ''),
    fixable: false,
    blockedBy: by,
  };
}
