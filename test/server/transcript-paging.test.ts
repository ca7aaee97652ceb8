import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AGENT, createTestApp, type TestApp } from '../helpers/test-app.js';

/** A session 500 entries deep: 499 messages pasted one after the other, none understood. */
const ANSWERS = 499;
const message = (n: number) => `sans rapport numéro ${n}`;
const messagesIn = (text: string) =>
  [...text.matchAll(/sans rapport numéro (\d+)/g)].map((m) => Number(m[1]));
/** The transcript of a page, without the ticket panel that repeats it for an agent. */
const transcriptOf = (html: string) => /<section class="transcript"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
const exchangesIn = (html: string) => html.split('class="exchange"').length - 1;
const olderLinkIn = (html: string) => /<a href="(\/s\/[\w-]+\/\d+\/historique)"/.exec(html)?.[1];
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('a session 500 entries deep', () => {
  let api: TestApp;
  let id = '';
  beforeAll(async () => {
    // Deeper than the product's default cap (SESSION_MAX_ANSWERS), to show what paging does at depth.
    api = await createTestApp({ viewer: AGENT, maxEntries: 1000 });
    id = (await api.json('/api/sessions', {})).body.id as string;
    for (let n = 1; n <= ANSWERS; n++) {
      const res = await api.json(`/api/sessions/${id}/events`, {
        type: 'DESCRIBE_MESSAGE',
        message: message(n),
      });
      expect(res.status).toBe(200);
    }
  }, 180_000);

  it('shows the last 20 exchanges, newest last, and a link to the older ones', async () => {
    const chain = vi.spyOn(api.stores.sessions, 'chain');
    const html = transcriptOf(await (await api.app.request(`/s/${id}`)).text());
    expect(exchangesIn(html)).toBe(20);
    expect(messagesIn(html)).toEqual(range(480, 499));
    expect(olderLinkIn(html)).toMatch(/\/historique$/);
    // The store read the entries shown and the question before them, not the 500.
    const read = await Promise.all(chain.mock.results.map((r) => r.value));
    expect(read.flat().length).toBeLessThanOrEqual(21);
    chain.mockRestore();
  });

  it('loads the older exchanges twenty at a time with htmx, down to the first one', async () => {
    const seen = messagesIn(transcriptOf(await (await api.app.request(`/s/${id}`)).text()));
    let link = olderLinkIn(await (await api.app.request(`/s/${id}`)).text());
    let loads = 0;
    while (link) {
      const res = await api.app.request(link, { headers: { 'HX-Request': 'true' } });
      expect(res.status).toBe(200);
      const fragment = await res.text();
      expect(fragment).not.toContain('<html');
      expect(fragment.startsWith('<li')).toBe(true);
      expect(exchangesIn(fragment)).toBeLessThanOrEqual(20);
      seen.unshift(...messagesIn(fragment));
      link = olderLinkIn(fragment);
      loads++;
    }
    expect(loads).toBe(24);
    expect(seen).toEqual(range(1, ANSWERS));
  });

  it('gives the older exchanges a page of their own without JavaScript', async () => {
    const link = olderLinkIn(await (await api.app.request(`/s/${id}`)).text()) ?? '';
    const html = await (await api.app.request(link)).text();
    expect(html).toContain('<html');
    expect(html).toContain('Étapes plus anciennes');
    expect(messagesIn(html)).toEqual(range(460, 479));
    expect(html).toContain(`href="/s/${id}">Revenir à l’étape en cours</a>`);
    expect(olderLinkIn(html)).toMatch(/\/historique$/);
  });

  it('answers the JSON API with the recent exchanges and where the older ones are', async () => {
    const { body } = await api.json(`/api/sessions/${id}`);
    expect(body.view.transcript).toHaveLength(20);
    const older = await api.json(`/api/sessions/${id}?at=${body.view.olderSeq}`);
    expect(messagesIn(JSON.stringify(older.body.view.transcript))).toEqual(range(460, 479));
    expect(older.body.view.olderSeq).toBeLessThan(body.view.olderSeq);
  });

  it('puts every exchange in the downloaded ticket summary', async () => {
    const head = (await api.json(`/api/sessions/${id}`)).body.seq as number;
    const text = await (await api.app.request(`/s/${id}/${head}/resume.txt`)).text();
    expect(messagesIn(text)).toEqual(range(1, ANSWERS));
  });
});
