/**
 * Files the tool generates from its templates/ (auth_views.py, home_views.py,
 * home.html): created when missing, left alone when already there, never overwritten.
 */
import { readFileSync } from 'node:fs';
import type { StepOutcome } from '../plan/types.js';
import { packagePath } from '../util/package-root.js';
import type { PlanContext } from './context.js';

const templateCache = new Map<string, string>();

/** The text of one of the package's templates. */
export function templateText(name: string): string {
  let text = templateCache.get(name);
  if (text === undefined) {
    text = readFileSync(packagePath('templates', name), 'utf8');
    templateCache.set(name, text);
  }
  return text;
}

/** Generated files carry the tool's name; a file without it is the user's own. */
export function isOurs(text: string): boolean {
  return text.includes('authkit-django');
}

export function planGeneratedFile(ctx: PlanContext, id: string, template: string, file: string, what: string): StepOutcome {
  const content = templateText(template);
  const existing = ctx.workspace.read(file);
  const shown = ctx.display(file);
  if (existing === null) {
    ctx.workspace.write(file, content);
    return { id, status: 'create', file, summary: `create ${shown} (${what})` };
  }
  if (existing === content) return { id, status: 'done', file, summary: `${shown} is in place` };
  if (isOurs(existing)) {
    return { id, status: 'done', file, summary: `${shown} is in place`, note: 'it was changed by hand since authkit-django created it; left as it is' };
  }
  return {
    id,
    status: 'manual',
    file,
    summary: `${shown} already exists and is not authkit-django's`,
    reason: 'the tool never overwrites your files',
    snippet: id === 'views.auth' ? `authkit-django init --views <another folder>` : `move ${shown} aside, or add the content of authkit-django's templates/${template} yourself`,
  };
}
