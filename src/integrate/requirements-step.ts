import type { StepOutcome } from '../plan/types.js';
import { compareReleases } from '../discover/django-version.js';
import { installedVersion } from '../install/installed-version.js';
import { packageNames, rangeSpec, type AuthkitPackage } from '../install/packages.js';
import type { PlanContext } from './context.js';
import { neededPackages } from './needed-packages.js';
import { dirname, join } from 'node:path';
import { normalizePackageName, pinStyle, planRequirements, requirementName } from './requirements.js';

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
  const compiled = ctx.workspace.read(file);
  if (compiled === null) return [];
  // pip-tools: the .txt is compiled from the .in beside it; the .in is the file to edit.
  const source = pipToolsSource(ctx, file, compiled);
  if (source) return planPipTools(ctx, file, source, compiled);
  // A requirements.txt that only includes others (`-r requirements/base.txt`) is a shim: the
  // file it includes that lists Django is where the project declares what it runs on.
  const target = requirementsTarget((f) => ctx.workspace.read(f), file);
  return planListIn(ctx, target, ctx.workspace.read(target)!);
}

function planListIn(ctx: PlanContext, file: string, text: string): StepOutcome[] {
  // Listed in a file this one includes (`-r base.txt`) counts as listed.
  const included = includedRequirementNames(ctx, file, text, 0);
  const packages = neededPackages(ctx.model, (f) => ctx.workspace.read(f)).filter((pkg) => !included.has(normalizePackageName(pkg.name)));
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

/** The requirements.in a pip-compile'd requirements.txt comes from, when both are there. */
function pipToolsSource(ctx: PlanContext, file: string, text: string): string | null {
  if (!file.endsWith('.txt')) return null;
  const source = `${file.slice(0, -4)}.in`;
  if (ctx.workspace.read(source) === null) return null;
  return /^\s*#\s+via\b|pip-compile/m.test(text) ? source : null;
}

function planPipTools(ctx: PlanContext, compiledFile: string, source: string, compiled: string): StepOutcome[] {
  const text = ctx.workspace.read(source)!;
  const packages = neededPackages(ctx.model, (f) => ctx.workspace.read(f));
  const lines = packages.map((pkg) => requirementLine(ctx, pkg, 'loose'));
  const plan = planRequirements(text, lines);
  const outcomes: StepOutcome[] = [];
  const names = packageNames(packages);
  if (plan.changed) {
    ctx.workspace.write(source, plan.text);
    outcomes.push({ id: 'requirements', status: 'change', file: source, summary: `add ${plan.added.join(' and ')} to ${ctx.display(source)}` });
  } else {
    outcomes.push({ id: 'requirements', status: 'done', file: source, summary: `${ctx.display(source)} lists ${names}` });
  }
  // The compiled file is pip-compile's to write: never spliced by hand (a line between a pin and its `# via`).
  const compiledNames = new Set(compiled.split(/\r?\n/).map((l) => requirementName(l)).filter((n): n is string => !!n));
  const missing = packages.filter((pkg) => !compiledNames.has(normalizePackageName(pkg.name)));
  if (missing.length > 0) {
    const dir = dirname(source);
    outcomes.push({
      id: 'requirements.compile',
      status: 'manual',
      file: compiledFile,
      summary: `compile ${ctx.display(compiledFile)} again so it pins ${packageNames(missing)}`,
      reason: `${ctx.display(compiledFile)} is compiled by pip-tools from ${ctx.display(source)}; editing it by hand would be undone by the next compile`,
      snippet: `cd ${dir} && pip-compile ${source.slice(dir.length + 1)}`,
    });
  }
  return outcomes;
}

/** Package names listed in the files a requirements file includes with -r (recursively, a few levels). */
/** The file the project's requirements are declared in: `file`, or the one a shim `file` includes. */
export function requirementsTarget(read: (file: string) => string | null, file: string): string {
  return shimTarget(read, file, read(file) ?? '') ?? file;
}

/** The included file to edit when `text` holds nothing but `-r` includes (and comments), else null. */
function shimTarget(read: (file: string) => string | null, file: string, text: string): string | null {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const includes = lines.map((l) => /^(?:-r|--requirement)\s*=?\s*(\S+)$/.exec(l)?.[1]);
  if (lines.length === 0 || includes.some((i) => i === undefined)) return null;
  const files = includes.map((i) => join(dirname(file), i!)).filter((f) => read(f) !== null);
  const listsDjango = files.find((f) => read(f)!.split(/\r?\n/).some((l) => normalizePackageName(requirementName(l) ?? '') === 'django'));
  return listsDjango ?? files[0] ?? null;
}

function includedRequirementNames(ctx: PlanContext, file: string, text: string, depth: number): Set<string> {
  const names = new Set<string>();
  if (depth > 3) return names;
  for (const raw of text.split(/\r?\n/)) {
    const include = /^\s*(?:-r|--requirement)\s*=?\s*(\S+)/.exec(raw);
    if (!include) continue;
    const other = join(dirname(file), include[1]!);
    const otherText = ctx.workspace.read(other);
    if (otherText === null) continue;
    for (const line of otherText.split(/\r?\n/)) {
      const name = requirementName(line);
      if (name) names.add(name);
    }
    for (const name of includedRequirementNames(ctx, other, otherText, depth + 1)) names.add(name);
  }
  return names;
}
