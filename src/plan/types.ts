/**
 * What a plan is made of. Integration steps read and write a Workspace (planned file
 * contents in memory); the plan is the list of step outcomes plus the final content of
 * each touched file. Nothing reaches the disk before apply.
 */

export type StepStatus =
  /** A new file. */
  | 'create'
  /** An existing file edited. */
  | 'change'
  /** Already done: nothing to do. */
  | 'done'
  /** The tool will not do it safely; the user does it by hand (snippet given). */
  | 'manual';

export interface StepOutcome {
  /** Stable id (`settings.installed-apps`, `urls.routes`, ...), for JSON and tests. */
  id: string;
  status: StepStatus;
  /** One line: what this step does or found. */
  summary: string;
  file?: string;
  line?: number;
  /** For manual steps: what to add, where, and why the tool did not. */
  snippet?: string;
  /** For manual steps: the text (as on disk) after which the snippet goes, so an agent can apply it with a plain edit. */
  anchor?: string;
  reason?: string;
  /** Extra information worth reporting (a value kept, a path chosen). */
  note?: string;
}

export interface FileChange {
  file: string;
  /** null: the file does not exist yet. */
  before: string | null;
  after: string;
  /** File mode for a new file (e.g. 0o600 for .env). */
  mode?: number;
}
