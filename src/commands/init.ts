/**
 * `authkit-django init`: discover -> plan -> review -> apply -> install -> verify.
 * The command only sequences the pipeline and talks to the user; each stage lives in
 * its own folder.
 */
import { dirname, join, relative } from 'node:path';
import { discover } from '../discover/index.js';
import { unsupportedDjangoMessage } from '../discover/django-version.js';
import { installedWorkosVersion, oldSdkMessage } from '../install/sdk-version.js';
import { pinInstalled } from '../install/pin-installed.js';
import { keepOrRollBack } from '../install/roll-back.js';
import { holdInstalled, lockedVersions, noReleaseFits } from '../install/fit-installed.js';
import { installedOnNextRun, missingForNoInstall, noInstallMessage } from '../install/no-install-check.js';
import { requirementName } from '../integrate/requirements.js';
import { neededPackages } from '../integrate/needed-packages.js';
import { requirementsTarget } from '../integrate/requirements-step.js';
import { installSpecs, MIN_WORKOS, packageNames, type AuthkitPackage } from '../install/packages.js';
import { installedVersion } from '../install/installed-version.js';
import { compareStates, describeChange, distributionsIn, environmentState, type EnvironmentState } from '../install/environment-state.js';
import { flowAfterInit } from '../flow/after-init.js';
import { needsMigrate } from '../verify/migrate-step.js';
import type { PackageManagerName, ProjectModel } from '../discover/model.js';
import { CREDENTIALS, parseDotenv } from '../integrate/dotenv-file.js';
import type { IntegrationOptions } from '../integrate/context.js';
import type { IntegrationPlan } from '../integrate/index.js';
import { planWithInvariant, type InvariantReport } from '../invariant/index.js';
import { invariantJson, renderInvariant } from '../invariant/render.js';
import type { InstallCommand } from '../install/command.js';
import { canDeclareOnly, installCommand } from '../install/command.js';
import { findExecutable } from '../install/find-executable.js';
import { shellCommand, shellQuote } from '../install/shell-quote.js';
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
import { lineWidth, palette, wrapText, writeLine, type Io, type Palette } from '../util/output.js';
import { askSecret, ask, canPrompt, confirm, confirmOrCancel } from '../util/prompt.js';
import { redactDeep, registerSecret } from '../util/secrets.js';
import { readFileSync } from 'node:fs';
import { projectChecksJson, renderProjectChecks } from '../verify/render.js';
import { runProjectChecks } from '../verify/run-project-checks.js';
import type { ProjectChecksReport } from '../verify/types.js';
import { prepareProject } from './interrupted.js';
import {
  credentialOption,
  discoverOptions,
  packageManagerOption,
  redirectUriOption,
  viewsOption,
} from './options.js';
import { writeJsonReport } from '../util/json-report.js';
import { markPhase } from '../util/phase-times.js';

interface InitFlags {
  dryRun: boolean;
  yes: boolean;
  json: boolean;
  install: boolean;
  verify: boolean;
}

