/**
 * `authkit-django init`: discover -> plan -> review -> apply -> install -> verify.
 * The command only sequences the pipeline and talks to the user; each stage lives in
 * its own folder.
 */
import { relative } from 'node:path';
import { discover } from '../discover/index.js';
import { flowAfterInit } from '../flow/after-init.js';
import type { ProjectModel } from '../discover/model.js';
import { CREDENTIALS, parseDotenv } from '../integrate/dotenv-file.js';
import type { IntegrationOptions } from '../integrate/context.js';
import { planIntegration, type IntegrationPlan } from '../integrate/index.js';
import type { InstallCommand } from '../install/command.js';
import { installCommand } from '../install/command.js';
import { checkImports, type ImportReport } from '../install/check-imports.js';
import { installPackages, type InstallResult } from '../install/install.js';
import type { CommandArgs } from '../main.js';
import { applyChanges, preImage } from '../plan/apply.js';
import { sha256 } from '../plan/journal.js';
import { JSON_STATUS, renderDiffs, renderManualSteps, renderSummary } from '../plan/review.js';
import { EditRefused } from '../python/checked-edit.js';
import { loadPythonParser } from '../python/parser.js';
import { EXIT, UsageError, UserError } from '../util/errors.js';
import { readUtf8IfExists } from '../util/files.js';
import { uncommittedChanges } from '../util/git.js';
import { palette, writeLine, type Io, type Palette } from '../util/output.js';
import { askSecret, ask, canPrompt, confirm } from '../util/prompt.js';
import { registerSecret } from '../util/secrets.js';
import { readFileSync } from 'node:fs';
import { projectChecksJson, renderProjectChecks } from '../verify/render.js';
import { runProjectChecks } from '../verify/run-project-checks.js';
import type { ProjectChecksReport } from '../verify/types.js';
import {
  credentialOption,
  discoverOptions,
  packageManagerOption,
  redirectUriOption,
  viewsOption,
} from './options.js';
import { writeJsonReport } from '../util/json-report.js';

interface InitFlags {
  dryRun: boolean;
  yes: boolean;
  json: boolean;
  install: boolean;
  verify: boolean;
}

