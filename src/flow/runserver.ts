/**
 * The project's own `manage.py runserver`, bound to the loopback interface, with the
 * emulator's URL and credentials in its environment (the project's .env is not read for
 * them: python-dotenv never overrides variables already set, and nothing is written).
 * Started, polled until it answers, and explained in plain words when it does not:
 * Django missing, a busy port, ALLOWED_HOSTS refusing localhost, a crash at import.
 */
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { runtimeSettingsModule } from '../discover/settings-module.js';
import type { ProjectModel } from '../discover/model.js';
import { EXIT, UserError } from '../util/errors.js';
import { redactSecrets, secretsFromEnv } from '../util/secrets.js';
import { spawnManaged, type ExitInfo, type ManagedChild } from './child-process.js';
import { freePort, isPortFree } from './ports.js';

export type RunserverProject = Pick<ProjectModel, 'projectRoot' | 'managePy' | 'python' | 'settingsModule'> &
  Partial<Pick<ProjectModel, 'settingsModuleSource'>>;

/**
 * Which database the site runs on. `throwaway`: `manage.py testserver`, which creates
 * Django's test database (every migration applied; SQLite's is in memory, served from one
 * thread) and loads an empty fixture: no `migrate` needed and the project's data untouched.
 * `project`: `manage.py runserver` on the project's own database.
 */
export type SiteDatabase = 'throwaway' | 'project';

export interface WorkosEnvironment {
  baseUrl: string;
  apiKey: string;
  clientId: string;
}

export interface RunserverOptions {
  port: number;
  /** When the port turns out to be taken: how many other ports to try (default 0: fail). */
  otherPorts?: number;
  /** The environment runserver starts from (default process.env); WORKOS_* are replaced. */
  env?: NodeJS.ProcessEnv;
  workos: WorkosEnvironment;
  /** Give up waiting for the first answer after this long (default 60 s: `uv run` may sync first). */
  startTimeoutMs?: number;
  /** Receives Django's output as it comes (redacted). */
  onOutput?: (text: string) => void;
  /** Default `project` (runserver). */
  database?: SiteDatabase;
}

export interface RunningServer {
  /** Where a browser opens the site: `http://localhost:PORT` (or 127.0.0.1 when only that host is allowed). */
  url: string;
  port: number;
  /** Things the user should know: another port was used, another host name. */
  notes: string[];
  /** The interpreter command, as the user would type it. */
  interpreter: string;
  pid: number | undefined;
  /** Django's output so far (redacted). */
  output(): string;
  /** Resolves if runserver exits by itself. */
  exited: Promise<ExitInfo>;
  stop(): Promise<void>;
}

/** Django could not create its test database (a Postgres role without CREATEDB, for one). */
export class TestDatabaseError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = 'TestDatabaseError';
  }
}

/** runserver could not be started or does not serve the site; the message says why. */
export class RunserverError extends UserError {
  constructor(
    message: string,
    readonly detail?: string,
    hint?: string,
  ) {
    super(message, EXIT.error, hint);
    this.name = 'RunserverError';
  }
}

const POLL_MS = 100;
const READY_PATH = '/.authkit-django-ready';
const OUTPUT_LINES = 30;

/** The environment runserver gets. */
export function runserverEnv(base: NodeJS.ProcessEnv, workos: WorkosEnvironment, settingsModule: string | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    WORKOS_BASE_URL: workos.baseUrl,
    WORKOS_API_KEY: workos.apiKey,
    WORKOS_CLIENT_ID: workos.clientId,
    // Running the site must not leave __pycache__ folders in the project.
    PYTHONDONTWRITEBYTECODE: '1',
    // Request lines arrive as they happen, not when a buffer fills.
    PYTHONUNBUFFERED: '1',
    PYTHONIOENCODING: 'utf-8',
  };
  if (settingsModule) env.DJANGO_SETTINGS_MODULE = settingsModule;
  return env;
}

