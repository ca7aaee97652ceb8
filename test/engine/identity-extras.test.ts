import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import type { FlowContext } from '../../flows/setup.js';
import type { ComparisonResult, IdentityInput } from '../../flows/types.js';
import { dataActors } from '../../src/engine/checks/data-actors.js';
import { diagnoseSelf } from '../../src/engine/self-diagnosis.js';
import type { EntAccount } from '../../src/ent/port.js';
import { type NewAccount, newAccount } from '../../src/pronote/model.js';
import { memorySchool } from '../helpers/memory-school.js';

/**
 * What the flows and « Vérifier mon compte » make of the other nom and of the postcode: a responsable
 * without birth date is told apart from a namesake by postcode, never proposed on the name alone.
 */
const UAI = '0990050E';

async function school(accounts: NewAccount[], ent: Omit<EntAccount, 'uai'>[] = []) {
  const { pronote, ent: directory } = await memorySchool(UAI, accounts, ent);
  const actors = dataActors({ pronote, ent: directory });
  const compare = (identity: IdentityInput): Promise<ComparisonResult> => {
    const input: FlowContext = { audience: 'agent', uai: UAI, identity };
    return toPromise(createActor(actors.compareIdentity, { input }).start());
  };
  return { pronote, ent: directory, compare };
}

const sophies = [
  newAccount('r-8', 'responsable', 'MARTIN', 'Sophie', { codePostal: '13008' }),
  newAccount('r-12', 'responsable', 'MARTIN', 'Sophie', { codePostal: '13012' }),
];

describe('the auth-error comparison', () => {
  it('tells namesake responsables apart by the postcode typed from « Données connues »', async () => {
    const { compare } = await school(sophies);
    const withPostcode = await compare({ nom: 'MARTIN', prenom: 'Sophie', codePostal: '13012' });
    expect(withPostcode).toMatchObject({ outcome: 'match', account: { id: 'r-12' } });
    const nameAlone = await compare({ nom: 'MARTIN', prenom: 'Sophie' });
    expect(nameAlone.outcome).toBe('ambiguous');
    expect(nameAlone.candidates?.map((c) => c.id).sort()).toEqual(['r-12', 'r-8']);
  });

  it('takes the postcode the ENT list gives for the login', async () => {
    const { compare } = await school(sophies, [
      {
        login: 'sophie.m',
        nom: 'MARTIN',
        prenom: 'Sophie',
        dateNaissance: null,
        codePostal: '13008',
        profiles: ['responsable'],
      },
    ]);
    expect(await compare({ login: 'sophie.m' })).toMatchObject({ outcome: 'match', account: { id: 'r-8' } });
  });

  it('finds a married parent the ENT knows under her birth name, through the nom PRONOTE was given', async () => {
    const { compare } = await school(
      [
        newAccount('r-garnier', 'responsable', 'GARNIER', 'Yasmine', {
          nomNaissance: 'BENALI',
          dateNaissance: '1980-03-02',
        }),
      ],
      [
        {
          login: 'yasmine.benali',
          nom: 'BENALI',
          prenom: 'Yasmine',
          dateNaissance: null,
          profiles: ['responsable'],
        },
      ],
    );
    const found = await compare({ login: 'yasmine.benali' });
    expect(found).toMatchObject({ outcome: 'match', account: { id: 'r-garnier' } });
    expect(found.rows?.find((r) => r.field === 'nom')?.verdict).toBe('normalised');
  });
});

describe('« Vérifier mon compte » for a responsable without birth date', () => {
  const cas = (codePostal?: string) => ({
    login: 'sophie.m',
    nom: 'MARTIN',
    prenom: 'Sophie',
    profiles: ['responsable' as const],
    ...(codePostal ? { codePostal } : {}),
  });

  it('finds her own account by the CAS codePostal, and says nothing is to check', async () => {
    const ports = await school(sophies);
    const diagnosis = await diagnoseSelf(ports, UAI, cas('13012'));
    expect(diagnosis?.profiles[0]?.finding).toEqual({ kind: 'match', toCheck: false });
    expect(diagnosis?.profiles[0]?.target).toEqual({ target: 'compare', value: 'sophie.m' });
  });

  it('never proposes an account on the name alone when a namesake exists', async () => {
    const ports = await school(sophies);
    const diagnosis = await diagnoseSelf(ports, UAI, cas());
    expect(diagnosis?.profiles[0]?.finding.kind).toBe('ambiguous');
  });

  it('leaves a namesake at the same postcode to the school', async () => {
    const ports = await school([
      ...sophies,
      newAccount('r-12b', 'responsable', 'MARTIN', 'Sophie', { codePostal: '13012' }),
    ]);
    const diagnosis = await diagnoseSelf(ports, UAI, cas('13012'));
    expect(diagnosis?.profiles[0]?.finding.kind).toBe('ambiguous');
  });
});

describe('« Vérifier mon compte » in the school’s identification mode', () => {
  const pupil = newAccount('e-1', 'eleve', 'MARTIN', 'Léa', {
    dateNaissance: '2012-03-04',
    pronoteEntId: 'PE-1',
  });
  const cas = (pronoteEntId?: string) => ({
    login: 'lea.m',
    nom: 'MARTINE',
    prenom: 'Léa',
    dateNaissance: '2012-03-04',
    profiles: ['eleve' as const],
    ...(pronoteEntId ? { pronoteEntId } : {}),
  });

  it('says an identity difference blocks in the identity mode', async () => {
    const ports = await school([pupil]);
    const diagnosis = await diagnoseSelf(ports, UAI, cas());
    expect(diagnosis?.mode).toBe('identity');
    expect(diagnosis?.profiles[0]).toMatchObject({ finding: { kind: 'mismatch' }, identityBlocks: true });
  });

  it('says it does not block in double authentication', async () => {
    const ports = await school([pupil]);
    await ports.pronote.setIdentificationMode(UAI, 'double-auth', 1, { actor: 'agent.test' });
    const diagnosis = await diagnoseSelf(ports, UAI, cas());
    expect(diagnosis?.profiles[0]).toMatchObject({ finding: { kind: 'mismatch' }, identityBlocks: false });
  });

  it('compares the code the CAS sends in the « Identifiant PRONOTE-ENT » mode, naming nobody', async () => {
    const ports = await school([pupil, newAccount('e-2', 'eleve', 'ROUX', 'Zoé', { pronoteEntId: 'PE-2' })]);
    await ports.pronote.setIdentificationMode(UAI, 'pronote-ent-id', 1, { actor: 'agent.test' });
    expect((await diagnoseSelf(ports, UAI, cas('PE-1')))?.profiles[0]).toMatchObject({
      identityBlocks: false,
      code: 'same',
    });
    const wrong = (await diagnoseSelf(ports, UAI, cas('PE-2')))?.profiles[0];
    expect(wrong?.code).toBe('different');
    expect(JSON.stringify(wrong)).not.toContain('ROUX');
  });
});
