/**
 * The login flow as the last stage of `init`: run when the checks passed and WorkOS's
 * emulator can be found, on a throwaway test database (no `migrate` needed). When the emulator cannot be
 * found, init says how to get it and does not fail: the emulator is an optional extra.
 */
import type { ProjectModel } from '../discover/model.js';
import type { Palette } from '../util/output.js';
import type { ProjectChecksReport } from '../verify/types.js';
import { stopAllOnSignal } from './cleanup.js';
import { EmulatorUnavailable, loadEmulator } from './emulator-loader.js';
import { flowJson, renderFlowReport, type FlowJson } from './render.js';
import { flowBlocker, verifyLoginFlow } from './verify-flow.js';

/** Checks that fail only because the project has no WorkOS credentials yet. */
const CREDENTIAL_CHECKS = new Set(['api-key', 'client-id', 'login-redirect']);

export interface InitFlowOutcome {
  status: 'passed' | 'failed' | 'skipped';
  /** Why it was skipped (null when it ran). */
  reason: string | null;
  /** The flow report, when it ran. */
  flow: FlowJson | null;
  /** What to print for a person (already painted). */
  lines: string[];
}

export interface InitFlowOptions {
  env: NodeJS.ProcessEnv;
  palette: Palette;
  /** The terminal's width for the report's lines (default: no limit). */
  width?: number;
  /** --yes: may sign in on the project's own database when no test database can be made. */
  yes?: boolean;
  /** Called on Ctrl+C while the flow runs, before everything is stopped. */
  onInterrupt?: () => void;
}

export async function flowAfterInit(
  model: Pick<ProjectModel, 'projectRoot' | 'managePy' | 'python' | 'settingsModule'> & Partial<Pick<ProjectModel, 'settingsModuleSource'>>,
  checks: ProjectChecksReport,
  options: InitFlowOptions,
): Promise<InitFlowOutcome> {
  const p = options.palette;
  const skip = (reason: string, lines: string[]): InitFlowOutcome => ({ status: 'skipped', reason, flow: null, lines });

  // Missing credentials do not stop the flow: it signs in with the emulator's, which is
  // the point: proving the login before the WorkOS dashboard is ever opened.
  const failing = checks.checks.filter((c) => c.status === 'fail' && !CREDENTIAL_CHECKS.has(c.id));
  if (failing.length > 0) {
    return skip(`a check failed (${failing.map((c) => c.id).join(', ')})`, []);
  }
  const blocker = flowBlocker(checks);
  if (blocker) {
    return skip(blocker, [
      p.bold('Login flow:'),
      `  ${p.dim('-')} not run yet: ${blocker}`,
      `    then prove the login with: ${p.cyan('authkit-django verify --flow')}`,
    ]);
  }
  let loaded;
  try {
    loaded = await loadEmulator({ projectRoot: model.projectRoot, env: options.env });
  } catch (error) {
    if (!(error instanceof EmulatorUnavailable)) throw error;
    return skip(error.message, [
      p.bold('Login flow:'),
      `  ${p.dim('-')} not run: ${error.message}`,
      ...(error.hint ?? '').split('\n').filter(Boolean).map((line) => `    ${line}`),
      `    then run: ${p.cyan('authkit-django verify --flow')}`,
    ]);
  }
  const emulator = loaded;
  const facts = checks.flowFacts!;
  const report = await stopAllOnSignal(
    () => verifyLoginFlow(model, { env: options.env, loaded: emulator, facts, useProjectDatabase: async () => options.yes === true }),
    options.onInterrupt,
  );
  return { status: report.ok ? 'passed' : 'failed', reason: null, flow: flowJson(report), lines: renderFlowReport(report, p, options.width) };
}