/** One HTTP answer's status from 127.0.0.1:port with the given Host header; null when nothing answers. */
function probe(port: number, host: string, path = READY_PATH): Promise<{ status: number; body: string } | null> {
  return new Promise((done) => {
    const req = httpRequest({ hostname: '127.0.0.1', port, path, method: 'GET', headers: { host }, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => done(null));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done(null));
    req.end();
  });
}

function tailLines(text: string, count = OUTPUT_LINES): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

let fixtureFile: string | null = null;

/**
 * An empty fixture for testserver, which insists on one. In a temporary folder, never the
 * project; one per process, removed when it exits.
 */
function emptyFixture(): string {
  if (fixtureFile && existsSync(fixtureFile)) return fixtureFile;
  const dir = mkdtempSync(join(tmpdir(), 'authkit-django-fixture-'));
  fixtureFile = join(dir, 'authkit_django_empty.json');
  writeFileSync(fixtureFile, '[]\n');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return fixtureFile;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class PortTaken extends Error {}

interface StartAttempt {
  child: ManagedChild;
  port: number;
}

export async function startRunserver(project: RunserverProject, options: RunserverOptions): Promise<RunningServer> {
  const baseEnv = options.env ?? process.env;
  const secrets = [...secretsFromEnv(baseEnv), options.workos.apiKey];
  const clean = (text: string) => redactSecrets(text, secrets);
  const interpreter = project.python.command.join(' ');
  const notes: string[] = [];
  let port = options.port;
  let retries = options.otherPorts ?? 0;

  for (;;) {
    try {
      const attempt = await startOnce(project, port, options, baseEnv, clean);
      return await finishStart(attempt, notes, interpreter, clean);
    } catch (error) {
      if (!(error instanceof PortTaken) || retries <= 0) {
        if (error instanceof PortTaken) {
          throw new RunserverError(`port ${port} is in use: manage.py runserver cannot listen on it`, undefined, 'Stop what uses it, or choose another port with --port.');
        }
        throw error;
      }
      retries -= 1;
      const next = await nextFreePort(port);
      notes.push(`port ${port} is in use; using ${next}`);
      port = next;
    }
  }
}

async function nextFreePort(after: number): Promise<number> {
  for (let port = after + 1; port < Math.min(65536, after + 50); port++) {
    if (await isPortFree(port)) return port;
  }
  return freePort();
}

async function startOnce(
  project: RunserverProject,
  port: number,
  options: RunserverOptions,
  baseEnv: NodeJS.ProcessEnv,
  clean: (text: string) => string,
): Promise<StartAttempt> {
  const [given, ...prefix] = project.python.command;
  const interpreter = project.python.command.join(' ');
  if (!given) throw new RunserverError('no Python interpreter was found for the project');
  // A relative interpreter path means one relative to the project, as it is for the checks.
  const program = given.includes('/') && !isAbsolute(given) ? resolve(project.projectRoot, given) : given;
  const throwaway = options.database === 'throwaway';
  const serve = throwaway
    ? ['testserver', '--noinput', '--addrport', `127.0.0.1:${port}`, emptyFixture()]
    : ['runserver', `127.0.0.1:${port}`, '--noreload'];
  const child = spawnManaged(program, [...prefix, project.managePy, ...serve], {
    cwd: project.projectRoot,
    env: runserverEnv(baseEnv, options.workos, runtimeSettingsModule(project, baseEnv)),
    name: `manage.py ${serve[0]}`,
  });
  if (options.onOutput) {
    const forward = options.onOutput;
    // The readiness probes are ours, not the user's requests: keep them out of the log.
    child.onOutput((text) => {
      const shown = text
        .split(/(?<=\n)/)
        .filter((line) => !line.includes(READY_PATH))
        .join('');
      if (shown) forward(clean(shown));
    });
  }

  // testserver first creates the test database with every migration: a project with hundreds
  // of them on a busy machine needs minutes before the first answer.
  const limitMs = options.startTimeoutMs ?? (throwaway ? 240_000 : 60_000);
  const deadline = Date.now() + limitMs;
  for (;;) {
    const exit = child.exitInfo();
    if (exit) {
      await child.stop();
      throw startFailure(exit, clean(child.output()), interpreter, port, throwaway);
    }
    // If runserver dies meanwhile (a port someone else holds), stop waiting for an answer.
    const answer = await Promise.race([probe(port, `localhost:${port}`), child.exited.then(() => null)]);
    if (answer) {
      // Something answered: make sure it is our runserver and not another server that
      // took the port between the check and the start.
      if (child.exitInfo()) continue;
      return { child, port };
    }
    if (Date.now() > deadline) {
      await child.stop();
      const seconds = Math.round(limitMs / 1000);
      throw new RunserverError(
        `manage.py ${serve[0]} did not answer on port ${port} within ${seconds} s (${interpreter}); it was stopped`,
        tailLines(clean(child.output())) || undefined,
      );
    }
    await sleep(POLL_MS);
  }
}

function startFailure(exit: ExitInfo, output: string, interpreter: string, port: number, throwaway = false): Error {
  if (exit.spawnError) {
    const code = exit.spawnError.code;
    const what = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'it is not executable' : exit.spawnError.message;
    return new RunserverError(
      `cannot run the project's Python (${interpreter}): ${what}`,
      undefined,
      'Create the virtualenv, or point VIRTUAL_ENV at the one the project uses.',
    );
  }
  if (/That port is already in use|Address already in use/i.test(output)) return new PortTaken(String(port));
  const testDb = /Got an error creating the test database: (.*)/.exec(output);
  if (testDb) return new TestDatabaseError(`Django could not create a throwaway test database: ${testDb[1]!.trim()}`, tailLines(output, 8));
  // Died while making the test database (SQLite's TEST NAME unwritable, a server refusing):
  // its last line names the database error.
  if (throwaway && output.includes('Creating test database for alias') && !output.includes('Starting development server')) {
    const reason = /^(django\.db\.utils\.\w+Error|\w+\.\w*Error): (.*)$/m.exec(output.split('\n').reverse().join('\n'));
    if (reason) return new TestDatabaseError(`Django could not create a throwaway test database: ${reason[2]!.trim()}`, tailLines(output, 8));
  }
  if (/Couldn't import Django|No module named '?django'?\b/.test(output) && !/No module named '?django\./.test(output)) {
    return new RunserverError(
      `Django is not installed in the project's environment: ${interpreter} cannot import it`,
      tailLines(output, 8) || undefined,
      'Install the project\'s requirements into that environment, or point VIRTUAL_ENV at the virtualenv that has Django.',
    );
  }
  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
  return new RunserverError(
    `manage.py ${throwaway ? 'testserver' : 'runserver'} stopped before it answered (${how}, ${interpreter}); Django's output is below`,
    tailLines(output) || '(no output)',
  );
}

async function finishStart(
  attempt: StartAttempt,
  notes: string[],
  interpreter: string,
  clean: (text: string) => string,
): Promise<RunningServer> {
  const { child, port } = attempt;
  let host = 'localhost';
  try {
    const viaLocalhost = await probe(port, `localhost:${port}`);
    if (viaLocalhost?.status === 400) {
      // DisallowedHost. The emulator sends the browser back only to localhost or
      // 127.0.0.1, so one of those has to be accepted.
      const viaLoopback = await probe(port, `127.0.0.1:${port}`);
      if (!viaLoopback || viaLoopback.status === 400) {
        throw new RunserverError(
          "the project's ALLOWED_HOSTS accepts neither localhost nor 127.0.0.1, so the site cannot be opened locally (Django answers 400 Bad Request)",
          tailLines(clean(child.output()), 8) || undefined,
          "Add 'localhost' to ALLOWED_HOSTS for development (for example ALLOWED_HOSTS = ['localhost', '127.0.0.1'] when DEBUG is on), or set DEBUG = True with ALLOWED_HOSTS empty. WorkOS's emulator only sends the browser back to localhost.",
        );
      }
      host = '127.0.0.1';
      notes.push("ALLOWED_HOSTS does not accept localhost; using 127.0.0.1");
    }
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    url: `http://${host}:${port}`,
    port,
    notes,
    interpreter,
    pid: child.pid,
    output: () => clean(child.output()),
    exited: child.exited,
    stop: () => child.stop(),
  };
}