export async function runInit(args: CommandArgs, io: Io): Promise<number> {
  const flags: InitFlags = {
    dryRun: args.values['dry-run'] === true,
    yes: args.values.yes === true,
    json: args.values.json === true,
    install: args.values['no-install'] !== true,
    verify: args.values['no-verify'] !== true,
  };
  const p = palette(io.color && !flags.json);
  // Human output goes to stderr in --json mode, so stdout holds exactly one JSON object.
  const out = flags.json ? io.stderr : io.stdout;
  const say = (text = '') => {
    if (!flags.json) writeLine(out, text);
  };
  const interactive = !flags.yes && !flags.json && canPrompt(io);

  const packageManager = packageManagerOption(args);
  const redirectUri = redirectUriOption(args);
  const viewsDir = viewsOption(args);
  let apiKey = credentialOption(args, io, 'api-key', 'WORKOS_API_KEY', 'sk_');
  let clientId = credentialOption(args, io, 'client-id', 'WORKOS_CLIENT_ID', 'client_');
  registerSecret(apiKey);

  // The Django version is only shown here: no interpreter subprocess for it.
  const model = await discover(args.dir, { ...discoverOptions(args, io), probeInterpreter: false });
  await loadPythonParser();
  const display = (file: string) => relative(model.repoRoot, file).split('\\').join('/') || '.';

  say(describeProject(model, display, p));

  // Credentials: ask on a terminal for what is neither given nor in .env.
  const envText = readUtf8IfExists(model.env.file);
  const existing = parseDotenv(envText ?? '');
  for (const value of existing.values()) if (/KEY|SECRET/.test(value.key)) registerSecret(value.value);
  if (interactive && !flags.dryRun) {
    if (apiKey === undefined && !existing.has('WORKOS_API_KEY')) apiKey = await promptCredential(io, 'WORKOS_API_KEY', 'sk_', true);
    if (clientId === undefined && !existing.has('WORKOS_CLIENT_ID')) clientId = await promptCredential(io, 'WORKOS_CLIENT_ID', 'client_', false);
  }
  let replaceExistingEnvValues = false;
  const given: Record<string, string | undefined> = { apiKey, clientId };
  for (const cred of CREDENTIALS) {
    const value = given[cred.option];
    const current = existing.get(cred.key);
    if (value !== undefined && current && current.value !== value && interactive && !flags.dryRun) {
      replaceExistingEnvValues ||= await confirm(io, `${cred.key} in ${display(model.env.file)} differs from the one given. Replace it?`, false);
    }
  }

  const options: IntegrationOptions = {
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    replaceExistingEnvValues,
    ...(viewsDir ? { viewsDir } : {}),
    ...(redirectUri ? { redirectUri } : {}),
    ...(packageManager ? { packageManager } : {}),
  };

  let plan: IntegrationPlan;
  try {
    plan = planIntegration(model, options);
  } catch (error) {
    if (error instanceof EditRefused) {
      throw new UserError(`${error.message}${error.line ? ` (${display(error.file)}:${error.line})` : ''}`);
    }
    throw error;
  }
  const manualRequired = plan.outcomes.filter((o) => o.status === 'manual');

  say('');
  say(p.bold('Plan:'));
  say(renderSummary(plan.outcomes, plan.changes, display, p));
  if (plan.changes.length > 0) {
    say('');
    say(renderDiffs(plan.changes, display, p));
  }
  const manualText = renderManualSteps(plan.outcomes, display, p);
  if (manualText) {
    say('');
    say(manualText);
  }

  const report: InitReport = {
    command: 'init',
    dryRun: flags.dryRun,
    project: projectJson(model),
    changes: plan.outcomes.map((o) => ({
      id: o.id,
      status: JSON_STATUS[o.status],
      summary: o.summary,
      ...(o.file ? { file: rel(model, o.file) } : {}),
      ...(o.line ? { line: o.line } : {}),
      ...(o.note ? { note: o.note } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.snippet ? { snippet: o.snippet } : {}),
    })),
    files: plan.changes.map((c) => ({ path: rel(model, c.file), action: c.before === null ? 'created' : 'changed' })),
    applied: false,
    install: { status: 'skipped', reason: 'not run' },
    verify: { status: 'skipped', reason: 'not run' },
    flow: { status: 'skipped', reason: 'not run' },
    exitCode: EXIT.ok,
  };
  const finish = (code: number): number => {
    report.exitCode = code;
    if (flags.json) writeJsonReport(io, 'init', report);
    return code;
  };

  if (flags.dryRun) {
    say('');
    say(p.dim('--dry-run: nothing was written, nothing was run.'));
    report.install = { status: 'skipped', reason: '--dry-run' };
    report.verify = { status: 'skipped', reason: '--dry-run' };
    report.flow = { status: 'skipped', reason: '--dry-run' };
    return finish(EXIT.ok);
  }

  // Confirm, warn on a dirty tree. Without a terminal, never wait for an answer.
  if (plan.changes.length > 0) {
    if (!flags.yes && !interactive) {
      if (flags.json) report.install = { status: 'skipped', reason: 'not confirmed' };
      writeLine(io.stderr, 'authkit-django: not applying: stdin is not a terminal, so there is no one to confirm. Pass --yes to apply (or --dry-run to only preview).');
      return finish(EXIT.usage);
    }
    const dirty = model.isGitRepo ? uncommittedChanges(model.repoRoot) : null;
    if (dirty && dirty.length > 0) {
      writeLine(
        flags.json ? io.stderr : out,
        p.yellow(`warning: the git tree has ${dirty.length} uncommitted change${dirty.length === 1 ? '' : 's'}; commit or stash first to review authkit-django's changes on their own.`),
      );
      if (interactive && !(await confirm(io, 'Continue anyway?', false))) return finish(EXIT.error);
    }
    if (interactive && !(await confirm(io, `Apply these changes to ${plan.changes.length} file${plan.changes.length === 1 ? '' : 's'}?`, true))) {
      say('Nothing was written.');
      return finish(EXIT.error);
    }
  }

  // Apply.
  let applied: ReturnType<typeof applyChanges> | null = null;
  if (plan.changes.length > 0) {
    applied = applyChanges(model.projectRoot, plan.changes, 'init', io.env);
    report.applied = true;
    say('');
    say(`${p.green('Applied')}: ${report.files.filter((f) => f.action === 'created').length} created, ${report.files.filter((f) => f.action === 'changed').length} changed. ${p.dim('Undo with: authkit-django undo')}`);
  } else {
    say('');
    say(p.green('Nothing to change: the integration is in place.'));
  }

  // Install.
  let installFailed = false;
  let imports: ImportReport | null = null;
  if (!flags.install) {
    report.install = { status: 'skipped', reason: '--no-install' };
  } else {
    const command = installCommand(model, packageManager ? { packageManager } : {});
    const before = await checkImports(model.python, model.projectRoot, { env: io.env });
    if (before.ok && dependenciesDeclared(model, command)) {
      report.install = { status: 'skipped', reason: 'workos and python-dotenv already installed and declared', workos: before.workosVersion };
      say(p.dim(`workos ${before.workosVersion ?? ''} and python-dotenv are installed already.`));
      imports = before;
    } else {
      const result = await runInstall(model, command, applied, io, flags.json);
      report.install = installJson(result);
      if (!result.ok) {
        installFailed = true;
        writeLine(io.stderr, result.message ?? 'installing failed');
        writeLine(io.stderr, p.dim('The code changes are kept. Fix the problem above and run the command again, or run authkit-django init again.'));
      } else {
        imports = await checkImports(model.python, model.projectRoot, { env: io.env });
        if (!imports.ok) {
          installFailed = true;
          writeLine(io.stderr, `Installed, but the project's Python (${model.python.command.join(' ')}) cannot import: ${imports.imports.filter((i) => !i.ok).map((i) => `${i.module} (${i.error})`).join(', ')}`);
        }
      }
    }
  }

  // Verify.
  let checks: ProjectChecksReport | null = null;
  if (!flags.verify) {
    report.verify = { status: 'skipped', reason: '--no-verify' };
  } else if (installFailed) {
    report.verify = { status: 'skipped', reason: 'install failed' };
  } else {
    checks = await runProjectChecks(model, { env: io.env, ...(apiKey ? { secrets: [apiKey] } : {}) });
    report.verify = { status: checks.checks.some((c) => c.status === 'fail') ? 'failed' : 'passed', ...projectChecksJson(checks, model.dir) };
    say('');
    for (const line of renderProjectChecks(checks, { palette: p, relativeTo: model.dir })) say(line);
  }
  const verifyFailed = checks?.checks.some((c) => c.status === 'fail' && !isCredentialCheck(c.id, manualRequired.length > 0)) ?? false;

  // The login flow against WorkOS's emulator: after passing checks, when the emulator can
  // be found (when it cannot, the output says how to get it and init does not fail).
  let flowFailed = false;
  if (checks) {
    const flow = await flowAfterInit(model, checks, {
      env: io.env,
      palette: p,
      onInterrupt: () => writeLine(io.stderr, 'Interrupted: stopping runserver and the emulator.'),
    });
    report.flow = { status: flow.status, reason: flow.reason, ...(flow.flow ? { report: flow.flow } : {}) };
    if (flow.lines.length > 0) {
      say('');
      for (const line of flow.lines) say(line);
    }
    flowFailed = flow.status === 'failed';
  } else {
    report.flow = { status: 'skipped', reason: report.verify.reason ?? 'the checks did not run' };
  }

  if (installFailed || verifyFailed || flowFailed) return finish(EXIT.verifyFailed);
  if (manualRequired.length > 0) {
    say('');
    say(p.yellow(`${manualRequired.length} step${manualRequired.length === 1 ? '' : 's'} need${manualRequired.length === 1 ? 's' : ''} you: see "To do by hand" above.`));
    return finish(EXIT.needsUser);
  }
  return finish(EXIT.ok);
}

