/**
 * The login flow a person goes through, over HTTP, one checked hop at a time, starting at
 * authkit-django's own routes (their paths reversed by the project's Python, never
 * scraped from a page, so a project's own home page or login link does not matter):
 * login -> WorkOS authorize -> callback -> `auth/me/` shows the user -> logout (POST with
 * the CSRF token the project issued) -> WorkOS logout -> `auth/me/` answers 401, and
 * logout by GET refused. The home page is checked only when init generated it. Each step
 * passes or fails with a short reason naming the HTTP status and Location it saw; after
 * a failure the remaining steps are skipped.
 */
import { HttpBrowser, type HttpAnswer } from './http-client.js';
import type { FlowFacts, RoutePath } from '../verify/types.js';
import { forms, heading, links, visibleText, type Form } from './html.js';
import { emitProgress } from '../util/json-progress.js';

export type StepStatus = 'pass' | 'fail' | 'skip';

export interface FlowStep {
  /** Stable, kebab-case identifier. */
  id: string;
  /** What the step proves, in a few words. */
  title: string;
  status: StepStatus;
  /** Why it passed or failed: what was requested and what came back. */
  reason: string;
  /** The HTTP status of the step's last answer (null when none came). */
  httpStatus: number | null;
  /** The Location header of that answer, when there was one. */
  location: string | null;
  /** More text worth showing under a failure (Django's traceback, a page's text). */
  detail?: string;
  durationMs: number;
}

export interface FlowTarget {
  /** The site's origin: `http://localhost:PORT`. */
  siteUrl: string;
  /** The emulator's origin, which the project's WORKOS_BASE_URL points at. */
  emulatorUrl: string;
  clientId: string;
  /** The seeded user the emulator signs in. */
  email: string;
  /** runserver's output so far, to explain server errors. */
  serverOutput?: () => string;
  /** Our routes' paths and the project's CSRF settings, from the project's Python. */
  facts: FlowFacts;
}

export const FLOW_STEPS = [
  ['login-redirect', "login (workos_login) redirects to WorkOS's authorize URL with a state"],
  ['authorize', 'WorkOS sends the browser back to the callback with a code and the same state'],
  ['callback', 'callback signs the user in'],
  ['signed-in', 'auth/me/ (workos_me) shows the signed-in user'],
  ['home-logged-in', 'home page shows "Welcome, <email>" and a logout button'],
  ['logout', "logout (POST with the CSRF token) ends the session and goes to WorkOS's logout"],
  ['workos-logout', "WorkOS's logout returns to the site"],
  ['signed-out', 'auth/me/ answers 401: nobody is signed in'],
  ['home-after-logout', 'home page is logged out again'],
  ['logout-get-refused', 'logout by GET is refused'],
] as const;

/** Steps about the home page: run only when init generated it (the project's own is its business). */
export const HOME_STEPS: ReadonlySet<string> = new Set(['home-logged-in', 'home-after-logout']);

/** The steps a run has, in order: without the home page ones when "/" is not ours. */
export function flowSteps(homeGenerated: boolean): (typeof FLOW_STEPS)[number][] {
  return FLOW_STEPS.filter(([id]) => homeGenerated || !HOME_STEPS.has(id));
}

export type FlowStepId = (typeof FLOW_STEPS)[number][0];

/** A step's failure: the reason, and the answer that showed it. */
class StepFailed extends Error {
  constructor(
    readonly reason: string,
    readonly answer?: HttpAnswer,
    readonly detail?: string,
  ) {
    super(reason);
  }
}

interface StepResult {
  reason: string;
  answer?: HttpAnswer;
}

