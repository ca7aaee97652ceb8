import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brandingFromEnv, contrastRatio, DEFAULT_ACCENT } from '../../src/server/branding.js';
import { readConfig } from '../../src/server/config.js';
import { fr } from '../helpers/french.js';
import { createTestApp } from '../helpers/test-app.js';

const dir = mkdtempSync(join(tmpdir(), 'assistant-branding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file in the test's own folder. */
function file(name: string, body: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="18" fill="#0b6e4f"/></svg>';
/** The first bytes of a PNG: the type is told by them, not by the file's name. */
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(32)]);

/** The message readConfig stops with, or '' when it accepts the environment. */
function refusal(env: Record<string, string>): string {
  try {
    readConfig(env);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('the contrast of the accent colour (WCAG relative luminance)', () => {
  it('measures as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    // #767676 is the lightest grey that passes on white; #777777 just fails.
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
    expect(contrastRatio(DEFAULT_ACCENT, '#ffffff')).toBeGreaterThan(7);
  });

  it('stops the start on a pale accent, naming ACCENT_COLOR and the ratio measured', () => {
    const message = refusal({ ACCENT_COLOR: '#7fb3ff' });
    expect(message).toContain(fr('Configuration refusée :'));
    expect(message).toContain('ACCENT_COLOR (#7fb3ff)');
    // 2.16:1 on white, written the French way.
    expect(message).toMatch(/2,1\d:1 avec le fond des pages \(#ffffff\)/);
    expect(message).toContain(fr('il faut au moins 4,5:1'));
  });

  it('accepts a dark enough accent, in either hexadecimal form, and refuses what is not a colour', () => {
    expect(readConfig({ ACCENT_COLOR: '#0B6E4F' }).branding.accent).toBe('#0b6e4f');
    expect(readConfig({ ACCENT_COLOR: '#036' }).branding.accent).toBe('#003366');
    expect(readConfig({}).branding.accent).toBe(DEFAULT_ACCENT);
    expect(refusal({ ACCENT_COLOR: 'vert' })).toContain(fr('ACCENT_COLOR est une couleur hexadécimale'));
    // Just under 4.5:1 against the tinted panels, though it passes on white: still refused.
    const onPanel = refusal({ ACCENT_COLOR: '#6f6f6f' });
    expect(onPanel).toMatch(/avec le fond des encadrés/);
    expect(onPanel).not.toMatch(/avec le fond des pages/);
  });
});

describe('the logo', () => {
  it('is read from a PNG, JPEG, GIF, WebP or SVG file, its type told by its content', () => {
    const png = brandingFromEnv({ SERVICE_LOGO: file('logo.bin', PNG) }).logo;
    expect(png && 'file' in png && png.file.type).toBe('image/png');
    const svg = brandingFromEnv({ SERVICE_LOGO: file('logo.svg', LOGO_SVG) }).logo;
    expect(svg && 'file' in svg && svg.file.type).toBe('image/svg+xml');
  });

  it('refuses what is not a picture: a text file, an SVG with a script or a handler, a missing file, http', () => {
    expect(refusal({ SERVICE_LOGO: file('notes.png', 'pas une image') })).toMatch(
      /SERVICE_LOGO .*n’est pas une image PNG, JPEG, GIF, WebP ou SVG/,
    );
    const scripted = LOGO_SVG.replace('<circle', '<script>alert(1)</script><circle');
    expect(refusal({ SERVICE_LOGO: file('script.svg', scripted) })).toMatch(/SERVICE_LOGO .*contenu actif/);
    const handler = LOGO_SVG.replace('<circle', '<circle onload="alert(1)"');
    expect(refusal({ SERVICE_LOGO: file('handler.svg', handler) })).toMatch(/contenu actif/);
    expect(refusal({ SERVICE_LOGO: join(dir, 'absent.png') })).toMatch(/introuvable ou illisible/);
    expect(refusal({ SERVICE_LOGO: 'http://logo.example.fr/logo.png' })).toMatch(/adresse https/);
    expect(refusal({ SERVICE_LOGO: file('big.png', Buffer.concat([PNG, Buffer.alloc(600_000)])) })).toMatch(
      /dépasse 512 Ko/,
    );
  });
});

describe('a branded instance', () => {
  it('shows its name in the header, the tab and the footer, its logo and its accent colour', async () => {
    const branding = brandingFromEnv({
      SERVICE_NAME: 'Assistance numérique de l’académie',
      SERVICE_LOGO: file('academie.svg', LOGO_SVG),
      ACCENT_COLOR: '#0b6e4f',
    });
    const api = await createTestApp({ branding });
    const page = await (await api.app.request('/')).text();
    expect(page).toMatch(/<title>[^<]* — Assistance numérique de l’académie<\/title>/);
    expect(page).toContain('<meta name="application-name" content="Assistance numérique de l’académie"/>');
    expect(page).toContain('<span class="brand-name">Assistance numérique de l’académie</span>');
    expect(page).toMatch(/<footer[\s\S]*Assistance numérique de l’académie[\s\S]*<\/footer>/);
    expect(page).toContain('<img class="brand-logo" src="/assets/logo" alt=""/>');
    expect(page).not.toContain('Assistant de connexion ENT–PRONOTE');
    // An error page, raised before anything else ran, carries the name too.
    expect(await (await api.app.request('/nulle/part')).text()).toContain(
      'Assistance numérique de l’académie',
    );

    const logo = await api.app.request('/assets/logo');
    expect(logo.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(logo.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await logo.text()).toBe(LOGO_SVG);
    const css = await (await api.app.request('/assets/brand.css')).text();
    expect(css).toMatch(/--pico-primary: #0b6e4f;/);
    expect(css).toMatch(/--pico-primary-hover: #[0-9a-f]{6};/);
  });

  it('allows an https logo as the one image from elsewhere', async () => {
    const branding = brandingFromEnv({ SERVICE_LOGO: 'https://cdn.region.example.fr/logos/assistance.png' });
    const api = await createTestApp({ branding });
    const res = await api.app.request('/');
    expect(await res.text()).toContain('src="https://cdn.region.example.fr/logos/assistance.png"');
    expect(res.headers.get('Content-Security-Policy')).toMatch(
      /img-src 'self' data: https:\/\/cdn\.region\.example\.fr;/,
    );
    expect((await api.app.request('/assets/logo')).status).toBe(404);
  });

  it('is ours by default: the name, no logo, the default accent', async () => {
    const api = await createTestApp();
    const page = await (await api.app.request('/')).text();
    expect(page).toContain('<span class="brand-name">Assistant de connexion ENT–PRONOTE</span>');
    expect(page).not.toContain('brand-logo');
    expect(await (await api.app.request('/assets/brand.css')).text()).toContain(
      `--pico-primary: ${DEFAULT_ACCENT};`,
    );
  });
});