/** A failing credential check is expected when the keys are a manual step already reported. */
function isCredentialCheck(id: string, credentialsPending: boolean): boolean {
  return credentialsPending && (id === 'api-key' || id === 'client-id');
}

async function promptCredential(io: Io, key: string, prefix: string, secret: boolean): Promise<string | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const question = `${key} (starts with ${prefix}; from the WorkOS dashboard, API Keys; empty to skip): `;
    const answer = secret ? await askSecret(io, question) : await ask(io, question);
    if (answer === null) throw new UserError('cancelled; nothing was written');
    if (answer === '') return undefined;
    if (answer.startsWith(prefix) && !/\s/.test(answer)) {
      if (secret) registerSecret(answer);
      return answer;
    }
    writeLine(io.stderr, `That does not start with ${prefix}.`);
  }
  throw new UsageError(`no valid ${key} was entered`);
}

/** The package manager's files already list both packages (so `uv add` and friends have nothing to record). */
function dependenciesDeclared(model: ProjectModel, command: InstallCommand): boolean {
  const files =
    command.manager === 'pip' ? (model.packageManager.requirementsFile ? [model.packageManager.requirementsFile] : []) : command.modifies.filter((f) => /pyproject\.toml$|Pipfile$/.test(f));
  if (files.length === 0) return command.manager === 'pip';
  const text = files.map((f) => readUtf8IfExists(f) ?? '').join('\n').toLowerCase();
  return /(^|["'\s])workos\b/m.test(text) && /python[-_.]dotenv/.test(text);
}

async function runInstall(model: ProjectModel, command: InstallCommand, applied: ReturnType<typeof applyChanges> | null, io: Io, json: boolean): Promise<InstallResult> {
  // The package manager rewrites its own files (pyproject.toml, lockfiles): journal them so undo restores them too.
  const journaled = applied ? command.modifies.filter((f) => !applied.entry.files.some((e) => e.path === f)).map(preImage) : [];
  if (applied) {
    applied.entry.files.push(...journaled);
    applied.journal.save();
  }
  const result = await installPackages(command, model, { stderr: io.stderr, env: io.env });
  if (applied) {
    for (const record of journaled) {
      let bytes: Buffer | null = null;
      try {
        bytes = readFileSync(record.path);
      } catch {
        bytes = null;
      }
      record.afterSha256 = bytes === null ? null : sha256(bytes);
    }
    applied.journal.save();
  }
  void json;
  return result;
}

function installJson(result: InstallResult): InitReport['install'] {
  return {
    status: result.status,
    manager: result.manager,
    command: result.command,
    durationMs: Math.round(result.durationMs),
    ...(result.message ? { message: result.message } : {}),
  };
}

function rel(model: ProjectModel, file: string): string {
  return relative(model.dir, file).split('\\').join('/') || '.';
}

function projectJson(model: ProjectModel): Record<string, unknown> {
  return {
    managePy: rel(model, model.managePy),
    settingsModule: model.settingsModule,
    settingsFile: model.settingsFile ? rel(model, model.settingsFile) : null,
    urlsFile: model.urlsFile ? rel(model, model.urlsFile) : null,
    packageManager: model.packageManager.name,
    python: model.python.command.join(' '),
    django: model.django?.version ?? null,
  };
}

function describeProject(model: ProjectModel, display: (f: string) => string, p: Palette): string {
  const parts = [
    `settings ${model.settingsFile ? display(model.settingsFile) : p.yellow('not found')}`,
    `urls ${model.urlsFile ? display(model.urlsFile) : p.yellow('not found')}`,
    model.packageManager.name,
    model.django ? `Django ${model.django.version}` : 'Django version unknown',
  ];
  return `${p.bold('authkit-django')}: Django project ${display(model.managePy)} (${parts.join(', ')})`;
}

interface InitReport {
  command: 'init';
  dryRun: boolean;
  project: Record<string, unknown>;
  changes: Record<string, unknown>[];
  files: { path: string; action: 'created' | 'changed' }[];
  applied: boolean;
  install: Record<string, unknown>;
  verify: Record<string, unknown>;
  flow: Record<string, unknown>;
  exitCode: number;
}
