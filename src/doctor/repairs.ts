/**
 * What `doctor --fix` would do about the failing checks, planned in memory (so the
 * report can say it even without --fix): the same integration steps init runs, limited
 * to the failures found, plus installing the packages and migrating. Only repairs that
 * need no judgment: an edit that would touch more than the failure asks for is refused,
 * and the user gets the manual fix instead.
 */
import { basename, dirname, relative } from 'node:path';
import type { ProjectModel } from '../discover/model.js';
import type { IntegrationOptions, PlanContext } from '../integrate/context.js';
import { planGitignore } from '../integrate/gitignore.js';
import { planRequirementsFile } from '../integrate/requirements-step.js';
import { planSettings } from '../integrate/settings.js';
import { APP_PACKAGE, decideAppLayout } from '../integrate/app-layout.js';
import { readUrlFacts } from '../integrate/url-facts.js';
import { planUrls } from '../integrate/urls.js';
import { installCommand, type InstallCommand } from '../install/command.js';
import { shellCommand } from '../install/shell-quote.js';
import type { FileChange, StepOutcome } from '../plan/types.js';
import { Workspace } from '../plan/workspace.js';
import { EditRefused } from '../python/checked-edit.js';
import { generatedFiles } from './generated-files.js';
import type { DoctorResult, Repair } from './types.js';

/** The integration steps (by outcome id) each repair may use. */
const STEPS: Partial<Record<Repair, readonly string[]>> = {
  gitignore: ['gitignore.env'],
  'load-dotenv': ['settings.load-dotenv'],
  sessions: ['settings.sessions-app', 'settings.session-middleware'],
  'workos-settings': ['settings.workos_api_key', 'settings.workos_client_id'],
  'url-routes': ['urls.routes'],
  install: ['requirements'],
};

export interface RepairPlan {
  /** check id -> what --fix does for it. */
  repairs: Map<string, string>;
  /** check id -> why --fix leaves it to the user. */
  refused: Map<string, string>;
  /** The integration steps kept (their edits are `changes`). */
  steps: StepOutcome[];
  changes: FileChange[];
  install: InstallCommand | null;
  /** `python manage.py migrate`, as argv in the project's Python. */
  migrate: string[] | null;
}

export function isEmpty(plan: RepairPlan): boolean {
  return plan.changes.length === 0 && !plan.install && !plan.migrate;
}

const isEdit = (o: StepOutcome) => o.status === 'create' || o.status === 'change';

