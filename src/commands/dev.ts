/**
 * `authkit-django dev [DIR]`: the project's runserver against WorkOS's emulator, so a
 * person can log in and out locally with no WorkOS account. The emulator's URL and
 * credentials go into runserver's environment only; the project's .env is not changed.
 * Runs until Ctrl+C (or until runserver stops), then stops both.
 */
import { discover } from '../discover/index.js';
import { stopAll, watchSignals } from '../flow/cleanup.js';
import { loadOrInstallEmulator } from '../flow/emulator-install.js';
import { startEmulator, type RunningEmulator } from '../flow/emulator.js';
import { tokenTtlLine } from '../flow/token-resign.js';
import { runManageCommand } from '../flow/manage-command.js';
import { choosePort, parsePort } from '../flow/ports.js';
import { registerProjectSecrets } from '../flow/project-secrets.js';
import { RunserverError, runserverEnv, startRunserver, type RunningServer } from '../flow/runserver.js';
import { flowBlocker } from '../flow/verify-flow.js';
import { runtimeSettingsModule } from '../discover/settings-module.js';
import { migrateCommand } from '../verify/migrate-step.js';
import type { CommandArgs } from '../main.js';
import { EXIT, UsageError, UserError } from '../util/errors.js';
import { lineWidth, palette, writeLine, type Io } from '../util/output.js';
import { redactSecrets, secretsFromEnv } from '../util/secrets.js';
import { renderProjectChecks, renderSummary } from '../verify/render.js';
import { runProjectChecks } from '../verify/run-project-checks.js';
import { discoverOptions, stringOption, tokenTtlOption } from './options.js';
import { writeJsonReport } from '../util/json-report.js';

const DEFAULT_PORT = 8000;

function portOption(args: CommandArgs, flag: 'port' | 'emulator-port'): number | undefined {
  const value = stringOption(args.values[flag]);
  if (value === undefined) return undefined;
  const port = parsePort(value);
  if (port === null) throw new UsageError(`--${flag} must be a port number from 1 to 65535; got "${value}"`);
  return port;
}

