/**
 * Command line: arguments -> command -> exit code. Commands are loaded lazily so that
 * `--help` and `--version` cost nothing and each command pays only for what it uses.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, UsageError, type ExitCode } from './util/errors.js';
import { writeLine, type Io } from './util/output.js';
import { packagePath } from './util/package-root.js';
import { enableJsonProgress } from './util/json-progress.js';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandArgs {
  /** The project folder (first positional), defaulting to the current folder. */
  dir: string;
  values: Record<string, string | boolean | undefined>;
}

interface CommandDef {
  summary: string;
  usage: string;
  options: OptionSpec;
  optionHelp: [string, string][];
  /** The exit codes this command can return, for its --help (and the README). */
  exitCodes: Partial<Record<ExitCode, string>>;
  /** More lines for its --help, after the exit codes. */
  moreHelp?: string[];
  load: () => Promise<(args: CommandArgs, io: Io) => Promise<number>>;
}

const projectOptions: OptionSpec = {
  project: { type: 'string' },
  settings: { type: 'string' },
};
const projectHelp: [string, string][] = [
  ['--project PATH', 'the manage.py (or its folder) to use when the repository has several'],
  ['--settings MODULE', 'the settings module to use instead of the one manage.py names'],
];

const COMMANDS: Record<string, CommandDef> = {
  init: {
    summary: 'add WorkOS AuthKit to the Django project (default command)',
    usage: 'authkit-django init [DIR] [options]',
    options: {
      ...projectOptions,
      'dry-run': { type: 'boolean' },
      diff: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      json: { type: 'boolean' },
      'no-install': { type: 'boolean' },
      'no-verify': { type: 'boolean' },
      'no-django-auth': { type: 'boolean' },
      'package-manager': { type: 'string' },
      'api-key': { type: 'string' },
      'client-id': { type: 'string' },
      views: { type: 'string' },
      'redirect-uri': { type: 'string' },
      'force-read-only': { type: 'boolean' },
      'json-progress': { type: 'boolean' },
    },
    optionHelp: [
      ['--dry-run', 'show the plan and every file in full; write nothing, run nothing'],
      ['--diff', 'show created files in full too (by default one line each)'],
      ['-y, --yes', 'do not ask: apply, keep existing .env values, continue on a dirty git tree'],
      ['--json', 'print one JSON report on stdout (no colors, no prompts; implies nothing else)'],
      ['--json-progress', 'progress of long steps (install, flow) as one JSON object per line on stderr'],
      ['--no-install', 'do not run the package manager (stops, writing nothing, when the packages the code imports are not installed)'],
      ['--no-verify', 'do not load the project to check the plan before writing, nor run the checks after'],
      ['--package-manager NAME', 'uv, poetry, pipenv or pip, instead of the detected one'],
      ['--api-key KEY', 'WorkOS API key (sk_...); also read from $WORKOS_API_KEY'],
      ['--client-id ID', 'WorkOS client id (client_...); also read from $WORKOS_CLIENT_ID'],
      ['--no-django-auth', 'leave Django auth alone: no backend in AUTHENTICATION_BACKENDS, no LOGIN_URL (request.user stays anonymous)'],
      ['--views DIR', 'the folder to put the authkit app in (default: the project package)'],
      ['--redirect-uri URL', 'a fixed callback URL instead of the one built from each request'],
      ['--force-read-only', 'rewrite files you made read-only (mode 444) instead of refusing; they stay read-only'],
      ...projectHelp,
    ],
    exitCodes: { 0: 'done (and verified)', 1: 'error; nothing was changed', 2: 'bad command line, or nothing to confirm with (pass --yes)', 3: 'applied, but a step needs you (credentials, a manual edit, manage.py migrate)', 4: 'applied, but installing packages or a check failed' },
    moreHelp: [
      'What it writes: the keys in an untracked .env; the authkit app (<project package>/authkit/: views,',
      'middleware, token store, backend, decorators, template tag, model and migration) in INSTALLED_APPS;',
      'its middleware after AuthenticationMiddleware; its backend in AUTHENTICATION_BACKENDS and',
      'LOGIN_URL = "workos_login" (unless --no-django-auth, or the project has its own LOGIN_URL); the',
      'routes auth/login/, callback/, logout/, me/, organization/; a home page when / serves nothing.',
      'Then run manage.py migrate (the app has tables). Run again on a project an earlier version',
      'integrated: files it generated and nobody changed are upgraded (shown as a diff); files changed',
      'by hand are kept, with a three-way view. `authkit-django undo` reverts the last run.',
    ],
    load: async () => (await import('./commands/init.js')).runInit,
  },
  inspect: {
    summary: 'show what authkit-django finds in the Django project; changes nothing',
    usage: 'authkit-django inspect [DIR] [--json]',
    options: { ...projectOptions, json: { type: 'boolean' } },
    optionHelp: [['--json', 'print one JSON object (paths relative to DIR)'], ...projectHelp],
    exitCodes: { 0: 'done', 1: 'not a Django project, or it cannot be read', 2: 'bad command line' },
    load: async () => (await import('./commands/inspect.js')).runInspect,
  },
  undo: {
    summary: 'restore every file the last init changed, byte for byte',
    usage: 'authkit-django undo [DIR] [--yes]',
    options: { ...projectOptions, yes: { type: 'boolean', short: 'y' }, json: { type: 'boolean' } },
    optionHelp: [
      ['-y, --yes', 'do not ask before restoring'],
      ['--json', 'print one JSON report on stdout'],
      ...projectHelp,
    ],
    exitCodes: { 0: 'restored', 1: 'nothing to undo, or a file changed since (nothing restored)', 2: 'bad command line, or nothing to confirm with (pass --yes)' },
    load: async () => (await import('./commands/undo.js')).runUndo,
  },
  doctor: {
    summary: 'find what is wrong with an AuthKit integration; --fix repairs what is safe',
    usage: 'authkit-django doctor [DIR] [--fix] [--yes] [--json] [--offline]',
    options: {
      ...projectOptions,
      fix: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      json: { type: 'boolean' },
      offline: { type: 'boolean' },
      'json-progress': { type: 'boolean' },
    },
    optionHelp: [
      ['--fix', 'repair what can be repaired without judgment (shows the diff, asks first)'],
      ['-y, --yes', 'with --fix: do not ask'],
      ['--json', 'print one JSON report on stdout'],
      ['--offline', 'skip the check that calls the WorkOS API with your keys'],
      ['--json-progress', 'progress of long steps (install, flow) as one JSON object per line on stderr'],
      ...projectHelp,
    ],
    exitCodes: { 0: 'no check fails (warnings allowed)', 1: 'doctor could not run; nothing changed', 2: 'bad command line, or --fix with nothing to confirm with (pass --yes)', 3: 'no check fails, but the database needs migrate (the command is named)', 4: 'a check fails (after --fix: still fails)' },
    load: async () => (await import('./commands/doctor.js')).runDoctor,
  },
  dev: {
    summary: "run the project against a local WorkOS emulator: log in without a WorkOS account",
    usage: 'authkit-django dev [DIR] [--port N] [--migrate] [--token-ttl SECONDS] [--yes] [--json]',
    options: { ...projectOptions, port: { type: 'string' }, 'emulator-port': { type: 'string' }, migrate: { type: 'boolean' }, 'token-ttl': { type: 'string' }, yes: { type: 'boolean', short: 'y' }, json: { type: 'boolean' } },
    optionHelp: [
      ['--json', 'when the site is up, print one JSON line {site, loginUrl, emulator, user, tokenTtl?, notes} instead of the banner'],
      ['--port N', 'port for Django runserver (default 8000, or the next free one)'],
      ['-y, --yes', "install WorkOS's emulator into authkit-django's cache folder without asking, when missing"],
      ['--migrate', 'run python manage.py migrate first when the sessions table is missing'],
      ['--emulator-port N', 'port for the WorkOS emulator (default: any free port)'],
      ['--token-ttl SECONDS', "access tokens expire after SECONDS instead of the emulator's hour: see your session refresh locally"],
      ...projectHelp,
    ],
    exitCodes: { 0: 'stopped with Ctrl+C', 1: 'could not start (the checks, the emulator or runserver)', 2: 'bad command line' },
    load: async () => (await import('./commands/dev.js')).runDev,
  },
  emulator: {
    summary: "run WorkOS's emulator alone (a local WorkOS with one test user) for your own tests",
    usage: 'authkit-django emulator [--port N] [--email ADDRESS] [--token-ttl SECONDS] [--seed FILE] [--json]',
    options: { port: { type: 'string' }, email: { type: 'string' }, 'token-ttl': { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
    optionHelp: [
      ['--port N', 'port to listen on, on 127.0.0.1 (default: any free port)'],
      ['--email ADDRESS', 'the test user it signs in (default test.user@example.com)'],
      ['--token-ttl SECONDS', "access tokens expire after SECONDS instead of the emulator's hour: see your session refresh locally"],
      ['--seed FILE', "a JSON file in the emulator's seed shape: organizations, roles, permissions, more users (a membership may name its user by user_email)"],
      ['--json', 'print one JSON line {url, apiKey, clientId, port, email, tokenTtl?}; also stop when stdin closes'],
    ],
    exitCodes: { 0: 'stopped', 1: 'the emulator could not start', 2: 'bad command line' },
    moreHelp: [
      'For tests, the local relay in front of the emulator (this port only, never WorkOS) also answers:',
      '  GET  /__authkit/requests          the requests it forwarded or answered: {total, requests: {"METHOD /path": count}}',
      '  POST /__authkit/requests/reset    set those counts to zero',
      '  POST /__authkit/jwks?down=1       answer 503 to GET /sso/jwks/... (a JWKS outage); ?down=0 ends it',
      '  POST /__authkit/authenticate?fail=503',
      '                                    answer 503 to refresh_token grants of POST /user_management/authenticate',
      '                                    (WorkOS failing while sessions renew; sign-ins still work); ?fail=0 ends it',
      '  POST /__authkit/organization-selection?required=1',
      '                                    answer a code exchange of a user with organizations with WorkOS\'s 403',
      '                                    organization_selection_required (simulated); ?required=0 ends it',
      'and, like WorkOS (the emulator does not), refuses with 400 invalid_grant the refresh tokens of a',
      'session revoked (POST /user_management/sessions/revoke) or logged out through it, and a refresh',
      'into an organization the user is not a member of.',
    ],
    load: async () => (await import('./commands/emulator.js')).runEmulator,
  },
  skill: {
    summary: 'print the skill file that tells coding agents to use this tool; --install DIR writes it',
    usage: 'authkit-django skill [--install DIR] [--json]',
    options: { install: { type: 'string' }, json: { type: 'boolean' } },
    optionHelp: [
      ['--install DIR', 'write it to DIR/authkit-django/SKILL.md (DIR: a skills folder agents read); undo takes it back'],
      ['--json', 'print one JSON object (the content, or where it was installed)'],
    ],
    exitCodes: { 0: 'printed or installed', 1: 'could not write it; nothing changed', 2: 'bad command line' },
    load: async () => (await import('./commands/skill.js')).runSkill,
  },
  verify: {
    summary: 'run the integration checks; --flow logs in and out through a local WorkOS emulator',
    usage: 'authkit-django verify [DIR] [--flow] [--yes] [--json]',
    options: { ...projectOptions, flow: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, json: { type: 'boolean' }, 'json-progress': { type: 'boolean' } },
    optionHelp: [
      ['--flow', 'also run the whole login flow over HTTP against the WorkOS emulator, on a throwaway test database'],
      ['-y, --yes', "with --flow: install a missing emulator into authkit-django's cache folder; use the project's own database if no test database can be made"],
      ['--json', 'print one JSON report on stdout'],
      ['--json-progress', 'progress of long steps (install, flow) as one JSON object per line on stderr'],
      ...projectHelp,
    ],
    exitCodes: { 0: 'every check (and the flow) passed', 1: 'could not run (not a Django project; no emulator for --flow)', 2: 'bad command line', 4: 'a check or a flow step failed' },
    load: async () => (await import('./commands/verify.js')).runVerify,
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function mainHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    `authkit-django ${version()}: add WorkOS AuthKit (login, callback, logout, sessions) to a Django project.`,
    '',
    'Usage: authkit-django [command] [DIR] [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]!.summary}`),
    '',
    'DIR is any folder of the project\'s repository (default: the current folder).',
    'Run `authkit-django <command> --help` for the options of a command.',
    '',
    'Exit codes:',
    '  0  done (and verified)',
    '  1  error; nothing was changed',
    '  2  bad command line',
    '  3  applied, but a step needs you (credentials, a manual edit)',
    '  4  applied, but installing packages or a check failed',
    '',
    'Options for every command: -h, --help; -v, --version',
  ].join('\n');
}

function commandHelp(name: string, def: CommandDef): string {
  const all: [string, string][] = [...def.optionHelp, ['-h, --help', 'show this help']];
  const width = Math.max(...all.map(([flag]) => flag.length));
  return [
    `authkit-django ${name}: ${def.summary}`,
    '',
    `Usage: ${def.usage}`,
    '',
    'Options:',
    ...all.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    '',
    'Exit codes:',
    ...Object.entries(def.exitCodes).map(([code, text]) => `  ${code}  ${text}`),
    ...(def.moreHelp ? ['', ...def.moreHelp] : []),
  ].join('\n');
}

/** The command argv runs (the default one when the first word is not a command), for error reports. */
export function commandOf(argv: string[]): string {
  const first = argv[0];
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? first : 'init';
}

export async function main(argv: string[], io: Io): Promise<number> {
  const first = argv[0];
  if (first === '--version' || first === '-v') {
    writeLine(io.stdout, version());
    return EXIT.ok;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    writeLine(io.stdout, mainHelp());
    return EXIT.ok;
  }
  const named = first !== undefined && Object.hasOwn(COMMANDS, first);
  if (first !== undefined && !named && !first.startsWith('-') && /^[a-z]+$/.test(first) && !looksLikePath(first)) {
    throw new UsageError(`unknown command "${first}"`, 'Run `authkit-django --help` to see the commands.');
  }
  const name = named ? first! : 'init';
  const def = COMMANDS[name]!;
  const rest = named ? argv.slice(1) : argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    writeLine(io.stdout, commandHelp(name, def));
    return EXIT.ok;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: def.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''), `Run \`authkit-django ${name} --help\`.`);
  }
  if (parsed.positionals.length > 1) {
    throw new UsageError(`${name} takes one folder, got: ${parsed.positionals.join(' ')}`);
  }
  // With --json a program reads the output: stderr gets no colour or cursor codes either.
  if (parsed.values.json === true) io = { ...io, color: false, stderr: Object.assign(io.stderr, { isTTY: false }) };
  if (parsed.values['json-progress'] === true) enableJsonProgress(io.stderr);
  const run = await def.load();
  return run({ dir: parsed.positionals[0] ?? '.', values: parsed.values as CommandArgs['values'] }, io);
}

/** A bare word that names an existing folder is a DIR for the default command, not a typo'd command. */
function looksLikePath(arg: string): boolean {
  try {
    return statSync(arg).isDirectory();
  } catch {
    return false;
  }
}

