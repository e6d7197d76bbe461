/**
 * `authkit-django verify [DIR] [--flow] [--yes] [--json]`: the project checks (in the
 * project's own Python), and with --flow the whole login flow over HTTP against WorkOS's
 * emulator, on a throwaway test database (started and stopped here). When no test
 * database can be created, the project's own is used only with consent (--yes counts). Exit 0 when everything passed, 4 when a check or a flow
 * step failed, 1 when the emulator is not available for --flow.
 */
import { relative, sep } from 'node:path';
import { discover } from '../discover/index.js';
import type { ProjectModel } from '../discover/model.js';
import { stopAllOnSignal } from '../flow/cleanup.js';
import { loadOrInstallEmulator } from '../flow/emulator-install.js';
import type { LoadedEmulator } from '../flow/emulator-loader.js';
import { registerProjectSecrets } from '../flow/project-secrets.js';
import { flowJson, renderFlowReport, type FlowJson } from '../flow/render.js';
import { flowBlocker, verifyLoginFlow, type FlowReport } from '../flow/verify-flow.js';
import type { CommandArgs } from '../main.js';
import { EXIT, UserError } from '../util/errors.js';
import { lineWidth, palette, writeLine, type Io } from '../util/output.js';
import { canPrompt, confirm } from '../util/prompt.js';
import { runtimeSettingsModule } from '../discover/settings-module.js';
import { projectChecksJson, renderProjectChecks, type ProjectChecksJson } from '../verify/render.js';
import { runProjectChecks } from '../verify/run-project-checks.js';
import { discoverOptions } from './options.js';
import { writeJsonReport } from '../util/json-report.js';

interface VerifyJson {
  command: 'verify';
  ok: boolean;
  project: { managePy: string; settingsModule: string | null; python: string } | null;
  checks: ProjectChecksJson | null;
  /** null without --flow. */
  flow: (FlowJson & { blocked: null }) | { ok: false; blocked: string; steps: [] } | null;
  error: { message: string; hint: string | null } | null;
  exitCode: number;
}

export async function runVerify(args: CommandArgs, io: Io): Promise<number> {
  const json = args.values.json === true;
  const withFlow = args.values.flow === true;
  const p = palette(io.color && !json);
  const say = (text = '') => {
    if (!json) writeLine(io.stdout, text);
  };
  const result: VerifyJson = { command: 'verify', ok: false, project: null, checks: null, flow: null, error: null, exitCode: EXIT.ok };
  const finish = (code: number): number => {
    result.exitCode = code;
    result.ok = code === EXIT.ok;
    if (json) writeJsonReport(io, 'verify', result);
    return code;
  };

  let model: ProjectModel;
  let loaded: LoadedEmulator | null = null;
  try {
    model = await discover(args.dir, discoverOptions(args, io));
    registerProjectSecrets(model, io.env);
    // Before anything runs: without the emulator, --flow cannot do its job.
    if (withFlow) loaded = await loadOrInstallEmulator({ projectRoot: model.projectRoot, env: io.env }, { io, yes: args.values.yes === true, json });
  } catch (error) {
    if (!json || !(error instanceof UserError)) throw error;
    writeLine(io.stderr, `authkit-django: ${error.message}`);
    if (error.hint) writeLine(io.stderr, error.hint);
    result.error = { message: error.message, hint: error.hint ?? null };
    return finish(error.exitCode);
  }
  result.project = {
    managePy: relative(model.dir, model.managePy).split(sep).join('/') || 'manage.py',
    settingsModule: runtimeSettingsModule(model, io.env),
    python: model.python.command.join(' '),
  };

  const checks = await runProjectChecks(model, { env: io.env });
  result.checks = projectChecksJson(checks, model.dir);
  for (const line of renderProjectChecks(checks, { palette: p, relativeTo: model.dir, width: lineWidth(io.stdout) })) say(line);
  let failed = checks.checks.some((c) => c.status === 'fail');

  if (withFlow && loaded) {
    say('');
    const blocker = flowBlocker(checks);
    if (blocker) {
      say(p.bold('Login flow:'));
      say(`  ${p.red('✗')} not run: ${blocker}`);
      result.flow = { ok: false, blocked: blocker, steps: [] };
      failed = true;
    } else {
      say(p.dim("Starting WorkOS's emulator and the site on a throwaway test database ..."));
      const emulator = loaded;
      const consent = async (why: string): Promise<boolean> => {
        if (args.values.yes === true) return true;
        if (json || !canPrompt(io)) return false;
        writeLine(io.stderr, `${why}.`);
        return confirm(io, "Sign in on the project's own database instead (it keeps one session row)?", false);
      };
      const report: FlowReport = await stopAllOnSignal(
        () => verifyLoginFlow(model, { env: io.env, loaded: emulator, facts: checks.flowFacts!, useProjectDatabase: consent }),
        () => writeLine(io.stderr, 'Interrupted: stopping runserver and the emulator.'),
      );
      for (const line of renderFlowReport(report, p, lineWidth(io.stdout))) say(line);
      result.flow = { ...flowJson(report), blocked: null };
      failed ||= !report.ok;
    }
  }
  return finish(failed ? EXIT.verifyFailed : EXIT.ok);
}
