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
}

/** What every integration step receives. */
export interface PlanContext {
  model: ProjectModel;
  workspace: Workspace;
  options: IntegrationOptions;
  /** Path relative to the project's repository root, for messages. */
  display: (file: string) => string;
}

/** One integration step: reads the workspace, plans its edits into it, reports outcomes. */
export type IntegrationStep = (ctx: PlanContext) => StepOutcome[];
