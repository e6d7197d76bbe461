/**
 * Runs the checks package python/authkit_django_checks with the project's own
 * interpreter (as `python -m authkit_django_checks` would) and turns its JSON report into typed
 * results. Anything that stops the checks from reporting (no such
 * interpreter, a timeout, a crash) becomes one failing `python` check that names the
 * interpreter, so callers always get a report to render.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { ProjectModel } from '../discover/model.js';
import { runtimeSettingsModule } from '../discover/settings-module.js';
import { packagePath } from '../util/package-root.js';
import { migrateCommand, withMigrateCommand } from './migrate-step.js';
import { redactDeep, redactSecrets, secretsFromDotenv, secretsFromEnv } from '../util/secrets.js';
import { CHECK_STATUSES, type CheckResult, type DashboardValues, type FlowFacts, type ProjectChecksReport } from './types.js';

/** The parts of the project model the checks need (`env` only to know which secrets to mask). */
export type ProjectForChecks = Pick<ProjectModel, 'projectRoot' | 'settingsModule' | 'python'> &
  Partial<Pick<ProjectModel, 'env' | 'settingsModuleSource'>>;

export interface ProjectChecksOptions {
  /** Stop the project's Python after this long (default 120 s: `uv run` may sync first). */
  timeoutMs?: number;
  /** The environment the project's Python gets (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where the site runs, for the dashboard values (default http://localhost:8000). */
  siteUrl?: string;
  /** More values to mask in anything the project's Python printed. */
  secrets?: string[];
  /** A checks script file to run instead of the shipped package (tests only). */
  script?: string;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
/** The checks package in python/; only `-m` runs it, so its modules take no top-level name. */
const CHECKS_PACKAGE = 'authkit_django_checks';
const MAX_OUTPUT = 4 * 1024 * 1024;
const STDERR_TAIL_LINES = 20;

export async function runProjectChecks(
  model: ProjectForChecks,
  options: ProjectChecksOptions = {},
): Promise<ProjectChecksReport> {
  const command = model.python.command;
  const interpreter = command.join(' ');
  const baseEnv = options.env ?? process.env;
  const dotenv = model.env?.file ?? join(model.projectRoot, '.env');
  const secrets = [...secretsFromEnv(baseEnv), ...secretsFromDotenv(dotenv), ...(options.secrets ?? [])];
  const failed = (message: string, extra: Partial<CheckResult> = {}): ProjectChecksReport =>
    notRun(interpreter, { id: 'python', status: 'fail', message, ...extra });

  const [given, ...prefixArgs] = command;
  if (!given) return failed('no Python interpreter was found for the project');
  // The script runs from the project folder: a relative interpreter path means this one's.
  const program = given.includes('/') && !isAbsolute(given) ? resolve(given) : given;
  if (!existsSync(model.projectRoot)) return failed(`the project folder ${model.projectRoot} does not exist`);

  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    // Verification must leave the project as it found it: no __pycache__ folders.
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONIOENCODING: 'utf-8',
  };
  const settingsModule = runtimeSettingsModule(model, baseEnv);
  if (settingsModule) env.DJANGO_SETTINGS_MODULE = settingsModule;

  const checks = options.script ? [options.script] : ['-c', launcher()];
  const args = [...prefixArgs, ...checks, '--site-url', options.siteUrl ?? 'http://localhost:8000'];
  const run = await runCaptured(program, args, {
    cwd: model.projectRoot,
    env,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });

  if (run.spawnError) {
    const code = run.spawnError.code;
    if (code === 'ENOENT') {
      const what = program.includes('/') ? `${program} does not exist` : `${program} is not on PATH`;
      return failed(`cannot run the project's Python (${interpreter}): ${what}`, {
        fix: 'create the virtualenv or point VIRTUAL_ENV at the one the project uses',
      });
    }
    if (code === 'EACCES') return failed(`cannot run the project's Python: ${program} is not executable`);
    return failed(`cannot run the project's Python (${interpreter}): ${run.spawnError.message}`);
  }
  const stderrTail = redactSecrets(tail(run.stderr, STDERR_TAIL_LINES), secrets);
  if (run.timedOut) {
    const seconds = Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000);
    return failed(
      `the checks did not finish within ${seconds} s and were stopped (${interpreter}); ` +
        'something the settings or URL modules do at import may be waiting',
      stderrTail ? { detail: stderrTail } : {},
    );
  }
  const parsed = parseReport(run.stdout);
  if (!parsed) {
    const exit = run.signal ? `signal ${run.signal}` : `exit code ${run.exitCode}`;
    return failed(`the checks gave no report (${interpreter}, ${exit})`, stderrTail ? { detail: stderrTail } : {});
  }
  return withMigrateCommand(redactDeep({ interpreter, ran: true, ...parsed }, secrets), migrateCommand(command, model.projectRoot));
}

