/**
 * The invariant stage, between plan and review: before anything is written, the project
 * is loaded in its own Python as it is (A) and as the plan would leave it (B, from a
 * mirror under the temp folder), and the two snapshots are compared. When they differ,
 * the next safe placement is planned and checked; when none is left, the step becomes a
 * manual one, or (for settings) nothing is written at all.
 *
 * A starts before the plan is made, and A and the first B run in parallel: B is taken for
 * the plan made from static reading, and only taken again when A's answers (what serves
 * "/", the template folders) change the plan.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProjectModel } from '../discover/model.js';
import { parseDotenv } from '../integrate/dotenv-file.js';
import type { IntegrationOptions, ProjectFacts, UrlPlacement } from '../integrate/context.js';
import { planIntegration, type IntegrationPlan } from '../integrate/index.js';
import { diffLines } from '../plan/diff.js';
import type { FileChange, StepOutcome } from '../plan/types.js';
import { compareSnapshots, unstableSettings, type Difference, type Expectations } from './compare.js';
import { buildMirror } from './mirror.js';
import { takeSnapshot, type Snapshot } from './snapshot.js';

/** Packages the generated code imports that the install (after apply) may not have put there yet. */
const STAND_INS = ['dotenv', 'jwt'];
/**
 * Stood in for even when installed: importing the SDK costs more than loading a whole
 * startproject, the views only call it per request, and the checks after the install
 * import it for real.
 */
const STAND_INS_ALWAYS = ['workos'];
export const PLACEMENTS: UrlPlacement[] = ['default', 'final-list', 'append', 'manual'];
const MAX_ATTEMPTS = 6;

export interface DifferenceReport extends Difference {
  /** The planned step that caused it, and where its edit is. */
  step: string | null;
  file: string | null;
  line: number | null;
}

export interface InvariantAttempt {
  placement: UrlPlacement;
  home: 'planned' | 'skipped' | 'none';
  differences: DifferenceReport[];
}

export interface InvariantReport {
  /**
   * passed: the plan changes nothing the project did; failed: differences remain, the
   * steps that caused them are manual (or nothing is written); static: the project's
   * Python could not load the project, only the static checks ran; skipped: --no-verify.
   */
  status: 'passed' | 'failed' | 'static' | 'skipped';
  reason: string;
  attempts: InvariantAttempt[];
  /** Differences left in the final plan (each made a manual step). */
  differences: DifferenceReport[];
  notes: string[];
  durationMs: number;
}

export interface InvariantRun {
  enabled: boolean;
  /** Why it does not run, when it does not (`--no-verify`). */
  disabledReason?: string;
  env: NodeJS.ProcessEnv;
  secrets: string[];
}

export interface CheckedPlan {
  plan: IntegrationPlan;
  report: InvariantReport;
}

