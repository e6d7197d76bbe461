import { join } from 'node:path';
import type { StepOutcome } from '../plan/types.js';
import type { PlanContext } from './context.js';
import { planGeneratedFile } from './generated-file.js';
import { ROUTE_NAMES, type UrlFacts } from './url-facts.js';

export const AUTH_VIEWS_FILE = 'auth_views.py';

/** auth_views.py, unless the project already routes all three WorkOS views to code of its own. */
export function planViews(ctx: PlanContext, facts: UrlFacts): StepOutcome[] {
  // auth/me/ is ours only: a hand-written integration is complete without it.
  const names = [ROUTE_NAMES.login, ROUTE_NAMES.callback, ROUTE_NAMES.logout];
  const file = join(facts.viewsDir, AUTH_VIEWS_FILE);
  if (names.every((n) => facts.routedNames.has(n)) && ctx.workspace.read(file) === null) {
    return [{ id: 'views.auth', status: 'done', summary: `the urlconf already routes ${names.join(', ')} to views of its own` }];
  }
  return [planGeneratedFile(ctx, 'views.auth', AUTH_VIEWS_FILE, file, 'login, callback, logout and me views')];
}
