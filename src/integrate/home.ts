/**
 * The home page: when nothing serves "/", a small home view and templates/home.html
 * (with the template folder added to TEMPLATES DIRS when Django would not find it);
 * when the project has a home page, the snippet to add to its template.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { StepOutcome } from '../plan/types.js';
import { dictValue, findAssignments, sequenceLiteral } from '../python/locate.js';
import { lineOf, parsePython } from '../python/parser.js';
import { insertIntoSequence } from '../python/splice.js';
import { lastBindingOf, namesUsed } from '../python/bindings.js';
import { preferredQuote, pythonString } from '../python/style.js';
import { evaluatePath, expressionFor, joinExpression, pathScope } from './path-values.js';
import type { PlanContext } from './context.js';
import { editPython } from './edit-python.js';
import { dunderFile, ensureImports } from './settings.js';
import { planGeneratedFile } from './generated-file.js';
import type { UrlFacts } from './url-facts.js';

export const HOME_VIEWS_FILE = 'home_views.py';
export const HOME_TEMPLATE = 'home.html';

export const HOME_SNIPPET = `{% if request.session.user %}
  <p>Welcome, {{ request.session.user.email }}</p>
  <form method="post" action="{% url 'workos_logout' %}">{% csrf_token %}<button type="submit">Log out</button></form>
{% else %}
  <a href="{% url 'workos_login' %}">Log in</a>
{% endif %}`;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

interface TemplateDir {
  dir: string;
  outcome?: StepOutcome;
}

/**
 * The folder for home.html: an existing DIRS entry, or BASE_DIR/templates added to DIRS
 * (only when `mayAdd`; without it, a folder that is not there yet is a manual outcome).
 */
function templateDir(ctx: PlanContext, mayAdd = true): TemplateDir | StepOutcome {
  const files = [ctx.model.settingsFile, ...ctx.model.settingsFiles].filter((f): f is string => !!f);
  const file = files.find((f) => {
    const text = ctx.workspace.read(f);
    return text !== null && findAssignments(parsePython(text), 'TEMPLATES').length > 0;
  });
  const manual = (reason: string, line?: number): StepOutcome => ({
    id: 'home.template-dirs',
    status: 'manual',
    ...(file ? { file } : {}),
    ...(line ? { line: ctx.workspace.lineOnDisk(file!, line) } : {}),
    summary: 'make templates/home.html findable',
    reason,
    snippet: "TEMPLATES[0]['DIRS'] += [BASE_DIR / 'templates']",
  });
  if (!file) return manual('no TEMPLATES setting was found');
  const text = ctx.workspace.read(file)!;
  const tree = parsePython(text);
  const assignment = findAssignments(tree, 'TEMPLATES').find((a) => !a.conditional);
  const backends = sequenceLiteral(assignment?.value);
  const django = backends?.elements.find((b) => /DjangoTemplates/.test(dictValue(b, 'BACKEND')?.text ?? ''));
  if (!assignment || !django) return manual('TEMPLATES has no literal DjangoTemplates entry the tool can read', assignment ? lineOf(assignment.statement) : undefined);
  const dirsNode = dictValue(django, 'DIRS');
  const dirs = sequenceLiteral(dirsNode);
  // A folder the project already names and has: the one its own Python loaded first, else
  // the first entry read statically that exists, else the first one read at all.
  const loaded = (ctx.options.projectFacts?.templateDirs ?? []).find((d) => isDirectory(d));
  if (loaded) return { dir: loaded };
  const scope = pathScope(tree, dunderFile(ctx, file), ctx.model.projectRoot);
  const named = (dirs?.elements ?? []).map((entry) => evaluatePath(entry, scope)?.path).filter((d): d is string => !!d);
  const existing = named.find((d) => isDirectory(d)) ?? named[0];
  if (existing) return { dir: existing };
  if (!dirs) return manual('TEMPLATES DIRS is not a list literal', lineOf(django));
  if (!mayAdd) return manual('TEMPLATES DIRS names no folder', lineOf(django));
  // Nothing usable in DIRS: add the project's templates folder, named the way the file names paths.
  const quote = preferredQuote(tree);
  // Only names bound above TEMPLATES can be read inside it.
  const above = (name: string) => (lastBindingOf(tree, [name])?.startIndex ?? -1) < assignment.statement.startIndex;
  const base = expressionFor(ctx.model.projectRoot, { ...scope, names: new Map([...scope.names].filter(([name]) => above(name))) });
  if (!base) return manual(`the project folder is not above ${ctx.display(file)}`, lineOf(django));
  const entry = joinExpression(base, pythonString('templates', quote));
  // The entry goes inside TEMPLATES: every name it reads must be bound above it.
  const bound = lastBindingOf(tree, namesUsed(entry));
  if (bound && bound.startIndex > assignment.statement.startIndex) {
    return manual(`${entry} reads a name bound only below TEMPLATES (line ${lineOf(bound)})`, lineOf(django));
  }
  editPython(ctx, file, (source) => insertIntoSequence(source, dirs, entry, dirs.elements.length));
  ensureImports(ctx, file, entry);
  return {
    dir: join(ctx.model.projectRoot, 'templates'),
    outcome: { id: 'home.template-dirs', status: 'change', file, line: ctx.workspace.lineOnDisk(file, lineOf(dirs.node)), summary: `add ${entry} to TEMPLATES DIRS in ${ctx.display(file)}` },
  };
}