export async function planWithInvariant(model: ProjectModel, options: IntegrationOptions, run: InvariantRun): Promise<CheckedPlan> {
  const started = performance.now();
  // A does not depend on the plan: the project's Python loads it while the plan is made.
  const beforeTask = run.enabled ? takeSnapshot(model, { cwd: model.projectRoot, env: run.env, secrets: run.secrets }) : null;
  let staticPlan: IntegrationPlan;
  try {
    staticPlan = planIntegration(model, options);
  } catch (error) {
    void beforeTask?.catch(() => undefined);
    throw error;
  }
  const report: InvariantReport = { status: 'skipped', reason: '', attempts: [], differences: [], notes: [], durationMs: 0 };
  const done = (plan: IntegrationPlan): CheckedPlan => {
    report.durationMs = Math.round(performance.now() - started);
    return { plan, report };
  };
  if (!beforeTask) {
    report.reason = run.disabledReason ?? 'not run';
    return done(staticPlan);
  }
  // A package manager's `run` keys its virtualenv to the project's path (poetry, pipenv) or
  // may sync it (uv): the mirror is loaded with the interpreter it runs, asked first.
  const wrapped = model.python.command.length > 1;
  let mirrorModel: ProjectModel = model;
  const snapshotOf = (plan: IntegrationPlan): Promise<Snapshot> => snapshotAfter(mirrorModel, plan.changes, run);
  const staticAfterTask = staticPlan.changes.length > 0 && !wrapped ? snapshotOf(staticPlan) : null;
  const before = await beforeTask;
  if (wrapped && before.executable) {
    mirrorModel = { ...model, python: { ...model.python, command: [before.executable] } };
    addNote(report, `the planned files were loaded with ${before.executable}, the interpreter \`${model.python.command.join(' ')}\` runs`);
  }
  if (!before.loaded) {
    await staticAfterTask;
    report.status = 'static';
    report.reason = `the project's Python could not load the project (${before.error ?? 'unknown error'}); the plan rests on static reading only`;
    return done(staticPlan);
  }
  if (before.urlsError) report.notes.push(`the URL configuration does not load as it is (${before.urlsError}); URLs were not compared`);

  let opts: IntegrationOptions = { ...options, ...(factsFrom(before) ? { projectFacts: factsFrom(before)! } : {}) };
  let plan = planIntegration(model, opts);
  // The speculative B, taken for the static plan, holds only when A changed nothing in it.
  const speculative = await staticAfterTask;
  let after: Snapshot | null = samePlan(plan, staticPlan) ? speculative : null;
  let unstable: Set<string> | null = null;
  let previous: IntegrationPlan | null = null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (plan.changes.length === 0) {
      report.status = 'passed';
      report.reason = 'nothing to write';
      return done(plan);
    }
    if (previous && samePlan(plan, previous)) {
      // This placement plans the same edits as the last one: go on to the next.
      const next = escalate(opts, report.attempts[report.attempts.length - 1]!.differences);
      if (!next) break;
      opts = next;
      plan = planIntegration(model, opts);
      continue;
    }
    after ??= await snapshotOf(plan);
    const missing = after.standIns.filter((name) => !STAND_INS_ALWAYS.includes(name));
    if (missing.length > 0) addNote(report, `not installed yet, so stood in for during the check: ${missing.join(', ')}`);
    let differences = compareSnapshots(before, after, expectationsOf(model, plan, run.env));
    if (differences.some((d) => d.kind === 'settings' && d.subject !== 'settings') && unstable === null) {
      // A setting computed afresh on each load (a random key, a timestamp) is not ours to compare.
      unstable = unstableSettings(before, await takeSnapshot(model, { cwd: model.projectRoot, env: run.env, secrets: run.secrets }));
      if (unstable.size > 0) addNote(report, `not compared, as they change from one load to the next: ${[...unstable].join(', ')}`);
    }
    differences = differences.filter((d) => !(d.kind === 'settings' && unstable?.has(d.subject)));
    const located = differences.map((d) => locate(d, plan));
    report.attempts.push({ placement: opts.urlPlacement ?? 'default', home: homePlanned(model, plan) ? 'planned' : opts.skipHomeReason ? 'skipped' : 'none', differences: located });
    const blocking = located.filter((d) => d.kind !== 'keys');
    const keys = located.filter((d) => d.kind === 'keys');
    if (blocking.length === 0) {
      report.status = keys.length > 0 ? 'failed' : 'passed';
      report.differences = keys;
      const tried = report.attempts.length - 1;
      report.reason =
        keys.length > 0
          ? 'the settings would not see the keys written to .env'
          : opts.urlPlacement === 'manual'
            ? 'no placement of the WorkOS routes keeps the project working, so they are a manual step; the other planned files change nothing'
            : `with the planned files, the settings, URL names and / are unchanged and the WorkOS routes reverse to their views${tried > 0 ? ` (the ${tried === 1 ? 'placement' : `${tried} placements`} tried first did not keep them so)` : ''}`;
      return done(keys.length > 0 ? withKeysStep(plan, keys) : plan);
    }
    const next = escalate(opts, blocking);
    if (!next) {
      report.status = 'failed';
      report.differences = located;
      report.reason = 'the planned edits would change what the project does; nothing is written';
      return done(blocked(plan, located));
    }
    previous = plan;
    opts = next;
    plan = planIntegration(model, opts);
    after = null;
  }
  report.status = 'failed';
  report.differences = report.attempts[report.attempts.length - 1]?.differences ?? [];
  report.reason = 'no placement that changes nothing was found; nothing is written';
  return done(blocked(plan, report.differences));
}

