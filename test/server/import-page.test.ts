import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/viewer.js';
import { fr } from '../helpers/french.js';
import { AGENT, createTestApp } from '../helpers/test-app.js';

const UAI = '0130001A';
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/school', name));

/** The files of the Collège des Calanques, as an agent picks them in the file input. */
function filesForm(names: string[], extra: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const name of names) form.append('fichiers', new File([fixture(name)], name));
  form.append('professeurs', new File([fixture('pronote-professeurs.csv')], 'pronote-professeurs.csv'));
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  return form;
}

const SCHOOL_FILES = [
  'ElevesSansAdresses.xml',
  'ResponsablesAvecAdresses.xml',
  'sts_emp_0130001A_2025.xml',
  'pronote-eleves.csv',
  'export-console-ent.csv',
  'ENT_Complet_Eleve_0000.xml',
  'ENT_Complet_PersRelEleve_PersEducNat_0000.xml',
];

const HTMX = { 'HX-Request': 'true' };

async function uploadPage(viewer: Viewer = AGENT) {
  const api = await createTestApp({ viewer });
  const browser = api.browser();
  const page = await browser.get(`/import/${UAI}`);
  return { api, browser, page };
}

const fingerprintIn = (html: string) => /name="empreinte" value="([\w-]+)"/.exec(html)?.[1] ?? '';

describe('/import/<UAI>: the agents of a school upload its files', () => {
  it('shows the upload form with its CSRF field', async () => {
    const { page } = await uploadPage();
    expect(page.status).toBe(200);
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(page.text).toContain('name="_csrf"');
  });

  it('previews what each file was read as and who would come, writing nothing', async () => {
    const { api, browser } = await uploadPage();
    const res = await browser.postMultipart(
      `/import/${UAI}`,
      filesForm(SCHOOL_FILES, { action: 'apercu' }),
      HTMX,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      fr('<strong>ElevesSansAdresses.xml</strong> : lu comme SIECLE élèves, 4 personnes'),
    );
    expect(res.text).toContain('lu comme export de la console ENT (Open ENT NG), 8 personnes');
    expect(res.text).toContain('11 ajouts, 0 retrait, 0 modification, 0 sans changement.');
    expect(res.text).not.toContain('<html');
    expect(await api.pronote.getSchool(UAI)).toBeNull();
  });

  it('imports exactly what was previewed, then shows the next preview with no change', async () => {
    const { api, browser } = await uploadPage();
    const preview = await browser.postMultipart(
      `/import/${UAI}`,
      filesForm(SCHOOL_FILES, { action: 'apercu' }),
      HTMX,
    );
    const empreinte = fingerprintIn(preview.text);
    const done = await browser.postMultipart(
      `/import/${UAI}`,
      filesForm(SCHOOL_FILES, { action: 'importer', empreinte }),
      HTMX,
    );
    expect(done.status).toBe(200);
    expect(done.text).toContain('Import terminé');
    expect(done.text).toContain('rien n’a été écrit dans PRONOTE');
    expect((await api.pronote.listAccounts(UAI)).length).toBe(11);
    const again = await browser.postMultipart(
      `/import/${UAI}`,
      filesForm(SCHOOL_FILES, { action: 'apercu' }),
      HTMX,
    );
    expect(again.text).toContain('0 ajout, 0 retrait, 0 modification, 11 sans changement.');
  });

  it('lists who would be removed and what changes for whom', async () => {
    const { api, browser } = await uploadPage();
    const preview = await browser.postMultipart(
      `/import/${UAI}`,
      filesForm(SCHOOL_FILES, { action: 'apercu' }),
      HTMX,
    );
    await browser.postMultipart(
      `/import/${UAI}`,
      filesForm(SCHOOL_FILES, { action: 'importer', empreinte: fingerprintIn(preview.text) }),
      HTMX,
    );
    // The next term: STS no longer lists the head, and PRONOTE gave the right Théo his login.
    const lists = fixture('pronote-eleves.csv')
      .toString('latin1')
      .replace('6A;theo.martin', '6A;theo.martin1');
    const form = filesForm(
      SCHOOL_FILES.filter((f) => f !== 'sts_emp_0130001A_2025.xml' && f !== 'pronote-eleves.csv'),
      { action: 'apercu' },
    );
    form.append('fichiers', new File([Buffer.from(lists, 'latin1')], 'pronote-eleves.csv'));
    const res = await browser.postMultipart(`/import/${UAI}`, form, HTMX);
    expect(res.text).toContain('0 ajout, 1 retrait, 3 modifications, 7 sans changement.');
    expect(res.text).toContain('<li>ALARCON Odile</li>');
    expect(res.text).toContain(fr('<li>MARTIN Théo (6A) : identifiant CAS</li>'));
    // The teachers' birth dates came from STS only.
    expect(res.text).toContain(fr('<li>DUBOIS Michelle : date de naissance</li>'));
    expect((await api.pronote.listAccounts(UAI)).length).toBe(11);
  });

  it('refuses « Importer » when the school changed since the preview, importing nothing', async () => {
    const { api, browser } = await uploadPage();
    const res = await browser.postMultipart(
      `/import/${UAI}`,
      filesForm(SCHOOL_FILES, { action: 'importer', empreinte: 'AAAAAAAAAAAAAAAAAAAAAA' }),
      HTMX,
    );
    expect(res.status).toBe(409);
    expect(res.text).toContain('relancez l’aperçu avant d’importer');
    expect(await api.pronote.getSchool(UAI)).toBeNull();
  });

  it('refuses a truncated file with its line, in French, importing nothing', async () => {
    const { api, browser } = await uploadPage();
    const form = new FormData();
    form.append('fichiers', new File([fixture('ResponsablesAvecAdresses.xml').subarray(0, 700)], 'resp.xml'));
    form.append('action', 'apercu');
    const res = await browser.postMultipart(`/import/${UAI}`, form);
    expect(res.status).toBe(400);
    expect(res.text).toContain(fr('resp.xml : Ligne 21 : fichier XML tronqué'));
    expect(res.text).toContain('Rien n’a été importé');
    expect(res.text).toContain('<html');
    expect(await api.pronote.getSchool(UAI)).toBeNull();
  });

  it('is for the agents of that school only', async () => {
    const other = await uploadPage({ kind: 'agent', name: 'autre', admin: false, schools: ['0990001A'] });
    expect(other.page.status).toBe(404);
    const anonymous = await uploadPage({ kind: 'public' } as Viewer);
    expect(anonymous.page.status).toBe(403);
  });
});
