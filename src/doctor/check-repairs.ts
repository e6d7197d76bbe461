/**
 * `doctor --fix` keeps the rule init keeps: before a repair edits a file, the project is
 * loaded as it is and with the repaired files (src/invariant), and the repair is made only
 * when every setting, URL name and "/" stays the same. Routes that would end up namespaced
 * or break the urlconf get the next placement; edits that still change something are left
 * to the user with the difference named. Installing and migrating are not affected.
 */
import type { ProjectModel } from '../discover/model.js';
import type { UrlPlacement } from '../integrate/context.js';
import { compareSnapshots, type Difference } from '../invariant/compare.js';
import { PLACEMENTS, snapshotAfter, snapshotBefore } from '../invariant/index.js';
import { planRepairs, type RepairPlan } from './repairs.js';
import type { DoctorResult } from './types.js';

export interface RepairCheck {
  status: 'passed' | 'failed' | 'static' | 'skipped';
  reason: string;
  placement: UrlPlacement;
  /** What the edits held back would have changed. */
  differences: Difference[];
}

export async function checkRepairs(
  model: ProjectModel,
  results: readonly DoctorResult[],
  plan: RepairPlan,
  run: { env: NodeJS.ProcessEnv; secrets: string[] },
): Promise<{ plan: RepairPlan; check: RepairCheck }> {
  if (plan.changes.length === 0) return { plan, check: { status: 'skipped', reason: 'no file to edit', placement: 'default', differences: [] } };
  const before = await snapshotBefore(model, run);
  if (!before.loaded) {
    return { plan, check: { status: 'static', reason: `the project's Python could not load the project (${before.error ?? 'unknown error'}); the repairs rest on static reading only`, placement: 'default', differences: [] } };
  }
  // As init does: the mirror is loaded with the interpreter a package manager's `run` runs.
  const mirrorModel: ProjectModel = model.python.command.length > 1 && before.executable ? { ...model, python: { ...model.python, command: [before.executable] } } : model;
  let placement: UrlPlacement = 'default';
  for (;;) {
    const routed = plan.steps.some((o) => o.id === 'urls.routes');
    const after = await snapshotAfter(mirrorModel, plan.changes, run);
    const differences = compareSnapshots(before, after, { routes: routed ? 'planned' : 'present', homePlanned: false, keysWritten: [] }).filter(
      (d) => d.kind !== 'keys' && (routed || d.kind !== 'routes'),
    );
    if (differences.length === 0) return { plan, check: { status: 'passed', reason: 'the project loads the same with the repaired files', placement, differences: [] } };
    const urlsOnly = differences.every((d) => d.kind === 'urls' || d.kind === 'routes');
    const next: UrlPlacement | undefined = PLACEMENTS[PLACEMENTS.indexOf(placement) + 1];
    if (routed && urlsOnly && next && next !== 'manual') {
      placement = next;
      plan = planRepairs(model, results, { urlPlacement: placement });
      continue;
    }
    // Hold every file edit back; say why on each repair that needed one.
    const reason = `the check before writing found that the edit would change the project: ${differences.map((d) => d.message).join('; ')}`;
    const held: RepairPlan = { ...plan, repairs: new Map(plan.repairs), refused: new Map(plan.refused), steps: [], changes: [] };
    for (const [id, what] of plan.repairs) {
      if (/^install them|^run /.test(what)) continue;
      held.repairs.delete(id);
      held.refused.set(id, reason);
    }
    return { plan: held, check: { status: 'failed', reason, placement, differences } };
  }
}
