/**
 * The result types every check shares: the ones run in the project's Python after
 * `init` applies, and the static ones `doctor` adds by reading files.
 */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export const CHECK_STATUSES: readonly CheckStatus[] = ['pass', 'fail', 'warn', 'skip'];

export interface CheckResult {
  /** Stable, kebab-case identifier (`import-workos`, `api-key`, `login-redirect`, ...). */
  id: string;
  status: CheckStatus;
  /** One or two plain sentences; never a secret. */
  message: string;
  /** Longer text worth showing under the message (Django's own check output, a Location header). */
  detail?: string;
  /** Absolute path of the file the problem is in, when there is one. */
  file?: string;
  line?: number;
  /** What fixes it: the command to run, or the manual step. */
  fix?: string;
}

/** The values to register in the WorkOS dashboard. */
export interface DashboardValues {
  redirectUri: string;
  signInEndpoint: string;
  logoutRedirect: string;
  /** The host these values assume (`localhost:8000`), one the project's ALLOWED_HOSTS accepts. */
  host?: string;
  /** Why that host and not the one asked for, when they differ. */
  hostNote?: string;
}

/** What one run of the project checks found. */
export interface ProjectChecksReport {
  /** The command that ran the checks, as the user would type it (`/p/.venv/bin/python`, `uv run python`). */
  interpreter: string;
  /** False when the project's Python could not be run or gave no report; `checks` then says why. */
  ran: boolean;
  /** sys.executable as the project's Python saw it. */
  python: string | null;
  pythonVersion: string | null;
  django: string | null;
  workos: string | null;
  checks: CheckResult[];
  dashboard: DashboardValues | null;
  /** What the login flow needs, asked of Django (null when the settings did not load). */
  flowFacts?: FlowFacts | null;
}

/** A route of ours as Django reverses it. */
export interface RoutePath {
  path: string;
  /** The name that reversed: `workos_login`, or `app:workos_login` when it only works namespaced. */
  name: string;
}

/** What the flow needs to know about the project, from the project's own Python. */
export interface FlowFacts {
  /** By URL name (workos_login, workos_callback, workos_logout, workos_me): only those that reverse. */
  routes: Partial<Record<'workos_login' | 'workos_callback' | 'workos_logout' | 'workos_me', RoutePath>>;
  /** "/" is served by the home view authkit-django generated. */
  homeGenerated: boolean;
  csrf: { cookieName: string; header: string; useSessions: boolean };
  error: string | null;
}
