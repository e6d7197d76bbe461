/**
 * `--seed FILE`: more for WorkOS's emulator to start with than the one test user:
 * organizations, roles, permissions, more users, in the emulator's own seed shape
 * (`createEmulator({ seed })` of workos/emulate, see its index.d.ts). The test user stays
 * first, so the emulator still signs it in when no login_hint names another.
 *
 * One addition: the emulator makes user ids up when it seeds, so a seed file cannot name
 * a member by `user_id`. A membership may name its user by `user_email` instead; those
 * are added through the emulator's API once it runs.
 */
import { readFileSync } from 'node:fs';
import type { EmulatorSeedUser } from './emulator-loader.js';

export interface SeedMembership {
  user_id?: string;
  user_email?: string;
  role?: string;
  status?: 'active' | 'inactive' | 'pending';
}

export interface SeedOrganization {
  name: string;
  memberships?: SeedMembership[];
  [key: string]: unknown;
}

export interface EmulatorSeed {
  users?: EmulatorSeedUser[];
  organizations?: SeedOrganization[];
  roles?: Record<string, unknown>[];
  permissions?: Record<string, unknown>[];
  [key: string]: unknown;
}

/** The keys of the emulator's seed config (workos 0.14.0). */
const SEED_KEYS = new Set(['users', 'organizations', 'connections', 'pipeConnections', 'invitations', 'roles', 'permissions', 'webhookEndpoints']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The seed file, checked for the shape the emulator needs; a message naming what is wrong otherwise. */
export function parseSeed(text: string, where: string): EmulatorSeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(data)) throw new Error(`${where} must hold a JSON object`);
  for (const [key, value] of Object.entries(data)) {
    if (!SEED_KEYS.has(key)) throw new Error(`${where}: unknown key "${key}" (the emulator seeds ${[...SEED_KEYS].join(', ')})`);
    if (!Array.isArray(value) || !value.every(isObject)) throw new Error(`${where}: "${key}" must be a list of objects`);
  }
  const seed = data as EmulatorSeed;
  for (const user of seed.users ?? []) {
    if (typeof user.email !== 'string') throw new Error(`${where}: every user needs an "email"`);
  }
  const names = new Set<string>();
  for (const org of seed.organizations ?? []) {
    if (typeof org.name !== 'string') throw new Error(`${where}: every organization needs a "name"`);
    const byEmail = (org.memberships ?? []).some((m) => isObject(m) && m.user_email !== undefined);
    // Found again by name once the emulator runs.
    if (byEmail && names.has(org.name)) throw new Error(`${where}: organization names must differ when memberships name users by user_email ("${org.name}")`);
    names.add(org.name);
    for (const membership of org.memberships ?? []) {
      if (!isObject(membership) || (typeof membership.user_email !== 'string') === (typeof membership.user_id !== 'string')) {
        throw new Error(`${where}: each membership of "${org.name}" names its user by user_email or user_id (one of them)`);
      }
      // The emulator's API adds a membership active, and can deactivate it; it cannot make one pending.
      if (membership.user_email !== undefined && membership.status === 'pending') throw new Error(`${where}: a membership named by user_email cannot be "pending" (active or inactive)`);
    }
  }
  return seed;
}

export function readSeedFile(path: string): EmulatorSeed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the seed file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseSeed(text, path);
}

export interface PendingMembership {
  organization: string;
  userEmail: string;
  role?: string;
  status?: string;
}

/** The seed for createEmulator (the test user first), and the memberships to add by email afterwards. */
export function splitSeed(seed: EmulatorSeed, testUser: EmulatorSeedUser): { seed: EmulatorSeed; pending: PendingMembership[] } {
  const pending: PendingMembership[] = [];
  const organizations = (seed.organizations ?? []).map((org) => {
    const direct = (org.memberships ?? []).filter((m) => m.user_email === undefined);
    for (const m of org.memberships ?? []) {
      if (m.user_email !== undefined) pending.push({ organization: org.name, userEmail: m.user_email, ...(m.role ? { role: m.role } : {}), ...(m.status ? { status: m.status } : {}) });
    }
    return { ...org, memberships: direct };
  });
  const users = [testUser, ...(seed.users ?? []).filter((user) => user.email !== testUser.email)];
  return { seed: { ...seed, users, ...(seed.organizations ? { organizations } : {}) }, pending };
}

async function api(url: string, apiKey: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const answer = await fetch(new URL(path, url), {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const data: unknown = await answer.json().catch(() => null);
  if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(data)}`);
  return data;
}

/** Adds the memberships named by user_email through the emulator's API (at its own URL, not the relay's). */
export async function addMemberships(url: string, apiKey: string, pending: PendingMembership[]): Promise<void> {
  if (pending.length === 0) return;
  const orgs = (await api(url, apiKey, 'GET', '/organizations?limit=100')) as { data: { id: string; name: string }[] };
  for (const membership of pending) {
    const org = orgs.data.find((o) => o.name === membership.organization);
    if (!org) throw new Error(`seed: organization "${membership.organization}" was not created`);
    const users = (await api(url, apiKey, 'GET', `/user_management/users?email=${encodeURIComponent(membership.userEmail)}`)) as { data: { id: string }[] };
    const user = users.data[0];
    if (!user) throw new Error(`seed: membership of "${membership.organization}" names ${membership.userEmail}, who is not a seeded user`);
    const made = (await api(url, apiKey, 'POST', '/user_management/organization_memberships', {
      organization_id: org.id,
      user_id: user.id,
      ...(membership.role ? { role_slug: membership.role } : {}),
    })) as { id: string };
    if (membership.status === 'inactive') await api(url, apiKey, 'PUT', `/user_management/organization_memberships/${made.id}/deactivate`);
  }
}
