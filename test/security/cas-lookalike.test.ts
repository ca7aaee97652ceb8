import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CasConfig } from '../../src/server/cas.js';
import { fr } from '../helpers/french.js';
import { startPeer } from '../helpers/http-peer.js';
import { createTestApp } from '../helpers/test-app.js';

const SERVICE = 'http://localhost/connexion/cas';

/** A CAS server that vouches for whichever user the test names, for any ticket. */
async function casVouchingFor() {
  const state = { user: '' };
  const peer = await startPeer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8' });
    res.end(`<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess><cas:user>${state.user}</cas:user></cas:authenticationSuccess>
</cas:serviceResponse>`);
  });
  return { ...peer, state };
}

/** Finding 8: a CAS user that only looks like an agent's name must not sign in as that agent. */
describe('CAS users are compared in ASCII only', () => {
  let cas: Awaited<ReturnType<typeof casVouchingFor>>;
  let config: CasConfig;
  beforeAll(async () => {
    cas = await casVouchingFor();
    config = { baseUrl: `${cas.url}/cas`, version: 3, serviceUrl: SERVICE };
  });
  afterAll(() => cas.close());

  const signIn = async (user: string) => {
    cas.state.user = user;
    const api = await createTestApp({ cas: config });
    await api.agents.add({ name: 'kiki', admin: true, schools: 'all', cas: true });
    const browser = api.browser();
    const res = await browser.get('/connexion/cas?ticket=ST-1-abcdefghij-cas01');
    return { res, account: await browser.get('/compte') };
  };

  it('the Kelvin sign (U+212A) and other look-alikes sign nobody in', async () => {
    for (const user of ['\u212Aiki', 'ｋiki', 'kik\u0131', 'ki\u200Bki', 'ki\u0307ki']) {
      const { res, account } = await signIn(user);
      expect(res.status, JSON.stringify(user)).toBe(403);
      expect(account.status).toBe(403);
    }
  });

  it('an ASCII name differing only by case still signs the agent in', async () => {
    const { res, account } = await signIn('KIKI');
    expect(res.status).toBe(303);
    expect(account.text).toContain(fr('Mon compte : kiki'));
  });
});
