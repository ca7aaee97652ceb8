import { beforeEach, describe, expect, it } from 'vitest';
import { SchoolExistsError } from '../../src/pronote/errors.js';
import { newAccount } from '../../src/pronote/model.js';
import type { PronoteLoader, PronotePort } from '../../src/pronote/port.js';
import { pronoteBatchContract } from './contract-batch.js';
import { pronoteCorrectionContract } from './contract-corrections.js';
import { OTHER_UAI, otherSchool, school, UAI } from './contract-fixture.js';
import { pronoteSettingsContract } from './contract-settings.js';
import { pronoteWriteContract } from './contract-writes.js';

/** A fresh, empty store per call; the suite loads its own fixture through the loader. */
export type PronoteFactory = () => Promise<PronotePort & PronoteLoader>;

const ids = (list: { id: string }[]) => list.map((a) => a.id);

/**
 * What every PRONOTE adapter must do, run against each one (SQLite today, PostgreSQL later), so the
 * flows behave the same whatever base they sit on.
 */
export function pronoteContract(name: string, factory: PronoteFactory): void {
  describe(`PRONOTE port contract: ${name}`, () => {
    let port: PronotePort & PronoteLoader;
    beforeEach(async () => {
      port = await factory();
      await port.loadSchool(school, { replace: false });
      await port.loadSchool(otherSchool, { replace: false });
    });

    describe('schools and accounts', () => {
      it('lists the loaded schools and finds one by UAI', async () => {
        expect(await port.listSchools()).toEqual([
          { uai: UAI, name: 'Collège du Contrat' },
          { uai: OTHER_UAI, name: 'Collège Voisin' },
        ]);
        expect((await port.getSchool(OTHER_UAI))?.name).toBe('Collège Voisin');
        expect(await port.getSchool('0000000Z')).toBeNull();
      });

      it('reads an account with every field PRONOTE shows, at version 1', async () => {
        expect(await port.getAccount(UAI, 'r-bossard')).toEqual({
          id: 'r-bossard',
          uai: UAI,
          profile: 'responsable',
          nom: 'BOSSARD',
          prenom: 'Robert',
          dateNaissance: null,
          casId: null,
          pronoteEntId: null,
          classe: null,
          espaceParents: false,
          email: null,
          version: 1,
        });
      });

      it('keeps the other nom and the postcode a national file gave, and reads them back', async () => {
        const [first] = school.accounts;
        if (!first) throw new Error('empty fixture');
        const married = { ...first, id: 'r-married', nomNaissance: 'BENALI', codePostal: '13001' };
        await port.loadSchool({ ...school, accounts: [...school.accounts, married] }, { replace: true });
        expect(await port.getAccount(UAI, 'r-married')).toMatchObject({
          nomNaissance: 'BENALI',
          codePostal: '13001',
        });
        const plain = await port.getAccount(UAI, first.id);
        expect(plain && 'nomNaissance' in plain).toBe(false);
      });

      it('answers null for an unknown account, or one of another school', async () => {
        expect(await port.getAccount(UAI, 'nobody')).toBeNull();
        expect(await port.getAccount(OTHER_UAI, 'r-bossard')).toBeNull();
      });

      it('refuses to load a school twice unless asked to replace it', async () => {
        await expect(port.loadSchool(school, { replace: false })).rejects.toThrow(SchoolExistsError);
        const counts = await port.loadSchool(school, { replace: true });
        expect(counts).toEqual({ eleve: 5, responsable: 2, professeur: 4, personnel: 1 });
        expect(await port.searchAccounts(UAI, { limit: 100 })).toHaveLength(12);
      });

      it('keeps counting versions across a replace, so a fix prepared on the old data is refused', async () => {
        const before = await port.getAccount(UAI, 'e-bertin');
        await port.loadSchool(school, { replace: true });
        expect((await port.getAccount(UAI, 'e-bertin'))?.version).toBe((before?.version ?? 0) + 1);
      });
    });

    describe('findCandidates', () => {
      const find = async (
        identity: { nom: string; prenom: string; dateNaissance?: string; nomNaissance?: string },
        uai: string | null = UAI,
      ) => ids(await port.findCandidates(uai, identity));

      it('finds the same nom whatever the case and accents', async () => {
        expect(await find({ nom: 'Lemaitre', prenom: 'Veronique' })).toEqual(['p-lemaitre']);
      });

      it('finds the same nom with another prénom or a swapped date', async () => {
        expect(await find({ nom: 'bertin', prenom: 'Tayyeb', dateNaissance: '1999-08-11' })).toContain(
          'e-bertin',
        );
      });

      it('finds the same prénom and birth date under another nom (usage name)', async () => {
        expect(await find({ nom: 'CHOPIN', prenom: 'Laurence', dateNaissance: '1972-05-14' })).toEqual([
          'r-mercier',
        ]);
      });

      it('finds a person under the other nom, usage or birth, on either side', async () => {
        const [first] = school.accounts;
        if (!first) throw new Error('empty fixture');
        // PRONOTE shows the married name, SIECLE gave the birth name; the ENT sends no birth date.
        const married = newAccount('r-married', 'responsable', 'GARNIER', 'Yasmine', {
          nomNaissance: 'BENALI',
          dateNaissance: '1980-03-02',
        });
        await port.loadSchool({ ...school, accounts: [...school.accounts, married] }, { replace: true });
        // The ENT sends the birth name only.
        expect(await find({ nom: 'Benali', prenom: 'Yasmine' })).toEqual(['r-married']);
        // The ENT sends a third nom and the birth name beside it (AAF sn and ENTPersonNomPatro).
        expect(await find({ nom: 'ROUSSEL', prenom: 'Yasmine', nomNaissance: 'GARNIER' })).toEqual([
          'r-married',
        ]);
        expect(await find({ nom: 'ROUSSEL', prenom: 'Yasmine', nomNaissance: 'Benali' }, null)).toEqual([
          'r-married',
        ]);
        expect(await find({ nom: 'ROUSSEL', prenom: 'Yasmine' })).toEqual([]);
      });

      it('finds nom and prénom swapped', async () => {
        expect(await find({ nom: 'Julien', prenom: 'Thomas' })).toEqual(['e-swapped']);
      });

      it('finds a compound nom from one of its parts, and the reverse', async () => {
        expect(await find({ nom: 'Dupont', prenom: 'Léa' })).toEqual(['e-dupont-martin']);
        expect(await find({ nom: 'MARTIN DUPONT', prenom: 'Lea', dateNaissance: '2001-05-06' })).toEqual([
          'e-dupont-martin',
        ]);
      });

      it('finds a compound prénom from its first part', async () => {
        expect(await find({ nom: 'Albert', prenom: 'Marie' })).toEqual(['p-albert']);
      });

      it('stays within the school unless asked to look everywhere', async () => {
        expect(await find({ nom: 'LEMAITRE', prenom: 'Véronique' })).toEqual(['p-lemaitre']);
        expect((await find({ nom: 'LEMAITRE', prenom: 'Véronique' }, null)).sort()).toEqual([
          'p-lemaitre',
          'x-lemaitre',
        ]);
      });

      it('ranks first the account found by most rules', async () => {
        const found = await find({ nom: 'BOSSARD', prenom: 'Damien', dateNaissance: '2000-02-20' });
        expect(found[0]).toBe('e-bossard');
        expect(found).toContain('r-bossard');
      });

      it('finds nobody for a stranger, and honours the limit', async () => {
        expect(await find({ nom: 'Inconnu', prenom: 'Personne', dateNaissance: '1990-01-01' })).toEqual([]);
        expect(await port.findCandidates(UAI, { nom: 'BOSSARD', prenom: 'X' }, 1)).toHaveLength(1);
      });
    });

    describe('searchAccounts', () => {
      const search = async (
        text: string,
        extra: { profile?: 'eleve' | 'responsable'; limit?: number } = {},
      ) => ids(await port.searchAccounts(UAI, { text, limit: 50, ...extra }));

      it('finds a fragment of nom or prénom, ignoring case and accents', async () => {
        expect(await search('desiree')).toEqual(['p-albert']);
        expect(await search('MAÎTRE')).toEqual(['p-lemaitre']);
      });

      it('requires every word typed', async () => {
        expect(await search('bossard rob')).toEqual(['r-bossard']);
      });

      it('filters by profile', async () => {
        expect(await search('bossard', { profile: 'eleve' })).toEqual(['e-bossard']);
      });

      it('finds an exact Identifiant CAS or Identifiant PRONOTE-ENT', async () => {
        expect(await search('michelle.moreau')).toEqual(['p-dejean']);
        expect(await search('BCNP3DW7TVX9ME8R')).toEqual(['p-lemaitre']);
      });

      it('does not take % or _ as wildcards that list the whole school', async () => {
        expect(await search('%')).not.toContain('p-albert');
        expect(await search('_')).not.toContain('p-albert');
      });

      it('lists a profile without text, within the limit', async () => {
        expect(ids(await port.searchAccounts(UAI, { profile: 'responsable', limit: 10 }))).toEqual([
          'r-bossard',
          'r-mercier',
        ]);
        expect(await port.searchAccounts(UAI, { limit: 3 })).toHaveLength(3);
      });
    });

    describe('links, CAS ids and publication', () => {
      it('finds an account by its Identifiant CAS, without regard to case, within the school', async () => {
        expect((await port.findByCasId(UAI, 'Florence.Gervais'))?.id).toBe('p-gervais');
        expect((await port.findByCasId(OTHER_UAI, 'florence.gervais'))?.id).toBe('x-lemaitre');
        expect(await port.findByCasId(UAI, 'nobody')).toBeNull();
      });

      it('gives the responsables of a pupil and the pupils of a responsable', async () => {
        expect(ids(await port.responsablesOf(UAI, 'e-bossard'))).toEqual(['r-bossard', 'r-mercier']);
        expect(ids(await port.elevesOf(UAI, 'r-mercier'))).toEqual(['e-bertin', 'e-bossard']);
        expect(await port.responsablesOf(UAI, 'nobody')).toEqual([]);
      });

      it('gives the pupils of several responsables in one read, as one by one', async () => {
        const each = await port.elevesOfEach(UAI, ['r-mercier', 'r-bossard', 'nobody']);
        expect([...each.keys()]).toEqual(['r-mercier', 'r-bossard', 'nobody']);
        expect(each.get('r-mercier')).toEqual(await port.elevesOf(UAI, 'r-mercier'));
        expect(each.get('r-bossard')).toEqual(await port.elevesOf(UAI, 'r-bossard'));
        expect(each.get('nobody')).toEqual([]);
        expect((await port.elevesOfEach(OTHER_UAI, ['r-mercier'])).get('r-mercier')).toEqual([]);
        expect((await port.elevesOfEach(UAI, [])).size).toBe(0);
      });

      it('reads the console: base and each espace', async () => {
        const p = await port.getPublication(UAI);
        expect(p).toMatchObject({ uai: UAI, basePublished: true });
        expect(p?.espaces).toMatchObject({
          eleves: true,
          parents: false,
          professeurs: true,
          entreprise: false,
        });
        expect(await port.getPublication('0000000Z')).toBeNull();
      });
    });

    pronoteWriteContract(() => port);
    pronoteBatchContract(() => port);
    pronoteCorrectionContract(() => port);
    pronoteSettingsContract(() => port);
  });
}
