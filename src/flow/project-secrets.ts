/**
 * Secrets the project holds (its .env keys, the shell's WORKOS_API_KEY) registered with
 * the output streams, so nothing `dev` or `verify` prints (Django's log, a traceback,
 * a page's text in a failure) can show them. The emulator's own test key is added too.
 */
import type { ProjectModel } from '../discover/model.js';
import { parseDotenv } from '../integrate/dotenv-file.js';
import { readUtf8IfExists } from '../util/files.js';
import { registerSecret, secretsFromEnv } from '../util/secrets.js';

const SECRET_NAME = /KEY|SECRET|PASSWORD|PASSWD|TOKEN/i;

export function registerProjectSecrets(model: Pick<ProjectModel, 'env'>, env: NodeJS.ProcessEnv, extra: string[] = []): void {
  const text = readUtf8IfExists(model.env.file);
  if (text !== null) {
    for (const entry of parseDotenv(text).values()) if (SECRET_NAME.test(entry.key)) registerSecret(entry.value);
  }
  for (const value of secretsFromEnv(env)) registerSecret(value);
  for (const value of extra) registerSecret(value);
}
