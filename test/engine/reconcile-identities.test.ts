import { describe, expect, it } from 'vitest';
import { isSafe, reconcile } from '../../src/engine/reconcile.js';
import { findingDetail } from '../../src/engine/reconcile-labels.js';
import type { EntAccount } from '../../src/ent/port.js';
import { type NewAccount, newAccount } from '../../src/pronote/model.js';
import { memorySchool } from '../helpers/memory-school.js';

const UAI = '0990020B';

async function reconciled(accounts: NewAccount[], ent: Omit<EntAccount, 'uai'>[]) {
  const { pronote, ent: directory } = await memorySchool(UAI, accounts, ent);
  const report = await reconcile({ pronote, ent: directory }, UAI);
  if (!report) throw new Error('no report');
  return report;
}

describe('identities the way PRONOTE tells people apart', () => {
  it('a login held by a homonym born another day is held by the wrong person, never linked', async () => {
    const report = await reconciled(
      [
        newAccount('e-other', 'eleve', 'MARTIN', 'Théo', {
          dateNaissance: '2012-09-09',
          casId: 'theo.martin',
        }),
        newAccount('e-own', 'eleve', 'MARTIN', 'Théo', { dateNaissance: '2011-05-05' }),
      ],
      [
        {
          login: 'theo.martin',
          nom: 'MARTIN',
          prenom: 'Théo',
          dateNaissance: '2011-05-05',
          profiles: ['eleve'],
        },
      ],
    );
    expect(report.rows[0]?.finding).toMatchObject({
      kind: 'login-held',
      holder: { id: 'e-other' },
      candidate: { account: { id: 'e-own' } },
    });
    expect(report.casIds).toEqual([
      expect.objectContaining({ kind: 'wrong-person', account: expect.objectContaining({ id: 'e-other' }) }),
    ]);
    expect(report.summary[0]?.counts.linked).toBe(0);
  });

  it('a person linked under a married name in the ENT stays linked', async () => {
    const report = await reconciled(
      [
        newAccount('r-1', 'responsable', 'BENALI', 'Nadia', {
          dateNaissance: '1985-03-03',
          casId: 'nadia.r',
        }),
      ],
      [
        {
          login: 'nadia.r',
          nom: 'RICHARD',
          prenom: 'Nadia',
          dateNaissance: '1985-03-03',
          profiles: ['responsable'],
        },
      ],
    );
    expect(report.rows[0]?.finding).toMatchObject({ kind: 'linked', account: { id: 'r-1' } });
  });

  it('a married mother, same prénom and birth date but another nom, sole candidate: a mismatch on nom, never safe', async () => {
    const report = await reconciled(
      [newAccount('r-1', 'responsable', 'BENALI', 'Nadia', { dateNaissance: '1985-03-03' })],
      [
        {
          login: 'nadia.r',
          nom: 'RICHARD',
          prenom: 'Nadia',
          dateNaissance: '1985-03-03',
          profiles: ['responsable'],
        },
      ],
    );
    const finding = report.rows[0]?.finding;
    expect(finding).toMatchObject({ kind: 'mismatch', account: { id: 'r-1' }, differing: ['nom'] });
    expect(finding && isSafe(finding)).toBe(false);
  });

  it('two people with that prénom and birth date under other noms: ambiguous, not a mismatch', async () => {
    const report = await reconciled(
      [
        newAccount('r-1', 'responsable', 'BENALI', 'Nadia', { dateNaissance: '1985-03-03' }),
        newAccount('r-2', 'responsable', 'LEROY', 'Nadia', { dateNaissance: '1985-03-03' }),
      ],
      [
        {
          login: 'nadia.r',
          nom: 'RICHARD',
          prenom: 'Nadia',
          dateNaissance: '1985-03-03',
          profiles: ['responsable'],
        },
      ],
    );
    expect(report.rows[0]?.finding.kind).toBe('ambiguous');
  });
});

