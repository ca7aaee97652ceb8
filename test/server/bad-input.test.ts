import { describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const NO_STACK = /at .+\(.+:\d+:\d+\)|node_modules|Error:/;

async function startAt(api: TestApp, flow?: string) {
  const { body } = await api.json('/api/sessions', flow ? { flow } : {});
  return body.id as string;
}

describe('bad input', () => {
  describe('an unknown session', () => {
    it('is a 404 page in French, for a well-formed and a malformed id', async () => {
      const { app } = await createTestApp();
      for (const path of ['/s/AAAAAAAAAAAAAAAAAAAAAA', '/s/nimporte-quoi', '/s/AAAAAAAAAAAAAAAAAAAAAA/3']) {
        const res = await app.request(path);
        expect(res.status).toBe(404);
        const html = await res.text();
        expect(html).toContain('Cette session est introuvable');
        expect(html).not.toMatch(NO_STACK);
      }
    });

    it('is a 404 JSON error in the API', async () => {
      const api = await createTestApp();
      const res = await api.json('/api/sessions/AAAAAAAAAAAAAAAAAAAAAA');
      expect(res.status).toBe(404);
      expect(res.body.error).toContain('introuvable');
    });

    it('an unknown page is a 404 page', async () => {
      const res = await (await createTestApp()).app.request('/nulle-part');
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('Page introuvable');
    });
  });

  describe('events', () => {
    it('an unknown event type is a 422 with a French message', async () => {
      const api = await createTestApp();
      const id = await startAt(api);
      const res = await api.json(`/api/sessions/${id}/events`, { type: 'HACK_THE_PLANET' });
      expect(res.status).toBe(422);
      expect(res.body.error).toContain('Réponse inconnue');
    });

    it('an event this step does not accept is a 422 and the session does not move', async () => {
      const api = await createTestApp();
      const id = await startAt(api);
      const res = await api.json(`/api/sessions/${id}/events`, { type: 'GRANT_ACCESS' });
      expect(res.status).toBe(422);
      expect(res.body.error).toContain('pas possible à cette étape');
      expect((await api.json(`/api/sessions/${id}`)).body.step).toBe('triage.start');
    });

    it('a field that fails validation names the field, in French', async () => {
      const api = await createTestApp();
      const id = await startAt(api, 'auth-error');
      const res = await api.json(`/api/sessions/${id}/events`, {
        type: 'SUBMIT_IDENTITY',
        nom: 'X',
        prenom: 'Y',
        dateNaissance: '31/02/2010',
      });
      expect(res.status).toBe(422);
      expect((res.body.fields as Record<string, string>).dateNaissance).toContain('31/02/2010');
    });

    it('an invisible control character pasted into a field is refused by name; a line break is not', async () => {
      const api = await createTestApp();
      const id = await startAt(api, 'auth-error');
      const res = await api.json(`/api/sessions/${id}/events`, {
        type: 'SUBMIT_IDENTITY',
        nom: 'DU\u0000PONT',
        prenom: 'Anne',
      });
      expect(res.status).toBe(422);
      expect((res.body.fields as Record<string, string>).nom).toContain('caractère invisible');
      const triage = await startAt(api);
      const described = await api.json(`/api/sessions/${triage}/events`, {
        type: 'DESCRIBE_MESSAGE',
        message: 'Identification impossible\nDonnées connues :\tDUPONT Anne',
      });
      expect(described.status).toBe(200);
    });

    it('malformed JSON, a JSON array and a missing type are 422', async () => {
      const api = await createTestApp();
      const id = await startAt(api);
      for (const body of ['{"type":', '[1,2]', '{}', '"ANSWER_YES"']) {
        const res = await api.app.request(`/api/sessions/${id}/events`, {
          method: 'POST',
          body,
          headers: { 'Content-Type': 'application/json' },
        });
        expect(res.status, body).toBe(422);
        expect(await res.text()).not.toMatch(NO_STACK);
      }
    });

    it('a wrong field in a form re-renders the form with its error and what was typed', async () => {
      const api = await createTestApp();
      const id = await startAt(api, 'auth-error');
      const browser = api.browser();
      await browser.get(`/s/${id}`);
      const res = await browser.post(`/s/${id}/events`, {
        at: '1',
        type: 'SUBMIT_IDENTITY',
        nom: 'Dupont',
        prenom: 'Léa',
        dateNaissance: '99/99/2010',
      });
      expect(res.status).toBe(422);
      const html = res.text;
      expect(html).toContain('99/99/2010');
      expect(html).toContain('value="Dupont"');
      expect(html).toContain('aria-invalid="true"');
    });

    it('an oversized body is a 413', async () => {
      const api = await createTestApp();
      const id = await startAt(api);
      const message = 'x'.repeat(200_000);
      const res = await api.app.request(`/api/sessions/${id}/events`, {
        method: 'POST',
        body: JSON.stringify({ type: 'DESCRIBE_MESSAGE', message }),
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(message.length + 40) },
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: string }).error).toContain('taille');
    });

    it('an unknown flow to start is a 422', async () => {
      const res = await (await createTestApp()).json('/api/sessions', { flow: 'nope' });
      expect(res.status).toBe(422);
      expect(res.body.error).toBeTruthy();
    });

    it('a bad step number is a 422 or a 404, never a 500', async () => {
      const api = await createTestApp();
      const id = await startAt(api);
      expect((await api.app.request(`/s/${id}/abc`)).status).toBe(422);
      expect((await api.app.request(`/s/${id}/99`)).status).toBe(404);
    });
  });
});
