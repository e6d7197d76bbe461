/**
 * After a failed install, the code init wrote imports packages the project's Python may not
 * have: left in place, the root urlconf (and, with our load_dotenv, the settings) would fail
 * to import, so every page and manage.py command would break. The project's Python decides:
 * when it imports everything the code needs, the code stays; otherwise this run's files are
 * put back exactly as undo would, and the journal entry goes with them. Packages a partial
 * install added stay installed: the environment is the package manager's to change.
 */
import type { ProjectModel } from '../discover/model.js';
import type { ApplyResult } from '../plan/apply.js';
import { performUndo, planUndo } from '../plan/undo.js';
import { UserError } from '../util/errors.js';
import { checkImports, type ImportReport } from './check-imports.js';
import { oldSdkMessage } from './sdk-version.js';

export interface RollBackOutcome {
  rolledBack: boolean;
  message: string;
}

export async function keepOrRollBack(
  model: Pick<ProjectModel, 'python' | 'projectRoot' | 'repoRoot'>,
  applied: ApplyResult,
  imports: ImportReport | null,
  modules: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<RollBackOutcome> {
  const now = imports ?? (await checkImports(model.python, model.projectRoot, { env, modules }));
  if (now.ok && !oldSdkMessage(now.workosVersion)) {
    return { rolledBack: false, message: "The code changes are kept: the project's Python imports what they need. Fix the problem above and run init again to finish." };
  }
  try {
    const plan = planUndo({ projectRoot: model.projectRoot, repoRoot: model.repoRoot }, env);
    if (plan.entry.id !== applied.entry.id) throw new UserError('the journal has a newer entry than this run');
    performUndo(plan);
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { rolledBack: false, message: `The code changes are kept (rolling them back failed: ${why}); run authkit-django undo once the problem is fixed.` };
  }
  return {
    rolledBack: true,
    message: 'The code changes were rolled back, so the project works as it did (what the package manager installed stays installed). Fix the problem above and run init again.',
  };
}
