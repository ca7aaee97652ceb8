import { describe, expect, it } from 'vitest';
import { entLoginProblem } from '../../src/pronote/ent-login.js';

describe('ENT login rules', () => {
  it.each(['jean.dupont', 'jean.dupont12', 'j-dupont', 'f1a2b3c4-9d8e', 'marie_o.neil'])(
    'accepts %s',
    (login) => {
      expect(entLoginProblem(login)).toBeNull();
    },
  );

  it.each([
    ['', 'vide'],
    ['jean dupont', 'espace'],
    ['jean\u00a0dupont', 'espace'],
    ['jean\tdupont', 'contrôle'],
    ['jean\u200bdupont', 'contrôle'],
    ['o’neil', 'guillemet'],
    ['"jean"', 'guillemet'],
    ["o'neil", 'guillemet'],
    ['=1+1', 'formule'],
    ['+33600', 'formule'],
    ['-jean', 'formule'],
    ['@jean', 'formule'],
    ['a'.repeat(101), '100 caractères'],
  ])('refuses %j and says why', (login, why) => {
    expect(entLoginProblem(login)).toContain(why);
  });
});
