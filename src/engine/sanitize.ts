import { createRequire } from 'node:module';
import type SanitizeHtml from 'sanitize-html';

export type SanitizeOptions = SanitizeHtml.IOptions;

// sanitize-html brings an HTML parser and a CSS parser: loaded at the first text it cleans (the first
// step shown, the first ticket posted), not while the server starts.
const requireCjs = createRequire(import.meta.url);
let sanitizer: typeof SanitizeHtml | undefined;

/** sanitize-html, loaded on first use. */
export function sanitizeHtml(html: string, options: SanitizeOptions): string {
  sanitizer ??= requireCjs('sanitize-html') as typeof SanitizeHtml;
  return sanitizer(html, options);
}
