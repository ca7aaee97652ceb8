/** Agents (helpdesk, school PRONOTE admins, ENT support), their sign-in secrets and their web sessions. */
export interface Agent {
  name: string;
  admin: boolean;
  /** The schools (UAI) the agent may see and fix; 'all' for a regional helpdesk. */
  schools: string[] | 'all';
  hasPassword: boolean;
  /** May sign in through the ENT's CAS server, as the ENT user whose login is this agent's name. */
  cas: boolean;
  createdAt: string;
  disabled: boolean;
}

export type SecretKind = 'sign-in-link' | ReusableSecretKind;
export type ReusableSecretKind = 'api-token' | 'web-session';

export interface AgentStore {
  add(agent: { name: string; admin: boolean; schools: string[] | 'all'; cas?: boolean }): Promise<Agent>;
  get(name: string): Promise<Agent | null>;
  list(): Promise<Agent[]>;
  count(): Promise<number>;
  update(
    name: string,
    changes: { admin?: boolean; schools?: string[] | 'all'; disabled?: boolean; cas?: boolean },
  ): Promise<Agent | null>;
  setPasswordHash(name: string, hash: string): Promise<void>;
  passwordHash(name: string): Promise<string | null>;
  /** Stores the hash of a secret (never the secret itself) with its expiry. */
  addSecret(kind: SecretKind, hash: string, agent: string, expiresAt: string | null): Promise<void>;
  /** The agent a secret belongs to, if it is valid now; one-time secrets are consumed by this call. */
  useSecret(kind: SecretKind, hash: string, now: string): Promise<string | null>;
  /**
   * The agent an API token or a web session belongs to, if it is valid now and the agent not disabled:
   * one read, made on every agent request.
   */
  holderOf(kind: ReusableSecretKind, hash: string, now: string): Promise<Agent | null>;
  revokeSecret(kind: SecretKind, hash: string): Promise<void>;
  /** Revokes every secret of this kind of an agent but the one kept (the session asking, say). */
  revokeOtherSecrets(kind: SecretKind, agent: string, keptHash: string | null): Promise<void>;
  /** Key material that must outlive restarts (cookie signing); created once. */
  setting(key: string, create: () => string): Promise<string>;
}
