import { createContext, useContext } from 'hono/jsx';

/** The CSRF token of the request being rendered, given once by the server around a page. */
export const CsrfContext = createContext('');

/** The hidden field every POST form carries; htmx sends it with the form too. */
export function CsrfField() {
  return <input type="hidden" name="_csrf" value={useContext(CsrfContext)} />;
}
