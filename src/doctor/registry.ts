/**
 * Every doctor check, in report order: by family, and each after the checks it depends
 * on (the runner relies on that order to hold back findings that only follow from an
 * earlier failure).
 */
import { authkitBackendCheck, authkitMiddlewareCheck } from './authkit-app.js';
import { credentialsCheck } from './credentials.js';
import { jwksCheck } from './jwks.js';
import { envFileCheck } from './env-file.js';
import { envGitignoreCheck } from './env-gitignore.js';
import { envLoadedCheck } from './env-loaded.js';
import { generatedFilesCheck } from './generated-files.js';
import { packagesCheck, pythonCheck } from './python-env.js';
import {
  apiKeyCheck,
  callbackMethodCheck,
  callbackStateCheck,
  clientIdCheck,
  djangoCheck,
  loginRedirectCheck,
  logoutMethodCheck,
  middlewareOrderCheck,
  redirectUriCheck,
  sdkCallsCheck,
  sessionEngineCheck,
  sessionsSetupCheck,
  sessionsTableCheck,
  sessionUserCheck,
  settingsCheck,
  templateDirsCheck,
  urlNamesCheck,
} from './runtime-checks.js';
import { leftoversCheck } from './leftovers.js';
import { secretsInGitCheck } from './secrets-in-git.js';
import type { DoctorCheck } from './types.js';

export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  pythonCheck,
  packagesCheck,
  envFileCheck,
  envLoadedCheck,
  envGitignoreCheck,
  secretsInGitCheck,
  leftoversCheck,
  settingsCheck,
  apiKeyCheck,
  clientIdCheck,
  djangoCheck,
  templateDirsCheck,
  sessionsSetupCheck,
  middlewareOrderCheck,
  authkitMiddlewareCheck,
  authkitBackendCheck,
  sessionEngineCheck,
  sessionsTableCheck,
  urlNamesCheck,
  loginRedirectCheck,
  redirectUriCheck,
  callbackMethodCheck,
  logoutMethodCheck,
  callbackStateCheck,
  sessionUserCheck,
  sdkCallsCheck,
  generatedFilesCheck,
  credentialsCheck,
  jwksCheck,
];
