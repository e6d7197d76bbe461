/**
 * Authentication the project already has, so AuthKit can be added beside it without
 * breaking it: third-party auth apps (by app label, backend or middleware), a custom
 * AUTH_USER_MODEL, Django's own auth URLs, and an AuthKit setup from an earlier run.
 */
import type { ExistingAuth } from './model.js';
import type { SettingsChain } from './settings-chain.js';
import type { UrlInclude } from './urlconf.js';

/** Dotted-path prefixes that give each package away, in INSTALLED_APPS, MIDDLEWARE or backends. */
const PACKAGES: { kind: string; prefixes: string[] }[] = [
  { kind: 'django-allauth', prefixes: ['allauth'] },
  { kind: 'social-auth-app-django', prefixes: ['social_django'] },
  { kind: 'python-social-auth', prefixes: ['social.apps.django_app', 'social.backends'] },
  { kind: 'mozilla-django-oidc', prefixes: ['mozilla_django_oidc'] },
  { kind: 'django-oauth-toolkit', prefixes: ['oauth2_provider'] },
];

/** URL modules whose inclusion means login pages already exist. */
const AUTH_URL_MODULES: Record<string, string> = {
  'django.contrib.auth.urls': 'django.contrib.auth.urls',
  'allauth.urls': 'django-allauth',
  'social_django.urls': 'social-auth-app-django',
  'mozilla_django_oidc.urls': 'mozilla-django-oidc',
  'oauth2_provider.urls': 'django-oauth-toolkit',
};

export interface AuthInputs {
  chain: SettingsChain | null;
  installedApps: string[];
  middleware: string[];
  urlIncludes: UrlInclude[];
}

export function findExistingAuth(inputs: AuthInputs): ExistingAuth[] {
  const found: ExistingAuth[] = [];
  const add = (entry: ExistingAuth): void => {
    if (!found.some((f) => f.kind === entry.kind)) found.push(entry);
  };
  const ns = inputs.chain?.namespace;
  const settingPlace = (name: string): { file?: string; line?: number } => {
    const b = ns?.get(name);
    return b ? { file: b.file, line: b.line } : {};
  };
  const backends = ns?.get('AUTHENTICATION_BACKENDS')?.value;
  const backendList = backends?.kind === 'seq' ? backends.items : [];
  const lists: [string, string[]][] = [
    ['INSTALLED_APPS', inputs.installedApps],
    ['MIDDLEWARE', inputs.middleware],
    ['AUTHENTICATION_BACKENDS', backendList],
  ];
  for (const [setting, entries] of lists) {
    for (const entry of entries) {
      const pkg = PACKAGES.find((p) => p.prefixes.some((prefix) => entry === prefix || entry.startsWith(`${prefix}.`)));
      if (pkg) add({ kind: pkg.kind, evidence: `${setting} has '${entry}'`, ...settingPlace(setting) });
    }
  }
  const userModel = ns?.get('AUTH_USER_MODEL');
  if (userModel) {
    const value = userModel.value.kind === 'str' ? `'${userModel.value.value}'` : 'a computed value';
    add({ kind: 'AUTH_USER_MODEL', evidence: `AUTH_USER_MODEL = ${value}`, file: userModel.file, line: userModel.line });
  }
  for (const include of inputs.urlIncludes) {
    const kind = AUTH_URL_MODULES[include.module];
    if (kind) add({ kind, evidence: `include('${include.module}')`, file: include.file, line: include.line });
  }
  for (const name of ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID']) {
    const b = ns?.get(name);
    if (b) add({ kind: 'workos', evidence: `settings define ${name}`, file: b.file, line: b.line });
  }
  return found;
}