/** What one step learns and a later one needs. */
interface FlowState {
  authorizeUrl?: URL;
  callbackUrl?: URL;
  afterCallback?: URL;
  csrfToken?: string;
  workosLogoutUrl?: URL;
  afterLogout?: URL;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function show(url: URL, site: URL): string {
  return url.origin === site.origin ? `${url.pathname}${url.search}` : url.href;
}

/** `/auth/callback/?code=...&state=...` with the one-time values shortened: they mean nothing later. */
function shortUrl(url: URL, site: URL): string {
  const copy = new URL(url.href);
  for (const name of ['code', 'state', 'session_id']) {
    const value = copy.searchParams.get(name);
    if (value && value.length > 12) copy.searchParams.set(name, `${value.slice(0, 8)}…`);
  }
  return decodeURIComponent(show(copy, site));
}

/** The last Python traceback in runserver's output, up to its exception line. */
export function lastTraceback(output: string): string | null {
  const start = output.lastIndexOf('Traceback (most recent call last)');
  if (start < 0) return null;
  const lines = output.slice(start).split('\n');
  // Frames are indented; the first unindented line after the header names the exception.
  const end = lines.findIndex((line, i) => i > 0 && line.trim() !== '' && !/^\s/.test(line));
  const kept = end > 0 ? lines.slice(0, end + 1) : lines;
  return kept.length > 25 ? [kept[0]!, '  ...', ...kept.slice(-24)].join('\n') : kept.join('\n');
}

/** Why an answer is not the expected one, in words a Django developer recognises. */
function explain(answer: HttpAnswer, expected: string, site: URL, serverOutput: string): StepFailed {
  const where = `${answer.method} ${show(answer.url, site)}`;
  const got = `${answer.status}${answer.location ? ` to ${shortUrl(answer.location, site)}` : ''}`;
  if (answer.status >= 500) {
    if (/no such table: django_session|relation "django_session" does not exist|Table '[^']*django_session' doesn't exist/.test(serverOutput)) {
      return new StepFailed(`${where} -> ${answer.status}: the django_session table does not exist; run python manage.py migrate`, answer);
    }
    const trace = lastTraceback(serverOutput);
    const page = heading(answer.body);
    return new StepFailed(
      `${where} -> ${answer.status} (expected ${expected})${page ? `: "${page}"` : ''}${trace ? '; Django\'s traceback is below' : ''}`,
      answer,
      trace ?? (visibleText(answer.body).slice(0, 400) || undefined),
    );
  }
  if (answer.status === 403 && /CSRF verification failed/i.test(answer.body)) {
    const reason = /Reason given for failure:\s*([^<]+)/i.exec(answer.body)?.[1]?.trim();
    return new StepFailed(`${where} -> 403: CSRF verification failed${reason ? ` (${reason})` : ''}`, answer);
  }
  if (answer.status === 404) {
    return new StepFailed(`${where} -> 404 (expected ${expected}): the URL is not routed in the project's urlconf`, answer);
  }
  const page = answer.status >= 400 ? heading(answer.body) : '';
  const text = answer.status >= 400 ? visibleText(answer.body).slice(0, 300) : '';
  return new StepFailed(`${where} -> ${got} (expected ${expected})${page ? `: "${page}"` : ''}`, answer, text || undefined);
}

function isRedirect(answer: HttpAnswer): answer is HttpAnswer & { location: URL } {
  return REDIRECTS.has(answer.status) && answer.location !== null;
}

const LOGIN_TEXT = /\b(log\s*-?in|sign\s*-?in)\b/i;

function findLoginLink(html: string, site: URL): URL | null {
  const candidates = links(html)
    .map((link) => ({ ...link, url: new URL(link.href, site) }))
    .filter((link) => link.url.origin === site.origin);
  const byText = candidates.find((link) => LOGIN_TEXT.test(link.text));
  const byPath = candidates.find((link) => /log-?in/i.test(link.url.pathname));
  return (byText ?? byPath)?.url ?? null;
}

function findLogoutForm(html: string): Form | null {
  const posts = forms(html).filter((form) => form.method === 'post');
  return posts.find((form) => /log\s*-?out|sign\s*-?out/i.test(`${form.text} ${form.action}`)) ?? null;
}

function welcomes(html: string, email: string): boolean {
  return visibleText(html).includes(`Welcome, ${email}`);
}

/** The JSON body of an answer, or null when it is not JSON. */
function jsonBody(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    return null;
  }
}

const USER_FIELDS = ['id', 'email', 'first_name', 'last_name', 'profile_picture_url'];

/** Why a route cannot be used, or null: not routed at all, or only inside a namespace. */
function routeProblem(route: RoutePath | undefined, name: string): string | null {
  if (!route) return `reverse("${name}") finds no route: the name is not in the project's urlconf`;
  return null;
}

