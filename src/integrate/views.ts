/**
 * The generated code: every file of templates/authkit/ into `<viewsDir>/authkit/`, unless
 * the project already routes the WorkOS names (to views of its own, or to the earlier
 * auth_views.py layout, which is kept).
 */
import { join } from 'node:path';
import type { StepOutcome } from '../plan/types.js';
import { APP_PACKAGE, appTemplateFiles, earlierViewsShim, type AppLayout } from './app-layout.js';
import type { PlanContext } from './context.js';
import { planGeneratedFile } from './generated-file.js';
import { CORE_ROUTE_NAMES } from './url-facts.js';

/** The views of the earlier auth_views.py. */
const EARLIER_VIEW_NAMES = ['login', 'callback', 'logout', 'me'];

export const MIGRATE_NOTE = 'its tables need `python manage.py migrate` once the files are written';

export function planViews(ctx: PlanContext, layout: AppLayout): StepOutcome[] {
  if (layout.kind === 'own') {
    return [{ id: 'views.auth', status: 'done', summary: `the urlconf already routes ${CORE_ROUTE_NAMES.join(', ')} to views of its own` }];
  }
  if (layout.kind === 'earlier') {
    return [
      {
        id: 'views.auth',
        status: 'done',
        file: layout.file,
        summary: `the earlier layout is kept: the urlconf routes the WorkOS names to ${ctx.display(layout.file)}, changed by hand since authkit-django generated it`,
        note: `no authkit app is added and no setting changed: your changes are kept. To move to the app (sessions checked and refreshed, Django users), move ${ctx.display(layout.file)} aside, remove its routes and run authkit-django init again`,
      },
    ];
  }
  if (layout.kind === 'blocked') return [layout.outcome];
  const upgrade: StepOutcome[] = [];
  if (layout.upgrades) {
    ctx.workspace.write(layout.upgrades, earlierViewsShim(layout.dotted));
    // The same functions, reached through the shim: the check before writing allows exactly this.
    const earlierModule = layout.dotted.replace(/(^|\.)authkit$/, '$1auth_views');
    if (ctx.planned) ctx.planned.viewsMoved = Object.fromEntries(EARLIER_VIEW_NAMES.map((name) => [`${earlierModule}.${name}`, `${layout.dotted}.views.${name}`]));
    upgrade.push({
      id: 'views.upgrade',
      status: 'change',
      file: layout.upgrades,
      summary: `upgrade ${ctx.display(layout.upgrades)}: its views move into the authkit app, and it re-exports them`,
      note: 'it holds exactly what an earlier authkit-django generated; the routes and imports of it keep working',
    });
  }
  const shownDir = `${ctx.display(layout.dir)}/`;
  const outcomes = appTemplateFiles().map((rel) => planGeneratedFile(ctx, 'views.app', `${APP_PACKAGE}/${rel}`, join(layout.dir, ...rel.split('/')), `the authkit app's ${rel}`));
  const created = outcomes.filter((o) => o.status === 'create');
  const done = outcomes.filter((o) => o.status === 'done');
  const out: StepOutcome[] = outcomes.filter((o) => o.status === 'manual');
  if (created.length > 0) {
    const all = created.length === outcomes.length;
    out.push({
      id: 'views.app',
      status: 'create',
      file: created[0]!.file!,
      summary: all
        ? `create ${shownDir} (the authkit app: views, middleware, backend, model and migration; ${created.length} files)`
        : `create ${created.map((o) => ctx.display(o.file!)).join(', ')} in the authkit app`,
      note: MIGRATE_NOTE,
    });
  }
  if (done.length > 0 && created.length === 0) {
    const changed = done.filter((o) => o.note).map((o) => ctx.display(o.file!));
    out.push({
      id: 'views.app',
      status: 'done',
      file: join(layout.dir, '__init__.py'),
      summary: `${shownDir} (the authkit app) is in place`,
      ...(changed.length > 0 ? { note: `changed by hand since authkit-django created ${changed.length === 1 ? 'it' : 'them'}, left as they are: ${changed.join(', ')}` } : {}),
    });
  }
  return [...upgrade, ...out];
}
