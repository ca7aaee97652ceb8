import { beforeEach, describe, expect, it } from 'vitest';
import type { EntAccount } from '../../src/ent/port.js';
import { sqliteEntDirectory } from '../../src/ent/sqlite.js';
import { openMemoryDatabase } from '../../src/store/database.js';

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

describe('SQLite ENT directory', () => {
  let directory: ReturnType<typeof sqliteEntDirectory>;
  beforeEach(() => {
    directory = sqliteEntDirectory(openMemoryDatabase());
    directory.replaceSchool(A, [
      ent('veronique.lemaitre', 'LEMAITRE', 'Veronique', { dateNaissance: '1975-03-02' }),
      ent('michelle.moreau', 'MOREAU', 'Michelle'),
      ent('tayeb.bertin', 'BERTIN', 'Tayeb', { profiles: ['eleve'], dateNaissance: '1999-08-11' }),
      ent('laurence.chopin', 'CHOPIN', 'Laurence', { profiles: ['responsable', 'personnel'] }),
    ]);
    directory.replaceSchool(B, [ent('helene.garnier', 'GARNIER', 'Hélène', { uai: B })]);
  });

  describe('findByLogin', () => {
    it('reads the identity the CAS sends: nom, prénom, date, profiles', () => {
      expect(directory.findByLogin(A, 'tayeb.bertin')).toEqual({
        login: 'tayeb.bertin',
        uai: A,
        nom: 'BERTIN',
        prenom: 'Tayeb',
        dateNaissance: '1999-08-11',
        profiles: ['eleve'],
      });
    });

    it('keeps every profile of a person who has several', () => {
      expect(directory.findByLogin(A, 'laurence.chopin')?.profiles).toEqual(['responsable', 'personnel']);
    });

    it('ignores case and surrounding spaces, as a CAS login does', () => {
      expect(directory.findByLogin(A, ' Michelle.Moreau ')?.nom).toBe('MOREAU');
    });

    it('looks in one school, or in all of them', () => {
      expect(directory.findByLogin(A, 'helene.garnier')).toBeNull();
      expect(directory.findByLogin(null, 'helene.garnier')?.uai).toBe(B);
      expect(directory.findByLogin(null, 'nobody')).toBeNull();
    });
  });

  describe('search', () => {
    it('finds a fragment of nom or prénom, ignoring case and accents', () => {
      expect(directory.search(A, 'véro').map((a) => a.login)).toEqual(['veronique.lemaitre']);
      expect(directory.search(B, 'HELENE').map((a) => a.login)).toEqual(['helene.garnier']);
    });

    it('finds the start of a login', () => {
      expect(directory.search(A, 'michelle.m').map((a) => a.login)).toEqual(['michelle.moreau']);
    });

    it('stays within the school and the limit', () => {
      expect(directory.search(A, 'garnier')).toEqual([]);
      expect(directory.search(A, 'e', 2)).toHaveLength(2);
    });

    it('finds nobody for an empty text', () => {
      expect(directory.search(A, '  ')).toEqual([]);
    });
  });

  describe('listSchool and replaceSchool', () => {
    it('lists a school by name', () => {
      expect(directory.listSchool(A).map((a) => a.nom)).toEqual(['BERTIN', 'CHOPIN', 'LEMAITRE', 'MOREAU']);
    });

    it('replaces a school’s accounts and leaves the others', () => {
      directory.replaceSchool(A, [ent('anne.doucet2', 'DOUCET', 'Anne')]);
      expect(directory.listSchool(A).map((a) => a.login)).toEqual(['anne.doucet2']);
      expect(directory.listSchool(B)).toHaveLength(1);
    });
  });
});
