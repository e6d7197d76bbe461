import type { ProjectModel } from '../discover/model.js';
import type { Workspace } from '../plan/workspace.js';
import type { StepOutcome } from '../plan/types.js';

/** What the user asked for that changes the plan. */
export interface IntegrationOptions {
  /** Credentials from flags, the environment or a prompt (validated before planning). */
  apiKey?: string;
  clientId?: string;
  /** For a key already in .env with another value: replace it (asked interactively) or keep it. */
  replaceExistingEnvValues: boolean;
  /** `--views DIR` (absolute), else the project package. */
  viewsDir?: string;
  /** `--redirect-uri URL`. */
  redirectUri?: string;
  /** `--package-manager`: decides whether a requirements file is edited. */
  packageManager?: ProjectModel['packageManager']['name'];
  /** What the project's own Python said about the project as it is (src/invariant), when it loaded. */
  projectFacts?: ProjectFacts;
  /** Where the routes go: chosen by the invariant's search for a placement that changes nothing. */
  urlPlacement?: UrlPlacement;
  /** Why the routes are a manual step (placement `manual`): the differences each placement caused. */
  urlManualReason?: string;
  /** Why no home page is added although static reading found "/" free. */
  skipHomeReason?: string;
  /** `--no-django-auth`: false leaves AUTHENTICATION_BACKENDS and LOGIN_URL alone (default on where django.contrib.auth is installed). */
  djangoAuth?: boolean;
}

/**
 * Where the WorkOS routes are added to the root urlconf:
 * - `default`: the urlpatterns list, before catch-alls (the final list when it is rebuilt later,
 *   unless a `urlpatterns += [...]` follows it); a one-line list that the routes would make
 *   longer than the file's lines is left alone for `append` (or laid out one element per
 *   line, when the routes must precede a catch-all in it or it is empty);
 * - `final-list`: the list of the last `urlpatterns = [...]`, laid out one element per line
 *   when it is one line too long for the routes;
 * - `append`: added to a closing `urlpatterns += [...]` list, or a `urlpatterns += [...]`
 *   block of our own after the last assignment;
 * - `manual`: nowhere; the user gets the snippet.
 */
export type UrlPlacement = 'default' | 'final-list' | 'append' | 'manual';

export interface ProjectFacts {
  /** "/" (or its language-prefixed form) resolves to a view of the project. */
  homeServed: boolean;
  /** What serves it, for messages. */
  homeView: string | null;
  /** The DjangoTemplates DIRS as loaded (absolute paths). */
  templateDirs: string[];
  /** The view serving Django's default LOGIN_URL (/accounts/login/), or null: nothing does. */
  defaultLoginView?: string | null;
}

/** What every integration step receives. */
export interface PlanContext {
  model: ProjectModel;
  workspace: Workspace;
  options: IntegrationOptions;
  /** Path relative to the project's repository root, for messages. */
  display: (file: string) => string;
  /** What the steps add, recorded as they plan it, so the check before writing allows exactly that. */
  planned?: PlannedAdditions;
}

export interface PlannedAdditions {
  /** List setting -> the entries the plan adds to it (INSTALLED_APPS, MIDDLEWARE, AUTHENTICATION_BACKENDS). */
  listAdditions: Record<string, string[]>;
  /** Settings the plan sets, where the project kept Django's default: name -> the value. */
  defaultsReplaced: Record<string, string>;
  /** URL names the plan routes. */
  routes: string[];
  /** Views the plan moves (an upgrade of the earlier layout): old dotted path -> new. */
  viewsMoved?: Record<string, string>;
}

export function emptyPlannedAdditions(): PlannedAdditions {
  return { listAdditions: {}, defaultsReplaced: {}, routes: [] };
}

/** One integration step: reads the workspace, plans its edits into it, reports outcomes. */
export type IntegrationStep = (ctx: PlanContext) => StepOutcome[];
