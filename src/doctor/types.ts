/**
 * What doctor's checks are made of. A check reads the project (and, through the shared
 * context, the one run of the project's own Python) and returns one result; the runner
 * isolates each check and applies the prerequisites, so that a failure is named once,
 * where it starts, and what it breaks further down is reported as not checked.
 */
import type { CheckResult, CheckStatus } from '../verify/types.js';
import type { DoctorContext } from './context.js';

export type { CheckResult, CheckStatus };

/** The families doctor groups its report by, in report order. */
export const FAMILIES = {
  python: 'Python environment',
  env: '.env and secrets',
  django: 'Django',
  sessions: 'Sessions',
  routes: 'Sign-in views and routes',
  code: 'Code',
  workos: 'WorkOS',
} as const;

export type Family = keyof typeof FAMILIES;

/**
 * What `doctor --fix` can do about a failing check without judgment: reuse an
 * integration step (the same edits init makes), install the packages, or migrate.
 */
export type Repair = 'gitignore' | 'load-dotenv' | 'sessions' | 'workos-settings' | 'url-routes' | 'install' | 'migrate';

/** A check's finding, before the runner adds its id. */
export type Outcome = Omit<CheckResult, 'id'> & { repair?: Repair };

export interface DoctorCheck {
  /** Stable, kebab-case id, the same in the report, --json and the tests. */
  id: string;
  family: Family;
  /**
   * Checks that must not fail for this one to mean anything. When one of them fails and
   * this one does not pass, this one is reported as `skip` ("not checked while X fails"),
   * with its own finding kept as detail: one failure, named once.
   */
  after?: readonly string[];
  run: (ctx: DoctorContext) => Promise<Outcome>;
  /**
   * For a check whose finding may only repeat others' (manage.py check listing the
   * admin's complaint about a missing SessionMiddleware): the failing checks that
   * account for all of it, or null when something is left.
   */
  explainedBy?: (outcome: Outcome, failing: ReadonlySet<string>) => string[] | null;
}

/** One check's outcome as doctor reports it. */
export interface DoctorResult extends CheckResult {
  family: Family;
  /** How --fix would repair it, when it is a failure --fix knows. */
  repair?: Repair;
  /** `doctor --fix` repairs it (the fix text then says how). */
  fixable: boolean;
  /** The ids of the failing prerequisites, when the check was not judged because of them. */
  blockedBy?: string[];
}

export function isProblem(status: CheckStatus): boolean {
  return status === 'fail' || status === 'warn';
}
