import { describe, expect, it } from 'vitest';
import { FLOW_IDS } from '../../flows/types.js';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { AGENT, content, createTestApp, type TestApp } from '../helpers/test-app.js';

async function page(api: TestApp, path: string) {
  const res = await api.app.request(path);
  return { status: res.status, text: await res.text() };
}

/** The node of one step in a diagram: its link and its box. */
const nodeOf = (text: string, step: string) => {
  const found = new RegExp(`<a href="([^"]*)"><g class="([^"]*)" data-step="${step}">`).exec(text);
  return found ? { href: found[1], cls: found[2] } : undefined;
};

/** A step's entry in the list under the diagram. */
const entryOf = (text: string, step: string) => {
  const start = text.indexOf(`<div id="etape-${step.replace('.', '-')}"`);
  const end = text.indexOf('<li class="step-entry', start + 1);
  return start < 0 ? '' : text.slice(start, end < 0 ? undefined : end);
};

describe('the flow map', () => {
  it('lists every flow, for anyone, each opening its own map', async () => {
    const api = await createTestApp();
    const { status, text } = await page(api, '/flows');
    expect(status).toBe(200);
    expect(text).not.toContain('<svg ');
    for (const flow of FLOW_IDS) expect(text).toContain(`href="/flows/${flow}"`);
  });

  it('draws each flow on a page of its own, every step in the diagram and in the list under it', async () => {
    const api = await createTestApp();
    for (const flow of FLOW_IDS) {
      const { status, text } = await page(api, `/flows/${flow}`);
      expect(status).toBe(200);
      expect(text.match(/<svg [^>]*role="group"/g)).toHaveLength(1);
      for (const step of [...api.engine.steps.keys()].filter((s) => s.startsWith(`${flow}.`))) {
        expect(nodeOf(text, step), step).toMatchObject({ href: `#etape-${step.replace('.', '-')}` });
        expect(text).toContain(`<div id="etape-${step.replace('.', '-')}"`);
      }
      expect(text).toContain('Les étapes en toutes lettres');
    }
  });

  it('labels arrows with the answers and the check outcomes, and shows each step’s text in the list', async () => {
    const api = await createTestApp();
    const { text } = await page(api, '/flows/single-parent');
    expect(text.match(/<svg /g)).toHaveLength(1);
    expect(text).toMatch(/>trouvé<\/tspan>/);
    expect(text).toMatch(/>accès fermé<\/tspan>/);
    expect(text).toContain('Vers le parcours');
    const entry = entryOf(text, 'single-parent.ask-access');
    expect(entry).toContain(content.step('single-parent.ask-access', 'public').html.slice(0, 40));
    expect(entry).toContain('href="#etape-single-parent-grant-manual"');
  });

  it('answers an unknown flow with a French 404 page', async () => {
    const api = await createTestApp();
    const { status, text } = await page(api, '/flows/inconnu');
    expect(status).toBe(404);
    expect(text).toContain('Ce parcours n’existe pas');
  });

  it('highlights where a session went, and links each visited step to its entry', async () => {
    // An agent's session: an end user is never asked the name this search would read.
    const api = await createTestApp({ viewer: AGENT });
    const started = await api.json('/api/sessions', { flow: 'single-parent' });
    const id = started.body.id as string;
    const searched = await api.json(`/api/sessions/${id}/events`, { type: 'SEARCH', query: 'x' });
    expect(searched.body.step).toBe('single-parent.ask-access');

    const { status, text } = await page(api, `/flows/single-parent?session=${id}`);
    expect(status).toBe(200);
    expect(nodeOf(text, 'single-parent.find')).toEqual({
      href: `/s/${id}/1`,
      cls: 'node kind-question visited',
    });
    expect(nodeOf(text, 'single-parent.search')).toEqual({
      href: `/s/${id}/2`,
      cls: 'node kind-check visited',
    });
    expect(nodeOf(text, 'single-parent.ask-access')).toEqual({
      href: `/s/${id}/2`,
      cls: 'node kind-question current',
    });
    expect(nodeOf(text, 'single-parent.select')?.href).toBe('#etape-single-parent-select');
    expect(text.match(/<path class="edge taken"/g)).toHaveLength(2);
    expect(text).toContain(`href="/flows/triage?session=${id}"`);
  });

  it('shows no one else’s session and no personal data', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { uai, parentWithoutAccess } = DEMO_CASES;
    const started = await api.json('/api/sessions', { flow: 'single-parent', uai });
    const id = started.body.id as string;
    await api.json(`/api/sessions/${id}/events`, { type: 'SEARCH', query: 'Bossard' });
    const chosen = await api.json(`/api/sessions/${id}/events`, {
      type: 'SELECT_ACCOUNT',
      accountId: parentWithoutAccess.accountId,
    });
    expect(chosen.body.step).toBe('single-parent.offer-grant');

    const { status, text } = await page(api, `/flows/single-parent?session=${id}`);
    expect(status).toBe(200);
    expect(nodeOf(text, 'single-parent.offer-grant')?.cls).toBe('node kind-question current');
    expect(text).not.toMatch(/bossard|robert/i);
    expect(text).not.toContain(parentWithoutAccess.accountId);
    expect(text).not.toContain(uai);

    const anonymous = await createTestApp({ stores: api.stores });
    expect((await page(anonymous, `/flows?session=${id}`)).status).toBe(404);
    expect((await page(anonymous, '/flows?session=pas-une-session')).status).toBe(404);
  });
});
