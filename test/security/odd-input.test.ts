import { describe, expect, it } from 'vitest';
import { birthDateProblem, nameProblem } from '../../flows/person-fields.js';
import { parsePronoteExport } from '../../src/formats/pronote-export.js';
import { identitySchema } from '../../src/pronote/write-schemas.js';
import { AGENT, createTestApp } from '../helpers/test-app.js';
import { SCHOOL_X } from './fixtures.js';

const ODD_NAMES = [
  '\u200B', // zero-width space alone
  'BER\u200BTIN', // hidden inside a name
  '\u202EnitreB', // right-to-left override
  'BERTIN\nX',
  'X\r\n## Action urgente',
  'BERT\uD800IN', // lone surrogate
  '\uDC00',
  'BERTIN <b>',
  '[Réinitialiser](https://evil.example)',
  '=1+1',
  "'-.",
];
const ODD_DATES = ['01/01/0001', '01/01/9999', '0001-01-01', '31/12/1899'];

/** Finding 9: what nobody is called, and when nobody was born, is refused with a French message. */
describe('odd names and dates', () => {
  it('the shared rules refuse them, and take real names of every kind', () => {
    for (const name of ODD_NAMES) expect(nameProblem(name), JSON.stringify(name)).not.toBeNull();
    for (const name of [
      'BERTIN',
      'Jean-Pierre',
      'N’Diaye',
      "O'Neil",
      'St. Cyr',
      'Nguye\u0303\u0302n',
      'Ærøe',
      'Łukasz',
      'محمد',
    ])
      expect(nameProblem(name), name).toBeNull();
    expect(birthDateProblem('0001-01-01')).not.toBeNull();
    expect(birthDateProblem('9999-01-01')).not.toBeNull();
    expect(birthDateProblem('1999-11-08')).toBeNull();
  });

  it('in a flow, through the API: 422 with a French message per field, nothing recorded', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { body } = await api.json('/api/sessions', { flow: 'auth-error', uai: SCHOOL_X });
    for (const nom of ODD_NAMES) {
      const res = await api.json(`/api/sessions/${body.id}/events`, {
        type: 'SUBMIT_IDENTITY',
        nom,
        prenom: 'Tayeb',
      });
      expect(res.status, JSON.stringify(nom)).toBe(422);
      expect(JSON.stringify(res.body.fields ?? {})).toMatch(/nom/);
    }
    for (const dateNaissance of ODD_DATES) {
      const res = await api.json(`/api/sessions/${body.id}/events`, {
        type: 'SUBMIT_IDENTITY',
        nom: 'BERTIN',
        prenom: 'Tayeb',
        dateNaissance,
      });
      expect(res.status, dateNaissance).toBe(422);
      expect(JSON.stringify(res.body.fields)).toMatch(/dateNaissance.*Date de naissance/);
    }
    expect((await api.json(`/api/sessions/${body.id}`)).body.seq).toBe(1);
  });

  it('in a flow, through the pages: the same refusal, the typed values kept', async () => {
    const api = await createTestApp({ data: true });
    const { body } = await api.json('/api/sessions', { flow: 'auth-error' });
    const browser = api.browser();
    await browser.get(`/s/${body.id}`);
    const res = await browser.post(`/s/${body.id}/events`, {
      type: 'SUBMIT_IDENTITY',
      nom: 'BER\u202ETIN',
      prenom: 'Tayeb',
      dateNaissance: '01/01/9999',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('caractère invisible');
    expect(res.text).toContain('futur');
    expect(res.text).toContain('value="Tayeb"');
  });

  it('on import: the file is refused at the line, naming the column', () => {
    const file = (row: string) =>
      new TextEncoder().encode(`Nom;Prénom;Né(e) le\r\nDUPONT;Léa;01/02/2011\r\n${row}\r\n`);
    expect(parsePronoteExport(file('MARTIN;Paul;03/04/2011'))).toHaveLength(2);
    expect(() => parsePronoteExport(file('MAR\u200BTIN;Paul;03/04/2011'))).toThrow(
      /ligne 3.*Nom.*invisible/i,
    );
    expect(() => parsePronoteExport(file('MARTIN;\u202EPaul;03/04/2011'))).toThrow(/Prénom/);
    expect(() => parsePronoteExport(file('MARTIN;Paul;01/01/9999'))).toThrow(/Né\(e\) le.*futur/);
  });

  it('on a write to the PRONOTE copy', () => {
    expect(
      identitySchema.safeParse({ nom: 'BER\u200BTIN', prenom: 'Tayeb', dateNaissance: null }).success,
    ).toBe(false);
    expect(
      identitySchema.safeParse({ nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '0001-01-01' }).success,
    ).toBe(false);
    expect(
      identitySchema.safeParse({ nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '1999-11-08' }).success,
    ).toBe(true);
  });
});
