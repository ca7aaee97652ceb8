import { connect } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { createTestApp } from '../helpers/test-app.js';

function capturedLog() {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => lines.push(line) });
  /** Lines at error level (50) or above. */
  const errors = () => lines.map((l) => JSON.parse(l) as { level: number }).filter((r) => r.level >= 50);
  return { logger, errors };
}

const NO_STACK = /at .+\(.+:\d+:\d+\)|node_modules|Error:/;

/** Finding 5: a body that cannot be read is the client's mistake, not a server failure. */
describe('a malformed or unexpected body', () => {
  it('a broken multipart body is a French 400, for anyone, logged below error level', async () => {
    const log = capturedLog();
    const api = await createTestApp({ logger: log.logger });
    for (const path of ['/s', '/connexion', '/agents', '/s/AAAAAAAAAAAAAAAAAAAAAA/events']) {
      const res = await api.app.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'multipart/form-data' },
        body: 'x',
      });
      expect(res.status, path).toBe(400);
      const page = await res.text();
      expect(page).toContain('illisible');
      expect(page).not.toMatch(NO_STACK);
    }
    const boundary = await api.app.request('/s', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=zz' },
      body: '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated',
    });
    expect(boundary.status).toBe(400);
    expect(log.errors()).toEqual([]);
  });

  it('a body of a type no form sends is a French 415', async () => {
    const api = await createTestApp();
    const res = await api.app.request('/s', {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml' },
      body: '<x/>',
    });
    expect(res.status).toBe(415);
    expect(await res.text()).toContain('formulaire');
  });

  it('a client that hangs up in the middle of its body is not logged as an error', async () => {
    const log = capturedLog();
    const api = await createTestApp({ logger: log.logger });
    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: api.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const { port } = server.address() as { port: number };
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            'POST /s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n_csrf=abc&flow=',
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 100);
        });
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(log.errors()).toEqual([]);
    } finally {
      server.close();
    }
  });
});
