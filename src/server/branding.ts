import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { Hono } from 'hono';
import type { Brand } from '../../views/brand.js';

/**
 * The deployer's branding: a region's or an académie's helpdesk runs the assistant under its own name, logo
 * and accent colour (SERVICE_NAME, SERVICE_LOGO, ACCENT_COLOR). Read and checked once, at start-up.
 */
export interface Branding {
  name: string;
  /** `#rrggbb` */
  accent: string;
  /** A file read at start-up and served from our own origin, or an https image the CSP then allows. */
  logo: { file: { body: Buffer; type: string } } | { url: URL } | null;
}

export const DEFAULT_SERVICE_NAME = 'Assistant de connexion ENT–PRONOTE';
export const DEFAULT_ACCENT = '#174ea6';
/** WCAG 2.1, 1.4.3: normal text needs 4.5:1. */
export const MIN_CONTRAST = 4.5;
const LOGO_MAX_BYTES = 512 * 1024;
export const LOGO_PATH = '/assets/logo';

/** What the accent is read against: the pages' background and the tinted panels (app.css), and white text on it. */
const AGAINST: Array<{ what: string; colour: string }> = [
  { what: 'le fond des pages', colour: '#ffffff' },
  { what: 'le fond des encadrés', colour: '#eef1f5' },
  { what: 'le texte blanc des boutons', colour: '#ffffff' },
];

const rgbOf = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

/** WCAG relative luminance of an sRGB colour. */
function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = rgbOf(hex).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `#abc` → `#aabbcc`; null when it is not a hexadecimal colour. */
function normaliseColour(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  if (/^#[0-9a-f]{3}$/.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join('')}`;
  return null;
}

const frRatio = (ratio: number) => `${(Math.floor(ratio * 100) / 100).toFixed(2).replace('.', ',')}:1`;

function accentOf(value: string | undefined): string {
  if (value === undefined) return DEFAULT_ACCENT;
  const accent = normaliseColour(value);
  if (!accent)
    throw new Error(`ACCENT_COLOR est une couleur hexadécimale, par exemple #174ea6 (lu : « ${value} »).`);
  const weak = AGAINST.map((a) => ({ ...a, ratio: contrastRatio(accent, a.colour) })).filter(
    (a) => a.ratio < MIN_CONTRAST,
  );
  if (weak.length > 0) {
    const told = weak.map((a) => `${frRatio(a.ratio)} avec ${a.what} (${a.colour})`).join(', ');
    throw new Error(
      `ACCENT_COLOR (${accent}) n’a pas assez de contraste : ${told}, il faut au moins 4,5:1. Choisissez une couleur plus foncée.`,
    );
  }
  return accent;
}

/** Image types a logo may have, told by their first bytes (SVG by its text). */
const SIGNATURES: Array<{ type: string; test: (b: Buffer) => boolean }> = [
  { type: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')) },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  {
    type: 'image/webp',
    test: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

/**
 * Anything in an SVG that could run or fetch: a logo is a picture, nothing else. Shown by `<img>` an SVG runs
 * nothing anyway; opened on its own it is a document, under the site's CSP (no inline script).
 */
const ACTIVE_SVG = /<script|<foreignObject|\son\w+\s*=|javascript:|<use\b[^>]*href\s*=\s*["'](?!#)/i;

function logoOf(value: string | undefined): Branding['logo'] {
  if (value === undefined) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value)) {
    const url = URL.canParse(value) ? new URL(value) : null;
    if (url?.protocol !== 'https:')
      throw new Error(
        `SERVICE_LOGO est le chemin d’un fichier image ou une adresse https (lu : « ${value} »).`,
      );
    return { url };
  }
  let body: Buffer;
  try {
    if (statSync(value).size > LOGO_MAX_BYTES)
      throw new Error(`SERVICE_LOGO (${value}) dépasse ${LOGO_MAX_BYTES / 1024} Ko.`);
    body = readFileSync(value);
  } catch (err) {
    if ((err as Error).message.startsWith('SERVICE_LOGO')) throw err;
    throw new Error(`SERVICE_LOGO (${value}) : fichier introuvable ou illisible.`);
  }
  const raster = SIGNATURES.find((s) => s.test(body));
  if (raster) return { file: { body, type: raster.type } };
  const text = body.toString('utf8');
  if (extname(value).toLowerCase() === '.svg' && /<svg[\s>]/i.test(text)) {
    if (ACTIVE_SVG.test(text))
      throw new Error(
        `SERVICE_LOGO (${value}) : ce SVG contient du script, des liens externes ou du contenu actif, refusés pour un logo.`,
      );
    return { file: { body, type: 'image/svg+xml' } };
  }
  throw new Error(`SERVICE_LOGO (${value}) n’est pas une image PNG, JPEG, GIF, WebP ou SVG.`);
}

/** An unset variable and an empty one mean the same: the default. */
const given = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/**
 * Reads SERVICE_NAME, SERVICE_LOGO and ACCENT_COLOR from the environment itself (so that another variable's
 * mistake does not hide theirs); throws a French message naming the variable.
 */
export function brandingFromEnv(env: Record<string, string | undefined>): Branding {
  return {
    name: given(env.SERVICE_NAME) ?? DEFAULT_SERVICE_NAME,
    accent: accentOf(given(env.ACCENT_COLOR)),
    logo: logoOf(given(env.SERVICE_LOGO)),
  };
}

export const DEFAULT_BRANDING: Branding = { name: DEFAULT_SERVICE_NAME, accent: DEFAULT_ACCENT, logo: null };

/** What the views need: the name and where the logo is. */
export function brandOf(branding: Branding): Brand {
  const logo = branding.logo;
  return {
    name: branding.name,
    logo: !logo ? null : 'url' in logo ? logo.url.href : LOGO_PATH,
  };
}

/** The accent's colour mixed with black: the hover shade, darker still, so its contrast only grows. */
function darker(hex: string, by = 0.22): string {
  return `#${rgbOf(hex)
    .map((v) =>
      Math.round(v * (1 - by))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** The stylesheet that sets the accent over app.css's defaults (the CSP allows no inline style). */
export function brandStylesheet({ accent }: Branding): string {
  const hover = darker(accent);
  const [r, g, b] = rgbOf(accent);
  return `:root[data-theme="light"] {
  --pico-primary: ${accent};
  --pico-primary-background: ${accent};
  --pico-primary-border: ${accent};
  --pico-primary-underline: ${accent};
  --pico-primary-hover: ${hover};
  --pico-primary-hover-background: ${hover};
  --pico-primary-hover-border: ${hover};
  --pico-primary-hover-underline: ${hover};
  --pico-primary-focus: rgba(${r}, ${g}, ${b}, 0.35);
  --pico-secondary: ${accent};
  --pico-secondary-hover: ${hover};
  --info: ${accent};
}
`;
}

/** `/assets/brand.css` and, for a logo file, `/assets/logo`. */
export function brandRoutes(branding: Branding): Hono {
  const app = new Hono();
  const css = brandStylesheet(branding);
  app.get('/brand.css', (c) =>
    c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }),
  );
  const logo = branding.logo;
  if (logo && 'file' in logo)
    app.get('/logo', (c) =>
      c.body(new Uint8Array(logo.file.body), 200, {
        'Content-Type': logo.file.type,
        'Cache-Control': 'public, max-age=3600',
      }),
    );
  return app;
}
