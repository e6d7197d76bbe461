/**
 * The one run of the project's own Python that doctor makes: python/authkit_django_checks in
 * doctor mode (AUTHKIT_DJANGO_DOCTOR=1), which adds the runtime checks only doctor needs
 * (middleware order, session engine, the views found by their code, what the callback
 * answers to a GET, the SDK calls against the installed SDK) and accepts integrations
 * written by hand. Every check that comes from it is turned into a doctor check here.
 */
import type { ProjectModel } from '../discover/model.js';
import type { CheckResult, ProjectChecksReport } from '../verify/types.js';
import { runProjectChecks } from '../verify/run-project-checks.js';
import type { DoctorContext } from './context.js';
import type { DoctorCheck, Family, Outcome, Repair } from './types.js';

/** Set for the project's Python: the checks package then runs its doctor checks too. */
export const DOCTOR_VARIABLE = 'AUTHKIT_DJANGO_DOCTOR';

export function runDoctorProjectChecks(model: ProjectModel, env: NodeJS.ProcessEnv): Promise<ProjectChecksReport> {
  return runProjectChecks(model, { env: { ...env, [DOCTOR_VARIABLE]: '1' } });
}

/** A check's result without its id (doctor's runner puts ids back). */
export function withoutId(check: CheckResult): Outcome {
  const { id: _id, ...rest } = check;
  return rest;
}

/** The result of one of the project's Python checks, or why there is none. */
export async function reportedCheck(ctx: DoctorContext, id: string): Promise<Outcome> {
  const report = await ctx.projectReport();
  if (!report.ran) return { status: 'skip', message: "not checked: the project's Python did not run" };
  const found = report.checks.find((c) => c.id === id);
  if (!found) return { status: 'skip', message: "not reported by the project's Python" };
  return withoutId(found);
}

export interface ReportedCheckOptions {
  /** Adds what only the static model knows (the file and line of a setting). */
  refine?: (outcome: Outcome, ctx: DoctorContext) => Outcome;
  /** When the failure is one --fix repairs: which repair (decided from Python's finding). */
  repair?: (outcome: Outcome) => Repair | null;
}

/** A doctor check that is one of the project's Python checks. */
export function fromProjectReport(id: string, family: Family, after: readonly string[], options: ReportedCheckOptions = {}): DoctorCheck {
  return {
    id,
    family,
    after,
    run: async (ctx) => {
      let outcome = await reportedCheck(ctx, id);
      if (outcome.status === 'skip') return outcome;
      if (options.refine) outcome = options.refine(outcome, ctx);
      // A missing sessions table is a warning (a step for the user, as init says) that --fix can do.
      const candidate = outcome.status === 'fail' || outcome.status === 'warn' ? options.repair?.(outcome) : null;
      const repair = outcome.status === 'warn' && candidate !== 'migrate' ? null : candidate;
      return repair ? { ...outcome, repair } : outcome;
    },
  };
}

/** Points a settings problem at the assignment of `name` when Python could only name the file. */
export function atSetting(outcome: Outcome, ctx: DoctorContext, name: string): Outcome {
  if (outcome.status === 'pass' || outcome.line) return outcome;
  const place = ctx.model.settingPlaces[name];
  return place ? { ...outcome, file: place.file, line: place.line } : outcome;
}