export async function runInit(args: CommandArgs, io: Io): Promise<number> {
  markPhase('command load');
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
  let model = await discover(args.dir, { ...discoverOptions(args, io), probeInterpreter: false });
  if (model.candidates.length > 0 && args.values.project === undefined) {
    // Several manage.py files: the person says which; without one to ask, refuse.
    const choice = await chooseProject([model.managePy, ...model.candidates], model.repoRoot, interactive, io);
    model = await discover(args.dir, { ...discoverOptions(args, io), project: choice, probeInterpreter: false });
  }
  await loadPythonParser();
  markPhase('discover');
  // The lock, then an earlier interrupted run settled (files changed: look again).
  if (await prepareProject(model, io, { command: 'init', yes: flags.yes, json: flags.json, settleInterrupted: true, dryRun: flags.dryRun })) {
    model = await discover(args.dir, { ...discoverOptions(args, io), probeInterpreter: false });
  }
  const display = (file: string) => relative(model.repoRoot, file).split('\\').join('/') || '.';

  say(describeProject(model, display, p));
  // A file discovery could not read as UTF-8 is one we would read or edit: stop, saying where.
  const unreadable = model.problems.find((problem) => problem.code === 'file-not-utf8' || problem.code === 'file-unreadable');
  if (unreadable?.file) {
    throw new UserError(
      `${display(unreadable.file)}${unreadable.line ? `:${unreadable.line}` : ''}: ${unreadable.message}; nothing was written`,
      EXIT.error,
      unreadable.code === 'file-not-utf8' ? 'Save the file as UTF-8 (for example with iconv -f latin1 -t utf-8), then run init again.' : undefined,
    );
  }
  const urlsComputed = model.problems.some((problem) => problem.code === 'root-urlconf-computed');
  if (!model.settingsFile || (!model.urlsFile && !urlsComputed)) {
    // Without both, the views and routes have nowhere to go: writing .env alone would only
    // leave debris. (A computed ROOT_URLCONF is a manual step instead, with the snippet.)
    throw new UserError(
      `the ${model.settingsFile ? 'root urls module' : 'settings file'} of ${display(model.managePy)} was not found; nothing was written`,
      EXIT.error,
      'Run `authkit-django inspect` to see what was found, or name the settings module with --settings.',
    );
  }
  const oldDjango = unsupportedDjangoMessage(model.django, display);
  if (oldDjango) throw new UserError(oldDjango);
  // pip check before the install is read-only: started now, it runs while the plan is made,
  // checked and applied, instead of after.
  const environmentBefore = flags.install && !flags.dryRun ? environmentState(model.python, model.projectRoot, io.env).catch(() => null) : null;
  if (!flags.install) {
    // Without a virtualenv to read, one start of the interpreter answers both questions.
    const needed = neededPackages(model);
    const asked =
      !model.python.venv && model.python.exists
        ? await checkImports(model.python, model.projectRoot, { env: io.env, modules: ['django', ...needed.map((pkg) => pkg.module)] })
        : undefined;
    const oldSdk = oldSdkMessage(await installedWorkosVersion(model.python, model.projectRoot, io.env, asked));
    if (oldSdk) throw new UserError(oldSdk);
    const manager = packageManager ?? model.packageManager.name;
    const check = installedOnNextRun(model, manager) ? null : await missingForNoInstall(model, needed, io.env, asked);
    if (check && check.missing.length > 0) throw new UserError(noInstallMessage({ ...model, packageManager: { ...model.packageManager, name: manager } }, check.missing));
  }

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
    ...(args.values['no-django-auth'] === true ? { djangoAuth: false } : {}),
  };

  markPhase('checks before planning');
  // Plan, then check the plan in the project's own Python before anything is written.
  let plan: IntegrationPlan;
  let invariant: InvariantReport;
  try {
    ({ plan, report: invariant } = await planWithInvariant(model, options, {
      enabled: flags.verify,
      disabledReason: '--no-verify',
      env: io.env,
      secrets: apiKey ? [apiKey] : [],
    }));
  } catch (error) {
    if (error instanceof EditRefused) {
      throw new UserError(`${error.message}${error.line ? ` (${display(error.file)}:${error.line})` : ''}`);
    }
    throw error;
  }
  markPhase('plan');
  const manualRequired = plan.outcomes.filter((o) => o.status === 'manual');

  say('');
  say(p.bold('Plan:'));
  const width = lineWidth(io.stdout);
  say(renderSummary(plan.outcomes, plan.changes, display, p, width));
  const installing = installPreview(model, flags.install, packageManager, display);
  if (installing) for (const [i, line] of wrapText(installing, width - 2, width - 8).entries()) say(p.dim(`${i === 0 ? '  ' : '        '}${line}`));
  if (plan.changes.length > 0) {
    say('');
    say(renderDiffs(plan.changes, display, p, { full: flags.dryRun || args.values.diff === true, outcomes: plan.outcomes }));
  }
  markPhase('render');
  say('');
  for (const line of renderInvariant(invariant, model.python.command.join(' '), display, p)) say(line);
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
      ...(o.anchor ? { anchor: o.anchor } : {}),
    })),
    files: plan.changes.map((c) => ({ path: rel(model, c.file), action: c.before === null ? 'created' : 'changed' })),
    applied: false,
    invariant: redactDeep(invariantJson(invariant, (f) => rel(model, f)), apiKey ? [apiKey] : []),
    install: { status: 'skipped', reason: 'not run' },
    verify: { status: 'skipped', reason: 'not run' },
    flow: { status: 'skipped', reason: 'not run' },
    migrate: null,
    exitCode: EXIT.ok,
  };
  const finish = (code: number): number => {
    report.exitCode = code;
    if (flags.json) writeJsonReport(io, 'init', report);
    return code;
  };

  /** A "no" is a choice (exit 1); Ctrl+C is an interruption (exit 130): each says so. */
  const declined = (answer: 'no' | 'cancelled'): number => {
    if (answer === 'cancelled') {
      writeLine(io.stderr, 'Interrupted: nothing was written.');
      return 130;
    }
    say('Not applied, as you answered no: nothing was written. Run again when ready (--dry-run only shows the plan).');
    return EXIT.error;
  };

  /** Install, verify and the flow did not run, all for one reason. */
  const skipRemainingStages = (reason: string): void => {
    for (const stage of ['install', 'verify', 'flow'] as const) report[stage] = { status: 'skipped', reason };
  };

  if (flags.dryRun) {
    say('');
    say(p.dim('--dry-run: nothing was written, nothing was installed.'));
    skipRemainingStages('--dry-run');
    return finish(EXIT.ok);
  }

  if (plan.outcomes.some((o) => o.id === 'invariant')) {
    // The check before writing held everything back: nothing to install or verify.
    say('');
    say(p.yellow('Nothing was written: the planned edits would change what the project does (see above).'));
    skipRemainingStages('nothing was written');
    return finish(EXIT.needsUser);
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
      if (interactive) {
        const answer = await confirmOrCancel(io, 'Continue anyway?', false);
        if (answer !== 'yes') return finish(declined(answer));
      }
    }
    if (interactive) {
      const answer = await confirmOrCancel(io, `Apply these changes to ${plan.changes.length} file${plan.changes.length === 1 ? '' : 's'}?`, true);
      if (answer !== 'yes') return finish(declined(answer));
    }
  }

  // Apply.
  let applied: ReturnType<typeof applyChanges> | null = null;
  if (plan.changes.length > 0) {
    applied = applyChanges(model, plan.changes, 'init', io.env, { forceReadOnly: args.values['force-read-only'] === true });
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
    // Nothing installed, but the manager's own files still declare what the code needs.
    const needed = installSpecs(neededPackages(model));
    const manager = packageManager ?? model.packageManager.name;
    const declare = installCommand(model, { ...(packageManager ? { packageManager } : {}), packages: needed, declareOnly: true });
    if (manager !== 'pip' && !dependenciesDeclared(model, declare)) {
      // A tool that is missing or fails (offline) leaves a manual step, never a failed --no-install.
      const manual = (reason: string, snippet: string) => {
        const step = { id: 'dependencies', status: 'manual', summary: `declare ${needed.join(', ')} with ${manager}`, reason, snippet };
        report.changes.push(step);
        manualRequired.push({ id: step.id, status: 'manual', summary: step.summary, reason, snippet });
        say('');
        say(p.yellow(`To do by hand: ${step.summary} (${reason}):`));
        say(`  ${snippet}`);
      };
      if (!canDeclareOnly(manager)) {
        manual('pipenv cannot record a package without installing it, and --no-install was given', `cd ${shellQuote(model.packageManager.root)} && ${shellCommand(['pipenv', 'install', ...needed])}`);
      } else if (!findExecutable(declare.argv[0]!, io.env, declare.cwd)) {
        manual(`${declare.argv[0]} is not on PATH`, declare.retry);
      } else {
        const result = await runInstall(model, declare, applied, io, flags.json);
        if (result.ok) report.install = { ...installJson(result), status: 'declared', reason: '--no-install: declared, not installed' };
        else manual(`${declare.argv[0]} failed: ${(result.message ?? '').split('\n')[0]}`, declare.retry);
      }
    }
  } else {
    const needed = neededPackages(model);
    const modules = needed.map((pkg) => pkg.module);
    const all = installCommand(model, { ...(packageManager ? { packageManager } : {}), packages: installSpecs(needed) });
    // A package the virtualenv has no .dist-info for is not installed: no interpreter needed to say so.
    const absent = model.python.venv ? needed.filter((pkg) => installedVersion(model.python.venv!, pkg.name) === null) : [];
    const before = absent.length > 0 ? notInstalled(model.python.venv!, modules, absent) : await checkImports(model.python, model.projectRoot, { env: io.env, modules });
    // uv, poetry and pipenv rewrite the line of every package they are given: one the project
    // declares already, in its own words, and has installed is left out of the command.
    const theirs = declaredByProject(model, all, needed).filter((pkg) => before.imports.some((i) => i.module === pkg.module && i.ok));
    const command = theirs.length > 0 && theirs.length < needed.length ? installCommand(model, { ...(packageManager ? { packageManager } : {}), packages: installSpecs(needed.filter((pkg) => !theirs.includes(pkg))) }) : all;
    if (before.ok && !oldSdkMessage(before.workosVersion) && dependenciesDeclared(model, all)) {
      report.install = { status: 'skipped', reason: 'workos and python-dotenv already installed and declared', workos: before.workosVersion };
      say(p.dim(`workos ${before.workosVersion ?? ''} and python-dotenv are installed already.`));
      imports = before;
    } else {
      const stateBefore = await (environmentBefore ?? environmentState(model.python, model.projectRoot, io.env));
      let result: InstallResult;
      let heldInstalled = false;
      const held = holdInstalled(command, heldState(model, command, stateBefore));
      if (held) {
        try {
          result = await runInstall(model, held.command, applied, io, flags.json);
        } finally {
          held.remove();
        }
        heldInstalled = result.ok;
        if (noReleaseFits(result)) {
          writeLine(flags.json ? io.stderr : out, p.yellow(`No workos release from ${MIN_WORKOS} on fits the ${held.held} packages installed as they are; installing with the upgrades it needs.`));
          result = await runInstall(model, command, applied, io, flags.json);
        }
      } else {
        result = await runInstall(model, command, applied, io, flags.json);
      }
      report.install = { ...installJson(result), ...(held && result.ok ? { heldInstalled } : {}) };
      // Both read-only: pip check after the install and the imports, side by side.
      const [stateAfter, importsAfter] = result.ok
        ? await Promise.all([stateBefore ? environmentState(model.python, model.projectRoot, io.env) : null, checkImports(model.python, model.projectRoot, { env: io.env, modules })])
        : [null, null];
      const change = stateBefore && stateAfter ? compareStates(stateBefore, stateAfter) : null;
      if (change) {
        report.install.changedPackages = change.changed;
        for (const line of describeChange(change)) writeLine(flags.json ? io.stderr : out, p.yellow(line));
        if (change.broke) {
          result.ok = false;
          result.message = `the install left the environment inconsistent (pip check was clean before):\n${change.problems}\nThe project's own pins conflict with ${command.packages.join(' ')}; pin a workos release that fits (${MIN_WORKOS} or later), or relax the conflicting pin.`;
          report.install.status = 'conflict';
        }
      } else if (result.ok) {
        report.install.environmentCheck = stateBefore ? 'not compared' : 'pip is not available in the project environment: pip check and freeze were not compared';
      }
      if (!result.ok) {
        installFailed = true;
        writeLine(io.stderr, result.message ?? 'installing failed');
      } else {
        imports = importsAfter ?? (await checkImports(model.python, model.projectRoot, { env: io.env, modules }));
        if (imports.ok && command.manager === 'pip' && !model.packageManager.requirementsFile) {
          // Installed into the environment only: a fresh checkout would not have them.
          report.install.note = `no requirements file: ${command.packages.join(' ')} installed but recorded nowhere`;
          say(p.yellow(`No requirements file lists the project's packages, so ${command.packages.join(', ')} are installed but recorded nowhere: add them where you record dependencies.`));
        }
        const pinned = imports.ok && command.manager === 'pip' ? pinInstalled(model, needed, applied, io.env) : [];
        if (pinned.length > 0) {
          report.install.pinned = pinned;
          say(p.dim(`Pinned what pip installed in ${display(model.packageManager.requirementsFile!)}, as the file pins every package: ${pinned.join(', ')}.`));
        }
        if (!imports.ok) {
          installFailed = true;
          writeLine(io.stderr, `Installed, but the project's Python (${model.python.command.join(' ')}) cannot import: ${imports.imports.filter((i) => !i.ok).map((i) => `${i.module} (${i.error})`).join(', ')}`);
        }
      }
      if (installFailed && applied) {
        const outcome = await keepOrRollBack(model, applied, imports, modules, io.env);
        if (outcome.rolledBack) {
          report.applied = false;
          report.install.rolledBack = true;
        }
        writeLine(io.stderr, outcome.rolledBack ? p.yellow(outcome.message) : p.dim(outcome.message));
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
    for (const line of renderProjectChecks(checks, { palette: p, relativeTo: model.dir, width: lineWidth(io.stdout) })) say(line);
  }
  const verifyFailed = checks?.checks.some((c) => c.status === 'fail' && !failsUntilDone(c.id, manualRequired)) ?? false;

  // The login flow against WorkOS's emulator: after passing checks, when the emulator can
  // be found (when it cannot, the output says how to get it and init does not fail).
  let flowFailed = false;
  if (checks) {
    const flow = await flowAfterInit(model, checks, {
      env: io.env,
      palette: p,
      yes: args.values.yes === true,
      width: lineWidth(io.stdout),
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
  // Sessions need their table before the first real sign-in: a step for the user, with
  // the command for this project's own interpreter (the flow ran on a throwaway database).
  const migrate = checks?.checks.find((c) => needsMigrate(c));
  if (migrate?.fix) {
    say('');
    say(`${p.bold('To do:')} create the database tables sign-in needs: ${p.cyan(migrate.fix)}${model.projectRoot === model.dir ? '' : ` (in ${model.projectRoot})`}`);
    report.migrate = migrate.fix;
  }
  if (manualRequired.length > 0 || migrate) {
    const count = manualRequired.length + (migrate ? 1 : 0);
    say('');
    say(p.yellow(`${count} step${count === 1 ? '' : 's'} need${count === 1 ? 's' : ''} you: see ${manualRequired.length > 0 ? '"To do by hand" ' : '"To do" '}above.`));
    return finish(EXIT.needsUser);
  }
  return finish(EXIT.ok);
}

/**
 * Checks that fail while a manual step is pending, because they need what the step adds:
 * such a failure is the step already reported (exit 3), not a broken integration (exit 4).
 */
const FAILS_UNTIL_DONE: { pending: (stepId: string) => boolean; checks: ReadonlySet<string> }[] = [
  // The keys: any step left to the user may be the credentials.
  { pending: () => true, checks: new Set(['api-key', 'client-id']) },
  { pending: (id) => id === 'urls.routes', checks: new Set(['url-names', 'login-redirect', 'redirect-uri']) },
  { pending: (id) => id === 'settings.sessions-app' || id === 'settings.session-middleware', checks: new Set(['sessions-setup', 'login-redirect', 'sessions-table']) },
];

function failsUntilDone(checkId: string, manual: readonly { id: string }[]): boolean {
  return FAILS_UNTIL_DONE.some((rule) => rule.checks.has(checkId) && manual.some((step) => rule.pending(step.id)));
}
/** Which of several manage.py files: asked at a terminal; otherwise a refusal naming them (exit 2). */
async function chooseProject(found: string[], repoRoot: string, interactive: boolean, io: Io): Promise<string> {
  const shown = found.map((file) => relative(repoRoot, file).split('\\').join('/'));
  if (!interactive) {
    throw new UsageError(`found ${found.length} Django projects: ${shown.join(', ')}; choose one with --project PATH`, `For example: authkit-django init --project ${relative(process.cwd(), dirname(found[0]!)) || '.'}`);
  }
  writeLine(io.stderr, `Found ${found.length} Django projects in this repository:`);
  shown.forEach((file, i) => writeLine(io.stderr, `  ${i + 1}) ${file}`));
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = await ask(io, `Which one? [1-${found.length}] `);
    if (answer === null) throw new UserError('cancelled; nothing was written', 130);
    const index = Number(answer) - 1;
    if (Number.isInteger(index) && index >= 0 && index < found.length) return found[index]!;
    writeLine(io.stderr, `Answer a number from 1 to ${found.length}.`);
  }
  throw new UsageError('no project was chosen', 'Name it with --project PATH.');
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

/** What checkImports would answer for a virtualenv that lacks `absent`, without starting Python. */
function notInstalled(venv: string, modules: readonly string[], absent: readonly AuthkitPackage[]): ImportReport {
  return {
    ok: false,
    imports: modules.map((module) => {
      const missing = absent.some((pkg) => pkg.module === module);
      return { module, ok: !missing, error: missing ? `not installed in ${venv}` : null };
    }),
    workosVersion: installedVersion(venv, 'workos'),
    executable: null,
    error: null,
  };
}

/**
 * The install's line in the plan: which tool runs after the files are written, and which of
 * the project's files it rewrites itself (they are not in the diff; undo restores them).
 */
function installPreview(model: ProjectModel, install: boolean, override: PackageManagerName | undefined, display: (file: string) => string): string | null {
  const needed = neededPackages(model);
  const command = installCommand(model, { ...(override ? { packageManager: override } : {}), packages: installSpecs(needed), declareOnly: !install });
  if (dependenciesDeclared(model, command)) return null;
  const theirs = declaredByProject(model, command, needed);
  const names = packageNames(needed.filter((pkg) => !theirs.includes(pkg)));
  const files = command.modifies.map(display).join(' and ');
  if (!install) return canDeclareOnly(command.manager) ? `then: ${command.argv.slice(0, 3).join(' ')} records ${names} in ${files}, installing nothing` : null;
  return command.manager === 'pip'
    ? `then: pip installs ${names} for ${model.python.command.join(' ')}`
    : `then: ${command.argv.slice(0, 2).join(' ')} installs ${names} and rewrites ${files} (undo restores them)`;
}

/** What the install holds at its versions: uv.lock in a locked uv project, else what is installed. */
function heldState(model: ProjectModel, command: InstallCommand, state: EnvironmentState | null): Pick<EnvironmentState, 'packages'> | null {
  if (command.manager === 'uv') {
    const lock = readUtf8IfExists(join(command.cwd, 'uv.lock'));
    if (lock !== null) return lockedVersions(lock);
  }
  // A uv virtualenv has no pip (no state), but its .dist-info folders say what is installed.
  return state ?? (model.python.venv ? { packages: distributionsIn(model.python.venv) } : null);
}

/** The package manager's files already list every package of the command (so `uv add` and friends have nothing to record). */
function dependenciesDeclared(model: ProjectModel, command: InstallCommand): boolean {
  const isDeclared = declaredIn(model, command);
  return command.packages.every(isDeclared);
}

/** Whether a package (a spec or a name) is listed in the manager's own files (requirements, pyproject.toml, Pipfile); the files are read once. */
function declaredIn(model: ProjectModel, command: InstallCommand): (spec: string) => boolean {
  const listed = model.packageManager.requirementsFile;
  const files = command.manager === 'pip' ? (listed ? [...new Set([listed, requirementsTarget(readUtf8IfExists, listed)])] : []) : command.modifies.filter((f) => /pyproject\.toml$|Pipfile$/.test(f));
  if (files.length === 0) return () => command.manager === 'pip';
  const text = files.map((f) => readUtf8IfExists(f) ?? '').join('\n').toLowerCase();
  return (spec) => {
    const name = (requirementName(spec) ?? spec).replace(/-/g, '[-_.]');
    return new RegExp(`(^|["'\\s])${name}\\b`, 'im').test(text);
  };
}

/**
 * The packages uv, poetry and pipenv are not handed because the project declares them
 * already, in its own words (they would rewrite the line); workos is always handed over,
 * so it lands in the supported range. pip's requirements file is ours to edit: none.
 */
function declaredByProject(model: ProjectModel, command: InstallCommand, needed: readonly AuthkitPackage[]): AuthkitPackage[] {
  if (command.manager === 'pip') return [];
  const isDeclared = declaredIn(model, command);
  return needed.filter((pkg) => pkg.name !== 'workos' && isDeclared(pkg.name));
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
  /** The check before writing: the project loaded before and after the plan, compared. */
  invariant: Record<string, unknown>;
  install: Record<string, unknown>;
  verify: Record<string, unknown>;
  flow: Record<string, unknown>;
  /** The migrate command left to the user (sessions table missing), or null. */
  migrate: string | null;
  exitCode: number;
}
