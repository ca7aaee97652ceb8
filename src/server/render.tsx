import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type Brand, BrandContext, DEFAULT_BRAND } from '../../views/brand.js';
import { CsrfContext } from '../../views/csrf.js';
import { NavContext, type NavInfo } from '../../views/nav.js';
import type { Viewer } from './viewer.js';

/** The header's links depend on who is looking; an error raised before the viewer is known gets the public ones. */
function navOf(c: Context): NavInfo {
  const viewer = c.get('viewer') as Viewer | undefined;
  return {
    path: c.req.path,
    agent: viewer?.kind === 'agent' ? { name: viewer.name, admin: viewer.admin } : null,
  };
}

/** Set by the app's first middleware; a page rendered outside the app gets the default name. */
const brandOf = (c: Context): Brand => (c.get('brand') as Brand | undefined) ?? DEFAULT_BRAND;

/** Renders a view with the request's CSRF token and viewer available to every form and header inside it. */
// biome-ignore lint/suspicious/noExplicitAny: any app env that carries a csrfToken variable
export function html<E extends { Variables: { csrfToken: string } } & Record<string, any>>(
  c: Context<E>,
  node: Child,
  status: ContentfulStatusCode = 200,
) {
  return c.html(
    <CsrfContext.Provider value={(c.get('csrfToken') as string | undefined) ?? ''}>
      <NavContext.Provider value={navOf(c)}>
        <BrandContext.Provider value={brandOf(c)}>{node}</BrandContext.Provider>
      </NavContext.Provider>
    </CsrfContext.Provider>,
    status,
  );
}