export async function runDev(args: CommandArgs, io: Io): Promise<number> {
  const p = palette(io.color);
  const say = (text = '') => writeLine(io.stdout, text);
  const tell = (text = '') => writeLine(io.stderr, text);
  const preferredPort = portOption(args, 'port') ?? DEFAULT_PORT;
  const emulatorPort = portOption(args, 'emulator-port');
  const migrate = args.values.migrate === true;
  const tokenTtl = tokenTtlOption(args);

  const model = await discover(args.dir, discoverOptions(args, io));
  registerProjectSecrets(model, io.env);
  const loaded = await loadOrInstallEmulator({ projectRoot: model.projectRoot, env: io.env }, { io, yes: args.values.yes === true, json: false });

  // Ctrl+C from here on stops whatever has started, then ends with 0: it is how dev ends.
  const signals = watchSignals();
  const interrupted = signals.received.then((signal) => ({ kind: 'signal' as const, signal }));
  const pending: Promise<unknown>[] = [];
  const stopEverything = async (): Promise<void> => {
    await stopAll();
    // A stage Ctrl+C interrupted may still be finishing; whatever it started goes too.
    await Promise.allSettled(pending);
    await stopAll();
    signals.dispose();
  };
  /** Runs one start-up stage, unless Ctrl+C comes first. */
  const unlessInterrupted = async <T>(work: Promise<T>): Promise<T | null> => {
    pending.push(work);
    const outcome = await Promise.race([work.then((value) => ({ kind: 'done' as const, value })), interrupted]);
    return outcome.kind === 'done' ? outcome.value : null;
  };

  let emulator: RunningEmulator | null = null;
  let server: RunningServer | null = null;
  try {
    const notes: string[] = [];
    const emulatorChoice = emulatorPort === undefined ? null : await choosePort(emulatorPort);
    if (emulatorChoice && emulatorChoice.busy.length > 0) notes.push(`emulator port ${emulatorPort} is in use; using ${emulatorChoice.port}`);
    emulator = await unlessInterrupted(startEmulator(loaded, { port: emulatorChoice?.port ?? 0, tokenTtl }));
    if (!emulator) return EXIT.ok;
    registerProjectSecrets(model, {}, [emulator.apiKey]);
    const workos = { baseUrl: emulator.url, apiKey: emulator.apiKey, clientId: emulator.clientId };
    const env = runserverEnv(io.env, workos, runtimeSettingsModule(model, io.env));
    const clean = (text: string) => redactSecrets(text, [...secretsFromEnv(io.env), emulator!.apiKey]);

    // The same checks as init and verify, with the emulator's settings: a broken import
    // or an unmigrated database is explained here instead of as a 500 in the browser.
    const checks = await unlessInterrupted(runProjectChecks(model, { env, siteUrl: `http://localhost:${preferredPort}` }));
    if (!checks) return EXIT.ok;
    const blocker = flowBlocker(checks, 'project');
    const checksFailed = checks.checks.some((c) => c.status === 'fail');
    const tableMissing = checks.checks.some((c) => c.id === 'sessions-table' && c.status === 'warn');
    if (blocker && !(tableMissing && migrate && !checksFailed)) {
      for (const line of renderProjectChecks(checks, { palette: p, relativeTo: model.dir, dashboard: false, width: lineWidth(io.stderr) })) tell(line);
      tell('');
      if (tableMissing && !checksFailed) {
        tell(`${p.red('Not started:')} the database lacks the tables a sign-in is stored in (sessions, authkit's).`);
        const command = migrateCommand(model.python.command, model.projectRoot);
        tell(`Run ${p.cyan(command)} in ${model.projectRoot} (or start dev with ${p.cyan('--migrate')}), then run authkit-django dev again.`);
      } else {
        tell(`${p.red('Not started:')} ${blocker}.${checksFailed ? ' Fix what the checks report, then run authkit-django dev again.' : ''}`);
      }
      return EXIT.error;
    }
    tell(p.dim(`Checks (${checks.interpreter}): ${renderSummary(checks.checks, p)}`));

    if (tableMissing && migrate) {
      tell(p.dim(`Running ${migrateCommand(model.python.command, model.projectRoot)} ...`));
      const run = await unlessInterrupted(runManageCommand(model, ['migrate', '--noinput'], env, (text) => io.stderr.write(clean(text))));
      if (!run) return EXIT.ok;
      if (run.exit.code !== 0) {
        tell(`${p.red('Not started:')} python manage.py migrate failed (${run.exit.spawnError ? run.exit.spawnError.message : `exit code ${run.exit.code}`}).`);
        return EXIT.error;
      }
    }

    const chosen = await choosePort(preferredPort);
    if (chosen.busy.length > 0) notes.push(`port ${preferredPort} is in use; using ${chosen.port}`);
    try {
      server = await unlessInterrupted(
        startRunserver(model, {
          port: chosen.port,
          otherPorts: 20,
          env: io.env,
          workos,
          onOutput: (text) => io.stderr.write(text),
        }),
      );
    } catch (error) {
      if (error instanceof UserError) {
        tell(`authkit-django: ${error.message}`);
        const detail = error instanceof RunserverError ? error.detail : undefined;
        if (detail) tell(detail.split('\n').map((line) => `  ${line}`).join('\n'));
        if (error.hint) tell(error.hint);
        return EXIT.error;
      }
      throw error;
    }
    if (!server) return EXIT.ok;
    notes.push(...server.notes);

    if (args.values.json === true) {
      // One line a program can wait for: everything it needs to drive the site.
      const site = `${server.url}/`;
      const ttl = emulator.tokenTtl === undefined ? {} : { tokenTtl: emulator.tokenTtl };
      writeJsonReport(io, 'dev', { site, loginUrl: `${server.url}/auth/login/`, emulator: emulator.url, user: emulator.user.email, ...ttl, notes }, 0);
    } else {
    say('');
    say(`${p.bold('authkit-django dev')}: ${model.managePy} against WorkOS's emulator`);
    say(`  WorkOS emulator  ${emulator.url}  ${p.dim(`(workos ${emulator.version}; signs in ${emulator.user.email}, no password)`)}`);
    if (emulator.tokenTtl !== undefined) say(`                   ${p.dim(tokenTtlLine(emulator.tokenTtl, emulator.url, emulator.clientId))}`);
    say(`  Django           ${p.cyan(`${server.url}/`)}  ${p.bold('<- open this and click "Log in"')}`);
    for (const note of notes) say(`  ${p.yellow('!')} ${note}`);
    say(p.dim("  WORKOS_* come from the emulator for this run only; the project's .env is not changed."));
    say(p.dim('Press Ctrl+C to stop both.'));
    say('');
    }

    const ended = await Promise.race([server.exited.then((exit) => ({ kind: 'exit' as const, exit })), interrupted]);
    if (ended.kind === 'signal') {
      tell('');
      tell(p.dim('Stopping manage.py runserver and the emulator ...'));
      return EXIT.ok;
    }
    const how = ended.exit.signal ? `signal ${ended.exit.signal}` : `exit code ${ended.exit.code}`;
    tell(`${p.red('manage.py runserver stopped')} (${how}); stopping the emulator.`);
    return EXIT.error;
  } finally {
    await stopEverything();
  }
}
