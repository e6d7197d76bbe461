/**
 * The Python packages the generated code needs, with the versions it works on.
 *
 * workos 5.13.0 is the oldest release whose API the generated views use: 5.12.1 and older
 * have no `return_to` on `get_logout_url` (a TypeError at logout), and 5.9.x does not depend
 * on PyJWT, which the views import as `jwt`. Checked by installing each candidate from PyPI
 * and calling get_authorization_url, authenticate_with_code(code=), get_logout_url(session_id=,
 * return_to=) and get_jwks_url; the suite runs the views on 5.13.0 (.venvs/sdkmin).
 */
export const MIN_WORKOS = '5.13.0';

export interface AuthkitPackage {
  /** The distribution name, as written in requirements. */
  name: string;
  /** The module the generated code imports from it. */
  module: string;
  /** The oldest version that works (X.Y or X.Y.Z). */
  floor: string;
  /** The first major version not tested. */
  belowMajor: number;
}

export const WORKOS: AuthkitPackage = { name: 'workos', module: 'workos', floor: MIN_WORKOS, belowMajor: 11 };
/** The views decode the access token with `jwt` themselves: declared, not left to workos's own dependencies. */
export const PYJWT: AuthkitPackage = { name: 'pyjwt', module: 'jwt', floor: '2.0', belowMajor: 3 };
/** Only where the settings get a `load_dotenv()` from us (not with django-environ, decouple, environs). */
export const DOTENV: AuthkitPackage = { name: 'python-dotenv', module: 'dotenv', floor: '1.0', belowMajor: 2 };

/** Every package, python-dotenv included: what a project with no .env loader of its own needs. */
export const ALL_PACKAGES: readonly AuthkitPackage[] = [WORKOS, PYJWT, DOTENV];

/** `workos>=5.13.0,<11`: the range the generated code is made for. */
export function rangeSpec(pkg: AuthkitPackage): string {
  return `${pkg.name}>=${pkg.floor},<${pkg.belowMajor}`;
}

/** The specs a package manager is asked to install. */
export function installSpecs(packages: readonly AuthkitPackage[]): string[] {
  return packages.map(rangeSpec);
}

/** Package names, for messages: `workos, pyjwt and python-dotenv`. */
export function packageNames(packages: readonly AuthkitPackage[]): string {
  const names = packages.map((p) => p.name);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Kept for callers that list names: workos, pyjwt, python-dotenv. */
export const AUTHKIT_PACKAGES: readonly string[] = ALL_PACKAGES.map((p) => p.name);

/** The modules those packages provide, in the same order: what `checkImports` imports. */
export const AUTHKIT_MODULES: readonly string[] = ALL_PACKAGES.map((p) => p.module);
