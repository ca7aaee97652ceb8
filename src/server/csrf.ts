import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { isClientGone } from './client-gone.js';
import { newSecret } from './secrets.js';

const COOKIE = 'csrf_id';
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)/i;

export type CsrfEnv = { Variables: { csrfToken: string } };

/**
 * Synchronizer tokens: each browser gets a random id in a cookie, and every form carries an HMAC of it.
 * A page from another site cannot read the token, so it cannot forge a form post. JSON requests must be
 * sent as application/json, which a cross-site page cannot do without the browser's CORS preflight, and
 * requests with a bearer token carry no ambient credentials at all.
 */
export function csrfProtection(opts: {
  secret: string;
  secureCookies: boolean;
  usesBearer: (c: Context) => boolean;
}): MiddlewareHandler<CsrfEnv> {
  const tokenFor = (id: string) => createHmac('sha256', opts.secret).update(id).digest('base64url');
  return async (c, next) => {
    // A client with a bearer token sends no ambient credentials: nothing to protect, no cookie to set.
    if (opts.usesBearer(c)) {
      c.set('csrfToken', '');
      return next();
    }
    let id = getCookie(c, COOKIE);
    if (!id || !/^[\w-]{43}$/.test(id)) {
      id = newSecret();
      setCookie(c, COOKIE, id, { httpOnly: true, sameSite: 'Lax', secure: opts.secureCookies, path: '/' });
    }
    const expected = tokenFor(id);
    c.set('csrfToken', expected);
    if (!/^(GET|HEAD|OPTIONS)$/.test(c.req.method)) {
      const type = c.req.header('Content-Type') ?? '';
      const isJson = /^application\/json\b/i.test(type);
      if (!isJson) {
        if (type !== '' && !FORM_TYPES.test(type)) {
          throw new HTTPException(415, {
            message:
              'Ce type de contenu n’est pas pris en charge : envoyez le formulaire depuis la page de l’assistant.',
          });
        }
        const given = type === '' ? undefined : (await readForm(c))._csrf;
        if (typeof given !== 'string' || !safeEqual(given, expected)) {
          throw new HTTPException(403, {
            message:
              'Ce formulaire a expiré ou ne vient pas de l’assistant. Rechargez la page puis recommencez.',
          });
        }
      }
    }
    await next();
  };
}

/**
 * The form's fields; a body that is not the form it claims to be (a broken multipart, say) is the
 * client's mistake, answered 400 before anything else reads it. A client that hung up is left to the
 * error handler, which logs it as such.
 */
async function readForm(c: Context): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody({ all: true });
  } catch (err) {
    if (c.req.raw.signal.aborted || isClientGone(err)) throw err;
    throw new HTTPException(400, {
      message: 'Le contenu envoyé est illisible (formulaire mal formé). Rechargez la page puis recommencez.',
      cause: err,
    });
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