export async function runLoginFlow(target: FlowTarget): Promise<FlowStep[]> {
  const site = new URL(target.siteUrl);
  const emulator = new URL(target.emulatorUrl);
  const browser = new HttpBrowser();
  const state: FlowState = {};
  const { routes, csrf, homeGenerated } = target.facts;
  const output = target.serverOutput ?? (() => '');
  let outputMark = 0;
  /** runserver's output since the current step began. */
  const newOutput = (): string => {
    const all = output();
    return all.length >= outputMark ? all.slice(outputMark) : all;
  };
  const expect = (answer: HttpAnswer, ok: (a: HttpAnswer) => boolean, expected: string): void => {
    if (!ok(answer)) throw explain(answer, expected, site, newOutput());
  };
  const route = (name: 'workos_login' | 'workos_callback' | 'workos_logout' | 'workos_me'): URL => {
    const problem = routeProblem(routes[name], name);
    if (problem) throw new StepFailed(problem);
    return new URL(routes[name]!.path, site);
  };
  const meAnswer = async (): Promise<{ answer: HttpAnswer; user: Record<string, unknown> | null; shape: boolean }> => {
    const answer = await browser.get(route('workos_me'));
    const body = jsonBody(answer);
    const shape = body !== null && typeof body === 'object' && 'user' in body;
    const user = shape ? ((body as { user: unknown }).user as Record<string, unknown> | null) : null;
    return { answer, user: user && typeof user === 'object' ? user : null, shape };
  };
  const homeLoggedIn = async (): Promise<StepResult> => {
    const home = await browser.get(new URL('/', site));
    expect(home, (a) => a.status === 200, '200');
    if (!welcomes(home.body, target.email)) {
      throw new StepFailed(`GET / -> 200 but the page does not show "Welcome, ${target.email}"`, home, visibleText(home.body).slice(0, 300));
    }
    const form = findLogoutForm(home.body);
    if (!form) throw new StepFailed('GET / -> 200 shows the user but no logout form (a POST form to the logout URL)', home);
    if (!form.inputs.csrfmiddlewaretoken) throw new StepFailed('the logout form has no CSRF token (csrfmiddlewaretoken): {% csrf_token %} is missing', home);
    state.csrfToken ??= form.inputs.csrfmiddlewaretoken;
    return { reason: `GET / -> 200: "Welcome, ${target.email}" and a logout form to ${show(new URL(form.action || '/', home.url), site)}`, answer: home };
  };

  const run: Record<FlowStepId, () => Promise<StepResult>> = {
    'login-redirect': async () => {
      const answer = await browser.get(route('workos_login'));
      expect(answer, isRedirect, `a redirect to ${emulator.origin}/user_management/authorize`);
      const to = answer.location!;
      if (to.origin !== emulator.origin) {
        const hint = to.hostname === 'api.workos.com' ? ': the SDK did not use WORKOS_BASE_URL from the environment' : '';
        throw new StepFailed(`GET ${show(answer.url, site)} -> ${answer.status} to ${shortUrl(to, site)}, not to the emulator at ${emulator.origin}${hint}`, answer);
      }
      if (to.pathname !== '/user_management/authorize') {
        throw new StepFailed(`GET ${show(answer.url, site)} -> ${answer.status} to ${to.pathname}, not /user_management/authorize`, answer);
      }
      const params = to.searchParams;
      const problems: string[] = [];
      if (!params.get('state')) problems.push('no state');
      if (params.get('client_id') !== target.clientId) problems.push(`client_id is ${params.get('client_id') ?? 'missing'}, not ${target.clientId}`);
      if (params.get('response_type') !== 'code') problems.push('response_type is not code');
      const redirect = params.get('redirect_uri');
      let redirectUrl: URL | null = null;
      try {
        redirectUrl = redirect ? new URL(redirect) : null;
      } catch {
        redirectUrl = null;
      }
      if (!redirectUrl) problems.push('no valid redirect_uri');
      else if (redirectUrl.origin !== site.origin) problems.push(`redirect_uri ${redirect} is not on ${site.origin}`);
      if (problems.length > 0) throw new StepFailed(`GET ${show(answer.url, site)} -> ${answer.status} to the authorize URL, but: ${problems.join('; ')}`, answer);
      if (!browser.jar.cookiesFor(site).length) throw new StepFailed(`GET ${show(answer.url, site)} -> ${answer.status} but set no session cookie, so the state cannot be checked later`, answer);
      state.authorizeUrl = to;
      return {
        reason: `GET ${show(answer.url, site)} -> ${answer.status} to the emulator's /user_management/authorize (state, client_id=${target.clientId}, redirect_uri=${redirect})`,
        answer,
      };
    },
    authorize: async () => {
      const answer = await browser.get(state.authorizeUrl!);
      if (!isRedirect(answer)) {
        let message = '';
        try {
          message = (JSON.parse(answer.body) as { message?: string }).message ?? '';
        } catch {
          message = visibleText(answer.body).slice(0, 200);
        }
        throw new StepFailed(`the emulator's authorize answered ${answer.status}${message ? `: ${message}` : ''}`, answer);
      }
      const back = answer.location!;
      const sentState = state.authorizeUrl!.searchParams.get('state');
      const redirect = state.authorizeUrl!.searchParams.get('redirect_uri');
      if (`${back.origin}${back.pathname}` !== redirect?.split('?')[0]) {
        throw new StepFailed(`the emulator's authorize -> ${answer.status} to ${back.href}, not to the redirect_uri ${redirect}`, answer);
      }
      const callbackPath = routes.workos_callback?.path;
      if (back.origin === site.origin && callbackPath && back.pathname !== callbackPath) {
        throw new StepFailed(`the redirect_uri ${redirect} is not our callback: reverse("workos_callback") is ${callbackPath}`, answer);
      }
      if (back.searchParams.get('error')) throw new StepFailed(`the emulator's authorize reported error=${back.searchParams.get('error')}`, answer);
      if (!back.searchParams.get('code')) throw new StepFailed(`the emulator's authorize -> ${answer.status} without a code`, answer);
      if (back.searchParams.get('state') !== sentState) throw new StepFailed(`the emulator's authorize -> ${answer.status} with a different state`, answer);
      state.callbackUrl = back;
      return { reason: `GET authorize -> ${answer.status} to ${shortUrl(back, site)} (code and the same state)`, answer };
    },
    callback: async () => {
      const answer = await browser.get(state.callbackUrl!);
      expect(answer, isRedirect, 'a redirect after signing in');
      const to = answer.location!;
      if (to.origin !== site.origin) throw new StepFailed(`GET callback -> ${answer.status} to ${to.href}, off the site`, answer);
      return { reason: `GET ${shortUrl(state.callbackUrl!, site)} -> ${answer.status} to ${show(to, site)}`, answer };
    },
    'signed-in': async () => {
      const { answer, user, shape } = await meAnswer();
      expect(answer, (a) => a.status === 200 || a.status === 401, '200 with the user');
      if (!shape) throw new StepFailed(`GET ${show(answer.url, site)} -> ${answer.status} but the answer is not JSON with a "user" key`, answer);
      if (answer.status === 401 || !user) {
        throw new StepFailed(`GET ${show(answer.url, site)} -> ${answer.status} {"user": null}: the session did not keep the user after the callback`, answer);
      }
      const missing = USER_FIELDS.filter((field) => !(field in user));
      if (missing.length > 0) throw new StepFailed(`GET ${show(answer.url, site)} -> 200 but the user has no ${missing.join(', ')}`, answer);
      if (user.email !== target.email) {
        throw new StepFailed(`GET ${show(answer.url, site)} -> 200 but the user is ${String(user.email)}, not ${target.email}`, answer);
      }
      if (!csrf.useSessions) state.csrfToken = browser.jar.get(site, csrf.cookieName) ?? undefined;
      return { reason: `GET ${show(answer.url, site)} -> 200 {"user": {"email": "${target.email}", ...}}`, answer };
    },
    'home-logged-in': homeLoggedIn,
    logout: async () => {
      const action = route('workos_logout');
      if (!state.csrfToken) {
        throw new StepFailed(
          csrf.useSessions
            ? 'no CSRF token to send: CSRF_USE_SESSIONS = True keeps it out of cookies, and only pages that render {% csrf_token %} carry it'
            : `no CSRF token to send: GET ${show(route('workos_me'), site)} set no ${csrf.cookieName} cookie`,
        );
      }
      const answer = await browser.post(action, {
        form: { csrfmiddlewaretoken: state.csrfToken },
        headers: { [csrf.header]: state.csrfToken, origin: site.origin, referer: `${site.origin}/` },
      });
      expect(answer, isRedirect, `a redirect to ${emulator.origin}/user_management/sessions/logout`);
      const to = answer.location!;
      if (to.origin !== emulator.origin || to.pathname !== '/user_management/sessions/logout') {
        throw new StepFailed(
          `POST ${show(action, site)} -> ${answer.status} to ${shortUrl(to, site)}, not through WorkOS's logout: the WorkOS session stays open`,
          answer,
        );
      }
      if (!to.searchParams.get('session_id')) throw new StepFailed(`POST ${show(action, site)} -> ${answer.status} to WorkOS's logout without a session_id`, answer);
      state.workosLogoutUrl = to;
      return { reason: `POST ${show(action, site)} (CSRF token) -> ${answer.status} to the emulator's logout`, answer };
    },
    'workos-logout': async () => {
      const answer = await browser.get(state.workosLogoutUrl!);
      if (!isRedirect(answer)) throw new StepFailed(`WorkOS's logout answered ${answer.status}, not a redirect back to the site`, answer);
      const to = answer.location!;
      if (to.origin !== site.origin) throw new StepFailed(`WorkOS's logout -> ${answer.status} to ${to.href}, not back to ${site.origin}`, answer);
      state.afterLogout = to;
      return { reason: `GET WorkOS logout -> ${answer.status} to ${show(to, site)}`, answer };
    },
    'signed-out': async () => {
      const { answer, user, shape } = await meAnswer();
      if (answer.status === 200 && user) {
        throw new StepFailed(`GET ${show(answer.url, site)} -> 200: ${String(user.email)} is still signed in after logout`, answer);
      }
      expect(answer, (a) => a.status === 401, '401 {"user": null}');
      if (!shape || user !== null) throw new StepFailed(`GET ${show(answer.url, site)} -> 401 but the answer is not {"user": null}`, answer);
      return { reason: `GET ${show(answer.url, site)} -> 401 {"user": null}`, answer };
    },
    'home-after-logout': async () => {
      const home = await browser.get(new URL('/', site));
      expect(home, (a) => a.status === 200, '200');
      if (welcomes(home.body, target.email)) throw new StepFailed(`GET / -> 200 but still shows "Welcome, ${target.email}" after logout`, home);
      if (!findLoginLink(home.body, site)) throw new StepFailed('GET / -> 200 after logout but shows no login link', home);
      return { reason: 'GET / -> 200: logged out, login link shown', answer: home };
    },
    'logout-get-refused': async () => {
      const action = route('workos_logout');
      const answer = await browser.get(action);
      if (answer.status !== 405) {
        throw new StepFailed(`GET ${show(action, site)} -> ${answer.status}${answer.location ? ` to ${shortUrl(answer.location, site)}` : ''}; logout must accept POST only (405)`, answer);
      }
      return { reason: `GET ${show(action, site)} -> 405 Method Not Allowed`, answer };
    },
  };

  const steps: FlowStep[] = [];
  let failed = false;
  for (const [id, title] of flowSteps(homeGenerated)) {
    if (failed) {
      steps.push({ id, title, status: 'skip', reason: 'not run: an earlier step failed', httpStatus: null, location: null, durationMs: 0 });
      continue;
    }
    const started = performance.now();
    outputMark = output().length;
    try {
      const result = await run[id]();
      steps.push(stepFrom(id, title, 'pass', result.reason, result.answer, undefined, started));
    } catch (error) {
      failed = true;
      if (error instanceof StepFailed) {
        steps.push(stepFrom(id, title, 'fail', error.reason, error.answer, error.detail, started));
      } else {
        const message = (error as Error).message;
        steps.push(stepFrom(id, title, 'fail', `the request failed: ${message}`, undefined, lastTraceback(newOutput()) ?? undefined, started));
      }
    }
    const step = steps[steps.length - 1]!;
    emitProgress('flow', 'step', { id: step.id, status: step.status, durationMs: step.durationMs });
  }
  return steps;
}

function stepFrom(
  id: string,
  title: string,
  status: StepStatus,
  reason: string,
  answer: HttpAnswer | undefined,
  detail: string | undefined,
  started: number,
): FlowStep {
  return {
    id,
    title,
    status,
    reason,
    httpStatus: answer?.status ?? null,
    location: answer?.location?.href ?? null,
    ...(detail ? { detail } : {}),
    durationMs: Math.round(performance.now() - started),
  };
}
