/**
 * Runs python/authkit_django_checks/snapshot.py in the project's own interpreter, in a
 * folder (the project or its mirror), and reads its one-line JSON report. A snapshot
 * that cannot be taken says why; it never throws.
 */
import { isAbsolute, resolve } from 'node:path';
import type { ProjectModel } from '../discover/model.js';
import { packagePath } from '../util/package-root.js';
import { redactSecrets } from '../util/secrets.js';
import { runCaptured } from '../verify/run-project-checks.js';

export interface ResolvedView {
  view: string;
  name: string | null;
}

export interface RouteSnapshot {
  /** The route as Django joins it (`app/auth/login/`, regexes as written). */
  route: string;
  view: string;
  /** reverse(name), or null for a name that needs arguments. */
  path: string | null;
  resolves: ResolvedView | null;
}

export interface UrlsSnapshot {
  routes: Record<string, RouteSnapshot>;
  /** "/" and, with i18n, "/<LANGUAGE_CODE>/": what each resolves to (null: nothing). */
  home: Record<string, ResolvedView | null>;
  i18n: boolean;
}

export interface TemplatesEntry {
  backend: string;
  dirs: string[];
  rest: string;
}

export interface Snapshot {
  loaded: boolean;
  /** Why the project did not load (masked), when it did not. */
  error: string | null;
  django: string | null;
  /** Setting name -> digest of its value. */
  settings: Record<string, string>;
  lists: Record<string, string[]>;
  templates: TemplatesEntry[];
  /** Settings the plan may set where the project kept Django's default (LOGIN_URL): which of the two it holds, or another value. */
  defaults: Record<string, 'default' | 'ours' | 'other'>;
  /** WORKOS_API_KEY / WORKOS_CLIENT_ID: non-empty in the loaded settings. */
  keys: Record<string, boolean>;
  urls: UrlsSnapshot | null;
  urlsError: string | null;
  /** Packages the plan needs that are not installed yet, replaced by stand-ins for the check. */
  standIns: string[];
  /** sys.executable: the interpreter a `uv run python` / `poetry run python` command ran. */
  executable: string | null;
}

export interface SnapshotRun {
  /** The folder the project was loaded from. */
  cwd: string;
  /** Paths under `from` are rewritten to `to` in the report (a mirror -> the project). */
  rootMap?: { from: string; to: string };
  /** Modules to stand in for when the project's Python cannot import them. */
  standIns?: string[];
  /** Modules to stand in for even when installed. */
  standInsAlways?: string[];
  env: NodeJS.ProcessEnv;
  secrets: string[];
  timeoutMs?: number;
}

const SNAPSHOT_MODULE = 'authkit_django_checks.snapshot';
export const SNAPSHOT_TIMEOUT_MS = 60_000;

function launcher(): string {
  const dir = JSON.stringify(packagePath('python'));
  return `import runpy, sys; sys.path.insert(1, ${dir}); runpy.run_module(${JSON.stringify(SNAPSHOT_MODULE)}, run_name="__main__", alter_sys=True)`;
}

function notLoaded(error: string): Snapshot {
  return { loaded: false, error, django: null, settings: {}, lists: {}, defaults: {}, templates: [], keys: {}, urls: null, urlsError: null, standIns: [], executable: null };
}

export async function takeSnapshot(model: Pick<ProjectModel, 'python' | 'settingsModule'>, run: SnapshotRun): Promise<Snapshot> {
  const [given, ...prefixArgs] = model.python.command;
  if (!given) return notLoaded('no Python interpreter was found for the project');
  const program = given.includes('/') && !isAbsolute(given) ? resolve(given) : given;
  const env: NodeJS.ProcessEnv = { ...run.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' };
  if (model.settingsModule) env.DJANGO_SETTINGS_MODULE = model.settingsModule;
  const args = [...prefixArgs, '-c', launcher()];
  if (run.rootMap) args.push('--root-map', `${run.rootMap.from}=${run.rootMap.to}`);
  for (const name of run.standIns ?? []) args.push('--stub', name);
  for (const name of run.standInsAlways ?? []) args.push('--stub-always', name);
  const result = await runCaptured(program, args, { cwd: run.cwd, env, timeoutMs: run.timeoutMs ?? SNAPSHOT_TIMEOUT_MS });
  if (result.spawnError) return notLoaded(`cannot run the project's Python (${model.python.command.join(' ')}): ${result.spawnError.message}`);
  if (result.timedOut) return notLoaded(`loading the project took longer than ${Math.round((run.timeoutMs ?? SNAPSHOT_TIMEOUT_MS) / 1000)} s and was stopped`);
  const parsed = parseSnapshot(result.stdout);
  if (!parsed) {
    const lastLine = redactSecrets(result.stderr.trimEnd().split('\n').pop() ?? '', run.secrets);
    return notLoaded(`the project's Python gave no snapshot (exit code ${result.exitCode})${lastLine ? `: ${lastLine}` : ''}`);
  }
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function resolved(value: unknown): ResolvedView | null {
  if (!isRecord(value) || typeof value.view !== 'string') return null;
  return { view: value.view, name: str(value.name) };
}

/** The report's last line, read field by field: what does not fit is dropped, not trusted. */
export function parseSnapshot(stdout: string): Snapshot | null {
  let data: unknown;
  try {
    data = JSON.parse(stdout.trimEnd().split('\n').pop() ?? '');
  } catch {
    return null;
  }
  if (!isRecord(data) || typeof data.loaded !== 'boolean') return null;
  const out = notLoaded(str(data.error) ?? '');
  out.loaded = data.loaded;
  out.error = str(data.error);
  out.django = str(data.django);
  if (isRecord(data.settings)) for (const [k, v] of Object.entries(data.settings)) if (typeof v === 'string') out.settings[k] = v;
  if (isRecord(data.lists)) for (const [k, v] of Object.entries(data.lists)) if (Array.isArray(v)) out.lists[k] = v.map(String);
  if (Array.isArray(data.templates)) {
    out.templates = data.templates.filter(isRecord).map((t) => ({ backend: str(t.backend) ?? '', dirs: Array.isArray(t.dirs) ? t.dirs.map(String) : [], rest: str(t.rest) ?? '' }));
  }
  if (isRecord(data.defaults)) {
    for (const [k, v] of Object.entries(data.defaults)) if (v === 'default' || v === 'ours' || v === 'other') out.defaults[k] = v;
  }
  if (isRecord(data.keys)) for (const [k, v] of Object.entries(data.keys)) out.keys[k] = v === true;
  if (isRecord(data.urls) && isRecord(data.urls.routes) && isRecord(data.urls.home)) {
    const routes: Record<string, RouteSnapshot> = {};
    for (const [name, r] of Object.entries(data.urls.routes)) {
      if (!isRecord(r) || typeof r.route !== 'string' || typeof r.view !== 'string') continue;
      routes[name] = { route: r.route, view: r.view, path: str(r.path), resolves: resolved(r.resolves) };
    }
    const home: Record<string, ResolvedView | null> = {};
    for (const [path, v] of Object.entries(data.urls.home)) home[path] = resolved(v);
    out.urls = { routes, home, i18n: data.urls.i18n === true };
  }
  out.urlsError = str(data.urlsError);
  if (Array.isArray(data.standIns)) out.standIns = data.standIns.map(String);
  out.executable = str(data.executable);
  return out;
}