/** `overrides`: what the check before writing chose (a route placement), see doctor/check-repairs. */
export function planRepairs(model: ProjectModel, results: readonly DoctorResult[], overrides: Partial<IntegrationOptions> = {}): RepairPlan {
  const plan: RepairPlan = { repairs: new Map(), refused: new Map(), steps: [], changes: [], install: null, migrate: null };
  const wanted = new Map<Repair, DoctorResult[]>();
  for (const result of results) {
    if (!result.repair || (result.status !== 'fail' && result.repair !== 'migrate')) continue;
    wanted.set(result.repair, [...(wanted.get(result.repair) ?? []), result]);
  }
  if (wanted.size === 0) return plan;

  const options: IntegrationOptions = { replaceExistingEnvValues: false, ...overrides };
  const display = (file: string) => relative(model.repoRoot, file).split('\\').join('/') || '.';
  const ctx: PlanContext = { model, workspace: new Workspace(), options, display };
  const outcomes: StepOutcome[] = [];
  const refuse = (repair: Repair, reason: string) => {
    for (const result of wanted.get(repair) ?? []) plan.refused.set(result.id, reason);
    wanted.delete(repair);
  };

  try {
    if (wanted.has('gitignore')) outcomes.push(...planGitignore(ctx));
    if (wanted.has('load-dotenv') || wanted.has('sessions') || wanted.has('workos-settings')) outcomes.push(...planSettings(ctx));
    if (wanted.has('install')) outcomes.push(...planRequirementsFile(ctx));
    if (wanted.has('url-routes')) {
      const views = generatedFiles(model.projectRoot).find((f) => f.template === `${APP_PACKAGE}/views.py` && !f.missing);
      if (!views) {
        refuse('url-routes', "authkit-django's authkit app is not in the project, so there is nothing of ours to route (authkit-django init adds both)");
      } else {
        // The app's folder is authkit/ inside the views folder.
        options.viewsDir = dirname(dirname(views.file));
        const facts = readUrlFacts(ctx);
        const layout = decideAppLayout(ctx, facts);
        if (layout.kind !== 'app') refuse('url-routes', layout.kind === 'blocked' ? (layout.outcome.reason ?? layout.outcome.summary) : 'the urlconf routes the WorkOS names to other views already');
        else outcomes.push(...planUrls(ctx, facts, false, layout, true));
      }
    }
  } catch (error) {
    if (!(error instanceof EditRefused)) throw error;
    const reason = `${error.message}${error.line ? ` (${display(error.file)}:${error.line})` : ''}`;
    for (const repair of [...wanted.keys()]) if (repair !== 'install' && repair !== 'migrate') refuse(repair, reason);
    return finishCommands(plan, model, wanted);
  }

  // An edit nobody asked for (the settings read as missing something the running project
  // has) would ride along in the same file: leave that file to the user.
  const allowed = new Set([...wanted.keys()].flatMap((r) => STEPS[r] ?? []));
  const tainted = new Set(outcomes.filter((o) => isEdit(o) && !allowed.has(o.id) && o.file).map((o) => o.file!));
  let changes = ctx.workspace.changes();
  if (tainted.size > 0) changes = changes.filter((c) => !tainted.has(c.file));

  for (const [repair, results] of wanted) {
    const ids = STEPS[repair];
    if (!ids) continue;
    const mine = outcomes.filter((o) => ids.includes(o.id));
    const edits = mine.filter((o) => isEdit(o) && !(o.file && tainted.has(o.file)));
    if (edits.length > 0) {
      plan.steps.push(...edits);
      for (const result of results) plan.repairs.set(result.id, edits.map((o) => o.summary).join('; '));
      continue;
    }
    if (repair === 'install') continue; // the install itself is the repair
    const manual = mine.find((o) => o.status === 'manual');
    const ridden = mine.find((o) => o.file && tainted.has(o.file));
    const reason = ridden
      ? `the same edit of ${display(ridden.file!)} would also change what doctor found working; do it by hand`
      : manual
        ? `${manual.reason ?? 'the tool cannot do it safely'}${manual.snippet ? `; add:\n${manual.snippet}` : ''}`
        : 'the files read as if it were done already: they are built in a way doctor cannot edit safely';
    for (const result of results) plan.refused.set(result.id, reason);
  }
  plan.changes = changes;
  return finishCommands(plan, model, wanted);
}

function finishCommands(plan: RepairPlan, model: ProjectModel, wanted: Map<Repair, DoctorResult[]>): RepairPlan {
  if (wanted.has('install')) {
    plan.install = installCommand(model);
    const requirements = plan.steps.filter((o) => o.id === 'requirements').map((o) => `; ${o.summary}`).join('');
    for (const result of wanted.get('install')!) plan.repairs.set(result.id, `install them: ${plan.install.retry}${requirements}`);
  }
  if (wanted.has('migrate')) {
    // Run from manage.py's folder (apply-repairs does), so the command reads as people type it.
    plan.migrate = [...model.python.command, basename(model.managePy), 'migrate', '--noinput'];
    for (const result of wanted.get('migrate')!) plan.repairs.set(result.id, `run ${shellCommand(plan.migrate)}`);
  }
  return plan;
}

/** The results with `fixable` and the fix text set from the plan. */
export function withRepairs(results: readonly DoctorResult[], plan: RepairPlan): DoctorResult[] {
  return results.map((result) => {
    const repair = plan.repairs.get(result.id);
    if (repair) return { ...result, fixable: true, fix: `doctor --fix: ${repair}` };
    const refused = plan.refused.get(result.id);
    if (refused) return { ...result, fixable: false, fix: `${result.fix ? `${result.fix} ` : ''}(not done by --fix: ${refused})` };
    return result;
  });
}
