/**
 * `verify --flow` without the command line: start the emulator and the site (on a
 * throwaway test database unless told otherwise), run the login flow over HTTP, stop both
 * (whatever happened), and return one report whose first two steps say whether each
 * started. Only a missing emulator is an exception (EmulatorUnavailable): then nothing was
 * started and there is nothing to report. When Django cannot create a test database, the
 * project's own database is used only if `useProjectDatabase` agrees.
 */
import type { FlowFacts, ProjectChecksReport } from '../verify/types.js';
import { loadEmulator, type LoadedEmulator } from './emulator-loader.js';
import { DEFAULT_TEST_USER } from './emulator.js';
import { LocalSiteStartError, startLocalSite, type LocalSite } from './local-site.js';
import { flowSteps, runLoginFlow, type FlowStep } from './login-flow.js';
import { RunserverError, TestDatabaseError, type RunserverProject, type SiteDatabase } from './runserver.js';
import { emitProgress } from '../util/json-progress.js';

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
  /** Which database the site ran on (null when it did not start). */
  database: SiteDatabase | null;
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
  /** What the project's Python said about our routes and CSRF (from the checks). */
  facts: FlowFacts;
  /** Default `throwaway`. */
  database?: SiteDatabase;
  /**
   * Asked when no test database can be created: may the flow sign in on the project's own
   * database (it then stores a session there)? Default: no.
   */
  useProjectDatabase?: (why: string) => Promise<boolean>;
}

const START_STEPS = [
  ['emulator', "WorkOS's emulator answers"],
  ['runserver', 'the site answers on localhost'],
] as const;

function skipped(reason: string, homeGenerated: boolean): FlowStep[] {
  return flowSteps(homeGenerated).map(([id, title]) => ({ id, title, status: 'skip' as const, reason, httpStatus: null, location: null, durationMs: 0 }));
}

/**
 * Why the flow should not run at all, from the project checks: only the ones whose
 * failure would make the flow fail for a reason the checks already explain better.
 */
export function flowBlocker(checks: ProjectChecksReport, database: SiteDatabase = 'throwaway'): string | null {
  // url-names fails too when our routes only reverse inside a namespace: the flow still
  // runs then, and shows the step that breaks.
  const routes = checks.flowFacts?.routes ?? {};
  const routed = routes.workos_login && routes.workos_callback && routes.workos_logout;
  const blocking = ['python', 'import-django', 'import-workos', 'import-dotenv', 'settings', ...(routed ? [] : ['url-names'])];
  const failing = checks.checks.filter((c) => c.status === 'fail' && blocking.includes(c.id));
  if (failing.length > 0) return `the checks above failed (${failing.map((c) => c.id).join(', ')})`;
  if (!checks.flowFacts) return "the project's Python did not say where the routes are";
  // A throwaway database has every migration, and one thread serves an in-memory one.
  if (database === 'throwaway') return null;
  const table = checks.checks.find((c) => c.id === 'sessions-table');
  if (table && table.status === 'warn') return table.message;
  // runserver gives each thread its own in-memory database: a session stored by one
  // request is gone in the next, so the flow could only fail.
  if (table && table.status === 'skip' && /in memory/.test(table.message)) {
    return `${table.message}: sessions stored there do not survive from one request to the next; use a file or server database`;
  }
  return null;
}

export async function verifyLoginFlow(project: RunserverProject, options: VerifyFlowOptions): Promise<FlowReport> {
  const started = performance.now();
  const loaded = options.loaded ?? (await loadEmulator({ projectRoot: project.projectRoot, ...(options.env ? { env: options.env } : {}) }));
  const interpreter = project.python.command.join(' ');
  const homeGenerated = options.facts.homeGenerated;
  const steps: FlowStep[] = [];
  const notes: string[] = [];
  let database: SiteDatabase = options.database ?? 'throwaway';
  const report = (site: LocalSite | null, emulatorUrl: string | null): FlowReport => ({
    ok: steps.length > 0 && steps.every((s) => s.status === 'pass'),
    site: site?.server.url ?? null,
    emulator: emulatorUrl ? { url: emulatorUrl, version: loaded.version, source: loaded.source } : null,
    user: site?.emulator.user.email ?? DEFAULT_TEST_USER.email,
    interpreter,
    database: site ? database : null,
    notes,
    steps,
    durationMs: Math.round(performance.now() - started),
  });
  if (!homeGenerated) notes.push('the home page is the project\'s own: not checked (signed-in state read from auth/me/)');

  let site: LocalSite | null = null;
  const startedAt = performance.now();
  const start = () =>
    startLocalSite(project, {
      loaded,
      database,
      ...(options.env ? { env: options.env } : {}),
      ...(options.startTimeoutMs ? { startTimeoutMs: options.startTimeoutMs } : {}),
    });
  try {
    try {
      site = await start();
    } catch (error) {
      if (!(error instanceof LocalSiteStartError) || !(error.failure instanceof TestDatabaseError)) throw error;
      const why = error.failure.message;
      if (!(await (options.useProjectDatabase ?? (async () => false))(why))) {
        throw new LocalSiteStartError('runserver', new RunserverError(`${why}; the flow needs a test database or consent to use the project's own (--yes)`, error.failure.detail), error.emulatorUrl);
      }
      notes.push(`${why}: signed in on the project's own database instead (as agreed)`);
      database = 'project';
      site = await start();
    }
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
    steps.push(...skipped('not run: the site did not start', homeGenerated));
    for (const step of steps) emitProgress('flow', 'step', { id: step.id, status: step.status, durationMs: step.durationMs });
    return report(null, error.emulatorUrl);
  }

  const running = site;
  try {
    notes.push(...running.notes);
    const startMs = Math.round(performance.now() - startedAt);
    steps.push({
      id: START_STEPS[0][0],
      title: START_STEPS[0][1],
      status: 'pass',
      reason: `WorkOS's emulator (workos ${loaded.version}, ${sourceText(loaded.source)}) answers at ${running.emulator.url}, test user ${running.emulator.user.email}`,
      httpStatus: 200,
      location: null,
      durationMs: 0,
    });
    steps.push({
      id: START_STEPS[1][0],
      title: START_STEPS[1][1],
      status: 'pass',
      reason:
        database === 'throwaway'
          ? `manage.py testserver (a throwaway test database, every migration applied) answers at ${running.server.url}`
          : `manage.py runserver (the project's own database) answers at ${running.server.url}`,
      httpStatus: null,
      location: null,
      durationMs: startMs,
    });
    for (const step of steps) emitProgress('flow', 'step', { id: step.id, status: step.status, durationMs: step.durationMs });
    steps.push(
      ...(await runLoginFlow({
        siteUrl: running.server.url,
        emulatorUrl: running.emulator.url,
        clientId: running.emulator.clientId,
        email: running.emulator.user.email,
        serverOutput: () => running.server.output(),
        facts: options.facts,
      })),
    );
    return report(running, running.emulator.url);
  } finally {
    await running.stop();
  }
}

function sourceText(source: LoadedEmulator['source']): string {
  if (source === 'cache') return "from authkit-django's cache folder";
  return source === 'authkit-django' ? 'installed next to authkit-django' : source === 'project' ? "from the project's node_modules" : 'installed globally';
}
