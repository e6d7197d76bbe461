/**
 * `authkit-django skill`: the agent skill (SKILL.md at the package root) that tells a
 * coding agent to call this tool instead of editing files. Without options it prints the
 * file; `--install DIR` writes it to DIR/authkit-django/SKILL.md, where agents that read
 * a skills folder find it. The write goes through the same plan and journal as `init`,
 * so it is idempotent (an identical file is left alone) and `undo` takes it back.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { discover } from '../discover/index.js';
import type { CommandArgs } from '../main.js';
import { applyChanges } from '../plan/apply.js';
import { EXIT, UsageError, UserError } from '../util/errors.js';
import { readUtf8IfExists } from '../util/files.js';
import { palette, writeLine, type Io } from '../util/output.js';
import { packagePath } from '../util/package-root.js';
import { stringOption } from './options.js';
import { writeJsonReport } from '../util/json-report.js';

/** The folder under the skills folder: agents look for `<skills>/<name>/SKILL.md`. */
export const SKILL_NAME = 'authkit-django';

export function skillText(): string {
  return readFileSync(packagePath('SKILL.md'), 'utf8');
}

export async function runSkill(args: CommandArgs, io: Io): Promise<number> {
  const json = args.values.json === true;
  const target = stringOption(args.values.install);
  const text = skillText();
  if (target === undefined) {
    if (json) writeJsonReport(io, 'skill', { content: text });
    else io.stdout.write(text);
    return EXIT.ok;
  }
  const p = palette(io.color && !json);
  const skillsDir = resolve(target);
  if (existsSync(skillsDir) && !statSync(skillsDir).isDirectory()) {
    throw new UsageError(`--install takes a folder; ${target} is a file`);
  }
  const file = join(skillsDir, SKILL_NAME, 'SKILL.md');
  const shown = relative(process.cwd(), file) || file;
  const before = readUtf8IfExists(file);
  let action: 'created' | 'updated' | 'unchanged';
  if (before === text) {
    action = 'unchanged';
  } else {
    // Journal under the Django project the folder belongs to, so `undo` in the project
    // takes the skill back; outside any project, under the skills folder itself.
    const journalRoot = await projectRootFor(skillsDir, io);
    applyChanges(journalRoot, [{ file, before, after: text }], 'skill --install', io.env);
    action = before === null ? 'created' : 'updated';
  }
  if (json) {
    writeJsonReport(io, 'skill', { installed: file, action });
  } else if (action === 'unchanged') {
    writeLine(io.stdout, `${shown} is up to date.`);
  } else {
    writeLine(io.stdout, `${p.green(action === 'created' ? 'Created' : 'Updated')} ${shown}. ${p.dim('Undo with: authkit-django undo')}`);
  }
  return EXIT.ok;
}

async function projectRootFor(dir: string, io: Io): Promise<string> {
  let existing = dir;
  while (!existsSync(existing)) existing = resolve(existing, '..');
  try {
    return (await discover(existing, { env: io.env, probeInterpreter: false })).projectRoot;
  } catch (error) {
    if (error instanceof UserError) return dir;
    throw error;
  }
}
