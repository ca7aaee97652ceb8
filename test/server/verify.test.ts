import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_UAI, DEMO_UAI_UNPUBLISHED } from '../../src/pronote/demo-data.js';
import { verifyConfigFromEnv } from '../../src/server/verify-config.js';
import { type CasPeer, type CasPerson, startCasPeer } from '../helpers/cas-peer.js';
import { fr } from '../helpers/french.js';
import { refusedUrl } from '../helpers/http-peer.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const PUBLIC = 'https://assistance.example.fr/';
const STACK_TRACE = /at \S+ \(.+:\d+:\d+\)/;

/** The demo's people as their ENT's CAS describes them to PRONOTE. */
const PEOPLE = {
  bertin: {
    user: 'tayeb.bertin',
    attributes: { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '11/08/1999', categories: 'National_1' },
  },
  moreau: {
    user: 'michelle.moreau',
    attributes: { nom: 'MOREAU', prenom: 'Michelle', dateNaissance: '12/04/1968', categories: 'National_3' },
  },
  doucet: {
    user: 'anne.doucet2',
    attributes: { nom: 'DOUCET', prenom: 'Anne', dateNaissance: '09/06/1983', categories: 'National_3' },
  },
  gervais: {
    user: 'florence.gervais',
    attributes: { nom: 'GERVAIS', prenom: 'Florence', dateNaissance: '25/01/1979', categories: 'National_3' },
  },
  bossard: {
    user: 'robert.bossard',
    attributes: { nom: 'BOSSARD', prenom: 'Robert', codePostal: '13001', categories: 'National_2' },
  },
  petit: {
    user: 'sandrine.petit',
    attributes: { nom: 'PETIT', prenom: 'Sandrine', categories: 'National_2' },
  },
  stranger: {
    user: 'zoe.inconnue',
    attributes: { nom: 'INCONNUE', prenom: 'Zoé', dateNaissance: '01/01/2001', categories: 'National_1' },
  },
} as const;

