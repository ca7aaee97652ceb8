import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { CsrfContext } from '../../views/csrf.js';

/** Renders a view with the request's CSRF token available to every form inside it. */
// biome-ignore lint/suspicious/noExplicitAny: any app env that carries a csrfToken variable
export function html<E extends { Variables: { csrfToken: string } } & Record<string, any>>(
  c: Context<E>,
  node: Child,
  status: 200 | 403 | 404 | 422 | 502 = 200,
) {
  return c.html(
    <CsrfContext.Provider value={c.get('csrfToken') as string}>{node}</CsrfContext.Provider>,
    status,
  );
}
