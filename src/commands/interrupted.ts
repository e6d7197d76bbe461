/**
 * What every command that may write does first, once it knows the project: take the
 * project's lock, settle an apply an earlier run left interrupted (offer to finish it or
 * roll it back; `--yes` rolls back), and remove the temporary files a killed run left.
 */
import { relative } from 'node:path';
import type { ProjectModel } from '../discover/model.js';
import { cleanLeftovers, lockProject } from '../plan/project-lock.js';
import { findInterrupted, finish, rollBack } from '../plan/recover.js';
import { EXIT, UserError } from '../util/errors.js';
import { writeLine, type Io } from '../util/output.js';
import { ask, canPrompt } from '../util/prompt.js';

export interface PrepareOptions {
  /** The command, for the lock's holder and the messages. */
  command: string;
  yes: boolean;
  json: boolean;
  /** undo undoes an interrupted entry itself: no question to ask. */
  settleInterrupted: boolean;
  /** --dry-run writes nothing and takes no lock: it only says that a run was interrupted. */
  dryRun?: boolean;
}

/** Returns true when files changed (an interrupted apply finished or rolled back): discover again. */
export async function prepareProject(model: ProjectModel, io: Io, options: PrepareOptions): Promise<boolean> {
  const note = (text: string) => writeLine(io.stderr, `authkit-django: ${text}`);
  if (options.dryRun) {
    const found = findInterrupted(model.projectRoot, io.env);
    if (found) note(`warning: an earlier \`authkit-django ${found.entry.command}\` was interrupted while writing (${found.written} of ${found.entry.files.length} files written); the plan below is made from that state. Run without --dry-run to finish it or roll it back.`);
    return false;
  }
  await lockProject(model.projectRoot, options.command, io.env);
  let changed = false;
  const found = options.settleInterrupted ? findInterrupted(model.projectRoot, io.env) : null;
  if (found) {
    const what = `an earlier \`authkit-django ${found.entry.command}\` (${found.entry.id}) was interrupted while writing: ${found.written} of ${found.entry.files.length} files written`;
    let choice: 'finish' | 'roll back';
    if (options.yes) {
      choice = 'roll back';
    } else if (!options.json && canPrompt(io)) {
      note(`${what}.`);
      for (const file of found.entry.files) note(`  ${relative(model.repoRoot, file.path) || file.path}`);
      const answer = (await ask(io, 'Finish it (write the rest) or roll it back (put every file back)? [f/R] '))?.toLowerCase();
      if (answer === null || answer === undefined) throw new UserError('cancelled; nothing was written');
      choice = answer === 'f' || answer === 'finish' ? 'finish' : 'roll back';
    } else {
      throw new UserError(
        `${what}; it must be finished or rolled back first, and there is no terminal to ask. Nothing was written.`,
        EXIT.error,
        `Run \`authkit-django ${options.command} --yes\` to roll it back (or run it at a terminal to choose), or \`authkit-django undo --yes\`.`,
      );
    }
    const roots = { projectRoot: model.projectRoot, repoRoot: model.repoRoot };
    if (choice === 'finish') finish(found, roots, io.env);
    else rollBack(found, roots, io.env);
    note(choice === 'finish' ? 'finished the interrupted run: every file it planned is written (undo removes it).' : 'rolled the interrupted run back: every file is as it was before it.');
    changed = true;
  }
  const removed = cleanLeftovers({ projectRoot: model.projectRoot, repoRoot: model.repoRoot }, io.env);
  if (removed.length > 0) note(`removed ${removed.length} temporary file${removed.length === 1 ? '' : 's'} an interrupted run left behind.`);
  return changed;
}