describe('« Vérifier mon compte » through the ENT’s CAS', () => {
  let cas: CasPeer;
  let api: TestApp;
  beforeAll(async () => {
    cas = await startCasPeer();
  });
  afterAll(() => cas.close());
  beforeEach(async () => {
    cas.state.answer = null;
    cas.state.noP3 = false;
    const verify = verifyConfigFromEnv({}, PUBLIC, { baseUrl: `${cas.url}/cas`, version: 3 });
    api = await createTestApp({ data: true, ...(verify ? { verify } : {}) });
  });

  /** Signs in at the CAS as `person` and comes back with the ticket, as a browser would. */
  async function checkAs(
    person: Omit<CasPerson, 'shape'>,
    shape: CasPerson['shape'] = 'direct',
    uai = DEMO_UAI,
    browser = api.browser(),
  ) {
    cas.state.person = { ...person, attributes: { ...person.attributes }, shape };
    const start = await browser.get(`/verifier/${uai}`);
    expect(start.status).toBe(302);
    const login = await fetch(start.headers.get('Location') ?? '', { redirect: 'manual' });
    const back = new URL(login.headers.get('Location') ?? '');
    const returned = await browser.get(`${back.pathname}${back.search}`);
    const ticket = back.searchParams.get('ticket') ?? '';
    if (returned.status !== 303) return { browser, page: returned, ticket, back };
    const page = await browser.get(returned.headers.get('Location') ?? '');
    return { browser, page, ticket, back };
  }

  it('sends the person to the CAS login with a service URL built from PUBLIC_URL, whatever the Host', async () => {
    const res = await api.browser().get(`/verifier/${DEMO_UAI}`, {
      Host: 'piege.example.com',
      'X-Forwarded-Host': 'piege.example.com',
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('Location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${cas.url}/cas/login`);
    expect(location.searchParams.get('service')).toBe(`${PUBLIC}verifier/${DEMO_UAI}/retour`);
  });

  it('offers « Vérifier mon compte » on the home page', async () => {
    const home = await api.browser().get('/');
    expect(home.text).toContain('href="/verifier"');
  });

  it('lets the person pick their school at /verifier', async () => {
    const browser = api.browser();
    const page = await browser.get('/verifier');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Collège Exemple');
    expect(page.text).toContain('Responsable du traitement');
    const chosen = await browser.get(`/verifier?uai=${DEMO_UAI}`);
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('Location')).toBe(`/verifier/${DEMO_UAI}`);
  });

  for (const shape of ['direct', 'nested'] as const) {
    describe(`attributes ${shape === 'direct' ? 'directly in cas:attributes' : 'inside cas:userAttributes'}`, () => {
      it('tells BERTIN Tayeb that day and month of his birth date are swapped, without the school’s value', async () => {
        const { page } = await checkAs(PEOPLE.bertin, shape);
        expect(page.status).toBe(200);
        expect(page.text).toContain('ne correspond pas exactement');
        expect(page.text).toContain(fr('votre date de naissance : jour et mois inversés'));
        expect(page.text).not.toContain('08/11/1999');
        expect(page.text).not.toContain('1999-11-08');
      });

      it('tells michelle.moreau her login is held by another account, naming nobody', async () => {
        const { page } = await checkAs(PEOPLE.moreau, shape);
        expect(page.text).toContain(
          fr(
            'Votre identifiant ENT est déjà associé à un autre compte PRONOTE ; l’établissement doit vérifier.',
          ),
        );
        for (const other of ['DEJEAN', 'Yannick', 'dejean', 'prof-dejean', '1976'])
          expect(page.text).not.toContain(other);
      });
    });
  }

  it('finds an old ENT login still held by the person’s PRONOTE account, without showing it', async () => {
    const { page } = await checkAs(PEOPLE.doucet);
    expect(page.text).toContain('encore relié à un autre identifiant ENT');
    expect(page.text).not.toMatch(/anne\.doucet(?!2)/);
  });

  it('tells a parent their Espace Parents access is not opened', async () => {
    const { page } = await checkAs(PEOPLE.bossard);
    expect(page.text).toContain('L’accès à l’Espace Parents n’est pas ouvert pour vous');
  });

  it('tells a parent of the second school that the Espace Parents is not published', async () => {
    const { page } = await checkAs(PEOPLE.petit, 'direct', DEMO_UAI_UNPUBLISHED);
    expect(page.text).toContain('l’Espace Parents de l’établissement n’est pas publié');
  });

  it('says all is fine for a linked account, and what else to try', async () => {
    const { page } = await checkAs(PEOPLE.gervais);
    expect(page.text).toContain('Votre compte PRONOTE est bien relié à votre identifiant ENT.');
    expect(page.text).toContain('Rien n’est à corriger du côté de l’établissement');
  });

  it('tells a person the school does not know that no account matches, and nothing more', async () => {
    const { page } = await checkAs(PEOPLE.stranger);
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      'Aucun compte PRONOTE de cet établissement ne correspond à votre identité ENT.',
    );
    expect(page.text).not.toContain('DEVAUX');
  });

  it('reads oddly encoded attributes: entities, decomposed accents, spaces, lower-case names', async () => {
    const { page } = await checkAs({
      user: 'veronique.lemaitre',
      attributes: {
        nom: '  lemaitre ',
        prenom: 'Ve\u0301ronique',
        dateNaissance: '02/03/1975',
        categories: 'National_3;National_2',
      },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('En tant que professeur');
  });

  it('keeps the verified identity server-side: the result page needs the person’s own cookie', async () => {
    const { back } = await checkAs(PEOPLE.bertin);
    expect(back.toString()).not.toContain('BERTIN');
    const other = await api.browser().get(`/verifier/${DEMO_UAI}/resultat`);
    expect(other.status).toBe(403);
    expect(other.text).not.toContain('BERTIN');
  });

  describe('bad tickets and a CAS in trouble', () => {
    it('refuses a ticket used twice, even by the person who had it', async () => {
      const { browser, back } = await checkAs(PEOPLE.bertin);
      const replay = await api.browser().get(`${back.pathname}${back.search}`);
      expect(replay.status).toBe(403);
      expect(replay.text).toContain('a déjà servi');
      expect((await browser.get(`${back.pathname}${back.search}`)).status).toBe(403);
    });

    it('refuses a forged ticket without asking the CAS server', async () => {
      const before = cas.requests.length;
      for (const forged of ['ST-1"><script>', 'PGT-123-abc', 'ST-', `ST-${'a'.repeat(300)}`]) {
        const res = await api
          .browser()
          .get(`/verifier/${DEMO_UAI}/retour?ticket=${encodeURIComponent(forged)}`);
        expect(res.status).toBe(422);
        expect(res.text).toContain('Le retour de l’ENT est incomplet ou altéré');
        expect(res.text).not.toContain('<script>');
      }
      expect(cas.requests.length).toBe(before);
    });

    it('refuses a ticket the CAS issued for another service, or never issued', async () => {
      cas.state.person = { ...PEOPLE.bertin, attributes: { ...PEOPLE.bertin.attributes }, shape: 'direct' };
      const login = await fetch(
        `${cas.url}/cas/login?service=${encodeURIComponent('https://autre.example/')}`,
        {
          redirect: 'manual',
        },
      );
      const ticket = new URL(login.headers.get('Location') ?? '').searchParams.get('ticket');
      const foreign = await api.browser().get(`/verifier/${DEMO_UAI}/retour?ticket=${ticket}`);
      expect(foreign.status).toBe(403);
      expect(foreign.text).toContain('L’ENT n’a pas confirmé votre connexion');
      expect(foreign.text).not.toContain('BERTIN');
      const unknown = await api.browser().get(`/verifier/${DEMO_UAI}/retour?ticket=ST-42-jamais-emis`);
      expect(unknown.status).toBe(403);
    });

    it('falls back to /serviceValidate when the CAS has no /p3', async () => {
      cas.state.noP3 = true;
      const { page } = await checkAs(PEOPLE.gervais);
      expect(page.status).toBe(200);
      expect(cas.requests.at(-1)?.url).toMatch(/^\/cas\/serviceValidate\?/);
    });

    it('says in French that the CAS is down or answers garbage, never with a stack trace', async () => {
      cas.state.answer = { status: 200, body: '<html><body>Maintenance</body></html>' };
      const garbage = await api.browser().get(`/verifier/${DEMO_UAI}/retour?ticket=ST-7-garbage`);
      expect(garbage.status).toBe(502);
      expect(garbage.text).toContain('réponse illisible');
      cas.state.answer = { status: 500, body: 'Internal Server Error' };
      expect((await api.browser().get(`/verifier/${DEMO_UAI}/retour?ticket=ST-8-error`)).status).toBe(502);

      const verify = verifyConfigFromEnv({}, PUBLIC, { baseUrl: `${await refusedUrl()}/cas`, version: 3 });
      const down = await createTestApp({ data: true, ...(verify ? { verify } : {}) });
      const res = await down.browser().get(`/verifier/${DEMO_UAI}/retour?ticket=ST-9-down`);
      expect(res.status).toBe(503);
      expect(res.text).toContain('ne répond pas');
      expect(res.text).not.toMatch(STACK_TRACE);
    });

    it('says which attribute is missing, empty or unreadable', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ categories: 'National_1' }, 'n’a pas transmis votre nom et votre prénom'],
        [{ nom: '', prenom: ' ', categories: 'National_1' }, 'n’a pas transmis votre nom et votre prénom'],
        [{ nom: 'BERTIN', prenom: 'Tayeb' }, 'n’a pas transmis votre profil'],
        [{ nom: 'BERTIN', prenom: 'Tayeb', categories: 'National_9' }, 'n’a pas transmis votre profil'],
        [
          { nom: 'BERTIN', prenom: 'Tayeb', categories: 'National_1', dateNaissance: '31/02/1999' },
          'date de naissance illisible',
        ],
      ];
      for (const [attributes, message] of cases) {
        const { page } = await checkAs({ user: 'tayeb.bertin', attributes });
        expect(page.status).toBe(422);
        expect(page.text).toContain(message);
      }
    });

    it('answers 404 for an unknown school, or one without a CAS', async () => {
      expect((await api.browser().get('/verifier/0999999Z')).status).toBe(404);
      expect((await api.browser().get('/verifier/pas-un-uai')).status).toBe(404);
    });
  });

  describe('the request to the school', () => {
    it('sends the diagnosis once, shows its reference, and the agent opens it at the fix', async () => {
      const { browser } = await checkAs(PEOPLE.bertin);
      const refused = await browser.post(`/verifier/${DEMO_UAI}/demande`, {
        email: 'pas-une-adresse',
        message: 'Merci',
      });
      expect(refused.status).toBe(422);
      expect(refused.text).toContain('Adresse e-mail invalide.');
      expect(refused.text).toContain('Merci</textarea>');

      const sent = await browser.post(`/verifier/${DEMO_UAI}/demande`, { email: 'parent@example.org' });
      expect(sent.status).toBe(200);
      expect(sent.text).toContain('Demande envoyée');
      const reference = /Référence\u00a0: <strong>(D-[A-Z0-9]{4}-[A-Z0-9]{4})<\/strong>/.exec(sent.text)?.[1];
      expect(reference).toBeDefined();
      const follow = /href="http:\/\/assistant\.test(\/suivi\/[^"]+)"/.exec(sent.text)?.[1] ?? '';
      expect(follow).toMatch(/^\/suivi\//);
      expect(follow).not.toMatch(/BERTIN|tayeb/i);

      const again = await browser.post(`/verifier/${DEMO_UAI}/demande`, { email: 'parent@example.org' });
      expect(again.text).toContain('Demande déjà envoyée');
      expect(again.text).toContain(reference as string);
      expect(await api.requests.list('all')).toHaveLength(1);

      const person = api.browser();
      expect((await person.get(follow)).text).toContain('Reçue');

      const agent = api.browser();
      await api.agents.add({ name: 'agent.college', admin: false, schools: [DEMO_UAI] });
      const link = await api.auth.issueSignInLink('agent.college');
      await agent.get(link);
      await agent.post(link, {});
      const queue = await agent.get('/demandes');
      expect(queue.text).toContain(reference as string);
      expect(queue.text).toContain('identité différente');
      const [request] = await api.requests.list('all');
      const opened = await agent.post(`/demandes/${request?.id}/ouvrir`, {});
      expect(opened.status).toBe(303);
      const session = await agent.get(opened.headers.get('Location') ?? '');
      expect(session.text).toContain('data-step="auth-error.choose-fix"');
      expect(session.text).toContain('BERTIN');
      expect((await person.get(follow)).text).toContain('En cours');

      await agent.post(`/demandes/${request?.id}/repondre`, {
        status: 'corrigee',
        answer: 'Date corrigée dans PRONOTE.',
      });
      const done = await person.get(follow);
      expect(done.text).toContain('Corrigée — réessayez');
      expect(done.text).toContain('Date corrigée dans PRONOTE.');
      expect(done.text).not.toContain('BERTIN');
    });

    const AT_FIX: Array<[string, Omit<CasPerson, 'shape'>, string, RegExp]> = [
      [
        'an old login on the account: the selection to clear',
        PEOPLE.doucet,
        DEMO_UAI,
        /data-step="changed-account\./,
      ],
      ['a login held by another account: the comparison', PEOPLE.moreau, DEMO_UAI, /data-step="auth-error\./],
      [
        'Espace Parents not opened: the access to grant',
        PEOPLE.bossard,
        DEMO_UAI,
        /data-step="single-parent\./,
      ],
      [
        'espace not published: its publication',
        PEOPLE.petit,
        DEMO_UAI_UNPUBLISHED,
        /data-step="profile-wide\.(?!choose-profile)/,
      ],
    ];
    for (const [name, person, uai, step] of AT_FIX) {
      it(`opens for the agent at the fix: ${name}`, async () => {
        const { browser } = await checkAs(person, 'direct', uai);
        await browser.post(`/verifier/${uai}/demande`, { telephone: '04 00 00 00 00' });
        await api.agents.add({ name: 'agent.tous', admin: false, schools: 'all' });
        const agent = api.browser();
        const link = await api.auth.issueSignInLink('agent.tous');
        await agent.get(link);
        await agent.post(link, {});
        const [request] = await api.requests.list('all');
        const opened = await agent.post(`/demandes/${request?.id}/ouvrir`, {});
        expect(opened.status).toBe(303);
        expect((await agent.get(opened.headers.get('Location') ?? '')).text).toMatch(step);
      });
    }

    it('lets only an agent of that school take, answer or open the request', async () => {
      const { browser } = await checkAs(PEOPLE.bertin);
      await browser.post(`/verifier/${DEMO_UAI}/demande`, { telephone: '04 00 00 00 00' });
      const [request] = await api.requests.list('all');
      await api.agents.add({ name: 'agent.ailleurs', admin: false, schools: [DEMO_UAI_UNPUBLISHED] });
      const other = api.browser();
      const link = await api.auth.issueSignInLink('agent.ailleurs');
      await other.get(link);
      await other.post(link, {});
      expect((await other.get('/demandes')).text).not.toContain('BERTIN');
      for (const action of ['prendre', 'ouvrir']) {
        expect((await other.post(`/demandes/${request?.id}/${action}`, {})).status).toBe(404);
      }
      const answer = await other.post(`/demandes/${request?.id}/repondre`, {
        status: 'corrigee',
        answer: '',
      });
      expect(answer.status).toBe(404);
      expect(await api.requests.get(request?.id ?? '')).toMatchObject({ status: 'nouvelle', owner: null });
      expect((await api.browser().post(`/demandes/${request?.id}/prendre`, {})).status).toBe(403);
    });

    it('refuses an altered or unknown follow-up link', async () => {
      const res = await api
        .browser()
        .get('/suivi/AAAAAAAAAAAAAAAA.99999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      expect(res.status).toBe(404);
    });
  });
});

