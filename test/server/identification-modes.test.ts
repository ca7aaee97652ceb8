import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import type { IdentificationMode } from '../../src/pronote/school-settings.js';
import { AGENT, createTestApp, type TestApp } from '../helpers/test-app.js';

const UAI = DEMO_CASES.uai;
const { login, accountId } = DEMO_CASES.dateSwapped;
// A teacher: the demo's teachers carry their « Identifiant PRONOTE-ENT », its pupils none.
const teacher = DEMO_CASES.accentMissing;

async function compared(api: TestApp, mode?: IdentificationMode, who: string = login) {
  if (mode) await api.pronote.setIdentificationMode(UAI, mode, 1, { actor: 'agent.test' });
  const started = await api.json('/api/sessions', { flow: 'auth-error', uai: UAI });
  return api.json(`/api/sessions/${started.body.id}/events`, { type: 'SUBMIT_IDENTITY', login: who });
}

const events = (view: { events: Array<{ type: string }> }) => view.events.map((e) => e.type).sort();

/** The ENT's export gives the teacher the code `code`. */
async function entSends(api: TestApp, code: string) {
  const accounts = await api.ent.listSchool(UAI);
  await api.ent.replaceSchool(
    UAI,
    accounts.map((a) => (a.login === teacher.login ? { ...a, pronoteEntId: code } : a)),
  );
}

describe('auth-error in the school’s identification mode', () => {
  it('compares identities and offers fix 1 in the identity mode, the default', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const res = await compared(api);
    expect(res.body.step).toBe('auth-error.choose-fix');
    expect(events(res.body.view)).toContain('FIX_IDENTITY');
  });

  it('in double authentication, says the identity does not block and never offers to align it', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const res = await compared(api, 'double-auth');
    expect(res.body.step).toBe('auth-error.double-auth');
    expect(res.body.view.title).toContain('l’identité ne bloque pas');
    expect(events(res.body.view)).not.toContain('FIX_IDENTITY');
    expect(events(res.body.view)).toContain('FIX_CAS_ID');
    const linked = await api.json(`/api/sessions/${res.body.id}/events`, { type: 'FIX_CAS_ID' });
    expect(linked.body.step).toBe('auth-error.confirm-link');
    expect((await api.pronote.getAccount(UAI, accountId))?.casId).toBe(login);
  });

  describe('« Identifiant PRONOTE-ENT »', () => {
    it('says the code the ENT sends is the account’s: the names do not matter', async () => {
      const api = await createTestApp({ data: true, viewer: AGENT });
      const own = (await api.pronote.getAccount(UAI, teacher.accountId))?.pronoteEntId ?? '';
      expect(own).not.toBe('');
      await entSends(api, own);
      const res = await compared(api, 'pronote-ent-id', teacher.login);
      expect(res.body.step).toBe('auth-error.check-code');
      expect(res.body.view.results.comparison.code).toMatchObject({ verdict: 'same' });
      expect(events(res.body.view)).not.toContain('FIX_IDENTITY');
    });

    it('names the account whose code the ENT sends instead, and says to correct it in the ENT', async () => {
      const api = await createTestApp({ data: true, viewer: AGENT });
      const other = (await api.pronote.listAccounts(UAI)).find(
        (a) => a.pronoteEntId && a.id !== teacher.accountId,
      );
      if (!other?.pronoteEntId) throw new Error('demo data without a second code');
      await entSends(api, other.pronoteEntId);
      const res = await compared(api, 'pronote-ent-id', teacher.login);
      const code = res.body.view.results.comparison.code;
      expect(code.verdict).toBe('other-account');
      expect(code.sentence).toContain(`${other.nom} ${other.prenom}`);
      expect(code.sentence).toContain('Corrigez le code dans l’ENT');
    });

    it('says when the ENT’s export gives no code', async () => {
      const api = await createTestApp({ data: true, viewer: AGENT });
      const res = await compared(api, 'pronote-ent-id', teacher.login);
      expect(res.body.view.results.comparison.code.verdict).toBe('not-sent');
    });
  });
});
