import { describe, expect, it } from 'vitest';
import type { EntRow, ReconciliationReport } from '../../src/engine/reconcile.js';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { AGENT, createTestApp, type TestApp } from '../helpers/test-app.js';

const UAI = DEMO_CASES.uai;
type Report = ReconciliationReport & { safe: { count: number; fingerprint: string } };

async function demoReport(given?: TestApp, uai: string = UAI) {
  const api = given ?? (await createTestApp({ data: true, viewer: AGENT }));
  const res = await api.json(`/api/reconciliation/${uai}`);
  expect(res.status).toBe(200);
  return res.body as unknown as Report;
}

const rowOf = (r: Report, login: string): EntRow => {
  const row = r.rows.find((x) => x.ent.login === login);
  if (!row) throw new Error(`no row for ${login}`);
  return row;
};

describe('reconciliation of the demo data', () => {
  it('lists each planted problem', async () => {
    const r = await demoReport();
    const c = DEMO_CASES;
    expect(rowOf(r, c.casIdLinked.login).finding).toMatchObject({
      kind: 'linked',
      account: { id: c.casIdLinked.accountId },
    });
    // Day and month swapped: the birth date is close, not equal.
    expect(rowOf(r, c.dateSwapped.login).finding).toMatchObject({
      kind: 'mismatch',
      account: { id: c.dateSwapped.accountId },
      differing: ['dateNaissance'],
    });
    // Missing accent: a match once normalised, and a safe case.
    expect(rowOf(r, c.accentMissing.login).finding).toMatchObject({
      kind: 'match',
      account: { id: c.accentMissing.accountId },
      fields: { prenom: 'normalised' },
      blocked: null,
    });
    // Usage name in the ENT, birth name in PRONOTE, same prénom and birth date: a mismatch on nom.
    expect(rowOf(r, c.usageName.login).finding).toMatchObject({
      kind: 'mismatch',
      account: { id: c.usageName.accountId },
      differing: ['nom'],
    });
    // DEJEAN holding michelle.moreau: seen from both people and from the CAS id.
    expect(rowOf(r, c.wrongCasId.login).finding).toMatchObject({
      kind: 'login-held',
      holder: { id: c.wrongCasId.holderId },
      candidate: { account: { id: c.wrongCasId.ownerId } },
    });
    expect(r.casIds).toContainEqual(
      expect.objectContaining({
        kind: 'wrong-person',
        account: expect.objectContaining({ id: c.wrongCasId.holderId }),
      }),
    );
    // Changed logins: PRONOTE still holds the old one, which the ENT no longer knows.
    for (const changed of c.changedLogin) {
      expect(rowOf(r, changed.login).finding).toMatchObject({
        kind: 'other-cas-id',
        account: { id: changed.accountId, casId: changed.oldLogin },
        owner: null,
      });
      expect(r.casIds).toContainEqual({
        kind: 'unknown-login',
        account: expect.objectContaining({ id: changed.accountId }),
      });
    }
    // Homonyms: each finds its own account by birth date, and neither is written without a look.
    for (const [i, login] of c.homonyms.logins.entries()) {
      expect(rowOf(r, login).finding).toMatchObject({
        kind: 'match',
        account: { id: c.homonyms.accountIds[i] },
        blocked: 'homonym',
      });
    }
    // Responsables without « Esp. par. ».
    expect(r.responsablesWithoutAccess.map((p) => p.account.id)).toContain(c.parentWithoutAccess.accountId);
    // The other school's Espace Parents is not published.
    const other = await demoReport(undefined, c.espaceUnpublished.uai);
    expect(other.espaces).toEqual([{ kind: 'espace', espace: 'parents', profile: 'responsable', people: 2 }]);
  });

  it('shows the page with its chart, its table and every finding, and the same as CSV', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const b = api.browser();
    const page = await b.get(`/reconciliation/${UAI}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<svg role="img"[^>]*aria-labelledby="reconciliation-titre/);
    expect(page.text).toMatch(
      /<caption id="reconciliation-tableau">Comptes par constat et par profil<\/caption>/,
    );
    for (const text of [
      'tayeb.bertin',
      'michelle.moreau',
      'anne.doucet2',
      'BOSSARD Robert',
      'MERCIER Laurence',
    ])
      expect(page.text).toContain(text);
    const index = await b.get('/reconciliation');
    expect(index.text).toContain(`/reconciliation/${UAI}`);

    const csv = await api.app.request(`/reconciliation/${UAI}.csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('Identité différente;tayeb.bertin;BERTIN;Tayeb;11/08/1999');
  });

  it('applies the batch of safe cases through HTTP, and undoes it as a whole', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const before = await demoReport(api);
    const safeIds = before.rows.flatMap((row) =>
      row.finding.kind === 'match' && row.finding.blocked === null ? [row.finding.account.id] : [],
    );
    expect(safeIds).toHaveLength(before.safe.count);
    expect(safeIds).not.toContain(DEMO_CASES.dateSwapped.accountId);
    expect(safeIds).not.toContain(DEMO_CASES.homonyms.accountIds[0]);

    const b = api.browser();
    const tsv = await b.get(`/reconciliation/${UAI}/identifiants-cas.tsv`);
    expect(tsv.text.split('\r\n')[0]).toBe('Nom\tPrénom\tNé(e) le\tIdentifiant CAS');
    expect(tsv.text).toContain('LEMAITRE\tVéronique\t02/03/1975\tveronique.lemaitre');

    const page = await b.get(`/reconciliation/${UAI}`);
    const fingerprint = /name="empreinte" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const applied = await b.post(`/reconciliation/${UAI}/corrections`, { empreinte: fingerprint });
    expect(applied.status).toBe(303);
    const landing = applied.headers.get('location') ?? '';
    expect(landing).toMatch(new RegExp(`^/reconciliation/${UAI}\\?lot=[\\w-]+&n=${safeIds.length}$`));
    expect((await api.pronote.getAccount(UAI, DEMO_CASES.accentMissing.accountId))?.casId).toBe(
      DEMO_CASES.accentMissing.login,
    );
    const batch = await api.pronote.listAudit({ uai: UAI, limit: 500 });
    expect(batch).toHaveLength(safeIds.length);
    expect(new Set(batch.map((e) => e.batchId)).size).toBe(1);
    expect(batch[0]).toMatchObject({ actor: 'agent.test', step: 'reconciliation', action: 'set-cas-id' });
    // The rows to paste into the PRONOTE client cover the whole batch, whichever entry they start from.
    const rows = await Promise.all(
      ['eleve', 'responsable', 'professeur', 'personnel'].map((liste) =>
        b.get(`/corrections/lot/${batch[0]?.batchId}/lignes.tsv?liste=${liste}`),
      ),
    );
    const found = rows.filter((r) => r.status === 200);
    expect(found.length).toBeGreaterThan(0);
    expect(found.reduce((n, r) => n + r.text.trim().split('\r\n').length - 1, 0)).toBe(safeIds.length);

    const done = await b.get(landing);
    expect(done.text).toContain(
      `${safeIds.length} identifiant(s) CAS préparé(s) sur la copie de l’assistant`,
    );
    const undo = /action="(\/audit\/[\w-]+\/annuler)"/.exec(done.text)?.[1] ?? '';
    const undone = await b.post(undo, { retour: `/reconciliation/${UAI}?annule=1` });
    expect(undone.status).toBe(303);
    expect(undone.headers.get('location')).toBe(`/reconciliation/${UAI}?annule=1`);
    for (const id of safeIds) expect((await api.pronote.getAccount(UAI, id))?.casId).toBeNull();
    const after = await demoReport(api);
    expect(after.safe.count).toBe(before.safe.count);
  });

  it('writes nothing from a page the data moved under', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const b = api.browser();
    const page = await b.get(`/reconciliation/${UAI}`);
    const fingerprint = /name="empreinte" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const lemaitre = await api.pronote.getAccount(UAI, DEMO_CASES.accentMissing.accountId);
    await api.pronote.setCasId(UAI, 'prof-albert', 1, 'marie-desiree.albert', { actor: 'autre.agent' });
    const refused = await b.post(`/reconciliation/${UAI}/corrections`, { empreinte: fingerprint });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Rechargez la page');
    expect(await api.pronote.getAccount(UAI, DEMO_CASES.accentMissing.accountId)).toEqual(lemaitre);
  });

  it('the JSON API applies the batch too, with the fingerprint it gave', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { safe } = await demoReport(api);
    const res = await api.json(`/api/reconciliation/${UAI}/corrections`, { fingerprint: safe.fingerprint });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ count: safe.count });
    expect(
      (await api.json(`/api/reconciliation/${UAI}/corrections`, { fingerprint: safe.fingerprint })).status,
    ).toBe(422);
  });
});

