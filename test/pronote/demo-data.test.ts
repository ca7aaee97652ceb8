import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../src/cli/seed-demo.js';
import type { EntAccount } from '../../src/ent/port.js';
import { sqliteEntDirectory } from '../../src/ent/sqlite/index.js';
import { DEMO_CASES, DEMO_UAI } from '../../src/pronote/demo-data.js';
import { CasIdTakenError } from '../../src/pronote/errors.js';
import type { PronoteAccount } from '../../src/pronote/model.js';
import { foldText } from '../../src/pronote/normalise.js';
import { sqlitePronote } from '../../src/pronote/sqlite/index.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';

describe('demo base', () => {
  let pronote: ReturnType<typeof sqlitePronote>;
  let ent: ReturnType<typeof sqliteEntDirectory>;
  const account = async (id: string) => (await pronote.getAccount(DEMO_UAI, id)) as PronoteAccount;
  const entUser = async (login: string) => (await ent.findByLogin(DEMO_UAI, login)) as EntAccount;

  beforeAll(async () => {
    const db = openMemoryDatabase();
    pronote = sqlitePronote(db);
    ent = sqliteEntDirectory(db);
    expect(await seedDemoIfEmpty({ pronote, ent })).toBe(true);
  });

  it('seeds once: a second start leaves the base as it is', async () => {
    const before = (await pronote.searchAccounts(DEMO_UAI, { limit: 500 })).length;
    expect(await seedDemoIfEmpty({ pronote, ent })).toBe(false);
    expect(await pronote.searchAccounts(DEMO_UAI, { limit: 500 })).toHaveLength(before);
  });

  it('holds the two schools, one with its Espace Parents unpublished', async () => {
    expect((await pronote.listSchools()).map((s) => s.uai)).toEqual(['0130001A', '0130002B']);
    expect((await pronote.getPublication(DEMO_UAI))?.espaces.parents).toBe(true);
    const other = await pronote.getPublication(DEMO_CASES.espaceUnpublished.uai);
    expect(other).toMatchObject({ basePublished: true, espaces: { parents: false, eleves: true } });
    expect((await ent.findByLogin(null, DEMO_CASES.espaceUnpublished.login))?.profiles).toEqual([
      'responsable',
    ]);
  });

  it('lists the nineteen teachers of the FAQ screenshot with their PRONOTE-ENT codes', async () => {
    const teachers = await pronote.searchAccounts(DEMO_UAI, { profile: 'professeur', limit: 100 });
    expect(teachers.filter((t) => t.id !== 'prof-moreau')).toHaveLength(19);
    expect(await account('prof-albert')).toMatchObject({
      nom: 'ALBERT',
      prenom: 'Marie-Désirée',
      pronoteEntId: '73WNQJFY5T8HU9A4',
    });
    expect(await account('prof-levy')).toMatchObject({
      nom: 'LEVY',
      prenom: 'Giovanni',
      pronoteEntId: 'JSETHN4BARDKY2FZ',
    });
    expect((await account('prof-gaudin')).pronoteEntId).toBe('C7ZMDHKQ5W29PVNB');
  });

  it('lists the pupils of 5A with the birth dates the screenshot shows', async () => {
    const fiveA = (await pronote.searchAccounts(DEMO_UAI, { profile: 'eleve', limit: 100 })).filter(
      (p) => p.classe === '5A',
    );
    expect(fiveA).toHaveLength(13);
    expect((await account('eleve-bertin-tayeb')).dateNaissance).toBe('1999-11-08');
    expect((await account('eleve-bossard-damien')).dateNaissance).toBe('2000-02-20');
    expect((await account('eleve-didier-elliot')).dateNaissance).toBe('1999-09-12');
  });

  it('links GERVAIS to florence.gervais', async () => {
    const { accountId, login } = DEMO_CASES.casIdLinked;
    expect((await pronote.findByCasId(DEMO_UAI, login))?.id).toBe(accountId);
    expect((await entUser(login)).nom).toBe('GERVAIS');
  });

  it('has DEJEAN holding michelle.moreau, a real teacher of the ENT whose own account cannot take it', async () => {
    const { holderId, login, ownerId } = DEMO_CASES.wrongCasId;
    expect((await pronote.findByCasId(DEMO_UAI, login))?.id).toBe(holderId);
    expect(await entUser(login)).toMatchObject({ nom: 'MOREAU', prenom: 'Michelle' });
    expect((await account(ownerId)).prenom).toBe('Michèle');
    await expect(pronote.setCasId(DEMO_UAI, ownerId, 1, login, { actor: 'test' })).rejects.toThrow(
      CasIdTakenError,
    );
  });

  it('has a pupil whose ENT birth date swaps day and month', async () => {
    const { accountId, login } = DEMO_CASES.dateSwapped;
    const [y, m, d] = ((await account(accountId)).dateNaissance ?? '').split('-');
    expect((await entUser(login)).dateNaissance).toBe(`${y}-${d}-${m}`);
  });

  it('has a teacher whose prénom lacks its accent in the ENT', async () => {
    const { accountId, login } = DEMO_CASES.accentMissing;
    expect((await entUser(login)).prenom).not.toBe((await account(accountId)).prenom);
    expect(foldText((await entUser(login)).prenom)).toBe(foldText((await account(accountId)).prenom));
  });

  it('has a parent the ENT knows by her usage name, still found as a candidate', async () => {
    const { accountId, login } = DEMO_CASES.usageName;
    const e = await entUser(login);
    expect(e.nom).not.toBe((await account(accountId)).nom);
    expect((await pronote.findCandidates(DEMO_UAI, e)).map((a) => a.id)).toContain(accountId);
  });

  it('has users whose ENT login changed while PRONOTE keeps the old one', async () => {
    for (const { accountId, oldLogin, login } of DEMO_CASES.changedLogin) {
      expect((await account(accountId)).casId).toBe(oldLogin);
      expect(await ent.findByLogin(null, oldLogin)).toBeNull();
      expect((await entUser(login)).nom).toBe((await account(accountId)).nom);
    }
  });

  it('has two pupils of the same nom and prénom in different classes', async () => {
    const [first, second] = await Promise.all(DEMO_CASES.homonyms.accountIds.map(account));
    expect([first?.nom, first?.prenom]).toEqual([second?.nom, second?.prenom]);
    expect(first?.classe).not.toBe(second?.classe);
    const e = await entUser(DEMO_CASES.homonyms.logins[0]);
    expect(
      (await pronote.findCandidates(DEMO_UAI, { nom: e.nom, prenom: e.prenom })).map((a) => a.id),
    ).toEqual(expect.arrayContaining([...DEMO_CASES.homonyms.accountIds]));
  });

  it('has a parent without « Esp. par. », BOSSARD Robert', async () => {
    const { accountId, childId, login } = DEMO_CASES.parentWithoutAccess;
    expect(await account(accountId)).toMatchObject({
      nom: 'BOSSARD',
      prenom: 'Robert',
      espaceParents: false,
    });
    expect((await pronote.responsablesOf(DEMO_UAI, childId)).map((r) => r.id)).toContain(accountId);
    expect((await entUser(login)).profiles).toEqual(['responsable']);
  });

  it('has the personnel of the FAQ’s error page', async () => {
    expect(await account(DEMO_CASES.errorPage.accountId)).toMatchObject({
      nom: 'SUPPORT',
      prenom: 'Personnel',
    });
    expect((await entUser(DEMO_CASES.errorPage.login)).profiles).toEqual(['personnel']);
  });

  it('gives every PRONOTE account of the demo an ENT account', async () => {
    const logins = await ent.listSchool(DEMO_UAI);
    expect(logins).toHaveLength((await pronote.searchAccounts(DEMO_UAI, { limit: 500 })).length);
    expect(new Set(logins.map((a) => a.login)).size).toBe(logins.length);
  });
});