describe('both noms and the postcode, as PRONOTE compares them', () => {
  it('finds a married parent under the other nom a national file gave, and proposes her safely', async () => {
    const report = await reconciled(
      [newAccount('r-1', 'responsable', 'BENALI', 'Nadia', { nomNaissance: 'DUPONT' })],
      [{ login: 'nadia.d', nom: 'DUPONT', prenom: 'Nadia', dateNaissance: null, profiles: ['responsable'] }],
    );
    const finding = report.rows[0]?.finding;
    expect(finding).toMatchObject({ kind: 'match', account: { id: 'r-1' }, fields: { nom: 'normalised' } });
    expect(finding && isSafe(finding)).toBe(true);
  });

  it('compares the birth name the ENT sends (AAF) with the one PRONOTE shows', async () => {
    const report = await reconciled(
      [newAccount('p-1', 'professeur', 'DUBOIS', 'Michelle', { dateNaissance: '1980-02-02' })],
      [
        {
          login: 'michelle.moreau',
          nom: 'MOREAU',
          nomNaissance: 'DUBOIS',
          prenom: 'Michelle',
          dateNaissance: '1980-02-02',
          profiles: ['professeur'],
        },
      ],
    );
    expect(report.rows[0]?.finding).toMatchObject({ kind: 'match', account: { id: 'p-1' } });
  });

  const sophies = [
    newAccount('r-8', 'responsable', 'MARTIN', 'Sophie', { codePostal: '13008' }),
    newAccount('r-12', 'responsable', 'MARTIN', 'Sophie', { codePostal: '13012' }),
  ];

  it('tells namesake responsables without birth date apart by postcode when both sides have one', async () => {
    const report = await reconciled(sophies, [
      {
        login: 'sophie.m',
        nom: 'MARTIN',
        prenom: 'Sophie',
        dateNaissance: null,
        codePostal: '13012',
        profiles: ['responsable'],
      },
    ]);
    const finding = report.rows[0]?.finding;
    expect(finding).toMatchObject({ kind: 'match', account: { id: 'r-12' }, homonyms: [] });
    expect(finding && isSafe(finding)).toBe(true);
  });

  it('never proposes as safe a responsable found on the name alone when a namesake exists', async () => {
    const report = await reconciled(sophies, [
      { login: 'sophie.m', nom: 'MARTIN', prenom: 'Sophie', dateNaissance: null, profiles: ['responsable'] },
    ]);
    const finding = report.rows[0]?.finding;
    expect(finding?.kind).toBe('ambiguous');
    expect(finding && isSafe(finding)).toBe(false);
  });

  it('does not link a responsable whose postcode differs: a mismatch to look at', async () => {
    const report = await reconciled(
      [newAccount('r-8', 'responsable', 'MARTIN', 'Sophie', { codePostal: '13008' })],
      [
        {
          login: 'sophie.m',
          nom: 'MARTIN',
          prenom: 'Sophie',
          dateNaissance: null,
          codePostal: '69003',
          profiles: ['responsable'],
        },
      ],
    );
    expect(report.rows[0]?.finding).toMatchObject({
      kind: 'mismatch',
      account: { id: 'r-8' },
      codePostal: 'different',
    });
    const row = report.rows[0];
    expect(row && findingDetail(row)).toContain('code postal différent');
  });

  it('reconciles a teacher who is also a parent in each profile', async () => {
    const report = await reconciled(
      [
        newAccount('p-1', 'professeur', 'GERVAIS', 'Florence', { dateNaissance: '1975-05-05' }),
        newAccount('r-1', 'responsable', 'GERVAIS', 'Florence'),
      ],
      [
        {
          login: 'florence.gervais',
          nom: 'GERVAIS',
          prenom: 'Florence',
          dateNaissance: '1975-05-05',
          profiles: ['professeur', 'responsable'],
        },
      ],
    );
    expect(
      report.rows.map((r) => [
        r.profile,
        r.finding.kind,
        'account' in r.finding ? r.finding.account.id : null,
      ]),
    ).toEqual([
      ['responsable', 'match', 'r-1'],
      ['professeur', 'match', 'p-1'],
    ]);
  });
});