/**
 * Runs the checks package as `-m` would, with python/ put on sys.path by the command
 * itself rather than by PYTHONPATH (`pipenv run` lets a project's .env replace
 * PYTHONPATH). The project's folder stays first, from the working directory, as with
 * manage.py; the user's own PYTHONPATH is left alone.
 */
function launcher(): string {
  const dir = JSON.stringify(packagePath('python'));
  return `import runpy, sys; sys.path.insert(1, ${dir}); runpy.run_module(${JSON.stringify(CHECKS_PACKAGE)}, run_name="__main__", alter_sys=True)`;
}

function notRun(interpreter: string, check: CheckResult): ProjectChecksReport {
  return {
    interpreter,
    ran: false,
    python: null,
    pythonVersion: null,
    django: null,
    workos: null,
    checks: [check],
    dashboard: null,
  };
}

type ParsedReport = Omit<ProjectChecksReport, 'interpreter' | 'ran'>;

/** The script's JSON, checked field by field: whatever does not fit is dropped, not trusted. */
export function parseReport(stdout: string): ParsedReport | null {
  // The report is the last line; anything before it was printed by something the
  // script did not control (a sitecustomize, a wrapper around python).
  const last = stdout.trimEnd().split('\n').pop() ?? '';
  let data: unknown;
  try {
    data = JSON.parse(last);
  } catch {
    return null;
  }
  if (!isRecord(data) || !Array.isArray(data.checks)) return null;
  const checks = data.checks.map(toCheck).filter((c): c is CheckResult => c !== null);
  return {
    python: stringOrNull(data.python),
    pythonVersion: stringOrNull(data.pythonVersion),
    django: stringOrNull(data.django),
    workos: stringOrNull(data.workos),
    checks,
    dashboard: toDashboard(data.dashboard),
    flowFacts: toFlowFacts(data.flowFacts),
  };
}

const FLOW_ROUTE_NAMES = ['workos_login', 'workos_callback', 'workos_logout', 'workos_me'] as const;

function toFlowFacts(raw: unknown): FlowFacts | null {
  if (!isRecord(raw)) return null;
  const routes: FlowFacts['routes'] = {};
  const rawRoutes = isRecord(raw.routes) ? raw.routes : {};
  for (const name of FLOW_ROUTE_NAMES) {
    const route = rawRoutes[name];
    if (isRecord(route) && typeof route.path === 'string' && route.path.startsWith('/') && typeof route.name === 'string') {
      routes[name] = { path: route.path, name: route.name };
    }
  }
  const csrf = isRecord(raw.csrf) ? raw.csrf : {};
  return {
    routes,
    homeGenerated: raw.homeGenerated === true,
    csrf: {
      cookieName: typeof csrf.cookieName === 'string' ? csrf.cookieName : 'csrftoken',
      header: typeof csrf.header === 'string' ? csrf.header : 'X-CSRFTOKEN',
      useSessions: csrf.useSessions === true,
    },
    error: stringOrNull(raw.error),
  };
}

function toCheck(raw: unknown): CheckResult | null {
  if (!isRecord(raw) || typeof raw.id !== 'string' || typeof raw.message !== 'string') return null;
  const status = CHECK_STATUSES.find((s) => s === raw.status);
  if (!status) return null;
  const check: CheckResult = { id: raw.id, status, message: raw.message };
  if (typeof raw.detail === 'string') check.detail = raw.detail;
  if (typeof raw.file === 'string') check.file = raw.file;
  if (typeof raw.line === 'number') check.line = raw.line;
  if (typeof raw.fix === 'string') check.fix = raw.fix;
  return check;
}

function toDashboard(raw: unknown): DashboardValues | null {
  if (!isRecord(raw)) return null;
  const { redirectUri, signInEndpoint, logoutRedirect } = raw;
  if (typeof redirectUri !== 'string' || typeof signInEndpoint !== 'string' || typeof logoutRedirect !== 'string') {
    return null;
  }
  return {
    redirectUri,
    signInEndpoint,
    logoutRedirect,
    ...(typeof raw.host === 'string' ? { host: raw.host } : {}),
    ...(typeof raw.hostNote === 'string' ? { hostNote: raw.hostNote } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

interface CapturedRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  spawnError: NodeJS.ErrnoException | null;
}

export function runCaptured(
  program: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CapturedRun> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout also stops what `uv run` started.
    const child = spawn(program, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outSize = 0;
    let errSize = 0;
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      if (outSize < MAX_OUTPUT) out.push(chunk);
      outSize += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errSize < MAX_OUTPUT) err.push(chunk);
      errSize += chunk.length;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, opts.timeoutMs);
    let settled = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode,
        signal,
        timedOut,
        spawnError,
      });
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
      // A program that never started has no 'close' to wait for.
      if (child.pid === undefined) finish(null, null);
    });
    child.on('close', finish);
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
