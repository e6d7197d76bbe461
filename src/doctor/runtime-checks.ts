/**
 * The checks the project's own Python answers (python/authkit_django_checks in doctor mode),
 * each with the checks it depends on, and the file and line of the setting involved
 * where discovery knows it better than Python does.
 */
import { findAssignments } from '../python/locate.js';
import { lineOf, parsePython } from '../python/parser.js';
import { readUtf8IfExists } from '../util/files.js';
import type { DoctorContext } from './context.js';
import { atSetting, fromProjectReport } from './project-report.js';
import type { DoctorCheck, Outcome } from './types.js';

const atMiddleware = (outcome: Outcome, ctx: DoctorContext): Outcome => atSetting(outcome, ctx, 'MIDDLEWARE');

function atTemplates(outcome: Outcome, ctx: DoctorContext): Outcome {
  const { file, line } = ctx.model.templates;
  if (outcome.status === 'pass' || !file) return outcome;
  return { ...outcome, file, ...(line ? { line } : {}) };
}

/** The last module-level assignment of `name` in the settings chain, for a finding about that setting. */
function atAssignment(name: string) {
  return (outcome: Outcome, ctx: DoctorContext): Outcome => {
    if (outcome.status === 'pass' || outcome.line || !outcome.message.startsWith(name)) return outcome;
    for (const file of [...ctx.model.settingsFiles].reverse()) {
      const text = readUtf8IfExists(file);
      const found = text === null ? [] : findAssignments(parsePython(text), name);
      if (found.length > 0) return { ...outcome, file, line: lineOf(found[found.length - 1]!.statement) };
    }
    return outcome;
  };
}

/** Django's system check ids that only repeat what a doctor check reports better. */
const DJANGO_ERRORS_EXPLAINED_BY: Record<string, string> = {
  'admin.E410': 'sessions-setup',
};

/** The failing checks that account for every error `manage.py check` lists, or null. */
export function djangoCheckExplainedBy(outcome: Outcome, failing: ReadonlySet<string>): string[] | null {
  const ids = [...(outcome.detail ?? outcome.message).matchAll(/\((\w+\.[EW]\d+)\)/g)].map((m) => m[1]!);
  if (ids.length === 0) return null;
  const explaining = ids.map((id) => DJANGO_ERRORS_EXPLAINED_BY[id]);
  if (explaining.some((check) => !check || !failing.has(check))) return null;
  return [...new Set(explaining as string[])];
}

const SETTINGS = ['python', 'packages', 'settings'];
const VIEWS = [...SETTINGS, 'url-names'];
const REQUESTS = [...VIEWS, 'sessions-setup', 'middleware-order'];
// The generated views answer 503 until both keys are set: that is the keys' failure.
const CONFIGURED_REQUESTS = [...REQUESTS, 'env-file', 'env-loaded', 'api-key', 'client-id'];

// A WorkOS setting the settings do not define at all is one init would add; a wrong value is not.
const undefinedSetting = (outcome: Outcome) => (/ is not defined$/.test(outcome.message) ? 'workos-settings' : null);

export const settingsCheck = fromProjectReport('settings', 'django', ['python', 'packages']);
export const apiKeyCheck = fromProjectReport('api-key', 'django', [...SETTINGS, 'env-file', 'env-loaded'], { repair: undefinedSetting });
export const clientIdCheck = fromProjectReport('client-id', 'django', [...SETTINGS, 'env-file', 'env-loaded'], { repair: undefinedSetting });
/**
 * Django's report, with its first warning in the message too, and an invalid URL pattern
 * (urls.E...) pointed at the urls module.
 */
function djangoFindings(outcome: Outcome, ctx: DoctorContext): Outcome {
  const detail = outcome.detail ?? '';
  let refined = outcome;
  const warning = /^.*\(\w+\.W\d+\).*$/m.exec(detail)?.[0].trim();
  if (outcome.status === 'warn' && warning && !outcome.message.includes(warning)) refined = { ...refined, message: `${outcome.message}: ${warning}` };
  if (/\(urls\.[EW]\d+\)/.test(detail) && !outcome.file && ctx.model.urlsFile) {
    refined = { ...refined, file: ctx.model.urlsFile, fix: 'correct the URL patterns Django names' };
  }
  return refined;
}

export const djangoCheck: DoctorCheck = {
  ...fromProjectReport('django-check', 'django', SETTINGS, { refine: djangoFindings }),
  explainedBy: djangoCheckExplainedBy,
};
export const templateDirsCheck = fromProjectReport('template-dirs', 'django', SETTINGS, { refine: atTemplates });

export const sessionsSetupCheck = fromProjectReport('sessions-setup', 'sessions', SETTINGS, {
  refine: (outcome, ctx) => atSetting(outcome, ctx, /SessionMiddleware is not in/.test(outcome.message) ? 'MIDDLEWARE' : 'INSTALLED_APPS'),
  repair: () => 'sessions',
});
export const middlewareOrderCheck = fromProjectReport('middleware-order', 'sessions', [...SETTINGS, 'sessions-setup'], { refine: atMiddleware });
export const sessionEngineCheck = fromProjectReport('session-engine', 'sessions', SETTINGS);
export const sessionsTableCheck = fromProjectReport('sessions-table', 'sessions', [...SETTINGS, 'sessions-setup'], {
  repair: (outcome) => (/manage\.py migrate$/.test(outcome.fix ?? '') ? 'migrate' : null),
});

export const urlNamesCheck: DoctorCheck = {
  ...fromProjectReport('url-names', 'routes', SETTINGS, {
    repair: (outcome) => (/ not found in ROOT_URLCONF /.test(outcome.message) ? 'url-routes' : null),
  }),
  // A urlconf that does not import fails manage.py check with the same error: say it once.
  explainedBy: (outcome, failing) => (/ does not load: /.test(outcome.message) && failing.has('django-check') ? ['django-check'] : null),
};
export const loginRedirectCheck = fromProjectReport('login-redirect', 'routes', [...CONFIGURED_REQUESTS, 'session-engine']);
export const redirectUriCheck = fromProjectReport('redirect-uri', 'routes', [...VIEWS, 'login-redirect'], {
  refine: atAssignment('WORKOS_REDIRECT_URI'),
});
export const callbackMethodCheck = fromProjectReport('callback-method', 'routes', CONFIGURED_REQUESTS);
export const logoutMethodCheck = fromProjectReport('logout-method', 'routes', CONFIGURED_REQUESTS);

export const callbackStateCheck = fromProjectReport('callback-state', 'code', VIEWS);
export const sessionUserCheck = fromProjectReport('session-user', 'code', VIEWS);
export const sdkCallsCheck = fromProjectReport('sdk-calls', 'code', ['python', 'packages']);
