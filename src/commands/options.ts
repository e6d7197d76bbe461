import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DiscoverOptions, PackageManagerName } from '../discover/model.js';
import type { CommandArgs } from '../main.js';
import { UsageError } from '../util/errors.js';
import type { Io } from '../util/output.js';

export function stringOption(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function discoverOptions(args: CommandArgs, io: Io): DiscoverOptions {
  return {
    project: stringOption(args.values.project),
    settings: stringOption(args.values.settings),
    env: io.env,
  };
}

const MANAGERS: PackageManagerName[] = ['uv', 'poetry', 'pipenv', 'pip'];

export function packageManagerOption(args: CommandArgs): PackageManagerName | undefined {
  const value = stringOption(args.values['package-manager']);
  if (value === undefined) return undefined;
  if (!MANAGERS.includes(value as PackageManagerName)) {
    throw new UsageError(`--package-manager must be one of ${MANAGERS.join(', ')}; got "${value}"`);
  }
  return value as PackageManagerName;
}

/** A credential from its flag or its environment variable, with its prefix checked. */
export function credentialOption(
  args: CommandArgs,
  io: Io,
  flag: 'api-key' | 'client-id',
  variable: string,
  prefix: string,
): string | undefined {
  const fromFlag = stringOption(args.values[flag]);
  const value = fromFlag ?? (io.env[variable] || undefined);
  if (value === undefined) return undefined;
  const source = fromFlag !== undefined ? `--${flag}` : `$${variable}`;
  const trimmed = value.trim();
  if (!trimmed.startsWith(prefix)) {
    throw new UsageError(`${source} does not look like a WorkOS ${flag === 'api-key' ? 'API key' : 'client id'}: it should start with ${prefix}`);
  }
  if (/\s/.test(trimmed)) throw new UsageError(`${source} contains white space`);
  return trimmed;
}

export function redirectUriOption(args: CommandArgs): string | undefined {
  const value = stringOption(args.values['redirect-uri']);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--redirect-uri must be an absolute URL (https://example.com/auth/callback/); got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('--redirect-uri must be an http or https URL');
  return value;
}

export function viewsOption(args: CommandArgs): string | undefined {
  const value = stringOption(args.values.views);
  if (value === undefined) return undefined;
  const dir = resolve(value);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--views ${value}: no such folder`);
  return dir;
}

/** `--token-ttl SECONDS`: a whole number of seconds, 1 or more (absent: the emulator's own hour). */
export function tokenTtlOption(args: CommandArgs): number | undefined {
  const value = stringOption(args.values['token-ttl']);
  if (value === undefined) return undefined;
  const seconds = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1) {
    throw new UsageError(`--token-ttl must be a whole number of seconds, 1 or more; got "${value}"`);
  }
  return seconds;
}
