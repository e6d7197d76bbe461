/**
 * Organizations as WorkOS enforces them, where WorkOS's emulator (workos 0.14.0) does not.
 *
 * Membership: the emulator's refresh_token grant takes any `organization_id` (it looks up
 * only the refresh token), so a session can be switched into an organization its user is
 * not a member of. WorkOS refuses that refresh. The relay checks the membership through
 * the emulator's own API (`GET /user_management/organization_memberships`) and answers
 * such a refresh with a 400 `invalid_grant` in the emulator's error shape, without
 * forwarding it (the refresh token stays unspent, as a refused grant leaves it).
 * WorkOS does not document the exact body of this refusal; what a site relies on is that
 * it is a 4xx refusal and not a failure. The relay knows a refresh token's user from the
 * authenticate answer that handed it out; a token it did not see passes unchecked.
 *
 * Organization selection (switch `POST /__authkit/organization-selection?required=1|0`):
 * WorkOS answers a code exchange with `403 organization_selection_required` when the user
 * must pick one of several organizations. The emulator never does: nothing in it creates
 * the pending authentication token its `organization-selection` grant reads (its store is
 * not reachable from outside). So the relay simulates WorkOS's half: it makes the real
 * code exchange with the emulator, keeps the tokens, and answers WorkOS's documented 403
 * `{code, message, pending_authentication_token, user, organizations: [{id, name}]}`
 * with a token of its own. The `organization-selection` grant with that token is then
 * carried out by the emulator as a refresh with `organization_id` (a real session in
 * that organization, with its role and permissions); an organization not offered is
 * refused with 400, as WorkOS would. A token works once.
 */
import { randomBytes } from 'node:crypto';
import { grantFields } from './session-revocation.js';

export const ORGANIZATION_SELECTION_GRANT = 'urn:workos:oauth:grant-type:organization-selection';

export interface RelayAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface Organization {
  id: string;
  name: string;
}

export interface EmulatorApi {
  /** A GET on the emulator itself (not through the relay: not counted), JSON or null on error. */
  get(path: string): Promise<unknown>;
}

export interface RelayOrganizations {
  /** After an authenticate answer: remember whose its refresh token is. */
  learn(answer: Record<string, unknown>): void;
  /** For a refresh with an organization its user is not a member of: the refusal; else null. */
  membershipRefusal(requestBody: Buffer): Promise<RelayAnswer | null>;
  /** The user's active organizations (id and name). */
  organizationsOf(userId: string): Promise<Organization[]>;
  /** The 403 WorkOS would answer instead of this successful code exchange. */
  selectionRequired(answer: Record<string, unknown>, organizations: Organization[]): RelayAnswer;
  /**
   * For an organization-selection grant naming a relay token: the request body to forward
   * instead (a refresh_token grant), or a refusal; null when the token is not the relay's.
   */
  selection(requestBody: Buffer): { forward: Buffer } | { refusal: RelayAnswer } | null;
}

const PENDING_PREFIX = 'pending_auth_relay_';

function refusal(status: number, code: string, message: string): RelayAnswer {
  // The emulator's error shape ({message, code}) plus OAuth's fields, which both SDK lines read.
  return { status, body: { message, code, error: code, error_description: message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function listData(value: unknown): Record<string, unknown>[] {
  return isRecord(value) && Array.isArray(value.data) ? value.data.filter(isRecord) : [];
}

export function createRelayOrganizations(api: EmulatorApi): RelayOrganizations {
  /** Refresh token -> user id. */
  const userOf = new Map<string, string>();
  /** Relay pending token -> the tokens of the code exchange it stands for. */
  const pending = new Map<string, { refreshToken: string; organizations: Set<string> }>();

  const isMember = async (userId: string, organizationId: string): Promise<boolean> => {
    const query = new URLSearchParams({ user_id: userId, organization_id: organizationId, limit: '100' });
    const memberships = listData(await api.get(`/user_management/organization_memberships?${query}`));
    return memberships.some((m) => m.status === 'active');
  };

  return {
    learn(answer) {
      const user = answer.user;
      if (typeof answer.refresh_token === 'string' && isRecord(user) && typeof user.id === 'string') userOf.set(answer.refresh_token, user.id);
    },
    async membershipRefusal(requestBody) {
      const fields = grantFields(requestBody);
      if (fields.grant_type !== 'refresh_token' || !fields.refresh_token || !fields.organization_id) return null;
      const userId = userOf.get(fields.refresh_token);
      if (userId === undefined || (await isMember(userId, fields.organization_id))) return null;
      return refusal(400, 'invalid_grant', 'The user is not a member of this organization');
    },
    async organizationsOf(userId) {
      const query = new URLSearchParams({ user_id: userId, limit: '100' });
      const memberships = listData(await api.get(`/user_management/organization_memberships?${query}`)).filter((m) => m.status === 'active');
      const organizations: Organization[] = [];
      for (const membership of memberships) {
        if (typeof membership.organization_id !== 'string') continue;
        const org = await api.get(`/organizations/${encodeURIComponent(membership.organization_id)}`);
        organizations.push({ id: membership.organization_id, name: isRecord(org) && typeof org.name === 'string' ? org.name : membership.organization_id });
      }
      return organizations;
    },
    selectionRequired(answer, organizations) {
      const token = `${PENDING_PREFIX}${randomBytes(16).toString('hex')}`;
      pending.set(token, { refreshToken: String(answer.refresh_token), organizations: new Set(organizations.map((o) => o.id)) });
      return {
        status: 403,
        body: {
          code: 'organization_selection_required',
          message: 'The user must choose an organization to sign in to.',
          pending_authentication_token: token,
          user: answer.user,
          organizations,
        },
      };
    },
    selection(requestBody) {
      const fields = grantFields(requestBody);
      const token = fields.pending_authentication_token;
      if (fields.grant_type !== ORGANIZATION_SELECTION_GRANT || !token?.startsWith(PENDING_PREFIX)) return null;
      const held = pending.get(token);
      if (held === undefined) return { refusal: refusal(400, 'invalid_pending_authentication_token', 'Invalid pending authentication token') };
      if (!fields.organization_id || !held.organizations.has(fields.organization_id)) {
        return { refusal: refusal(400, 'invalid_request', 'The organization is not one the user may sign in to') };
      }
      pending.delete(token);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(requestBody.toString('utf8')) as Record<string, unknown>;
      } catch {
        body = { ...fields };
      }
      delete body.pending_authentication_token;
      return { forward: Buffer.from(JSON.stringify({ ...body, grant_type: 'refresh_token', refresh_token: held.refreshToken, organization_id: fields.organization_id }), 'utf8') };
    },
  };
}
