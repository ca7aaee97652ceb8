import { describe, expect, it } from 'vitest';
import { fieldDifference, identityDifferences, isSpellingOnly } from '../../src/pronote/field-difference.js';

const label = (field: 'nom' | 'prenom' | 'dateNaissance', ent: string, pronote: string) =>
  fieldDifference(field, ent, pronote).label;

describe('fieldDifference names what tells two names apart', () => {
  it('says identical when nothing differs', () => {
    expect(label('nom', 'DUPONT', 'DUPONT')).toBe('identique');
  });

  it('tells case, accents and punctuation apart', () => {
    expect(label('nom', 'Dupont', 'DUPONT')).toBe('majuscules et minuscules seulement');
    expect(label('prenom', 'Hélène', 'Helene')).toBe('accents seulement');
    expect(label('prenom', 'HÉLÈNE', 'Helene')).toBe('accents seulement');
    expect(label('nom', 'Cœur', 'COEUR')).toBe('accents seulement');
    expect(label('prenom', 'Jean-Michel', 'Jean Michel')).toBe('tirets, apostrophes ou espaces seulement');
    expect(label('nom', 'D’Angelo', "D'ANGELO")).toBe('tirets, apostrophes ou espaces seulement');
  });

  it('names glued words and compound names given in part', () => {
    expect(label('nom', 'Delafontaine', 'de La Fontaine')).toBe('mêmes mots, collés ou séparés');
    expect(label('prenom', 'Marie', 'Marie-Claire')).toBe('prénom composé donné en partie');
    expect(label('nom', 'MARTIN DURAND', 'MARTIN')).toBe('nom composé donné en partie');
  });

  it('counts typos: one letter, two swapped letters, two letters', () => {
    expect(label('nom', 'DUPOND', 'DUPONT')).toBe('une lettre de différence');
    expect(label('prenom', 'Mraie', 'Marie')).toBe('deux lettres inversées');
    expect(label('nom', 'BERNARDINI', 'BERNADINO')).toBe('deux lettres de différence');
  });

  it('says entirely different when nothing is shared, and which side lacks a value', () => {
    expect(label('nom', 'GARCIA', 'LEROY')).toBe('entièrement différent');
    expect(label('nom', '', 'LEROY')).toBe('manque dans l’ENT');
    expect(label('prenom', 'Léa', ' ')).toBe('manque dans PRONOTE');
  });
});

describe('fieldDifference names what tells two birth dates apart', () => {
  it('reads both date formats as the same day', () => {
    expect(label('dateNaissance', '05/03/2011', '2011-03-05')).toBe('identique');
  });

  it('spots a day and month swap, a wrong year and a one-digit slip', () => {
    expect(label('dateNaissance', '03/05/2011', '2011-03-05')).toBe('jour et mois inversés');
    expect(label('dateNaissance', '05/03/2012', '2011-03-05')).toBe(
      'même jour et même mois, année différente',
    );
    expect(label('dateNaissance', '15/03/2011', '2011-03-05')).toBe('un chiffre de différence');
    expect(label('dateNaissance', '21/11/2010', '2011-03-05')).toBe('date différente');
    expect(label('dateNaissance', '', '2011-03-05')).toBe('manque dans l’ENT');
  });
});

describe('identityDifferences reads the fields together', () => {
  it('takes a nom with nothing in common, prénom and date agreeing, for usage name against birth name', () => {
    const d = identityDifferences(
      { nom: 'MARTIN', prenom: 'Sophie', dateNaissance: '12/04/1980' },
      { nom: 'LEFEBVRE', prenom: 'SOPHIE', dateNaissance: '1980-04-12' },
    );
    expect(d.nom.label).toBe('nom d’usage / nom de naissance');
    expect(d.prenom.kind).toBe('case');
  });

  it('keeps « entièrement différent » when the prénom differs too', () => {
    const d = identityDifferences({ nom: 'MARTIN', prenom: 'Sophie' }, { nom: 'LEFEBVRE', prenom: 'Julie' });
    expect(d.nom.label).toBe('entièrement différent');
  });

  it('names a nom and a prénom typed in each other’s place', () => {
    const d = identityDifferences({ nom: 'Léa', prenom: 'DUPONT' }, { nom: 'DUPONT', prenom: 'Léa' });
    expect(d.nom.label).toBe('nom et prénom inversés');
    expect(d.prenom.label).toBe('nom et prénom inversés');
  });

  it('leaves each field’s own difference otherwise', () => {
    const d = identityDifferences(
      { nom: 'DUPOND', prenom: 'Léa', dateNaissance: '03/05/2011' },
      { nom: 'DUPONT', prenom: 'LEA', dateNaissance: '2011-03-05' },
    );
    expect([d.nom.kind, d.prenom.kind, d.dateNaissance.kind]).toEqual(['one-letter', 'accents', 'day-month']);
    expect(isSpellingOnly(d.prenom.kind)).toBe(true);
    expect(isSpellingOnly(d.nom.kind)).toBe(false);
  });
});
