/**
 * `authkit-django doctor [DIR] [--fix] [--yes] [--json] [--offline]`: finds what is wrong
 * with an AuthKit integration (ours, hand-written, or another tool's) and, with --fix,
 * repairs what needs no judgment, then checks again.
 *
 * Exit codes: 0 no check fails (warnings allowed); 3 only `migrate` is left to the user
 * (the sessions table, as init says); 4 a check fails (after --fix: still
 * fails); 1 doctor could not run (not a Django project...), nothing changed; 2 bad
 * command line, or --fix without --yes where nobody can confirm (nothing changed).
 */
import { relative } from 'node:path';
import { discover } from '../discover/index.js';
import type { ProjectModel } from '../discover/model.js';
import { applyRepairs, type RepairRun } from '../doctor/apply-repairs.js';
import { checkRepairs, type RepairCheck } from '../doctor/check-repairs.js';
import { DoctorContext } from '../doctor/context.js';
import { describeInterpreter } from '../doctor/interpreters.js';
import { DOCTOR_CHECKS } from '../doctor/registry.js';
import { doctorChecksJson, renderDoctorReport, summary, type DoctorCheckJson } from '../doctor/render.js';
import { isEmpty, planRepairs, withRepairs, type RepairPlan } from '../doctor/repairs.js';
import { runDoctorChecks } from '../doctor/runner.js';
import type { DoctorResult } from '../doctor/types.js';
import { registerProjectSecrets } from '../flow/project-secrets.js';
import type { CommandArgs } from '../main.js';
import { renderDiffs, renderSummary } from '../plan/review.js';
import { loadPythonParser } from '../python/parser.js';
import { needsMigrate } from '../verify/migrate-step.js';
import { EXIT, UserError } from '../util/errors.js';
import { lineWidth, palette, writeLine, type Io, type Palette } from '../util/output.js';
import { canPrompt, confirm } from '../util/prompt.js';
import { prepareProject } from './interrupted.js';
import { discoverOptions } from './options.js';
import { writeJsonReport } from '../util/json-report.js';

/** --fix repairs, re-checks, and repairs what the re-check found (a migrate after adding the sessions app). */
const MAX_FIX_ROUNDS = 3;

interface DoctorFlags {
  fix: boolean;
  yes: boolean;
  json: boolean;
  offline: boolean;
}

interface FixRoundJson {
  changes: { path: string; action: 'created' | 'changed' }[];
  steps: { id: string; summary: string; file: string | null }[];
  commands: { command: string; ok: boolean; message: string | null }[];
  fixed: string[];
}

interface DoctorJson {
  command: 'doctor';
  ok: boolean;
  project: { managePy: string; settingsModule: string | null; python: string } | null;
  /** The final state: after --fix, the checks run again. */
  checks: DoctorCheckJson[];
  summary: Record<string, number> | null;
  fix: {
    applied: boolean;
    /** Why nothing was applied, when nothing was. */
    reason: string | null;
    rounds: FixRoundJson[];
    /** The checks before the first fix. */
    before: DoctorCheckJson[];
    /** Per round, the check before writing: the project loaded as it is and with the repaired files. */
    checks: RepairCheck[];
  } | null;
  error: { message: string; hint: string | null } | null;
  exitCode: number;
}

export async function runDoctor(args: CommandArgs, io: Io): Promise<number> {
  const flags: DoctorFlags = {
    fix: args.values.fix === true,
    yes: args.values.yes === true,
    json: args.values.json === true,
    offline: args.values.offline === true,
  };
  const p = palette(io.color && !flags.json);
  // In --json mode stdout holds the JSON object alone; people's text goes to stderr.
  const say = (text = '') => {
    if (!flags.json) writeLine(io.stdout, text);
  };
  const report: DoctorJson = { command: 'doctor', ok: false, project: null, checks: [], summary: null, fix: null, error: null, exitCode: EXIT.ok };
  const finish = (code: number): number => {
    report.exitCode = code;
    report.ok = code === EXIT.ok;
    if (flags.json) writeJsonReport(io, 'doctor', report);
    return code;
  };

  let model: ProjectModel;
  try {
    model = await discover(args.dir, discoverOptions(args, io));
    // The lock, then an earlier interrupted run settled (files changed: look again).
    if (await prepareProject(model, io, { command: 'doctor', yes: flags.yes, json: flags.json, settleInterrupted: true })) {
      model = await discover(args.dir, discoverOptions(args, io));
    }
  } catch (error) {
    if (!flags.json || !(error instanceof UserError)) throw error;
    writeLine(io.stderr, `authkit-django: ${error.message}`);
    if (error.hint) writeLine(io.stderr, error.hint);
    report.error = { message: error.message, hint: error.hint ?? null };
    return finish(error.exitCode);
  }
  registerProjectSecrets(model, io.env);
  await loadPythonParser();
  report.project = { managePy: rel(model, model.managePy), settingsModule: model.settingsModule, python: model.python.command.join(' ') };
  say(`${p.bold('authkit-django doctor')}: ${rel(model, model.managePy)} (settings ${model.settingsModule ?? p.yellow('not found')}, Python ${describeInterpreter(model.python)})`);
  say();

  let { results, plan } = await diagnose(model, io, flags);
  for (const line of renderDoctorReport(results, p, model.dir)) say(line);
  report.checks = doctorChecksJson(results, model.dir);
  report.summary = summary(results);

  if (!flags.fix) {
    const fixable = results.filter((r) => r.fixable).length;
    if (fixable > 0) say(p.dim(`\n${fixable} of them can be repaired with: authkit-django doctor --fix`));
    return finish(exitCode(results));
  }

  report.fix = { applied: false, reason: null, rounds: [], before: report.checks, checks: [] };
  for (let round = 0; round < MAX_FIX_ROUNDS && !isEmpty(plan); round++) {
    say();
    say(p.bold(round === 0 ? 'Fixes:' : 'More fixes, found by checking again:'));
    for (const line of describePlan(plan, model, p, lineWidth(io.stdout))) say(line);
    const interactive = !flags.yes && !flags.json && canPrompt(io);
    if (!flags.yes && !interactive) {
      report.fix.reason = 'not confirmed: no terminal to ask on (pass --yes)';
      writeLine(io.stderr, 'authkit-django: not fixing: stdin is not a terminal, so there is no one to confirm. Pass --yes to apply the fixes.');
      return finish(EXIT.usage);
    }
    if (interactive && !(await confirm(io, 'Apply these fixes?', true))) {
      report.fix.reason = 'declined';
      say('Nothing was changed.');
      return finish(exitCode(results));
    }
    // Before any file is edited: the project loaded with the repaired files must do what it did.
    const guarded = await checkRepairs(model, results, plan, { env: io.env, secrets: [] });
    const heldBack = [...plan.repairs.keys()].filter((id) => !guarded.plan.repairs.has(id));
    plan = guarded.plan;
    report.fix.checks.push(guarded.check);
    for (const line of describeCheck(guarded.check, model, p)) say(line);
    if (isEmpty(plan)) {
      report.fix.reason ??= 'the check before writing held the repairs back';
      break;
    }
    const fixed = [...plan.repairs.keys()];
    const run = await applyRepairs(plan, model, io);
    report.fix.applied = true;
    report.fix.rounds.push(roundJson(plan, run, model, fixed));
    for (const line of describeRun(run, model, p)) say(line);

    // Check again, from a fresh look at the files.
    model = await discover(args.dir, discoverOptions(args, io));
    ({ results, plan } = await diagnose(model, io, flags));
    say();
    say(p.bold('Checking again:'));
    for (const line of renderDoctorReport(results, p, model.dir, true)) say(line);
    report.checks = doctorChecksJson(results, model.dir);
    report.summary = summary(results);
    // Repairs already tried that did not take are not tried again.
    if ([...fixed, ...heldBack].some((id) => plan.repairs.has(id))) break;
  }
  if (!report.fix.applied && report.fix.reason === null) {
    report.fix.reason = 'nothing --fix can repair';
    say(p.dim('\nNothing that --fix can repair.'));
  }
  return finish(exitCode(results));
}

