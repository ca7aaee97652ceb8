import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentStore } from '../../src/store/agent-port.js';

/**
 * A new empty database per call; the function it answers opens one more store on that database, as
 * another instance of the server would.
 */
export type AgentStoreFactory = () => Promise<() => Promise<AgentStore>>;

const NOW = '2025-03-10T08:00:00.000Z';
const LATER = '2025-03-10T09:00:00.000Z';
const EARLIER = '2025-03-10T07:00:00.000Z';

/** What every agent store must do, run against SQLite and PostgreSQL. */
export function agentStoreContract(name: string, fresh: AgentStoreFactory): void {
  describe(`agent store contract: ${name}`, () => {
    let open: () => Promise<AgentStore>;
    let agents: AgentStore;
    beforeEach(async () => {
      open = await fresh();
      agents = await open();
      await agents.add({
        name: 'agent.college',
        admin: false,
        schools: ['0130002B', '0130001A', '0130002B'],
      });
    });

    describe('agents', () => {
      it('keeps an agent’s rights: schools once each and sorted, no password, no CAS by default', async () => {
        const agent = await agents.get('agent.college');
        expect(agent).toEqual({
          name: 'agent.college',
          admin: false,
          schools: ['0130001A', '0130002B'],
          hasPassword: false,
          cas: false,
          createdAt: expect.any(String),
          disabled: false,
        });
        expect(Date.parse(agent?.createdAt ?? '')).not.toBeNaN();
      });

      it('lists agents by name and counts them', async () => {
        await agents.add({ name: 'admin', admin: true, schools: 'all', cas: true });
        expect((await agents.list()).map((a) => [a.name, a.schools, a.admin, a.cas])).toEqual([
          ['admin', 'all', true, true],
          ['agent.college', ['0130001A', '0130002B'], false, false],
        ]);
        expect(await agents.count()).toBe(2);
      });

      it('refuses a second agent with the same name', async () => {
        await expect(agents.add({ name: 'agent.college', admin: true, schools: 'all' })).rejects.toThrow();
        expect((await agents.get('agent.college'))?.admin).toBe(false);
      });

      it('answers null for an unknown agent', async () => {
        expect(await agents.get('personne')).toBeNull();
        expect(await agents.update('personne', { admin: true })).toBeNull();
        expect(await agents.passwordHash('personne')).toBeNull();
      });

      it('changes only what is asked', async () => {
        expect(await agents.update('agent.college', { schools: 'all', cas: true })).toMatchObject({
          admin: false,
          schools: 'all',
          cas: true,
          disabled: false,
        });
        expect(await agents.update('agent.college', { admin: true })).toMatchObject({
          admin: true,
          schools: 'all',
        });
      });

      it('keeps the hash of a password, and says the agent has one', async () => {
        await agents.setPasswordHash('agent.college', 'scrypt$sel$empreinte');
        expect(await agents.passwordHash('agent.college')).toBe('scrypt$sel$empreinte');
        expect((await agents.get('agent.college'))?.hasPassword).toBe(true);
      });
    });

    describe('a sign-in link', () => {
      beforeEach(async () => {
        await agents.addSecret('sign-in-link', 'hash-lien', 'agent.college', LATER);
      });

      it('signs in once, then no longer works', async () => {
        expect(await agents.useSecret('sign-in-link', 'hash-lien', NOW)).toBe('agent.college');
        expect(await agents.useSecret('sign-in-link', 'hash-lien', NOW)).toBeNull();
      });

      it('signs in once when used twice at the same moment, even on two instances', async () => {
        const other = await open();
        const used = await Promise.all([
          agents.useSecret('sign-in-link', 'hash-lien', NOW),
          other.useSecret('sign-in-link', 'hash-lien', NOW),
          agents.useSecret('sign-in-link', 'hash-lien', NOW),
          other.useSecret('sign-in-link', 'hash-lien', NOW),
        ]);
        expect(used.filter((name) => name !== null)).toEqual(['agent.college']);
      });

      it('is refused once expired, from its expiry on', async () => {
        expect(await agents.useSecret('sign-in-link', 'hash-lien', LATER)).toBeNull();
        expect(await agents.useSecret('sign-in-link', 'hash-lien', '2025-03-11T00:00:00.000Z')).toBeNull();
      });

      it('is only a sign-in link: the same hash opens nothing else', async () => {
        expect(await agents.useSecret('api-token', 'hash-lien', NOW)).toBeNull();
        expect(await agents.useSecret('web-session', 'hash-lien', NOW)).toBeNull();
        expect(await agents.useSecret('sign-in-link', 'hash-lien', NOW)).toBe('agent.college');
      });

      it('signs nobody in for a disabled agent', async () => {
        await agents.update('agent.college', { disabled: true });
        expect(await agents.useSecret('sign-in-link', 'hash-lien', NOW)).toBeNull();
      });
    });

    describe('API tokens and web sessions', () => {
      it('work as often as needed until revoked', async () => {
        await agents.addSecret('api-token', 'hash-jeton', 'agent.college', null);
        expect(await agents.useSecret('api-token', 'hash-jeton', NOW)).toBe('agent.college');
        expect(await agents.useSecret('api-token', 'hash-jeton', NOW)).toBe('agent.college');
        await agents.revokeSecret('api-token', 'hash-jeton');
        expect(await agents.useSecret('api-token', 'hash-jeton', NOW)).toBeNull();
      });

      it('can all be revoked for one agent but the one kept', async () => {
        await agents.add({ name: 'agent.autre', admin: false, schools: 'all' });
        await agents.addSecret('web-session', 'ici', 'agent.college', LATER);
        await agents.addSecret('web-session', 'ailleurs', 'agent.college', LATER);
        await agents.addSecret('web-session', 'autre', 'agent.autre', LATER);
        await agents.addSecret('api-token', 'jeton', 'agent.college', null);
        await agents.revokeOtherSecrets('web-session', 'agent.college', 'ici');
        expect(await agents.useSecret('web-session', 'ici', NOW)).toBe('agent.college');
        expect(await agents.useSecret('web-session', 'ailleurs', NOW)).toBeNull();
        expect(await agents.useSecret('web-session', 'autre', NOW)).toBe('agent.autre');
        expect(await agents.useSecret('api-token', 'jeton', NOW)).toBe('agent.college');
      });

      it('are refused once expired', async () => {
        await agents.addSecret('web-session', 'hash-session', 'agent.college', NOW);
        expect(await agents.useSecret('web-session', 'hash-session', EARLIER)).toBe('agent.college');
        expect(await agents.useSecret('web-session', 'hash-session', NOW)).toBeNull();
      });

      it('are refused to a disabled agent, and stay refused once enabled again', async () => {
        await agents.addSecret('api-token', 'hash-jeton', 'agent.college', null);
        await agents.addSecret('web-session', 'hash-session', 'agent.college', LATER);
        expect(await agents.update('agent.college', { disabled: true })).toMatchObject({ disabled: true });
        expect(await agents.useSecret('api-token', 'hash-jeton', NOW)).toBeNull();
        await agents.update('agent.college', { disabled: false });
        expect(await agents.useSecret('api-token', 'hash-jeton', NOW)).toBeNull();
        expect(await agents.useSecret('web-session', 'hash-session', NOW)).toBeNull();
      });

      it('name their holder with the rights the agent has at that moment, until revoked or expired', async () => {
        await agents.addSecret('api-token', 'hash-jeton', 'agent.college', null);
        await agents.addSecret('web-session', 'hash-session', 'agent.college', NOW);
        expect(await agents.holderOf('api-token', 'hash-jeton', NOW)).toMatchObject({
          name: 'agent.college',
          admin: false,
          schools: ['0130001A', '0130002B'],
        });
        await (await open()).update('agent.college', { admin: true, schools: 'all' });
        expect(await agents.holderOf('api-token', 'hash-jeton', NOW)).toMatchObject({
          admin: true,
          schools: 'all',
        });
        expect(await agents.holderOf('web-session', 'hash-jeton', NOW)).toBeNull();
        expect(await agents.holderOf('web-session', 'hash-session', EARLIER)).toMatchObject({
          name: 'agent.college',
        });
        expect(await agents.holderOf('web-session', 'hash-session', NOW)).toBeNull();
        await (await open()).revokeSecret('api-token', 'hash-jeton');
        expect(await agents.holderOf('api-token', 'hash-jeton', NOW)).toBeNull();
      });

      it('name no holder once the agent is disabled', async () => {
        await agents.addSecret('api-token', 'hash-jeton', 'agent.college', null);
        await agents.update('agent.college', { disabled: true });
        expect(await agents.holderOf('api-token', 'hash-jeton', NOW)).toBeNull();
      });

      it('are seen by every instance', async () => {
        await agents.addSecret('web-session', 'hash-session', 'agent.college', LATER);
        expect(await (await open()).useSecret('web-session', 'hash-session', NOW)).toBe('agent.college');
      });
    });

    describe('settings', () => {
      it('are created once and then kept', async () => {
        expect(await agents.setting('cookie-secret', () => 'premier')).toBe('premier');
        expect(await agents.setting('cookie-secret', () => 'second')).toBe('premier');
        expect(await agents.setting('csrf-secret', () => 'autre')).toBe('autre');
      });

      it('are the same for instances starting together', async () => {
        const instances = [agents, await open(), await open()];
        const values = await Promise.all(
          instances.map((a, i) => a.setting('cookie-secret', () => `valeur-${i}`)),
        );
        expect(new Set(values).size).toBe(1);
        expect(await agents.setting('cookie-secret', () => 'encore')).toBe(values[0]);
      });
    });
  });
}