describe('each finding opens its flow at the right step', () => {
  const open = async (target: string, value: string, uai: string = UAI) => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const b = api.browser();
    await b.get(`/reconciliation/${uai}`);
    const res = await b.post(`/reconciliation/${uai}/ouvrir`, { target, value });
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(/^\/s\/[\w-]{22}$/);
    const { body } = await api.json(`/api/sessions/${location.slice(3)}`);
    return body;
  };

  it('an identity to compare: the comparison, with its fixes', async () => {
    const s = await open('compare', DEMO_CASES.dateSwapped.login);
    expect(s.step).toBe('auth-error.choose-fix');
    expect(s.view.results.comparison.account.id).toBe(DEMO_CASES.dateSwapped.accountId);
  });

  it('a login held by someone else: the comparison naming the holder', async () => {
    const s = await open('compare', DEMO_CASES.wrongCasId.login);
    expect(s.view.results.comparison.casHolder.id).toBe(DEMO_CASES.wrongCasId.holderId);
  });

  it('an old Identifiant CAS: the account found and selected, ready to clear', async () => {
    const s = await open('clear', DEMO_CASES.changedLogin[0].accountId);
    expect(s.step).toBe('changed-account.confirm-clear');
  });

  it('a CAS id on several accounts: the accounts holding it, to choose from', async () => {
    const s = await open('find-cas-id', DEMO_CASES.wrongCasId.login);
    expect(s.step).toBe('changed-account.select');
  });

  it('a responsable without access: the access checked, ready to grant', async () => {
    const s = await open('grant', DEMO_CASES.parentWithoutAccess.accountId);
    expect(s.step).toBe('single-parent.offer-grant');
  });

  it('an espace not published: the console checked, ready to publish', async () => {
    const s = await open('publish', 'parents', DEMO_CASES.espaceUnpublished.uai);
    expect(s.step).toBe('profile-wide.offer-publish');
  });

  it('refuses a target it does not know, and an account of nobody', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const b = api.browser();
    await b.get(`/reconciliation/${UAI}`);
    expect((await b.post(`/reconciliation/${UAI}/ouvrir`, { target: 'delete', value: 'x' })).status).toBe(
      422,
    );
    expect((await b.post(`/reconciliation/${UAI}/ouvrir`, { target: 'grant', value: 'nobody' })).status).toBe(
      404,
    );
  });
});

