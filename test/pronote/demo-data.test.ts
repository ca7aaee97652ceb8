import type { Database } from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../src/cli/seed-demo.js';
import type { EntAccount } from '../../src/ent/port.js';
import { sqliteEntDirectory } from '../../src/ent/sqlite.js';
import { DEMO_CASES, DEMO_UAI } from '../../src/pronote/demo-data.js';
import { foldText } from '../../src/pronote/normalise.js';
import { CasIdTakenError, type PronoteAccount } from '../../src/pronote/port.js';
import { sqlitePronote } from '../../src/pronote/sqlite.js';
import { openMemoryDatabase } from '../../src/store/database.js';

describe('demo base', () => {
  let db: Database;
  let pronote: ReturnType<typeof sqlitePronote>;
  let ent: ReturnType<typeof sqliteEntDirectory>;
  const account = (id: string) => pronote.getAccount(DEMO_UAI, id) as PronoteAccount;
  const entUser = (login: string) => ent.findByLogin(DEMO_UAI, login) as EntAccount;

  beforeAll(() => {
    db = openMemoryDatabase();
    expect(seedDemoIfEmpty(db)).toBe(true);
    pronote = sqlitePronote(db);
    ent = sqliteEntDirectory(db);
  });

  it('seeds once: a second start leaves the base as it is', () => {
    const before = pronote.searchAccounts(DEMO_UAI, { limit: 500 }).length;
    expect(seedDemoIfEmpty(db)).toBe(false);
    expect(pronote.searchAccounts(DEMO_UAI, { limit: 500 })).toHaveLength(before);
  });

  it('holds the two schools, one with its Espace Parents unpublished', () => {
    expect(pronote.listSchools().map((s) => s.uai)).toEqual(['0130001A', '0130002B']);
    expect(pronote.getPublication(DEMO_UAI)?.espaces.parents).toBe(true);
    const other = pronote.getPublication(DEMO_CASES.espaceUnpublished.uai);
    expect(other).toMatchObject({ basePublished: true, espaces: { parents: false, eleves: true } });
    expect(ent.findByLogin(null, DEMO_CASES.espaceUnpublished.login)?.profiles).toEqual(['responsable']);
  });

  it('lists the nineteen teachers of the FAQ screenshot with their PRONOTE-ENT codes', () => {
    const teachers = pronote.searchAccounts(DEMO_UAI, { profile: 'professeur', limit: 100 });
    expect(teachers.filter((t) => t.id !== 'prof-moreau')).toHaveLength(19);
    expect(account('prof-albert')).toMatchObject({
      nom: 'ALBERT',
      prenom: 'Marie-Désirée',
      pronoteEntId: '73WNQJFY5T8HU9A4',
    });
    expect(account('prof-levy')).toMatchObject({
      nom: 'LEVY',
      prenom: 'Giovanni',
      pronoteEntId: 'JSETHN4BARDKY2FZ',
    });
    expect(account('prof-gaudin').pronoteEntId).toBe('C7ZMDHKQ5W29PVNB');
  });

  it('lists the pupils of 5A with the birth dates the screenshot shows', () => {
    const fiveA = pronote
      .searchAccounts(DEMO_UAI, { profile: 'eleve', limit: 100 })
      .filter((p) => p.classe === '5A');
    expect(fiveA).toHaveLength(13);
    expect(account('eleve-bertin-tayeb').dateNaissance).toBe('1999-11-08');
    expect(account('eleve-bossard-damien').dateNaissance).toBe('2000-02-20');
    expect(account('eleve-didier-elliot').dateNaissance).toBe('1999-09-12');
  });

  it('links GERVAIS to florence.gervais', () => {
    const { accountId, login } = DEMO_CASES.casIdLinked;
    expect(pronote.findByCasId(DEMO_UAI, login)?.id).toBe(accountId);
    expect(entUser(login).nom).toBe('GERVAIS');
  });

  it('has DEJEAN holding michelle.moreau, a real teacher of the ENT whose own account cannot take it', () => {
    const { holderId, login, ownerId } = DEMO_CASES.wrongCasId;
    expect(pronote.findByCasId(DEMO_UAI, login)?.id).toBe(holderId);
    expect(entUser(login)).toMatchObject({ nom: 'MOREAU', prenom: 'Michelle' });
    expect(account(ownerId).prenom).toBe('Michèle');
    expect(() => pronote.setCasId(DEMO_UAI, ownerId, 1, login, { actor: 'test' })).toThrow(CasIdTakenError);
  });

  it('has a pupil whose ENT birth date swaps day and month', () => {
    const { accountId, login } = DEMO_CASES.dateSwapped;
    const [y, m, d] = (account(accountId).dateNaissance ?? '').split('-');
    expect(entUser(login).dateNaissance).toBe(`${y}-${d}-${m}`);
  });

  it('has a teacher whose prénom lacks its accent in the ENT', () => {
    const { accountId, login } = DEMO_CASES.accentMissing;
    expect(entUser(login).prenom).not.toBe(account(accountId).prenom);
    expect(foldText(entUser(login).prenom)).toBe(foldText(account(accountId).prenom));
  });

  it('has a parent the ENT knows by her usage name, still found as a candidate', () => {
    const { accountId, login } = DEMO_CASES.usageName;
    const e = entUser(login);
    expect(e.nom).not.toBe(account(accountId).nom);
    expect(pronote.findCandidates(DEMO_UAI, e).map((a) => a.id)).toContain(accountId);
  });

  it('has users whose ENT login changed while PRONOTE keeps the old one', () => {
    for (const { accountId, oldLogin, login } of DEMO_CASES.changedLogin) {
      expect(account(accountId).casId).toBe(oldLogin);
      expect(ent.findByLogin(null, oldLogin)).toBeNull();
      expect(entUser(login).nom).toBe(account(accountId).nom);
    }
  });

  it('has two pupils of the same nom and prénom in different classes', () => {
    const [first, second] = DEMO_CASES.homonyms.accountIds.map(account);
    expect([first?.nom, first?.prenom]).toEqual([second?.nom, second?.prenom]);
    expect(first?.classe).not.toBe(second?.classe);
    const e = entUser(DEMO_CASES.homonyms.logins[0]);
    expect(pronote.findCandidates(DEMO_UAI, { nom: e.nom, prenom: e.prenom }).map((a) => a.id)).toEqual(
      expect.arrayContaining([...DEMO_CASES.homonyms.accountIds]),
    );
  });

  it('has a parent without « Esp. par. », BOSSARD Robert', () => {
    const { accountId, childId, login } = DEMO_CASES.parentWithoutAccess;
    expect(account(accountId)).toMatchObject({ nom: 'BOSSARD', prenom: 'Robert', espaceParents: false });
    expect(pronote.responsablesOf(DEMO_UAI, childId).map((r) => r.id)).toContain(accountId);
    expect(entUser(login).profiles).toEqual(['responsable']);
  });

  it('has the personnel of the FAQ’s error page', () => {
    expect(account(DEMO_CASES.errorPage.accountId)).toMatchObject({ nom: 'SUPPORT', prenom: 'Personnel' });
    expect(entUser(DEMO_CASES.errorPage.login).profiles).toEqual(['personnel']);
  });

  it('gives every PRONOTE account of the demo an ENT account', () => {
    const logins = ent.listSchool(DEMO_UAI);
    expect(logins).toHaveLength(pronote.searchAccounts(DEMO_UAI, { limit: 500 }).length);
    expect(new Set(logins.map((a) => a.login)).size).toBe(logins.length);
  });
});
