import { describe, expect, it } from 'vitest';
import { DEMO_UAI, DEMO_UAI_UNPUBLISHED } from '../../src/pronote/demo-data.js';
import type { Viewer } from '../../src/server/viewer.js';
import { AGENT, createTestApp, type TestApp } from '../helpers/test-app.js';

const OTHER_SCHOOL_AGENT: Viewer = {
  kind: 'agent',
  name: 'agent.autre',
  admin: false,
  schools: [DEMO_UAI_UNPUBLISHED],
};

const put = (api: TestApp, body: unknown) =>
  api.app.request(`/api/schools/${DEMO_UAI}/settings`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

const checked = (text: string) => /value="([\w-]+)"[^>]*checked/.exec(text)?.[1];

describe('the school’s identification mode, described by its agents', () => {
  it('shows the identity mode for a school nobody described, saying the setting does not change PRONOTE', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const page = await api.browser().get(`/reglages/${DEMO_UAI}`);
    expect(page.status).toBe(200);
    expect(checked(page.text)).toBe('identity');
    expect(page.text).toContain('Interconnexion CAS');
    expect(page.text).toMatch(/décrit PRONOTE sans le modifier/);
    expect(page.text).not.toMatch(/(écrit|enregistré|modifié) dans PRONOTE/);
  });

  it('records a change from the page, says PRONOTE was not changed, and undoes it from there', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const browser = api.browser();
    await browser.get(`/reglages/${DEMO_UAI}`);
    const saved = await browser.post(`/reglages/${DEMO_UAI}`, {
      identificationMode: 'pronote-ent-id',
      version: '1',
    });
    expect(saved.status).toBe(303);
    const page = await browser.get(saved.headers.get('Location') ?? '');
    expect(checked(page.text)).toBe('pronote-ent-id');
    expect(page.text).toContain('Rien n’a été modifié dans PRONOTE');
    expect((await api.pronote.getSchoolSettings(DEMO_UAI))?.identificationMode).toBe('pronote-ent-id');

    const [entry] = await api.pronote.listAudit({ uai: DEMO_UAI, limit: 1 });
    expect(entry).toMatchObject({ actor: 'agent.test', action: 'set-identification-mode' });
    const journal = await browser.get('/audit');
    expect(journal.text).toContain('Réglages de l’établissement');
    expect(journal.text).toContain('Avec l’Identifiant PRONOTE-ENT');

    const undone = await browser.post(`/audit/${entry?.id}/annuler`, {
      retour: `/reglages/${DEMO_UAI}?annule=1`,
    });
    expect(undone.status).toBe(303);
    expect(undone.headers.get('Location')).toBe(`/reglages/${DEMO_UAI}?annule=1`);
    expect((await api.pronote.getSchoolSettings(DEMO_UAI))?.identificationMode).toBe('identity');
  });

  it('refuses a change made on a page that another agent’s change made stale, and shows the current mode', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const browser = api.browser();
    await browser.get(`/reglages/${DEMO_UAI}`);
    await api.pronote.setIdentificationMode(DEMO_UAI, 'double-auth', 1, { actor: 'agent.autre' });
    const refused = await browser.post(`/reglages/${DEMO_UAI}`, {
      identificationMode: 'pronote-ent-id',
      version: '1',
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('modifié entre-temps');
    expect(checked(refused.text)).toBe('double-auth');
    expect((await api.pronote.getSchoolSettings(DEMO_UAI))?.identificationMode).toBe('double-auth');
  });

  it('refuses an unknown mode in French, writing nothing', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const browser = api.browser();
    await browser.get(`/reglages/${DEMO_UAI}`);
    const refused = await browser.post(`/reglages/${DEMO_UAI}`, {
      identificationMode: 'magie',
      version: '1',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('choisissez l’un des trois modes');
    expect(await api.pronote.listAudit({ uai: DEMO_UAI, limit: 5 })).toEqual([]);
  });

  it('is out of reach of an agent of another school, and of a person signed out', async () => {
    const other = await createTestApp({ data: true, viewer: OTHER_SCHOOL_AGENT });
    expect((await other.browser().get(`/reglages/${DEMO_UAI}`)).status).toBe(404);
    expect((await put(other, { identificationMode: 'double-auth', version: 1 })).status).toBe(404);
    const index = await other.browser().get('/reglages');
    expect(index.text).toContain(`/reglages/${DEMO_UAI_UNPUBLISHED}`);
    expect(index.text).not.toContain(`/reglages/${DEMO_UAI}"`);
    const anonymous = await createTestApp({ data: true });
    expect((await anonymous.browser().get(`/reglages/${DEMO_UAI}`)).status).toBe(403);
    expect((await other.pronote.getSchoolSettings(DEMO_UAI))?.identificationMode).toBe('identity');
  });

  it('reads and writes the same through the JSON API, with the version', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    expect((await api.json(`/api/schools/${DEMO_UAI}/settings`)).body).toEqual({
      uai: DEMO_UAI,
      identificationMode: 'identity',
      version: 1,
    });
    const done = await put(api, { identificationMode: 'double-auth', version: 1 });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ identificationMode: 'double-auth', version: 2 });
    const stale = await put(api, { identificationMode: 'pronote-ent-id', version: 1 });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ current: { identificationMode: 'double-auth', version: 2 } });
    const bad = await put(api, { identificationMode: 'pronote-ent-id' });
    expect(bad.status).toBe(422);
  });
});