describe('who may reconcile', () => {
  it('agents only, and only for their schools: nothing personal for anyone else', async () => {
    const anonymous = await createTestApp({ data: true });
    for (const path of [
      '/reconciliation',
      `/reconciliation/${UAI}`,
      `/reconciliation/${UAI}.csv`,
      `/api/reconciliation/${UAI}`,
    ]) {
      const res = await anonymous.app.request(path);
      expect(res.status, path).toBe(403);
      expect(await res.text()).not.toMatch(/BERTIN|tayeb/i);
    }
    const other = await createTestApp({
      data: true,
      viewer: { kind: 'agent', name: 'agent.b', admin: false, schools: [DEMO_CASES.espaceUnpublished.uai] },
    });
    for (const path of [
      `/reconciliation/${UAI}`,
      `/reconciliation/${UAI}.csv`,
      `/api/reconciliation/${UAI}`,
      `/reconciliation/${UAI}/identifiants-cas.tsv`,
    ]) {
      const res = await other.app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toMatch(/BERTIN|tayeb/i);
    }
    const index = await other.browser().get('/reconciliation');
    expect(index.text).not.toContain(`/reconciliation/${UAI}`);
    expect(index.text).toContain(`/reconciliation/${DEMO_CASES.espaceUnpublished.uai}`);
    const b = other.browser();
    await b.get('/reconciliation');
    expect((await b.post(`/reconciliation/${UAI}/corrections`, { empreinte: 'x'.repeat(22) })).status).toBe(
      404,
    );
    expect(
      (await b.post(`/reconciliation/${UAI}/ouvrir`, { target: 'compare', value: 'tayeb.bertin' })).status,
    ).toBe(404);
  });

  it('answers 404 for a school that does not exist, and 403 to a form without its token', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    expect((await api.app.request('/reconciliation/0999999Z')).status).toBe(404);
    expect((await api.app.request('/reconciliation/pas-un-uai')).status).toBe(404);
    const res = await api.app.request(`/reconciliation/${UAI}/corrections`, {
      method: 'POST',
      body: new URLSearchParams({ empreinte: 'x' }),
    });
    expect(res.status).toBe(403);
  });
});
