import { afterEach, describe, expect, it } from 'vitest';
import { importSchool } from '../../src/formats/school-import.js';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import type { PronoteAccount } from '../../src/pronote/model.js';
import { fr } from '../helpers/french.js';
import { AGENT, createTestApp, type TestApp } from '../helpers/test-app.js';

const UAI = DEMO_CASES.uai;
const PROFILE_FILES = ['eleve', 'responsable', 'professeur', 'personnel'] as const;

type Edit = (a: PronoteAccount) => PronoteAccount;

interface CorrectionJson {
  id: string;
  kind: string;
  state: string;
  seen: unknown;
}

const correctionsOf = async (api: TestApp, query = '') =>
  (await api.json(`/api/corrections/${UAI}${query}`)).body.corrections as CorrectionJson[];

/**
 * The school's PRONOTE lists as the client exports them (« Copier la liste »), one per profile, from the
 * assistant's copy with `edit` applied: PRONOTE as it would be after someone acted in it, or not.
 */
async function exportsOf(api: TestApp, edit: Edit = (a) => a) {
  const all = (await api.pronote.listAccounts(UAI)).map(edit);
  const date = (iso: string | null) => (iso ? iso.split('-').reverse().join('/') : '');
  const files = await Promise.all(
    PROFILE_FILES.map(async (profile) => {
      const rows = await Promise.all(
        all
          .filter((a) => a.profile === profile)
          .map(async (a) => {
            const children = (await api.pronote.elevesOf(UAI, a.id)).map((e) => `${e.nom} ${e.prenom}`);
            const espace = a.espaceParents === null ? '' : a.espaceParents ? 'Oui' : 'Non';
            return [
              a.nom,
              a.prenom,
              date(a.dateNaissance),
              a.casId ?? '',
              a.pronoteEntId ?? '',
              espace,
              children.join(', '),
            ]
              .map((cell) => `"${cell}"`)
              .join(';');
          }),
      );
      const header = 'Nom;Prénom;Né(e) le;Identifiant CAS;Identifiant PRONOTE-ENT;Esp. par.;Élèves';
      return { path: `${profile}.csv`, bytes: Buffer.from([header, ...rows].join('\r\n'), 'utf8'), profile };
    }),
  );
  return files.filter((f) => f.bytes.toString().includes('\r\n'));
}

const reimport = async (api: TestApp, edit?: Edit) =>
  importSchool(
    { pronote: api.pronote, ent: api.ent },
    { uai: UAI, pronote: await exportsOf(api, edit), replace: true, force: true },
  );

// Each test's app holds a pool of PostgreSQL connections: released after the test, not after the file,
// or a dozen tests exhaust the server's max_connections.
const opened: TestApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((api) => api.stores.close()));
});

/** The demo school loaded from its exports, as a school's data always is: ids are those the import gives. */
async function importedSchool() {
  const api = await createTestApp({ data: true, viewer: AGENT });
  opened.push(api);
  await reimport(api);
  return api;
}

async function session(api: TestApp, flow: string, uai: string = UAI) {
  const { body } = await api.json('/api/sessions', { flow, uai });
  const id = body.id as string;
  return { id, send: (event: Record<string, unknown>) => api.json(`/api/sessions/${id}/events`, event) };
}

const find = async (api: TestApp, nom: string, prenom: string) =>
  (await api.pronote.listAccounts(UAI)).find((a) => a.nom === nom && a.prenom === prenom) as PronoteAccount;

