/**
 * An absolute link for a path of the site, at the address people reach it (PUBLIC_URL), kept under its
 * path when the site lives in a sub-folder. Never built from the request: its Host header is whatever the
 * client wrote, and a link printed for an agent or pasted into a ticket would then point elsewhere.
 */
export function absoluteUrl(publicUrl: string, path: string): string {
  const base = publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
  return new URL(path.replace(/^\/+/, ''), base).toString();
}
