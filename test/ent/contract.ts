import { beforeEach, describe, expect, it } from 'vitest';
import type { EntAccount, EntDirectory, EntLoader } from '../../src/ent/port.js';

type Ent = EntDirectory & EntLoader;

/**
 * A new empty database per call; the function it answers opens one more directory on that database, as
 * another instance (or the import CLI) would.
 */
export type EntFactory = () => Promise<() => Promise<Ent>>;

const A = '0990001X';
const B = '0990002Y';

const ent = (login: string, nom: string, prenom: string, extra: Partial<EntAccount> = {}): EntAccount => ({
  login,
  uai: A,
  nom,
  prenom,
  dateNaissance: null,
  profiles: ['professeur'],
  ...extra,
});

const logins = (accounts: EntAccount[]) => accounts.map((a) => a.login);

/** What every ENT directory must do, run against SQLite and PostgreSQL. */
export function entDirectoryContract(name: string, fresh: EntFactory): void {
  describe(`ENT directory contract: ${name}`, () => {
    let open: () => Promise<Ent>;
    let directory: Ent;
    beforeEach(async () => {
      open = await fresh();
      directory = await open();
      await directory.replaceSchool(A, [
        ent('veronique.lemaitre', 'LEMAITRE', 'Veronique', { dateNaissance: '1975-03-02' }),
        ent('michelle.moreau', 'MOREAU', 'Michelle'),
        ent('tayeb.bertin', 'BERTIN', 'Tayeb', { profiles: ['eleve'], dateNaissance: '1999-08-11' }),
        ent('laurence.chopin', 'CHOPIN', 'Laurence', { profiles: ['responsable', 'personnel'] }),
      ]);
      await directory.replaceSchool(B, [ent('helene.garnier', 'GARNIER', 'Hélène', { uai: B })]);
    });

    describe('findByLogin', () => {
      it('reads the identity the CAS sends: nom, prénom, date, profiles', async () => {
        expect(await directory.findByLogin(A, 'tayeb.bertin')).toEqual({
          login: 'tayeb.bertin',
          uai: A,
          nom: 'BERTIN',
          prenom: 'Tayeb',
          dateNaissance: '1999-08-11',
          profiles: ['eleve'],
        });
      });

      it('keeps the birth name and the postcode an AAF file gave, and the PRONOTE-ENT code an export gave', async () => {
        await directory.replaceSchool(B, [
          {
            ...ent('nadia.dupont', 'DUPONT', 'Nadia', { uai: B }),
            nomNaissance: 'BENALI',
            codePostal: '13001',
            pronoteEntId: 'PE-0042',
          },
        ]);
        expect(await directory.findByLogin(B, 'nadia.dupont')).toMatchObject({
          nomNaissance: 'BENALI',
          codePostal: '13001',
          pronoteEntId: 'PE-0042',
        });
        expect((await directory.findByLogin(A, 'tayeb.bertin')) ?? {}).not.toHaveProperty('pronoteEntId');
        expect(await directory.listSchool(B)).toHaveLength(1);
      });

      it('keeps every profile of a person who has several', async () => {
        expect((await directory.findByLogin(A, 'laurence.chopin'))?.profiles).toEqual([
          'responsable',
          'personnel',
        ]);
      });

      it('ignores case and surrounding spaces, as a CAS login does', async () => {
        expect((await directory.findByLogin(A, ' Michelle.Moreau '))?.nom).toBe('MOREAU');
        expect((await directory.findByLogin(null, 'HELENE.GARNIER'))?.login).toBe('helene.garnier');
      });

      it('looks in one school, or in all of them', async () => {
        expect(await directory.findByLogin(A, 'helene.garnier')).toBeNull();
        expect((await directory.findByLogin(null, 'helene.garnier'))?.uai).toBe(B);
        expect(await directory.findByLogin(null, 'nobody')).toBeNull();
      });
    });

    describe('search', () => {
      it('finds a fragment of nom or prénom, ignoring case and accents', async () => {
        expect(logins(await directory.search(A, 'véro'))).toEqual(['veronique.lemaitre']);
        expect(logins(await directory.search(B, 'HELENE'))).toEqual(['helene.garnier']);
      });

      it('wants every word typed, in any order', async () => {
        expect(logins(await directory.search(A, 'moreau mich'))).toEqual(['michelle.moreau']);
        expect(await directory.search(A, 'moreau tayeb')).toEqual([]);
      });

      it('finds the start of a login, whatever its case', async () => {
        expect(logins(await directory.search(A, 'michelle.m'))).toEqual(['michelle.moreau']);
        expect(logins(await directory.search(A, 'Tayeb.B'))).toEqual(['tayeb.bertin']);
      });

      it('reads % as the character typed, not as a wildcard', async () => {
        expect(await directory.search(A, 'mich%eau')).toEqual([]);
        expect(await directory.search(A, '%')).toEqual([]);
      });

      it('stays within the school and the limit, ordered by name', async () => {
        expect(await directory.search(A, 'garnier')).toEqual([]);
        expect(logins(await directory.search(A, 'e', 2))).toEqual(['tayeb.bertin', 'laurence.chopin']);
      });

      it('finds nobody for an empty text', async () => {
        expect(await directory.search(A, '  ')).toEqual([]);
      });
    });

    describe('listSchool and replaceSchool', () => {
      it('lists a school by name', async () => {
        expect((await directory.listSchool(A)).map((a) => a.nom)).toEqual([
          'BERTIN',
          'CHOPIN',
          'LEMAITRE',
          'MOREAU',
        ]);
      });

      it('replaces a school’s accounts and leaves the others', async () => {
        await directory.replaceSchool(A, [ent('anne.doucet2', 'DOUCET', 'Anne')]);
        expect(logins(await directory.listSchool(A))).toEqual(['anne.doucet2']);
        expect(await directory.listSchool(B)).toHaveLength(1);
        expect(await directory.findByLogin(A, 'tayeb.bertin')).toBeNull();
      });

      it('refuses two accounts whose logins differ only by case, and keeps the school as it was', async () => {
        await expect(
          directory.replaceSchool(A, [
            ent('anne.doucet', 'DOUCET', 'Anne'),
            ent('Anne.Doucet', 'DOUCET', 'Anne'),
          ]),
        ).rejects.toThrow();
        expect(await directory.listSchool(A)).toHaveLength(4);
      });

      it('empties a school replaced by nothing', async () => {
        await directory.replaceSchool(A, []);
        expect(await directory.listSchool(A)).toEqual([]);
      });

      it('keeps one whole export when two imports of a school run at once', async () => {
        const other = await open();
        const first = [ent('anne.doucet', 'DOUCET', 'Anne'), ent('paul.durand', 'DURAND', 'Paul')];
        const second = [ent('anne.doucet', 'DOUCET', 'Anne'), ent('lea.martin', 'MARTIN', 'Léa')];
        await Promise.all([directory.replaceSchool(A, first), other.replaceSchool(A, second)]);
        const kept = logins(await directory.listSchool(A));
        expect([logins(first), logins(second)].map((l) => [...l].sort())).toContainEqual([...kept].sort());
      });
    });
  });
}
