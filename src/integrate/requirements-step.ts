import type { StepOutcome } from '../plan/types.js';
import { compareReleases } from '../discover/django-version.js';
import { installedVersion } from '../install/installed-version.js';
import { packageNames, rangeSpec, type AuthkitPackage } from '../install/packages.js';
import type { PlanContext } from './context.js';
import { neededPackages } from './needed-packages.js';
import { pinStyle, planRequirements } from './requirements.js';

/**
 * The line for one package in the file's own style: `==` the installed version in a fully
 * pinned file (when the installed one is new enough), the supported range otherwise.
 */
export function requirementLine(ctx: PlanContext, pkg: AuthkitPackage, style: 'exact' | 'loose'): string {
  const venv = ctx.model.python.venv;
  const installed = venv ? installedVersion(venv, pkg.name) : null;
  if (style === 'exact' && installed && compareReleases(installed, pkg.floor) >= 0 && Number(installed.split('.')[0]) < pkg.belowMajor) {
    return `${pkg.name}==${installed}`;
  }
  return rangeSpec(pkg);
}

/** pip projects with a requirements file: list the packages the generated code needs there. */
export function planRequirementsFile(ctx: PlanContext): StepOutcome[] {
  const pm = ctx.model.packageManager;
  const name = ctx.options.packageManager ?? pm.name;
  const file = pm.requirementsFile;
  if (name !== 'pip' || !file) return [];
  const text = ctx.workspace.read(file);
  if (text === null) return [];
  const packages = neededPackages(ctx.model, (f) => ctx.workspace.read(f));
  const style = pinStyle(text);
  const lines = packages.map((pkg) => requirementLine(ctx, pkg, style));
  const plan = planRequirements(text, lines);
  const shown = ctx.display(file);
  const names = packageNames(packages);
  if (plan.refusal) {
    return [
      {
        id: 'requirements',
        status: 'manual',
        file,
        line: plan.refusal.line,
        summary: `list ${names} in your requirements`,
        reason: plan.refusal.message,
        snippet: lines.join('\n'),
      },
    ];
  }
  if (!plan.changed) return [{ id: 'requirements', status: 'done', file, summary: `${shown} lists ${names}` }];
  ctx.workspace.write(file, plan.text);
  return [{ id: 'requirements', status: 'change', file, summary: `add ${plan.added.join(' and ')} to ${shown}` }];
}
