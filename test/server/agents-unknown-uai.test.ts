import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { fr } from '../helpers/french.js';
import { createTestApp } from '../helpers/test-app.js';

describe('/agents', () => {
  it('warns of a UAI the data does not hold, and only of that one', async () => {
    const api = await createTestApp({ data: true });
    await api.agents.add({ name: 'admin', admin: true, schools: 'all' });
    const admin = api.browser();
    const link = await api.auth.issueSignInLink('admin');
    await admin.get(link);
    await admin.post(link, {});
    await admin.get('/agents');
    const created = await admin.post('/agents', { name: 'helene', schools: `${DEMO_CASES.uai},0999999Z` });
    expect(created.status).toBe(200);
    expect(created.text).toContain(fr('Inconnu des données : 0999999Z'));
    expect(created.text).not.toContain(fr(`Inconnu des données : ${DEMO_CASES.uai}`));
  });
});
