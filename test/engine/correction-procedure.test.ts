import { describe, expect, it } from 'vitest';
import { pasteText, procedureOf } from '../../src/engine/correction-procedure.js';
import type { Correction, CorrectionPerson } from '../../src/pronote/corrections.js';
import { fr } from '../helpers/french.js';

const person = (extra: Partial<CorrectionPerson> = {}): CorrectionPerson => ({
  profile: 'eleve',
  nom: 'BERTIN',
  prenom: 'Tayeb',
  dateNaissance: '1999-11-08',
  pronoteEntId: null,
  ...extra,
});

const correction = (extra: Partial<Correction>): Correction => ({
  id: 'c-1',
  uai: '0130001A',
  batchId: 'b-1',
  kind: 'cas-id',
  state: 'pending',
  accountId: 'e-bertin',
  person: person(),
  changes: [{ field: 'casId', before: null, after: 'tayeb.bertin' }],
  at: '2026-11-29T10:00:00.000Z',
  by: 'agent.dupont',
  sessionId: null,
  step: null,
  appliedAt: null,
  appliedBy: null,
  settledAt: null,
  settledBy: null,
  seen: null,
  ...extra,
});

const children = (id: string) => (id === 'r-bossard' ? 'BOSSARD Damien' : '');

describe('what to do in PRONOTE, per fix', () => {
  it('Identifiant CAS of a pupil: found by Nom, Prénom, Né(e) le in the pupils’ list', () => {
    const p = procedureOf([correction({})], children);
    expect(p?.where).toBe('Client PRONOTE, Ressources › Élèves › Liste');
    expect(p?.steps[1]).toBe(
      fr(
        'Sur la ligne de BERTIN Tayeb (né(e) le 08/11/1999), saisissez « tayeb.bertin » dans la colonne « Identifiant CAS ».',
      ),
    );
    expect(p?.pastes).toEqual([
      {
        profile: 'eleve',
        list: 'Ressources › Élèves › Liste',
        columns: ['Nom', 'Prénom', 'Né(e) le', 'Identifiant CAS'],
        rows: [['BERTIN', 'Tayeb', '08/11/1999', 'tayeb.bertin']],
      },
    ]);
  });

  it('Identifiant CAS of a teacher: found by Nom, Prénom and Identifiant PRONOTE-ENT', () => {
    const p = procedureOf(
      [
        correction({
          person: person({
            profile: 'professeur',
            nom: 'LEMAITRE',
            prenom: 'Véronique',
            dateNaissance: null,
            pronoteEntId: 'BCNP3DW7TVX9ME8R',
          }),
          changes: [{ field: 'casId', before: null, after: 'veronique.lemaitre' }],
        }),
      ],
      children,
    );
    expect(p?.pastes[0]?.columns).toEqual(['Nom', 'Prénom', 'Identifiant PRONOTE-ENT', 'Identifiant CAS']);
    expect(p?.pastes[0]?.rows).toEqual([['LEMAITRE', 'Véronique', 'BCNP3DW7TVX9ME8R', 'veronique.lemaitre']]);
  });

  it('clearing Identifiant CAS: the menu path, and no rows since an empty cell clears nothing', () => {
    const p = procedureOf(
      [
        correction({
          kind: 'clear-cas-id',
          changes: [{ field: 'casId', before: 'tayeb.bertin', after: null }],
        }),
        correction({
          id: 'c-2',
          kind: 'clear-cas-id',
          accountId: 'e-bossard',
          person: person({ nom: 'BOSSARD', prenom: 'Damien', dateNaissance: '2000-02-20' }),
          changes: [{ field: 'casId', before: 'damien.bossard', after: null }],
        }),
      ],
      children,
    );
    expect(p?.steps).toEqual([
      'Ouvrez Ressources › Élèves › Liste.',
      'Sélectionnez BERTIN Tayeb (né(e) le 08/11/1999), BOSSARD Damien (né(e) le 20/02/2000) (Ctrl+clic pour en prendre plusieurs).',
      'Clic droit sur la sélection › Modifier la sélection › CAS et ENT › Supprimer l’identifiant CAS (ENT).',
    ]);
    expect(p?.pastes).toEqual([]);
    expect(p?.noPaste).toMatch(/cellule vide n’efface pas/);
  });

  it('Espace Parents: the responsable found by Nom, Prénom and their children, « Esp. par. » at Oui', () => {
    const p = procedureOf(
      [
        correction({
          kind: 'espace-parents',
          accountId: 'r-bossard',
          person: person({ profile: 'responsable', nom: 'BOSSARD', prenom: 'Robert', dateNaissance: null }),
          changes: [{ field: 'espaceParents', before: false, after: true }],
        }),
      ],
      children,
    );
    expect(p?.steps[1]).toBe(
      fr(
        'Cliquez sur la ligne de BOSSARD Robert (responsable de BOSSARD Damien) : sa fiche s’ouvre à droite.',
      ),
    );
    expect(p?.pastes).toEqual([
      {
        profile: 'responsable',
        list: 'Ressources › Responsables › Liste',
        columns: ['Nom', 'Prénom', 'Élèves', 'Esp. par.'],
        rows: [['BOSSARD', 'Robert', 'BOSSARD Damien', 'Oui']],
      },
    ]);
    expect(pasteText(p?.pastes[0] ?? { columns: [], rows: [] })).toBe(
      'Nom\tPrénom\tÉlèves\tEsp. par.\r\nBOSSARD\tRobert\tBOSSARD Damien\tOui\r\n',
    );
  });

  it('identity: cell by cell in the list; rows only when the Identifiant PRONOTE-ENT can find the person', () => {
    const fix = correction({
      kind: 'identity',
      changes: [{ field: 'dateNaissance', before: '1999-11-08', after: '1999-08-11' }],
    });
    const byHand = procedureOf([fix], children);
    expect(byHand?.steps[1]).toBe(
      fr(
        'Sur la ligne de BERTIN Tayeb (né(e) le 08/11/1999), cliquez dans chaque cellule à changer : « Né(e) le » : remplacez « 08/11/1999 » par « 11/08/1999 ».',
      ),
    );
    expect(byHand?.steps[2]).toMatch(/SIECLE/);
    expect(byHand?.pastes).toEqual([]);
    const withEntId = procedureOf(
      [{ ...fix, person: person({ pronoteEntId: 'DRM5T74PYVSCFJAZ' }) }],
      children,
    );
    expect(withEntId?.pastes[0]?.columns).toEqual(['Identifiant PRONOTE-ENT', 'Nom', 'Prénom', 'Né(e) le']);
    expect(withEntId?.pastes[0]?.rows).toEqual([['DRM5T74PYVSCFJAZ', 'BERTIN', 'Tayeb', '11/08/1999']]);
  });

  it('publication: the console’s three steps, no rows', () => {
    const p = procedureOf(
      [
        correction({
          kind: 'publish-espace',
          accountId: null,
          person: null,
          changes: [{ field: 'espaces.parents', before: false, after: true }],
        }),
      ],
      children,
    );
    expect(p?.where).toBe('Console de gestion de PRONOTE.net');
    expect(p?.steps.slice(1)).toEqual([
      'Dépubliez la base.',
      fr('Dans la liste des espaces, cochez « Espace Parents ».'),
      'Publiez de nouveau la base.',
    ]);
    expect(p?.pastes).toEqual([]);
  });

  it('a reconciliation batch: one block per list of the client', () => {
    const p = procedureOf(
      [
        correction({}),
        correction({
          id: 'c-2',
          accountId: 'p-gervais',
          person: person({ profile: 'professeur', nom: 'GERVAIS', prenom: 'Florence', dateNaissance: null }),
          changes: [{ field: 'casId', before: null, after: 'florence.gervais' }],
        }),
      ],
      children,
    );
    expect(p?.pastes.map((b) => [b.list, b.rows.length])).toEqual([
      ['Ressources › Élèves › Liste', 1],
      ['Ressources › Professeurs › Liste', 1],
    ]);
  });

  describe('the reverse, after undoing a correction done in PRONOTE', () => {
    it('takes the Identifiant CAS out again, with the menu', () => {
      const p = procedureOf(
        [correction({ state: 'undone', appliedAt: '2026-11-29T11:00:00.000Z' })],
        children,
        true,
      );
      expect(p?.steps[2]).toMatch(/Supprimer l’identifiant CAS \(ENT\)/);
      expect(p?.pastes).toEqual([]);
    });

    it('puts a cleared Identifiant CAS back, with its row', () => {
      const p = procedureOf(
        [
          correction({
            kind: 'clear-cas-id',
            changes: [{ field: 'casId', before: 'tayeb.bertin', after: null }],
          }),
        ],
        children,
        true,
      );
      expect(p?.pastes[0]?.rows).toEqual([['BERTIN', 'Tayeb', '08/11/1999', 'tayeb.bertin']]);
    });

    it('finds the person under the identity PRONOTE now has, and puts the old one back', () => {
      const p = procedureOf(
        [
          correction({
            kind: 'identity',
            changes: [{ field: 'dateNaissance', before: '1999-11-08', after: '1999-08-11' }],
          }),
        ],
        children,
        true,
      );
      expect(p?.steps[1]).toBe(
        fr(
          'Sur la ligne de BERTIN Tayeb (né(e) le 11/08/1999), cliquez dans chaque cellule à changer : « Né(e) le » : remplacez « 11/08/1999 » par « 08/11/1999 ».',
        ),
      );
    });

    it('unpublishes the espace again', () => {
      const p = procedureOf(
        [
          correction({
            kind: 'publish-espace',
            accountId: null,
            person: null,
            changes: [{ field: 'espaces.parents', before: false, after: true }],
          }),
        ],
        children,
        true,
      );
      expect(p?.steps[2]).toBe(fr('Dans la liste des espaces, décochez « Espace Parents ».'));
    });
  });
});
