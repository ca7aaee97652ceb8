import { beforeEach, describe, expect, it } from 'vitest';
import type { AafIdentities, AafIdentity } from '../../src/ent/aaf-port.js';

/** A new empty database per call, the AAF identities opened on it. */
export type AafFactory = () => Promise<AafIdentities>;

const A = '0990001X';
const B = '0990002Y';

const person = (
  uai: string,
  sourceId: string,
  nom: string,
  extra: Partial<AafIdentity> = {},
): AafIdentity => ({
  uai,
  sourceId,
  profile: 'eleve',
  nom,
  nomNaissance: null,
  prenom: 'Léa',
  dateNaissance: '2012-04-03',
  codePostal: null,
  ...extra,
});

async function* batches(...lists: AafIdentity[][]): AsyncGenerator<AafIdentity[]> {
  for (const list of lists) yield list;
}

async function* failing(first: AafIdentity[]): AsyncGenerator<AafIdentity[]> {
  yield first;
  throw new Error('fichier tronqué');
}

const sources = (list: AafIdentity[]) => list.map((a) => `${a.sourceId}:${a.nom}`);

/** What every store of AAF identities must do, run against SQLite and PostgreSQL. */
export function aafIdentitiesContract(name: string, fresh: AafFactory): void {
  describe(`AAF identities contract: ${name}`, () => {
    let aaf: AafIdentities;
    beforeEach(async () => {
      aaf = await fresh();
      await aaf.loadRegion(
        batches(
          [person(A, '1', 'DUPONT'), person(B, '7', 'ROUX')],
          [
            person(A, '2', 'DUPONT', {
              profile: 'responsable',
              nomNaissance: 'BENALI',
              dateNaissance: null,
              codePostal: '13001',
            }),
          ],
        ),
      );
    });

    it('stores each school’s people with both noms, birth date and postcode as read', async () => {
      expect(await aaf.listSchool(A)).toEqual([
        person(A, '1', 'DUPONT'),
        person(A, '2', 'DUPONT', {
          profile: 'responsable',
          nomNaissance: 'BENALI',
          dateNaissance: null,
          codePostal: '13001',
        }),
      ]);
    });

    it('a new delivery replaces the schools it names, keeps the others, and a repeated record once', async () => {
      const loaded = await aaf.loadRegion(
        batches([person(A, '3', 'MARTIN')], [person(A, '3', 'MARTIN-BIS'), person(A, '4', 'LEROY')]),
      );
      expect(loaded).toEqual({ schools: 1, people: 3 });
      expect(sources(await aaf.listSchool(A))).toEqual(['3:MARTIN', '4:LEROY']);
      expect(sources(await aaf.listSchool(B))).toEqual(['7:ROUX']);
    });

    it('a delivery refused half-way leaves every school as it was', async () => {
      await expect(aaf.loadRegion(failing([person(A, '9', 'NOUVEAU')]))).rejects.toThrow('fichier tronqué');
      expect(sources(await aaf.listSchool(A))).toEqual(['1:DUPONT', '2:DUPONT']);
      // The store is usable afterwards: the transaction was ended.
      await aaf.loadRegion(batches([person(B, '8', 'PETIT')]));
      expect(sources(await aaf.listSchool(B))).toEqual(['8:PETIT']);
    });
  });
}
