import { describe, expect, it } from 'vitest';
import type { PronoteAccount } from '../../src/pronote/model.js';
import { pasteRows } from '../../src/pronote/paste-rows.js';

const account = (extra: Partial<PronoteAccount>): PronoteAccount => ({
  id: 'p-1',
  uai: '0130001A',
  profile: 'professeur',
  nom: 'GERVAIS',
  prenom: 'Florence',
  dateNaissance: null,
  casId: 'florence.gervais',
  pronoteEntId: 'QWMSVHAN2FEPBKC7',
  classe: null,
  espaceParents: null,
  email: null,
  version: 1,
  ...extra,
});

describe('pasteRows', () => {
  it('starts with the headers the PRONOTE client maps', () => {
    const [header] = pasteRows([account({})]).split('\r\n');
    expect(header).toBe('Nom\tPrénom\tNé(e) le\tIdentifiant CAS');
  });

  it('writes dates as JJ/MM/AAAA and an empty cell when there is none', () => {
    const text = pasteRows([
      account({ nom: 'BOSSARD', prenom: 'Damien', dateNaissance: '2000-02-20', casId: null }),
      account({}),
    ]);
    expect(text.split('\r\n').slice(1, 3)).toEqual([
      'BOSSARD\tDamien\t20/02/2000\t',
      'GERVAIS\tFlorence\t\tflorence.gervais',
    ]);
  });

  it('ends every line with CRLF, as the Windows clipboard does', () => {
    const text = pasteRows([account({})]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps one cell per column even when a value holds a tab or a line break', () => {
    const text = pasteRows([account({ nom: 'DE\tLA\nFONTAINE', prenom: ' Jean\r\n' })]);
    const row = text.split('\r\n')[1] ?? '';
    expect(row.split('\t')).toEqual(['DE LA FONTAINE', 'Jean', '', 'florence.gervais']);
  });

  it('writes only the columns asked for, in that order', () => {
    const text = pasteRows([account({})], ['pronoteEntId', 'casId']);
    expect(text).toBe('Identifiant PRONOTE-ENT\tIdentifiant CAS\r\nQWMSVHAN2FEPBKC7\tflorence.gervais\r\n');
  });

  it('gives the header alone for an empty selection', () => {
    expect(pasteRows([])).toBe('Nom\tPrénom\tNé(e) le\tIdentifiant CAS\r\n');
  });
});
