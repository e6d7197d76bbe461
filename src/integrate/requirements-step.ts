import type { StepOutcome } from '../plan/types.js';
import { AUTHKIT_PACKAGES } from '../install/packages.js';
import type { PlanContext } from './context.js';
import { planRequirements } from './requirements.js';

/** pip projects with a requirements file: list workos and python-dotenv there. */
export function planRequirementsFile(ctx: PlanContext): StepOutcome[] {
  const pm = ctx.model.packageManager;
  const name = ctx.options.packageManager ?? pm.name;
  const file = pm.requirementsFile;
  if (name !== 'pip' || !file) return [];
  const text = ctx.workspace.read(file);
  if (text === null) return [];
  const plan = planRequirements(text, AUTHKIT_PACKAGES);
  const shown = ctx.display(file);
  if (plan.refusal) {
    return [
      {
        id: 'requirements',
        status: 'manual',
        file,
        line: plan.refusal.line,
        summary: `list ${AUTHKIT_PACKAGES.join(' and ')} in your requirements`,
        reason: plan.refusal.message,
        snippet: AUTHKIT_PACKAGES.join('\n'),
      },
    ];
  }
  if (!plan.changed) return [{ id: 'requirements', status: 'done', file, summary: `${shown} lists ${AUTHKIT_PACKAGES.join(' and ')}` }];
  ctx.workspace.write(file, plan.text);
  return [{ id: 'requirements', status: 'change', file, summary: `add ${plan.added.join(' and ')} to ${shown}` }];
}
