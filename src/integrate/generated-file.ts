/**
 * Files the tool generates from its templates/ (the authkit app, home_views.py,
 * home.html): created when missing, left alone when already there. A file that still
 * holds what an earlier version of authkit-django generated is upgraded to this
 * version's text (shown as a diff, journaled, undone like any change); one changed by
 * hand is never overwritten: the report shows a three-way view instead.
 */
import { readFileSync } from 'node:fs';
import { unifiedDiff } from '../plan/diff.js';
import type { StepOutcome } from '../plan/types.js';
import { packagePath } from '../util/package-root.js';
import { palette } from '../util/output.js';
import type { PlanContext } from './context.js';
import { closestEarlierText, isEarlierText } from './earlier-versions.js';

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

/**
 * `knownOurs`: the caller knows the file is the tool's even without its name in it (the
 * earliest home.html did not carry it; the home route that renders it is ours).
 */
export function planGeneratedFile(ctx: PlanContext, id: string, template: string, file: string, what: string, knownOurs = false): StepOutcome {
  const content = templateText(template);
  const existing = ctx.workspace.read(file);
  const shown = ctx.display(file);
  if (existing === null) {
    ctx.workspace.write(file, content);
    return { id, status: 'create', file, summary: `create ${shown} (${what})` };
  }
  if (existing === content) return { id, status: 'done', file, summary: `${shown} is in place` };
  // Before the marker test: the earliest home.html did not carry the tool's name.
  if (isEarlierText(template, existing)) {
    ctx.workspace.write(file, content);
    return {
      id,
      status: 'change',
      file,
      summary: `upgrade ${shown} to this version of authkit-django (${what})`,
      note: 'it holds exactly what an earlier authkit-django generated, so it is replaced; the diff shows what changes',
    };
  }
  if (knownOurs || isOurs(existing)) {
    const base = closestEarlierText(template, existing);
    if (base !== undefined && base !== content) {
      return {
        id,
        status: 'done',
        file,
        summary: `${shown} was changed by hand since authkit-django created it: not upgraded`,
        note: 'your changes are kept; to take this version, merge its changes (first diff) into yours (second diff)',
        snippet: threeWayView(shown, base, existing, content),
      };
    }
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

/**
 * The three-way view of a hand-changed generated file: from the earlier text it most
 * likely started as (`base`), what this version changes, and what its user changed.
 */
export function threeWayView(shown: string, base: string, theirs: string, ours: string): string {
  const plain = palette(false);
  return [
    `what this version of authkit-django changes in ${shown}:`,
    unifiedDiff(shown, base, ours, { palette: plain }),
    '',
    `what you changed in ${shown}:`,
    unifiedDiff(shown, base, theirs, { palette: plain }),
  ].join('\n');
}
