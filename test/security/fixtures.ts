import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { createTestApp } from '../helpers/test-app.js';

export const SCHOOL_X = DEMO_CASES.uai;
export const SCHOOL_Y = DEMO_CASES.espaceUnpublished.uai;

/** Names, birth dates and logins of the demo case the fixtures open: none may leak where not allowed. */
export const PERSONAL = [/BERTIN/, /Tayeb/, /tayeb\.bertin/, /08\/11\/1999/, /1999-11-08/, /11\/08\/1999/];

export type Role = 'anonymous' | 'agentX' | 'agentY' | 'admin' | 'tokenX';
export const ROLES: Role[] = ['anonymous', 'agentX', 'agentY', 'admin', 'tokenX'];

/**
 * One app on the demo data with a signed-in browser per role, an agent session of school X holding a
 * comparison and a fix, a public session, and an end user's request to school X.
 */
export async function securityFixture() {
  const api = await createTestApp({ data: true });
  await api.agents.add({ name: 'agent.x', admin: false, schools: [SCHOOL_X] });
  await api.agents.add({ name: 'agent.y', admin: false, schools: [SCHOOL_Y] });
  await api.agents.add({ name: 'admin', admin: true, schools: 'all' });
  const signIn = async (name: string) => {
    const b = api.browser();
    const link = await api.auth.issueSignInLink(name);
    await b.get(link);
    await b.post(link, {});
    return b;
  };
  const browsers = {
    anonymous: api.browser(),
    agentX: await signIn('agent.x'),
    agentY: await signIn('agent.y'),
    admin: await signIn('admin'),
  };
  const token = await api.auth.issueApiToken('agent.x');

  const asX = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const post = async (path: string, body: unknown) =>
    (
      await api.app.request(path, { method: 'POST', headers: asX, body: JSON.stringify(body) })
    ).json() as Promise<{
      id: string;
      seq: number;
    }>;
  const agentSession = await post('/api/sessions', { flow: 'auth-error', uai: SCHOOL_X });
  await post(`/api/sessions/${agentSession.id}/events`, {
    type: 'SUBMIT_IDENTITY',
    login: DEMO_CASES.dateSwapped.login,
  });
  const fixed = await post(`/api/sessions/${agentSession.id}/events`, { type: 'FIX_IDENTITY' });
  const auditEntry = (await api.pronote.listAudit({ uai: SCHOOL_X, limit: 1 }))[0];
  if (!auditEntry) throw new Error('fixture: no audit entry');

  const publicSession = await (await api.json('/api/sessions', { flow: 'auth-error' })).body;
  const request = await api.requests.add(SCHOOL_X, publicSession.id as string, {
    flow: 'auth-error',
    step: 'auth-error.escalate',
    identity: { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '1999-11-08' },
    corrections: 'La date est 11/08/1999',
    contact: { email: 'parent@example.org' },
  });

  return {
    api,
    browsers,
    token,
    agentSession: { id: agentSession.id, seq: fixed.seq },
    publicSessionId: publicSession.id as string,
    auditEntry,
    request,
  };
}

export type SecurityFixture = Awaited<ReturnType<typeof securityFixture>>;