async function diagnose(model: ProjectModel, io: Io, flags: DoctorFlags): Promise<{ results: DoctorResult[]; plan: RepairPlan }> {
  const ctx = new DoctorContext(model, { env: io.env, offline: flags.offline });
  const raw = await runDoctorChecks(DOCTOR_CHECKS, ctx);
  const plan = planRepairs(model, raw);
  return { results: withRepairs(raw, plan), plan };
}

function exitCode(results: readonly DoctorResult[]): number {
  if (results.some((r) => r.status === 'fail')) return EXIT.verifyFailed;
  // As for init: an unmigrated sessions table is a step left to the user.
  return results.some((r) => r.id === 'sessions-table' && r.status === 'warn' && (r.repair === 'migrate' || needsMigrate(r))) ? EXIT.needsUser : EXIT.ok;
}

function describePlan(plan: RepairPlan, model: ProjectModel, p: Palette, width: number): string[] {
  const display = (file: string) => rel(model, file);
  const lines: string[] = [];
  if (plan.steps.length > 0) {
    lines.push(renderSummary(plan.steps, plan.changes, display, p, width));
    lines.push('', renderDiffs(plan.changes, display, p, { full: true }));
  }
  if (plan.install) lines.push(`  ${p.yellow('run')}     ${plan.install.retry}`);
  if (plan.migrate) lines.push(`  ${p.yellow('run')}     ${plan.migrate.join(' ')}  ${p.dim(`(in ${model.projectRoot})`)}`);
  return lines;
}

function describeCheck(check: RepairCheck, model: ProjectModel, p: Palette): string[] {
  void model;
  switch (check.status) {
    case 'skipped':
      return [];
    case 'static':
      return ['', p.yellow(`Check before writing: static checks only. ${check.reason}.`)];
    case 'passed':
      return ['', `${p.green('Checked before writing')}: ${check.reason}${check.placement !== 'default' ? ` (routes placed "${check.placement}")` : ''}.`];
    case 'failed':
      return ['', `${p.red('Check before writing')}: the file edits are held back.`, ...check.differences.map((d) => `  ${p.red('x')} ${d.message}`)];
  }
}

function describeRun(run: RepairRun, model: ProjectModel, p: Palette): string[] {
  const lines: string[] = [''];
  if (run.files.length > 0) {
    lines.push(`${p.green('Applied')}: ${run.files.map((f) => `${f.action} ${rel(model, f.path)}`).join(', ')}. ${p.dim('Undo with: authkit-django undo')}`);
  }
  for (const command of run.commands) {
    lines.push(command.ok ? `${p.green('Ran')}: ${command.command}` : `${p.red('Failed')}: ${command.command}`);
    if (command.message) lines.push(...command.message.split('\n').map((l) => `  ${p.dim(l)}`));
  }
  return lines;
}

function roundJson(plan: RepairPlan, run: RepairRun, model: ProjectModel, fixed: string[]): FixRoundJson {
  return {
    changes: run.files.map((f) => ({ path: rel(model, f.path), action: f.action })),
    steps: plan.steps.map((o) => ({ id: o.id, summary: o.summary, file: o.file ? rel(model, o.file) : null })),
    commands: run.commands,
    fixed,
  };
}

function rel(model: ProjectModel, file: string): string {
  return relative(model.dir, file).split('\\').join('/') || '.';
}