export interface HomePlan {
  outcomes: StepOutcome[];
  /** True when a home route is to be added (views and template planned). */
  addRoute: boolean;
}

/** The snippet reads `request`: say so only where the settings do not name the request context processor. */
function requestProcessorNote(ctx: PlanContext): string {
  const named = ctx.model.settingsFiles.some((file) => /["']django\.template\.context_processors\.request["']/.test(ctx.workspace.read(file) ?? ''));
  return named ? '' : " (it needs 'django.template.context_processors.request' in TEMPLATES OPTIONS context_processors)";
}

/**
 * `appInPlace`: the authkit app is, or is being, added; the generated home page loads its
 * template tags, so it is neither created nor upgraded without it.
 */
export function planHome(ctx: PlanContext, facts: UrlFacts, appInPlace = true): HomePlan {
  if (facts.homeIsOurs) {
    const routed: StepOutcome = { id: 'home.route', status: 'done', summary: 'the home page authkit-django added is routed at /' };
    return { addRoute: false, outcomes: [routed, ...(appInPlace ? upgradeHome(ctx, facts) : [])] };
  }
  const skipReason = ctx.options.skipHomeReason ?? (appInPlace ? undefined : 'the generated home page needs the authkit app, which is not added here');
  if (skipReason) {
    return {
      addRoute: false,
      outcomes: [
        {
          id: 'home.snippet',
          status: 'done',
          summary: 'no home page added',
          note: `${skipReason}. To show who is signed in, add this to the template of your home page${requestProcessorNote(ctx)}:`,
          snippet: HOME_SNIPPET,
        },
      ],
    };
  }
  if (facts.homeServed) {
    return {
      addRoute: false,
      outcomes: [
        {
          id: 'home.snippet',
          status: 'done',
          summary: 'the project has a home page; it was left alone',
          note: `to show who is signed in, add this to its template${requestProcessorNote(ctx)}:`,
          snippet: HOME_SNIPPET,
        },
      ],
    };
  }
  const outcomes: StepOutcome[] = [];
  const located = templateDir(ctx);
  if ('status' in located) return { addRoute: false, outcomes: [located] };
  if (located.outcome) outcomes.push(located.outcome);
  const template = planGeneratedFile(ctx, 'home.template', HOME_TEMPLATE, join(located.dir, HOME_TEMPLATE), 'the home page');
  const view = planGeneratedFile(ctx, 'home.view', HOME_VIEWS_FILE, join(facts.viewsDir, HOME_VIEWS_FILE), 'the home view');
  outcomes.push(view, template);
  return { addRoute: view.status !== 'manual' && template.status !== 'manual', outcomes };
}


/**
 * The home page's files where they already are, planned again so that a file an earlier
 * authkit-django generated and nobody changed is upgraded (the generated-file rules);
 * nothing is created here: the home page is routed already.
 */
function upgradeHome(ctx: PlanContext, facts: UrlFacts): StepOutcome[] {
  const out: StepOutcome[] = [];
  const view = join(facts.viewsDir, HOME_VIEWS_FILE);
  if (ctx.workspace.read(view) !== null) out.push(planGeneratedFile(ctx, 'home.view', HOME_VIEWS_FILE, view, 'the home view'));
  const located = templateDir(ctx, false);
  const page = 'status' in located ? null : join(located.dir, HOME_TEMPLATE);
  if (page && ctx.workspace.read(page) !== null) out.push(planGeneratedFile(ctx, 'home.template', HOME_TEMPLATE, page, 'the home page', true));
  // What is in place and untouched needs no line of its own: the route's says it.
  return out.filter((o) => o.status !== 'done' || o.snippet || o.note);
}
