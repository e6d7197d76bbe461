/**
 * A fully pinned requirements file gets `==` versions (integrate/requirements-step.ts). Where
 * a package was not installed yet when init planned, the plan could only write the supported
 * range; once pip has installed it, that line becomes `name==version` of what was installed,
 * like the rest of the file. Only a file this run's apply wrote is touched, and its journal
 * record's after-hash follows, so undo and the next run see the file as it is.
 */
import { readFileSync, statSync } from 'node:fs';
import type { ProjectModel } from '../discover/model.js';
import { pinStyle } from '../integrate/requirements.js';
import { requirementsTarget } from '../integrate/requirements-step.js';
import { readUtf8IfExists } from '../util/files.js';
import { writeAtomic, type ApplyResult } from '../plan/apply.js';
import { sha256, stateDirFor, writtenPath } from '../plan/journal.js';
import { tempFolders, TempPlacer } from '../plan/temp-files.js';
import { installedVersion } from './installed-version.js';
import { rangeSpec, type AuthkitPackage } from './packages.js';

/** The lines pinned (`workos==5.19.1`), empty when there was nothing to do. */
export function pinInstalled(
  model: Pick<ProjectModel, 'packageManager' | 'python' | 'projectRoot' | 'repoRoot'>,
  packages: readonly AuthkitPackage[],
  applied: ApplyResult | null,
  env: NodeJS.ProcessEnv,
): string[] {
  const listed = model.packageManager.requirementsFile;
  // A shim that only includes others (`-r requirements/base.txt`): the lines went into the included file.
  const file = listed ? requirementsTarget(readUtf8IfExists, listed) : null;
  const venv = model.python.venv;
  const record = applied?.entry.files.find((f) => f.path === file);
  if (!file || !venv || !record || record.before === null) return [];
  if (pinStyle(Buffer.from(record.before, 'base64').toString('utf8')) !== 'exact') return [];
  const path = writtenPath(record);
  const text = readFileSync(path, 'utf8');
  if (sha256(text) !== record.afterSha256) return []; // changed since we wrote it: not ours to touch
  const pinned: string[] = [];
  const next = text.replace(/^([^\S\r\n]*)(\S+)([^\S\r\n]*)$/gm, (line, lead: string, spec: string, trail: string) => {
    const pkg = packages.find((p) => rangeSpec(p) === spec);
    const version = pkg ? installedVersion(venv, pkg.name) : null;
    if (!pkg || !version) return line;
    pinned.push(`${pkg.name}==${version}`);
    return `${lead}${pkg.name}==${version}${trail}`;
  });
  if (pinned.length === 0) return [];
  writeAtomic(path, next, statSync(path).mode & 0o7777, new TempPlacer(tempFolders(model.repoRoot, stateDirFor(model.projectRoot, env))));
  record.afterSha256 = sha256(next);
  applied!.journal.save();
  return pinned;
}