/** What each fix kind does on the demo school, and what PRONOTE shows once it is done there. */
const KINDS = [
  {
    kind: 'identity',
    async fix(api: TestApp) {
      const s = await session(api, 'auth-error');
      await s.send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.dateSwapped.login });
      return s.send({ type: 'FIX_IDENTITY' });
    },
  },
  {
    kind: 'cas-id',
    async fix(api: TestApp) {
      const s = await session(api, 'auth-error');
      await s.send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.usageName.login });
      return s.send({ type: 'FIX_CAS_ID' });
    },
  },
  {
    kind: 'clear-cas-id',
    async fix(api: TestApp) {
      const s = await session(api, 'changed-account');
      const found = await s.send({ type: 'SEARCH', query: DEMO_CASES.changedLogin[0].oldLogin });
      const accountIds = (found.body.view.results.accounts as Array<{ id: string }>).map((a) => a.id);
      await s.send({ type: 'SELECT_ACCOUNTS', accountIds });
      return s.send({ type: 'CLEAR_CAS_ID' });
    },
  },
  {
    kind: 'espace-parents',
    async fix(api: TestApp) {
      const s = await session(api, 'single-parent');
      await s.send({ type: 'SEARCH', query: 'Bossard' });
      const robert = await find(api, 'BOSSARD', 'Robert');
      await s.send({ type: 'SELECT_ACCOUNT', accountId: robert.id });
      return s.send({ type: 'GRANT_ACCESS' });
    },
  },
] as const;

/** The copy as it stands is what PRONOTE shows once every correction is done there. */
const asDone: Edit = (a) => a;

