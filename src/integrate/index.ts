/**
 * Plan: project model -> every change, in memory. Pure apart from reading files (and
 * asking git whether .env is ignored); nothing is written here.
 */
import { relative } from 'node:path';
import type { ProjectModel } from '../discover/model.js';
import type { FileChange, StepOutcome } from '../plan/types.js';
import { Workspace } from '../plan/workspace.js';
import { decideAppLayout } from './app-layout.js';
import { emptyPlannedAdditions, type IntegrationOptions, type PlannedAdditions, type PlanContext } from './context.js';
import { planDotenv } from './dotenv-file.js';
import { planDockerignore } from './dockerignore.js';
import { planGitignore } from './gitignore.js';
import { planHome } from './home.js';
import { planRequirementsFile } from './requirements-step.js';
import { planSettings } from './settings.js';
import { readUrlFacts } from './url-facts.js';
import { planUrls } from './urls.js';
import { planViews } from './views.js';

export interface IntegrationPlan {
  outcomes: StepOutcome[];
  changes: FileChange[];
  /** What the plan adds to list settings, defaults it replaces and routes it adds: the check before writing allows exactly these. */
  planned?: PlannedAdditions;
}

export function planIntegration(model: ProjectModel, options: IntegrationOptions): IntegrationPlan {
  const workspace = new Workspace();
  const display = (file: string) => relative(model.repoRoot, file).split('\\').join('/') || '.';
  const planned = emptyPlannedAdditions();
  const ctx: PlanContext = { model, workspace, options, display, planned };
  const outcomes: StepOutcome[] = [];
  // The urlconf is read before the settings are planned: whether the app is added decides both.
  const facts = readUrlFacts(ctx);
  const layout = decideAppLayout(ctx, facts);
  const app = layout.kind === 'app' ? layout : null;
  // An edit that fails validation throws EditRefused out of here: the command then writes nothing.
  outcomes.push(...planDotenv(ctx), ...planGitignore(ctx), ...planDockerignore(ctx), ...planSettings(ctx, app), ...planRequirementsFile(ctx));
  const views = planViews(ctx, layout);
  const home = planHome(ctx, facts, layout.kind === 'app');
  outcomes.push(...views, ...home.outcomes);
  outcomes.push(...planUrls(ctx, facts, home.addRoute, app, views.every((v) => v.status !== 'manual')));
  return { outcomes, changes: workspace.changes(), planned };
}
