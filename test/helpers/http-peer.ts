import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PeerRequest {
  method: string;
  /** Path and query, e.g. `/apirest.php/initSession`. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type PeerHandler = (req: PeerRequest, res: ServerResponse) => void;

/**
 * A small HTTP server on 127.0.0.1 and a free port, standing for a CAS server or a ticket system. It keeps
 * every request it received so that tests can check headers and bodies.
 */
export async function startPeer(handler: PeerHandler) {
  const requests: PeerRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      handler(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An address where nothing listens: connections to it are refused. */
export async function refusedUrl(): Promise<string> {
  const peer = await startPeer((_req, res) => res.end());
  await peer.close();
  return peer.url;
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
