/**
 * `env-file`: the two WorkOS keys reach the project, from .env or the environment, with
 * the prefixes WorkOS gives them. Values are never shown: a key is named by its prefix.
 */
import { CREDENTIALS } from '../integrate/dotenv-file.js';
import { maskApiKey } from '../util/secrets.js';
import type { DoctorCheck } from './types.js';

/** What may be shown of a value: a client id is no secret, an API key only by its prefix. */
function shown(key: string, value: string): string {
  return key === 'WORKOS_API_KEY' || value.startsWith('sk_') ? maskApiKey(value) : JSON.stringify(value.slice(0, 40));
}

function looksLike(prefix: string, value: string): string {
  if (prefix === 'sk_' && value.startsWith('client_')) return ' (it looks like the client id)';
  if (prefix === 'client_' && value.startsWith('sk_')) return ' (it looks like the API key)';
  return '';
}

export const envFileCheck: DoctorCheck = {
  id: 'env-file',
  family: 'env',
  run: async (ctx) => {
    const { env } = ctx.model;
    const file = ctx.display(env.file);
    const entries = ctx.dotenv();
    const problems: string[] = [];
    let line: number | undefined;
    const sources: string[] = [];
    for (const cred of CREDENTIALS) {
      const entry = entries?.get(cred.key);
      const fromEnvironment = ctx.env[cred.key];
      // The environment wins over .env: python-dotenv does not override it.
      const value = fromEnvironment || entry?.value || '';
      const where = fromEnvironment ? 'the environment' : entry ? `${file}:${entry.line + 1}` : null;
      if (!value) {
        problems.push(entry ? `${cred.key} is empty in ${file}:${entry.line + 1}` : `${cred.key} is missing`);
        line ??= entry ? entry.line + 1 : undefined;
        continue;
      }
      if (!value.trim().startsWith(cred.prefix)) {
        problems.push(`${cred.key} in ${where} does not start with ${cred.prefix}${looksLike(cred.prefix, value)}: it is ${shown(cred.key, value)}`);
        if (!fromEnvironment && entry) line ??= entry.line + 1;
        continue;
      }
      sources.push(`${cred.key} ${fromEnvironment ? 'from the environment' : `in ${file}`}`);
    }
    if (problems.length === 0) {
      return { status: 'pass', message: `${sources.join(', ')}, with the right prefixes` };
    }
    const missingFile = !env.exists;
    return {
      status: 'fail',
      message:
        (missingFile ? `there is no .env file (looked for ${file}, next to manage.py, and above it); ` : '') +
        `${problems.join('; ')}`,
      ...(env.exists ? { file: env.file } : {}),
      ...(line ? { line } : {}),
      fix:
        `put WORKOS_API_KEY=sk_... and WORKOS_CLIENT_ID=client_... (WorkOS dashboard, API Keys) in ${file}; ` +
        'doctor never writes key values (authkit-django init --api-key ... --client-id ... does)',
    };
  },
};
