import { startPeer } from './http-peer.js';

/** Who the CAS signs in next, and how it writes their attributes. */
export interface CasPerson {
  user: string;
  attributes: Record<string, string>;
  /** `direct`: in `cas:attributes`; `nested`: in `cas:attributes/cas:userAttributes`, unprefixed, as Open ENT NG may. */
  shape: 'direct' | 'nested';
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A CAS 3 success as an Open ENT NG CAS writes it for PRONOTE, in either shape. */
export function casSuccess({ user, attributes, shape }: CasPerson): string {
  const values = Object.entries(attributes);
  const inner =
    shape === 'direct'
      ? values.map(([k, v]) => `<cas:${k}>${escapeXml(v)}</cas:${k}>`).join('\n      ')
      : `<cas:userAttributes>${values.map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('')}</cas:userAttributes>`;
  return `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess>
    <cas:user>${escapeXml(user)}</cas:user>
    <cas:attributes>
      ${inner}
    </cas:attributes>
  </cas:authenticationSuccess>
</cas:serviceResponse>`;
}

export const casFailure = (code: string) => `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationFailure code="${code}">Ticket refusé</cas:authenticationFailure>
</cas:serviceResponse>`;

/**
 * A CAS server in miniature: `/cas/login` signs in `state.person` and sends the browser back to the service
 * with a one-time ticket bound to that service; `/cas/p3/serviceValidate` (or `/cas/serviceValidate`)
 * vouches for a ticket once, for the service it was issued to. `state.answer` forces an answer (a CAS in
 * trouble); `state.noP3` makes it an older CAS without `/p3`.
 */
export async function startCasPeer() {
  const tickets = new Map<string, { person: CasPerson; service: string }>();
  const state = {
    person: null as CasPerson | null,
    answer: null as null | { status: number; body: string },
    noP3: false,
  };
  let issued = 0;
  const peer = await startPeer((req, res) => {
    const url = new URL(req.url, 'http://cas');
    const service = url.searchParams.get('service') ?? '';
    if (url.pathname === '/cas/login' && state.person) {
      const ticket = `ST-${++issued}-peer${Date.now()}-cas`;
      tickets.set(ticket, { person: state.person, service });
      res.writeHead(302, { Location: `${service}?ticket=${encodeURIComponent(ticket)}` });
      return res.end();
    }
    const p3 = url.pathname === '/cas/p3/serviceValidate';
    if ((p3 && !state.noP3) || url.pathname === '/cas/serviceValidate') {
      if (state.answer) {
        res.writeHead(state.answer.status, { 'Content-Type': 'text/html' });
        return res.end(state.answer.body);
      }
      const ticket = url.searchParams.get('ticket') ?? '';
      const issuedTo = tickets.get(ticket);
      tickets.delete(ticket);
      res.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8' });
      if (!issuedTo) return res.end(casFailure('INVALID_TICKET'));
      if (issuedTo.service !== service) return res.end(casFailure('INVALID_SERVICE'));
      return res.end(casSuccess(issuedTo.person));
    }
    res.writeHead(404);
    res.end();
  });
  return { ...peer, state };
}

export type CasPeer = Awaited<ReturnType<typeof startCasPeer>>;