describe('without CAS settings', () => {
  it('has no /verifier, and the privacy pages are there', async () => {
    const api = await createTestApp({ data: true });
    expect((await api.browser().get('/verifier')).status).toBe(404);
    expect((await api.browser().get('/')).text).not.toContain('href="/verifier"');
    expect((await api.browser().get(`/verifier/${DEMO_UAI}`)).status).toBe(404);
    const home = await api.browser().get('/');
    for (const link of ['/mentions-legales', '/donnees-personnelles', '/accessibilite']) {
      expect(home.text).toContain(`href="${link}"`);
      expect((await api.browser().get(link)).status).toBe(200);
    }
    expect((await api.browser().get('/accessibilite')).text).toContain('RGAA');
    expect((await api.browser().get('/donnees-personnelles')).text).toContain('90 jours');
  });
});

describe('verification settings from the environment', () => {
  it('is off without any CAS, and takes a CAS per school from CAS_SCHOOLS', () => {
    expect(verifyConfigFromEnv({}, PUBLIC, undefined)).toBeUndefined();
    const config = verifyConfigFromEnv(
      { CAS_SCHOOLS: '0130001A=https://cas.a.fr/cas, 0130002B=https://cas.b.fr/cas/' },
      'https://assistance.example.fr',
      undefined,
    );
    expect(config?.casFor('0130002B')).toEqual({
      baseUrl: 'https://cas.b.fr/cas',
      version: 3,
      serviceUrl: 'https://assistance.example.fr/verifier/0130002B/retour',
    });
    expect(config?.casFor('0130003C')).toBeUndefined();
    expect(config?.schools).toEqual(['0130001A', '0130002B']);
  });

  it('stops the start-up on a wrong pair, naming it', () => {
    expect(() => verifyConfigFromEnv({ CAS_SCHOOLS: '0130001A:https://x' }, PUBLIC, undefined)).toThrow(
      /CAS_SCHOOLS/,
    );
  });
});
