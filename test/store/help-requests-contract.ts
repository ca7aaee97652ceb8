import { beforeEach, describe, expect, it } from 'vitest';
import type { HelpRequestData, HelpRequests } from '../../src/store/help-requests.js';

/** A fresh, empty store per call. */
export type HelpRequestsFactory = () => Promise<HelpRequests>;

const A = '0130001A';
const B = '0130002B';

const data = (login: string): HelpRequestData => ({
  flow: 'auth-error',
  step: 'auth-error.escalate',
  identity: { login, nom: 'BOSSARD', prenom: 'Hélène', dateNaissance: '2011-02-03' },
  message: 'Je ne peux pas me connecter depuis la rentrée.',
  corrections: 'Date de naissance : 03/02/2011',
  contact: { email: 'parent@example.org' },
});

// Distinct creation instants, so that "newest first" has one answer.
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

/** What every store of end users' requests must do, run against SQLite and PostgreSQL. */
export function helpRequestsContract(name: string, fresh: HelpRequestsFactory): void {
  describe(`help requests contract: ${name}`, () => {
    let requests: HelpRequests;
    beforeEach(async () => {
      requests = await fresh();
    });

    it('keeps a new request as sent, unopened, under an id nobody can guess', async () => {
      const added = await requests.add(A, 'session-1', data('h.bossard'));
      expect(added).toEqual({
        id: expect.stringMatching(/^[\w-]{16}$/),
        reference: expect.stringMatching(/^D-[A-Z2-9]{4}-[A-Z2-9]{4}$/),
        uai: A,
        sessionId: 'session-1',
        createdAt: expect.any(String),
        updatedAt: added.createdAt,
        status: 'nouvelle',
        owner: null,
        answer: null,
        openedBy: null,
        openedSession: null,
        data: data('h.bossard'),
      });
      expect(await requests.get(added.id)).toEqual(added);
      expect((await requests.add(A, 'session-2', data('x'))).id).not.toBe(added.id);
    });

    it('answers null for an unknown request', async () => {
      expect(await requests.get('inconnue')).toBeNull();
    });

    describe('the queue', () => {
      beforeEach(async () => {
        for (const [uai, login] of [
          [A, 'premier'],
          [B, 'deuxieme'],
          [A, 'troisieme'],
          ['0130003C', 'quatrieme'],
        ] as const) {
          await requests.add(uai, `session-${login}`, data(login));
          await tick();
        }
      });
      const logins = (list: { data: HelpRequestData }[]) => list.map((r) => r.data.identity?.login);

      it('shows an agent the requests of their schools only, newest first', async () => {
        expect(logins(await requests.list([A]))).toEqual(['troisieme', 'premier']);
        expect(logins(await requests.list([B, A]))).toEqual(['troisieme', 'deuxieme', 'premier']);
      });

      it('shows every school to a regional helpdesk, and none to an agent without schools', async () => {
        expect(logins(await requests.list('all'))).toEqual(['quatrieme', 'troisieme', 'deuxieme', 'premier']);
        expect(await requests.list([])).toEqual([]);
        expect(await requests.list(['0999999Z'])).toEqual([]);
      });

      it('stops at the limit, keeping the newest', async () => {
        expect(logins(await requests.list('all', 2))).toEqual(['quatrieme', 'troisieme']);
        expect(logins(await requests.list([A], 1))).toEqual(['troisieme']);
      });
    });

    it('records who opened a request and the session they opened', async () => {
      const added = await requests.add(A, 'session-1', data('h.bossard'));
      await requests.markOpened(added.id, 'agent.college', 'session-agent');
      expect(await requests.get(added.id)).toEqual({
        ...added,
        updatedAt: expect.any(String),
        status: 'en-cours',
        owner: 'agent.college',
        openedBy: 'agent.college',
        openedSession: 'session-agent',
      });
      expect((await requests.list([A]))[0]?.status).toBe('en-cours');
    });

    it('finds the request a session already sent, so that it is not sent twice', async () => {
      const added = await requests.add(A, 'session-1', data('h.bossard'));
      expect((await requests.findBySession('session-1'))?.id).toBe(added.id);
      expect(await requests.findBySession('session-2')).toBeNull();
    });

    it('lets an agent take a request, answer it and close it, keeping its owner', async () => {
      const added = await requests.add(A, 'session-1', data('h.bossard'));
      const taken = await requests.update(added.id, { kind: 'take', agent: 'agent.a' });
      expect(taken).toMatchObject({ status: 'en-cours', owner: 'agent.a', answer: null });
      const answered = await requests.update(added.id, {
        kind: 'answer',
        agent: 'agent.b',
        status: 'corrigee',
        answer: 'Date corrigée.',
      });
      expect(answered).toMatchObject({ status: 'corrigee', owner: 'agent.a', answer: 'Date corrigée.' });
      expect(await requests.get(added.id)).toEqual(answered);
      const retaken = await requests.update(added.id, { kind: 'take', agent: 'agent.b' });
      expect(retaken).toMatchObject({ status: 'corrigee', owner: 'agent.b' });
      expect(await requests.update('inconnue', { kind: 'take', agent: 'agent.a' })).toBeNull();
    });
  });
}
