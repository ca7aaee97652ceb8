import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress, clientKeyOf, trustedProxies } from '../../src/server/client-address.js';
import { ConfigError, readConfig } from '../../src/server/config.js';
import { memoryRateCounter, rateKey } from '../../src/store/rate-counter.js';
import { awayFromWindowEdge } from '../helpers/rate-window.js';
import { createTestApp } from '../helpers/test-app.js';

/** What the Node adapter hands the app for a connection from `address`. */
const peer = (address: string) => ({
  incoming: {
    socket: {
      remoteAddress: address,
      remotePort: 40000,
      remoteFamily: address.includes(':') ? 'IPv6' : 'IPv4',
    },
  },
});

/** Finding 3: a flood of distinct addresses must not reset a client's count. */
describe('the in-memory rate counter under a flood of addresses', () => {
  it('keeps a client’s count through 10,050 other addresses within the minute', async () => {
    const counter = memoryRateCounter();
    const client = rateKey('sign-in', '203.0.113.7');
    for (let i = 0; i < 10; i++) await counter.hit(client, 0);
    for (let i = 0; i < 10_050; i++)
      await counter.hit(rateKey('sign-in', `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`), 0);
    expect(await counter.hit(client, 0)).toBe(11);
  });

  it('stays bounded, dropping finished windows first', async () => {
    const counter = memoryRateCounter({ maxKeys: 100 });
    const old = rateKey('x', 'old');
    await counter.hit(old, 0);
    const busy = rateKey('x', 'busy');
    for (let i = 0; i < 5; i++) await counter.hit(busy, 60_000);
    for (let i = 0; i < 1_000; i++) await counter.hit(rateKey('x', String(i)), 60_000);
    expect(counter.size()).toBeLessThanOrEqual(100);
    expect(await counter.hit(busy, 60_000)).toBe(6);
    expect(await counter.hit(old, 0)).toBe(1);
  });
});

describe('who counts as one client', () => {
  const keyThrough = async (trusted: string[], address: string, forwarded?: string) => {
    const app = new Hono();
    const proxies = trustedProxies(trusted);
    app.get('/', (c) => c.text(`${clientAddress(c, proxies)}|${clientKeyOf(clientAddress(c, proxies))}`));
    const res = await app.request(
      '/',
      { headers: forwarded ? { 'X-Forwarded-For': forwarded } : {} },
      peer(address),
    );
    return (await res.text()).split('|') as [string, string];
  };

  it('IPv6 addresses of one /64 count as one client, other /64s apart (finding 3)', async () => {
    const [, a] = await keyThrough([], '2001:db8:1:2::1');
    const [, b] = await keyThrough([], '2001:db8:1:2:ffff:ffff:ffff:9');
    const [, other] = await keyThrough([], '2001:db8:1:3::1');
    expect(a).toBe(b);
    expect(a).not.toBe(other);
    const [, v4] = await keyThrough([], '203.0.113.7');
    const [, mapped] = await keyThrough([], '::ffff:203.0.113.7');
    expect(mapped).toBe(v4);
  });

  it('X-Forwarded-For is read only from the configured proxies (finding 12)', async () => {
    expect((await keyThrough([], '203.0.113.7', '198.51.100.1'))[0]).toBe('203.0.113.7');
    expect((await keyThrough(['127.0.0.1'], '203.0.113.7', '198.51.100.1'))[0]).toBe('203.0.113.7');
    expect((await keyThrough(['127.0.0.1'], '127.0.0.1', '198.51.100.1'))[0]).toBe('198.51.100.1');
    // A client writing its own header before the proxy's: only the proxy's last entry is believed.
    expect((await keyThrough(['127.0.0.1'], '127.0.0.1', '1.2.3.4, 198.51.100.1'))[0]).toBe('198.51.100.1');
    // A chain of trusted proxies, given as a network.
    expect((await keyThrough(['10.0.0.0/8'], '10.0.0.2', '1.2.3.4, 198.51.100.1, 10.0.0.1'))[0]).toBe(
      '198.51.100.1',
    );
    expect((await keyThrough(['::1', '10.0.0.0/8'], '::1', '2001:db8::7'))[0]).toBe('2001:db8::7');
  });

  it('through the app: a forged X-Forwarded-For from a direct client gets no fresh sign-in count', async () => {
    await awayFromWindowEdge();
    const api = await createTestApp({ trustedProxies: ['127.0.0.1'] });
    await api.agents.add({ name: 'admin', admin: true, schools: 'all' });
    const page = await api.app.request('/connexion', {}, peer('203.0.113.7'));
    const cookie = (page.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await api.app.request(
        '/connexion',
        {
          method: 'POST',
          headers: { Cookie: cookie, 'X-Forwarded-For': `198.51.100.${i}` },
          body: new URLSearchParams({ _csrf: csrf, name: 'admin', password: `essai ${i}` }),
        },
        peer('203.0.113.7'),
      );
      statuses.push(res.status);
    }
    expect(statuses.at(-1)).toBe(429);
  });

  it('TRUST_PROXY takes addresses and networks, and refuses anything else in French', () => {
    expect(readConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8 ::1' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
    ]);
    expect(readConfig({}).trustProxy).toEqual([]);
    for (const bad of ['1', 'true', 'proxy.example.fr', '10.0.0.0/40'])
      expect(() => readConfig({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
    expect(() => readConfig({ TRUST_PROXY: '1' })).toThrow(/TRUST_PROXY/);
  });
});