describe('a fix is a correction to do in PRONOTE, proven by the next import', () => {
  for (const k of KINDS) {
    it(`${k.kind}: pending, then done in PRONOTE, then verified by a second import`, async () => {
      const api = await importedSchool();
      const fixed = await k.fix(api);
      expect(fixed.status).toBe(200);
      const view = fixed.body.view;
      const checklist = view.results.fix.checklist;
      expect(checklist.cards.map((c: { state: string }) => c.state)).toEqual(
        checklist.cards.map(() => 'pending'),
      );
      expect(checklist.procedure.steps.length).toBeGreaterThan(1);
      // The step shows the copy as it will be, and says what PRONOTE still has.
      if (k.kind !== 'clear-cas-id') expect(view.results.imported.length).toBeGreaterThan(0);
      // Nothing asks whether the connection works while PRONOTE does not have the fix.
      expect(view.awaitingPronote).toBe('pending');
      expect(view.events.map((e: { type: string }) => e.type)).not.toContain('ANSWER_YES');
      expect(JSON.stringify(fixed.body)).not.toMatch(
        /écrit(e|s)? dans PRONOTE|concordent désormais|Correction enregistrée/,
      );

      const [correction] = await correctionsOf(api, '?state=pending');
      expect(correction?.kind).toBe(k.kind);
      const applied = await api.json(`/api/corrections/${correction?.id}/applied`, {});
      expect(applied.status).toBe(200);
      expect((applied.body.correction as CorrectionJson).state).toBe('applied');
      const again = await api.json(`/api/corrections/${correction?.id}/applied`, {});
      expect(again.status).toBe(409);
      expect(again.body.error).toMatch(/déjà marquée faite dans PRONOTE/);

      const step = await api.json(`/api/sessions/${fixed.body.id}`);
      expect(step.body.view.awaitingPronote).toBe('done');
      expect(step.body.view.events.map((e: { type: string }) => e.type)).toContain('ANSWER_YES');

      const summary = await reimport(api, asDone);
      expect(summary.corrections.verified).toBeGreaterThan(0);
      expect(summary.corrections.contradicted).toEqual([]);
      const listed = await correctionsOf(api);
      expect(listed.map((c) => c.state)).toEqual(listed.map(() => 'verified'));
    });
  }

  it('an import that still shows the old value contradicts the correction, listed first and on the reconciliation', async () => {
    const api = await importedSchool();
    const robert = await find(api, 'BOSSARD', 'Robert');
    await KINDS[3].fix(api);
    await KINDS[1].fix(api);
    const summary = await reimport(api, (a) => (a.id === robert.id ? { ...a, espaceParents: false } : a));
    expect(summary.corrections.contradicted.map((c) => c.accountId)).toEqual([robert.id]);
    const listed = await correctionsOf(api);
    expect(listed.map((c) => c.state)).toEqual(['contradicted', 'verified']);
    const b = api.browser();
    const page = await b.get(`/corrections/${UAI}`);
    expect(page.text).toContain(fr('Contredite : le dernier import montre une autre valeur'));
    expect(page.text.indexOf('Contredite')).toBeLessThan(page.text.indexOf('Vérifiée'));
    expect((await b.get(`/reconciliation/${UAI}`)).text).toContain('1 correction(s) contredite(s)');
    const csv = await b.get(`/corrections/${UAI}.csv?etat=contradicted`);
    expect(csv.text.split('\r\n')[1]).toMatch(
      /^contredite;Accès à l’Espace Parents \(Esp\. par\.\);BOSSARD;Robert;Esp\. par\.;Non;Oui;/,
    );
  });

  it('an import without the person contradicts it and says the person is absent', async () => {
    const api = await importedSchool();
    await KINDS[1].fix(api);
    const mercier = await find(api, 'MERCIER', 'Laurence');
    const summary = await reimport(api, (a) =>
      a.id === mercier.id ? { ...a, profile: 'personnel' as const } : a,
    );
    expect(summary.corrections.contradicted[0]?.seen).toBeNull();
    const page = await api.browser().get(`/corrections/${UAI}`);
    expect(page.text).toContain('la personne n’y figure plus');
  });

  it('a publication stays to verify in the console: no export carries it', async () => {
    const api = await importedSchool();
    const s = await session(api, 'profile-wide', DEMO_CASES.espaceUnpublished.uai);
    await s.send({ type: 'CHOOSE_PROFILE', profile: 'parents' });
    const fixed = await s.send({ type: 'PUBLISH_ESPACE' });
    const procedure = fixed.body.view.results.fix.checklist.procedure;
    expect(procedure.where).toBe('Console de gestion de PRONOTE.net');
    expect(procedure.pastes).toEqual([]);
    expect(procedure.noPaste).toMatch(/console PRONOTE\.net seulement/);
  });

  describe('undo', () => {
    it('shows the fix « Annulée » in place, without an undo button, and asks to compare again', async () => {
      const api = await importedSchool();
      const fixed = await KINDS[1].fix(api);
      const id = fixed.body.id as string;
      const b = api.browser();
      const before = await b.get(`/s/${id}`);
      expect(before.text).toContain('À faire dans PRONOTE');
      const undo = /action="(\/audit\/[\w-]+\/annuler)"/.exec(before.text)?.[1] ?? '';
      const undone = await b.post(undo, { retour: `/s/${id}` });
      expect(undone.status).toBe(303);
      const after = await b.get(`/s/${id}`);
      expect(after.text).toContain(fr('Correction : Annulée'));
      expect(after.text).not.toContain('Annuler cette correction');
      expect(after.text).toContain('Cette correction a été annulée');
      expect(after.text).not.toMatch(/Oui, PRONOTE s.ouvre/);
      // The comparison runs again from the identity step, on the copy as it is now: the fixes come back.
      const again = await api.json(`/api/sessions/${id}/events`, {
        at: 1,
        type: 'SUBMIT_IDENTITY',
        login: DEMO_CASES.usageName.login,
      });
      expect(again.body.step).toBe('auth-error.choose-fix');
      expect(again.body.view.results.comparison.linked).toBe(false);
      expect(again.body.view.events.map((e: { type: string }) => e.type)).toContain('FIX_CAS_ID');
    });

    it('runs the check again in place after an undone Espace Parents fix', async () => {
      const api = await importedSchool();
      const fixed = await KINDS[3].fix(api);
      const id = fixed.body.id as string;
      const entry = (await api.pronote.listAudit({ uai: UAI, limit: 1 }))[0];
      const b = api.browser();
      await b.get('/audit');
      await b.post(`/audit/${entry?.id}/annuler`, { retour: `/s/${id}` });
      const after = await api.json(`/api/sessions/${id}`);
      expect(after.body.view.awaitingPronote).toBe('undone');
      const types = after.body.view.events.map((e: { type: string }) => e.type);
      expect(types).toContain('RECHECK');
      expect(types).not.toContain('ANSWER_YES');
      const again = await api.json(`/api/sessions/${id}/events`, { type: 'RECHECK' });
      expect(again.body.step).toBe('single-parent.offer-grant');
      expect(again.body.view.results.access.granted).toBe(false);
    });

    it('of a correction done in PRONOTE gives the reverse procedure and rows', async () => {
      const api = await importedSchool();
      await KINDS[1].fix(api);
      const [c] = await correctionsOf(api);
      await api.json(`/api/corrections/${c?.id}/applied`, {});
      const entry = (await api.pronote.listAudit({ uai: UAI, limit: 1 }))[0];
      const b = api.browser();
      await b.get('/audit');
      expect((await b.post(`/audit/${entry?.id}/annuler`, {})).status).toBe(303);
      const page = await b.get(`/corrections/${UAI}`);
      expect(page.text).toContain('À défaire dans PRONOTE');
      expect(page.text).toContain('Supprimer l’identifiant CAS (ENT)');
    });

    it('of a correction an import verified is refused with a French 409, and the journal keeps it', async () => {
      const api = await importedSchool();
      await KINDS[1].fix(api);
      await reimport(api, asDone);
      const entry = (await api.pronote.listAudit({ uai: UAI, limit: 1 }))[0];
      const b = api.browser();
      await b.get('/audit');
      const refused = await b.post(`/audit/${entry?.id}/annuler`, {});
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('vérifiée par l’import');
      expect(await api.pronote.listAudit({ uai: UAI, limit: 10 })).toHaveLength(1);
    });
  });

  it('the journal reads in French: the person, PRONOTE’s field names, JJ/MM/AAAA, the step’s title, the state', async () => {
    const api = await importedSchool();
    await KINDS[0].fix(api);
    await KINDS[3].fix(api);
    const entries = await api.pronote.listAudit({ uai: UAI, limit: 10 });
    const b = api.browser();
    await b.get('/audit');
    await b.post(`/audit/${entries[0]?.id}/annuler`, {});
    const page = (await b.get('/audit')).text;
    expect(page).toContain('BERTIN Tayeb');
    expect(page).toContain(fr('Né(e) le : 08/11/1999 → 11/08/1999'));
    expect(page).toContain(fr('Esp. par. : Non → Oui'));
    expect(page).not.toMatch(/dateNaissance|espaceParents|casId/);
    expect(page).toMatch(/\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/);
    expect(page).toMatch(
      /<a href="\/s\/[\w-]+">Alignement de l(&#39;|'|’)identité PRONOTE sur l(&#39;|'|’)ENT<\/a>/,
    );
    expect(page).toContain('À faire dans PRONOTE');
    expect(page).toMatch(/<tr class="undone">(?:(?!<\/tr>).)*Annulée/s);
    expect(page).toContain('Annulation d’une correction');
  });

  it('the checklist’s form marks the whole fix done and comes back to the step', async () => {
    const api = await importedSchool();
    const fixed = await KINDS[2].fix(api);
    const id = fixed.body.id as string;
    const b = api.browser();
    const page = await b.get(`/s/${id}`);
    const action = /action="(\/corrections\/lot\/[\w-]+\/faite)"/.exec(page.text)?.[1] ?? '';
    const done = await b.post(action, { retour: `/s/${id}` });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/s/${id}`);
    const after = await b.get(`/s/${id}`);
    expect(after.text).toContain('Faite dans PRONOTE, en attente du prochain import');
    expect(after.text).toMatch(/Oui, ça fonctionne/);
    expect((await b.post(action, { retour: `/s/${id}` })).status).toBe(409);
  });
});