/** The project as it is, loaded from its own folder. */
export function snapshotBefore(model: ProjectModel, run: Pick<InvariantRun, 'env' | 'secrets'>): Promise<Snapshot> {
  return takeSnapshot(model, { cwd: model.projectRoot, env: run.env, secrets: run.secrets });
}

function addNote(report: InvariantReport, note: string): void {
  if (!report.notes.includes(note)) report.notes.push(note);
}

/** The project as the planned changes would leave it, loaded from a mirror (removed after). */
export async function snapshotAfter(model: ProjectModel, changes: readonly FileChange[], run: Pick<InvariantRun, 'env' | 'secrets'>): Promise<Snapshot> {
  // The .env may sit above manage.py's folder (a repository root): the mirror holds it too.
  const mirror = buildMirror(model.projectRoot, changes, [dirname(model.env.file)]);
  let env = run.env;
  if (model.packageManager.name === 'pipenv' && !run.env.PIPENV_DONT_LOAD_ENV) {
    // What `pipenv run` would put in the environment: the .env as planned, never overriding.
    const pipenvEnv = join(model.packageManager.root, '.env');
    const planned = changes.find((c) => c.file === pipenvEnv)?.after ?? readOrNull(pipenvEnv);
    env = { ...Object.fromEntries([...parseDotenv(planned ?? '').values()].map((e) => [e.key, e.value])), ...run.env };
  }
  try {
    return await takeSnapshot(model, {
      cwd: mirror.map(model.projectRoot),
      rootMap: { from: mirror.dir, to: mirror.root },
      standIns: STAND_INS,
      standInsAlways: STAND_INS_ALWAYS,
      env,
      secrets: run.secrets,
    });
  } finally {
    mirror.remove();
  }
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function factsFrom(before: Snapshot): ProjectFacts | null {
  const templateDirs = before.templates.filter((t) => /DjangoTemplates/.test(t.backend)).flatMap((t) => t.dirs);
  if (!before.urls) return null;
  const served = Object.values(before.urls.home).find((v) => v !== null) ?? null;
  // A named route at Django's default LOGIN_URL: the project has a login page there.
  const login = Object.values(before.urls.routes).find((r) => r.path === '/accounts/login/');
  return { homeServed: served !== null, homeView: served?.view ?? null, templateDirs, defaultLoginView: login?.resolves?.view ?? null };
}

function samePlan(a: IntegrationPlan, b: IntegrationPlan): boolean {
  return a.changes.length === b.changes.length && a.changes.every((c, i) => c.file === b.changes[i]!.file && c.after === b.changes[i]!.after);
}

const HOME_ROUTE = /home_views\.home\b/;

function homePlanned(model: ProjectModel, plan: IntegrationPlan): boolean {
  const urls = plan.changes.find((c) => c.file === model.urlsFile);
  return !!urls && HOME_ROUTE.test(urls.after) && !HOME_ROUTE.test(urls.before ?? '');
}

function expectationsOf(model: ProjectModel, plan: IntegrationPlan, env: NodeJS.ProcessEnv): Expectations {
  const routes = plan.outcomes.find((o) => o.id === 'urls.routes');
  const envChange = plan.changes.find((c) => c.file === model.env.file);
  let envText: string | null = envChange ? envChange.after : null;
  if (envText === null) {
    try {
      envText = readFileSync(model.env.file, 'utf8');
    } catch {
      envText = null;
    }
  }
  const values = parseDotenv(envText ?? '');
  const keysWritten = ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID'].filter((k) => (values.get(k)?.value ?? '') !== '' && !env[k]);
  return {
    routes: routes?.status === 'change' ? 'planned' : routes?.status === 'done' ? 'present' : 'none',
    homePlanned: homePlanned(model, plan),
    keysWritten,
    ...(plan.planned ? { planned: plan.planned } : {}),
  };
}

/** The next plan to try for what went wrong, or null when no placement can help. */
function escalate(opts: IntegrationOptions, differences: readonly Difference[]): IntegrationOptions | null {
  if (differences.some((d) => d.kind === 'settings')) return null;
  const next: IntegrationOptions = { ...opts };
  let changed = false;
  const home = differences.filter((d) => d.kind === 'home' || d.kind === 'dead-home');
  if (home.length > 0 && !opts.skipHomeReason) {
    next.skipHomeReason = home[0]!.kind === 'home' ? `a home route would take over ${home[0]!.subject}` : 'a home route would never be reached';
    changed = true;
  }
  const urls = differences.filter((d) => d.kind === 'urls' || d.kind === 'routes');
  if (urls.length > 0) {
    const at = PLACEMENTS.indexOf(opts.urlPlacement ?? 'default');
    if (at === PLACEMENTS.length - 1) return null;
    next.urlPlacement = PLACEMENTS[at + 1]!;
    if (next.urlPlacement === 'manual') {
      next.urlManualReason = `every placement the tool can make changes the project: ${urls.map((d) => d.message).join('; ')}`;
    }
    changed = true;
  }
  return changed ? next : null;
}

const STEP_FOR: Record<Difference['kind'], RegExp> = {
  settings: /^settings|^home\.template-dirs|^dotenv/,
  keys: /^settings\.load-dotenv|^settings|^dotenv/,
  urls: /^urls\./,
  routes: /^urls\./,
  home: /^urls\./,
  'dead-home': /^urls\./,
};

/** The first line of the planned file that the edit adds or changes (as the diff shows it). */
function firstChangedLine(change: FileChange): number {
  if (change.before === null) return 1;
  let line = 0;
  for (const op of diffLines(change.before.split('\n'), change.after.split('\n'))) {
    if (op.kind !== 'del') line++;
    if (op.kind !== 'same') return Math.max(1, op.kind === 'add' ? line : line + 1);
  }
  return 1;
}

function locate(difference: Difference, plan: IntegrationPlan): DifferenceReport {
  const step = plan.outcomes.find((o) => (o.status === 'change' || o.status === 'create') && STEP_FOR[difference.kind].test(o.id));
  const change = step?.file ? plan.changes.find((c) => c.file === step.file) : undefined;
  return {
    ...difference,
    step: step?.id ?? null,
    file: step?.file ?? null,
    line: step?.line ?? (change ? firstChangedLine(change) : null),
  };
}

/** Nothing is written: every planned edit becomes a step for the user, with the reasons. */
function blocked(plan: IntegrationPlan, differences: readonly DifferenceReport[]): IntegrationPlan {
  const held = plan.outcomes.map((o): StepOutcome =>
    o.status === 'create' || o.status === 'change'
      ? { ...o, status: 'manual', reason: 'held back: the check before writing found the differences listed under "invariant"', snippet: o.snippet ?? 'see `authkit-django init --dry-run --no-verify` for this edit' }
      : o,
  );
  const invariant: StepOutcome = {
    id: 'invariant',
    status: 'manual',
    summary: 'the planned edits would change what the project does, so nothing was written',
    reason: differences.map((d) => `${d.message}${d.file ? ` (${d.step} at ${d.file}${d.line ? `:${d.line}` : ''})` : ''}`).join('; '),
    snippet: 'review the edits with `authkit-django init --dry-run --no-verify` and make the ones that keep your project working by hand',
  };
  return { outcomes: [...held, invariant], changes: [] };
}

/** The edits are safe to write, but the keys will not reach the settings: one more step for the user. */
function withKeysStep(plan: IntegrationPlan, keys: readonly DifferenceReport[]): IntegrationPlan {
  const step: StepOutcome = {
    id: 'invariant.keys',
    status: 'manual',
    summary: `make the settings read ${keys.map((k) => k.subject).join(' and ')} from .env`,
    reason: keys.map((k) => k.message).join('; '),
    snippet: 'load .env unconditionally in the settings (for example, load_dotenv(BASE_DIR / ".env") near the top), or export the variables in the environment the site runs in',
  };
  return { outcomes: [...plan.outcomes, step], changes: plan.changes };
}
