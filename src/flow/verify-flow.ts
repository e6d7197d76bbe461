/**
 * `verify --flow` without the command line: start the emulator and runserver, run the
 * login flow over HTTP, stop both (whatever happened), and return one report whose first
 * two steps say whether each started. Only a missing emulator is an exception
 * (EmulatorUnavailable): then nothing was started and there is nothing to report.
 */
import type { ProjectChecksReport } from '../verify/types.js';
import { loadEmulator, type LoadedEmulator } from './emulator-loader.js';
import { DEFAULT_TEST_USER } from './emulator.js';
import { LocalSiteStartError, startLocalSite, type LocalSite } from './local-site.js';
import { FLOW_STEPS, runLoginFlow, type FlowStep } from './login-flow.js';
import { RunserverError, type RunserverProject } from './runserver.js';

export interface FlowReport {
  /** Every step passed. */
  ok: boolean;
  /** The site's URL while it ran, e.g. http://localhost:54321. */
  site: string | null;
  emulator: { url: string; version: string; source: LoadedEmulator['source'] } | null;
  /** The seeded user the flow signs in as. */
  user: string;
  /** The interpreter runserver ran with. */
  interpreter: string;
  notes: string[];
  steps: FlowStep[];
  durationMs: number;
}

export interface VerifyFlowOptions {
  /** The environment runserver starts from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** An emulator already found (default: looked up for the project). */
  loaded?: LoadedEmulator;
  startTimeoutMs?: number;
}

const START_STEPS = [
  ['emulator', "WorkOS's emulator answers"],
  ['runserver', 'manage.py runserver answers on localhost'],
] as const;

function skipped(reason: string): FlowStep[] {
  return FLOW_STEPS.map(([id, title]) => ({ id, title, status: 'skip' as const, reason, httpStatus: null, location: null, durationMs: 0 }));
}

/**
 * Why the flow should not run at all, from the project checks: only the ones whose
 * failure would make the flow fail for a reason the checks already explain better.
 */
export function flowBlocker(checks: ProjectChecksReport): string | null {
  const failing = checks.checks.filter((c) => c.status === 'fail' && ['python', 'import-django', 'import-workos', 'import-dotenv', 'settings', 'url-names'].includes(c.id));
  if (failing.length > 0) return `the checks above failed (${failing.map((c) => c.id).join(', ')})`;
  const table = checks.checks.find((c) => c.id === 'sessions-table');
  if (table && table.status === 'warn') return table.message;
  // runserver gives each thread its own in-memory database: a session stored by one
  // request is gone in the next, so the flow could only fail.
  if (table && table.status === 'skip' && /in memory/.test(table.message)) {
    return `${table.message}: sessions stored there do not survive from one request to the next; use a file or server database`;
  }
  return null;
}

export async function verifyLoginFlow(project: RunserverProject, options: VerifyFlowOptions = {}): Promise<FlowReport> {
  const started = performance.now();
  const loaded = options.loaded ?? (await loadEmulator({ projectRoot: project.projectRoot, ...(options.env ? { env: options.env } : {}) }));
  const interpreter = project.python.command.join(' ');
  const steps: FlowStep[] = [];
  const report = (site: LocalSite | null, notes: string[], emulatorUrl: string | null): FlowReport => ({
    ok: steps.every((s) => s.status === 'pass'),
    site: site?.server.url ?? null,
    emulator: emulatorUrl ? { url: emulatorUrl, version: loaded.version, source: loaded.source } : null,
    user: site?.emulator.user.email ?? DEFAULT_TEST_USER.email,
    interpreter,
    notes,
    steps,
    durationMs: Math.round(performance.now() - started),
  });

  let site: LocalSite;
  const startedAt = performance.now();
  try {
    site = await startLocalSite(project, {
      loaded,
      ...(options.env ? { env: options.env } : {}),
      ...(options.startTimeoutMs ? { startTimeoutMs: options.startTimeoutMs } : {}),
    });
  } catch (error) {
    if (!(error instanceof LocalSiteStartError)) throw error;
    const elapsed = Math.round(performance.now() - startedAt);
    const detail = error.failure instanceof RunserverError ? error.failure.detail : undefined;
    const hint = error.failure instanceof RunserverError ? error.failure.hint : undefined;
    const failure = (id: string, title: string): FlowStep => ({
      id,
      title,
      status: 'fail',
      reason: `${error.failure.message}${hint ? `. ${hint}` : ''}`,
      httpStatus: null,
      location: null,
      ...(detail ? { detail } : {}),
      durationMs: elapsed,
    });
    if (error.stage === 'emulator') {
      steps.push(failure(...START_STEPS[0]));
      steps.push({ id: START_STEPS[1][0], title: START_STEPS[1][1], status: 'skip', reason: 'not run: the emulator did not start', httpStatus: null, location: null, durationMs: 0 });
    } else {
      steps.push({ id: START_STEPS[0][0], title: START_STEPS[0][1], status: 'pass', reason: `WorkOS's emulator (workos ${loaded.version}) answered at ${error.emulatorUrl}`, httpStatus: 200, location: null, durationMs: 0 });
      steps.push(failure(...START_STEPS[1]));
    }
    steps.push(...skipped('not run: the site did not start'));
    return report(null, [], error.emulatorUrl);
  }

  try {
    const startMs = Math.round(performance.now() - startedAt);
    steps.push({
      id: START_STEPS[0][0],
      title: START_STEPS[0][1],
      status: 'pass',
      reason: `WorkOS's emulator (workos ${loaded.version}, ${sourceText(loaded.source)}) answers at ${site.emulator.url}, test user ${site.emulator.user.email}`,
      httpStatus: 200,
      location: null,
      durationMs: 0,
    });
    steps.push({
      id: START_STEPS[1][0],
      title: START_STEPS[1][1],
      status: 'pass',
      reason: `manage.py runserver (${interpreter}) answers at ${site.server.url}`,
      httpStatus: null,
      location: null,
      durationMs: startMs,
    });
    steps.push(
      ...(await runLoginFlow({
        siteUrl: site.server.url,
        emulatorUrl: site.emulator.url,
        clientId: site.emulator.clientId,
        email: site.emulator.user.email,
        serverOutput: () => site.server.output(),
      })),
    );
    return report(site, site.notes, site.emulator.url);
  } finally {
    await site.stop();
  }
}

function sourceText(source: LoadedEmulator['source']): string {
  return source === 'authkit-django' ? 'installed next to authkit-django' : source === 'project' ? "from the project's node_modules" : 'installed globally';
}
