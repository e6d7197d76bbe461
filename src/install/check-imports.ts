/**
 * Asks the project's own interpreter whether the packages import: the only proof that the
 * install went where Django runs. One subprocess for both modules and the SDK version, with a
 * timeout. Used by init after installing and by doctor.
 */
import type { PythonInfo } from '../discover/model.js';
import { capture } from './capture.js';
import { AUTHKIT_MODULES } from './packages.js';
import { shellCommand } from './shell-quote.js';

export interface ModuleImport {
  module: string;
  ok: boolean;
  /** `ModuleNotFoundError: No module named 'workos'`, when it failed. */
  error: string | null;
}

export interface ImportReport {
  /** Every module imported. */
  ok: boolean;
  imports: ModuleImport[];
  /** The installed workos distribution's version (importlib.metadata), when installed. */
  workosVersion: string | null;
  /** The interpreter that answered (sys.executable). */
  executable: string | null;
  /** When the interpreter could not answer at all: not found, timed out, no report. */
  error: string | null;
}

export interface CheckImportsOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Which modules to import; defaults to workos and dotenv. */
  modules?: readonly string[];
}

// Printed after a marker so that anything a sitecustomize or `pipenv run` adds is ignored.
// Written for any Python 3 Django supports: no f-strings beyond 3.6, importlib.metadata optional.
const MARKER = '@@authkit-django-imports@@';
const SCRIPT = `
import importlib, json, sys
modules = json.loads(sys.argv[1])
report = {"executable": sys.executable, "imports": {}, "workos_version": None}
for name in modules:
    try:
        importlib.import_module(name)
        report["imports"][name] = None
    except BaseException as error:
        report["imports"][name] = "%s: %s" % (type(error).__name__, error)
try:
    from importlib.metadata import version
    report["workos_version"] = version("workos")
except Exception:
    pass
sys.stdout.write("\\n${MARKER}" + json.dumps(report) + "\\n")
`;

interface RawReport {
  executable?: unknown;
  imports?: Record<string, unknown>;
  workos_version?: unknown;
}

function failed(modules: readonly string[], error: string): ImportReport {
  return {
    ok: false,
    imports: modules.map((module) => ({ module, ok: false, error })),
    workosVersion: null,
    executable: null,
    error,
  };
}

export async function checkImports(python: PythonInfo, cwd: string, options: CheckImportsOptions = {}): Promise<ImportReport> {
  const modules = options.modules ?? AUTHKIT_MODULES;
  const shown = shellCommand(python.command);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const run = await capture([...python.command, '-c', SCRIPT, JSON.stringify(modules)], {
    cwd,
    env: { ...(options.env ?? process.env), PYTHONIOENCODING: 'utf-8' },
    timeoutMs,
  });
  if (run.spawnError) return failed(modules, `could not run ${shown}: ${run.spawnError}`);
  if (run.timedOut) return failed(modules, `${shown} did not answer within ${timeoutMs / 1000} s`);

  const line = run.stdout.split('\n').find((text) => text.startsWith(MARKER));
  let raw: RawReport | null = null;
  try {
    raw = line ? (JSON.parse(line.slice(MARKER.length)) as RawReport) : null;
  } catch {
    raw = null;
  }
  if (!raw || typeof raw.imports !== 'object' || raw.imports === null) {
    const said = (run.stderr || run.stdout).trim().split('\n').slice(-5).join('\n');
    return failed(modules, `${shown} exited with code ${run.exitCode ?? 'none'} without a report${said ? `:\n${said}` : ''}`);
  }
  const results = raw.imports;
  const imports = modules.map((module) => {
    const error = results[module];
    return { module, ok: error === null, error: error === null ? null : String(error ?? 'not checked') };
  });
  return {
    ok: imports.every((entry) => entry.ok),
    imports,
    workosVersion: typeof raw.workos_version === 'string' ? raw.workos_version : null,
    executable: typeof raw.executable === 'string' ? raw.executable : null,
    error: null,
  };
}
