import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/engine/reconcile.js';
import { findingDetail } from '../../src/engine/reconcile-labels.js';
import type { EntAccount } from '../../src/ent/port.js';
import { parseEntExport } from '../../src/formats/pronote-export.js';
import { type NewAccount, newAccount } from '../../src/pronote/model.js';
import type { IdentificationMode } from '../../src/pronote/school-settings.js';
import { memorySchool } from '../helpers/memory-school.js';

const UAI = '0990060F';

async function reconciled(accounts: NewAccount[], ent: Omit<EntAccount, 'uai'>[], mode?: IdentificationMode) {
  const { pronote, ent: directory } = await memorySchool(UAI, accounts, ent);
  if (mode) await pronote.setIdentificationMode(UAI, mode, 1, { actor: 'agent.test' });
  const report = await reconcile({ pronote, ent: directory }, UAI);
  if (!report) throw new Error('no report');
  return report;
}

const pupil = (id: string, nom: string, code: string | null) =>
  newAccount(id, 'eleve', nom, 'Léa', { dateNaissance: '2012-03-04', pronoteEntId: code });
const ent = (login: string, nom: string, code?: string): Omit<EntAccount, 'uai'> => ({
  login,
  nom,
  prenom: 'Léa',
  dateNaissance: '2012-03-04',
  profiles: ['eleve'],
  ...(code ? { pronoteEntId: code } : {}),
});

describe('the reconciliation in the school’s identification mode', () => {
  it('compares identities, as in the FAQ’s case A, for a school nobody described', async () => {
    const report = await reconciled([pupil('e-1', 'MARTIN', 'P1')], [ent('lea.m', 'MARTINE', 'P2')]);
    expect(report.identificationMode).toBe('identity');
    expect(report.rows[0]?.mode).toBe('identity');
    expect(report.rows[0]?.code).toBeUndefined();
    expect(report.rows[0]?.finding.kind).toBe('mismatch');
  });

  describe('« Identifiant PRONOTE-ENT »', () => {
    const accounts = [
      pupil('e-martin', 'MARTIN', 'PE-001'),
      pupil('e-durand', 'DURAND', 'PE-002'),
      pupil('e-petit', 'PETIT', null),
      pupil('e-roux', 'ROUX', 'PE-004'),
      pupil('e-blanc', 'BLANC', 'PE-005'),
    ];

    it('says, for each ENT account, whether the code it sends is that of the right account', async () => {
      const report = await reconciled(
        accounts,
        [
          ent('lea.martin', 'MARTIN', 'pe-001'),
          ent('lea.durand', 'DURAND', 'PE-004'),
          ent('lea.petit', 'PETIT', 'PE-003'),
          ent('lea.roux', 'ROUX', 'PE-999'),
          ent('lea.blanc', 'BLANC'),
        ],
        'pronote-ent-id',
      );
      const code = (login: string) => report.rows.find((r) => r.ent.login === login)?.code;
      expect(code('lea.martin')).toEqual({ kind: 'same', code: 'pe-001' });
      expect(code('lea.durand')).toMatchObject({ kind: 'other-account', holder: { id: 'e-roux' } });
      expect(code('lea.petit')).toEqual({ kind: 'not-exported', code: 'PE-003' });
      expect(code('lea.roux')).toEqual({ kind: 'unknown-code', code: 'PE-999', expected: 'PE-004' });
      expect(code('lea.blanc')).toEqual({ kind: 'not-sent', expected: 'PE-005' });
      const durand = report.rows.find((r) => r.ent.login === 'lea.durand');
      expect(durand && findingDetail(durand)).toMatch(/celui de ROUX Léa.*à corriger dans l’ENT/);
    });

    it('compares the code, not the names: a usage name reaches the account its code names', async () => {
      const report = await reconciled(
        [pupil('e-martin', 'MARTIN', 'PE-001')],
        [ent('lea.dupont', 'DUPONT', 'PE-001')],
        'pronote-ent-id',
      );
      const [row] = report.rows;
      expect(row?.code).toEqual({ kind: 'same', code: 'PE-001' });
      expect(row && findingDetail(row)).toContain('l’identité n’est pas comparée');
    });
  });

  it('in double authentication, says an identity difference does not block the connection', async () => {
    const report = await reconciled([pupil('e-1', 'MARTIN', null)], [ent('lea.m', 'MARTINE')], 'double-auth');
    const [row] = report.rows;
    expect(row?.finding.kind).toBe('mismatch');
    expect(row && findingDetail(row)).toContain('ne bloque pas la connexion');
    expect(row?.code).toBeUndefined();
  });
});

describe('the ENT export’s « Identifiant PRONOTE-ENT » column', () => {
  it('is read with each account', () => {
    const csv =
      'Login;Nom;Prénom;Profil;Identifiant PRONOTE-ENT\r\nlea.m;MARTIN;Léa;Élève;PE-001\r\nzoe.r;ROUX;Zoé;Élève;\r\n';
    const rows = parseEntExport(new TextEncoder().encode(csv));
    expect(rows.map((r) => r.pronoteEntId)).toEqual(['PE-001', undefined]);
  });
});
