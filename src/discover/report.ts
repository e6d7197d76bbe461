/**
 * The `--json` form of the project model: the same facts, with every path relative to
 * the folder the user named and POSIX separators, so reports are stable across
 * machines. No secret is in the model, so none can be in the report.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { ProjectModel } from './model.js';

export function relativePath(dir: string, path: string): string {
  const rel = relative(dir, path);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

export function jsonReport(model: ProjectModel): Record<string, unknown> {
  const rel = (path: string): string => relativePath(model.dir, path);
  const relOrNull = (path: string | null): string | null => (path === null ? null : rel(path));
  const places: Record<string, { file: string; line: number }> = {};
  for (const [name, place] of Object.entries(model.settingPlaces)) places[name] = { file: rel(place.file), line: place.line };
  return {
    managePy: rel(model.managePy),
    candidates: model.candidates.map(rel),
    projectRoot: rel(model.projectRoot),
    repoRoot: rel(model.repoRoot),
    isGitRepo: model.isGitRepo,
    settingsModule: model.settingsModule,
    settingsModuleSource:
      model.settingsModuleSource && isAbsolute(model.settingsModuleSource) ? rel(model.settingsModuleSource) : model.settingsModuleSource,
    settingsFile: relOrNull(model.settingsFile),
    settingsFiles: model.settingsFiles.map(rel),
    settingPlaces: places,
    rootUrlconf: model.rootUrlconf,
    urlsFile: relOrNull(model.urlsFile),
    projectPackage: relOrNull(model.projectPackage),
    installedApps: model.installedApps,
    middleware: model.middleware,
    sessions: model.sessions,
    templates: { ...model.templates, file: relOrNull(model.templates.file) },
    packageManager: model.packageManager.name,
    packageManagerFiles: model.packageManager.files.map(rel),
    packageManagerRoot: rel(model.packageManager.root),
    packageManagerReason: model.packageManager.reason,
    requirementsFile: relOrNull(model.packageManager.requirementsFile),
    python: {
      ...model.python,
      command: model.python.command.map((part, i) => (i === 0 && isAbsolute(part) ? rel(part) : part)),
      venv: relOrNull(model.python.venv),
    },
    django: model.django ? { ...model.django, ...(model.django.file ? { file: rel(model.django.file) } : {}) } : null,
    existingAuth: model.existingAuth.map((a) => ({ ...a, ...(a.file ? { file: rel(a.file) } : {}) })),
    env: { ...model.env, file: rel(model.env.file) },
    problems: model.problems.map((p) => ({ ...p, ...(p.file ? { file: rel(p.file) } : {}) })),
  };
}
