/**
 * `authkit-django undo`: restore every file the last `init` wrote (and the package
 * manager's files it rewrote), byte for byte, and delete the files it created.
 */
import { relative, resolve } from 'node:path';
import { discover, type ProjectModel } from '../discover/index.js';
import type { CommandArgs } from '../main.js';
import { performUndo, planUndo } from '../plan/undo.js';
import { EXIT, UserError } from '../util/errors.js';
import { Journal } from '../plan/journal.js';
import { palette, writeLine, type Io } from '../util/output.js';
import { canPrompt, confirm } from '../util/prompt.js';
import { prepareProject } from './interrupted.js';
import { discoverOptions } from './options.js';
import { writeJsonReport } from '../util/json-report.js';

/**
 * The project whose journal to read. Outside any Django project (a skills folder that
 * `skill --install` wrote to), the folder itself, when it has a journal.
 */
async function undoTarget(args: CommandArgs, io: Io): Promise<ProjectModel | { projectRoot: string; repoRoot: string; dir: string }> {
  try {
    return await discover(args.dir, discoverOptions(args, io));
  } catch (error) {
    const dir = resolve(args.dir);
    if (error instanceof UserError && Journal.open(dir, io.env).last()) return { projectRoot: dir, repoRoot: dir, dir };
    throw error;
  }
}

export async function runUndo(args: CommandArgs, io: Io): Promise<number> {
  const json = args.values.json === true;
  const yes = args.values.yes === true;
  const p = palette(io.color && !json);
  const model = await undoTarget(args, io);
  // The lock, and temporary files a killed run left; an interrupted entry is what undo undoes.
  if ('managePy' in model) await prepareProject(model, io, { command: 'undo', yes, json, settleInterrupted: false });
  const plan = planUndo(model, io.env);
  const show = (file: string) => relative(model.dir, file).split('\\').join('/') || '.';
  const actions = plan.files.filter((f) => f.action !== 'unchanged');
  const out = json ? io.stderr : io.stdout;
  if (!json) {
    writeLine(out, `Undo authkit-django ${plan.entry.command} of ${plan.entry.id}${plan.entry.state === 'applying' ? ' (interrupted while writing: rolling it back)' : ''}:`);
    for (const f of actions) writeLine(out, `  ${f.action === 'delete' ? p.red('delete ') : p.yellow('restore')}  ${show(f.path)}`);
  }
  if (!yes) {
    if (json || !canPrompt(io)) {
      const message = 'not undoing: stdin is not a terminal, so there is no one to confirm. Pass --yes.';
      writeLine(io.stderr, `authkit-django: ${message}`);
      if (json) writeJsonReport(io, 'undo', { undone: null, files: [], error: { message, hint: null }, exitCode: EXIT.usage });
      return EXIT.usage;
    }
    if (!(await confirm(io, 'Restore these files?', true))) return EXIT.error;
  }
  performUndo(plan);
  if (json) {
    writeJsonReport(io, 'undo', { undone: plan.entry.id, files: actions.map((f) => ({ path: show(f.path), action: f.action === 'delete' ? 'deleted' : 'restored' })), exitCode: EXIT.ok });
  } else {
    writeLine(out, p.green(`Restored ${actions.length} file${actions.length === 1 ? '' : 's'}.`) + p.dim(' Installed packages stay in the environment (uninstall them yourself if you want them gone).'));
  }
  return EXIT.ok;
}
