/**
 * Which packages this project needs from us: workos and pyjwt always; python-dotenv only
 * where the settings load .env with load_dotenv (ours or theirs), not where django-environ,
 * python-decouple or environs read it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readConfig } from '../discover/config-library.js';
import type { ProjectModel } from '../discover/model.js';
import { DOTENV, PYJWT, WORKOS, type AuthkitPackage } from '../install/packages.js';

export function neededPackages(model: Pick<ProjectModel, 'settingsFiles' | 'settingsIncludedBy' | 'projectRoot'>, read: (file: string) => string | null = readText): AuthkitPackage[] {
  const files = model.settingsFiles.map((file) => ({ file, text: read(file) })).filter((f): f is { file: string; text: string } => f.text !== null);
  const { library } = readConfig(files, (f) => model.settingsIncludedBy[f] ?? f, model.projectRoot, existsSync);
  return library ? [WORKOS, PYJWT] : [WORKOS, PYJWT, DOTENV];
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
