import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/engine/reconcile.js';
import { csvCell, csvLine, reconciliationCsv } from '../../src/engine/reconcile-csv.js';
import { sqliteEntDirectory } from '../../src/ent/sqlite/index.js';
import { sqlitePronote } from '../../src/pronote/sqlite/index.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';
import { GEN_UAI, generatedEnt, generatedSchool } from './reconcile-fixture.js';

const read = (csv: string) => parse(csv, { delimiter: ';', bom: true }) as string[][];

describe('CSV cells (RFC 4180)', () => {
  it('leaves plain text as it is', () => {
    expect(csvCell('BERTIN')).toBe('BERTIN');
    expect(csvCell('')).toBe('');
  });

  it('quotes a separator, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('dit « Jo » "le grand"')).toBe('"dit « Jo » ""le grand"""');
    expect(csvCell('deux\r\nlignes')).toBe('"deux\r\nlignes"');
    expect(csvCell(' espace')).toBe('" espace"');
  });

  it('keeps a spreadsheet from running a cell as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+33')).toBe("'+33");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('reads back exactly what was written', () => {
    const cells = ['a;b', 'x"y', 'l1\nl2', 'plain', 'D’ANGELO', ''];
    expect(read(csvLine(cells) + csvLine(['1', '2', '3', '4', '5', '6']))).toEqual([
      cells,
      ['1', '2', '3', '4', '5', '6'],
    ]);
  });
});

describe('a reconciliation as CSV', () => {
  it('has one line per finding, each with the same columns, under one header', async () => {
    const db = openMemoryDatabase();
    const ports = { pronote: sqlitePronote(db), ent: sqliteEntDirectory(db) };
    await ports.pronote.loadSchool(generatedSchool, { replace: false });
    await ports.ent.replaceSchool(GEN_UAI, generatedEnt);
    const report = await reconcile(ports, GEN_UAI);
    if (!report) throw new Error('no report');
    const csv = reconciliationCsv([report]);
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, ...lines] = read(csv);
    expect(header?.slice(0, 4)).toEqual(['UAI', 'Profil', 'Constat', 'Identifiant ENT']);
    const expected =
      report.rows.length +
      report.pronoteOnly.length +
      report.casIds.length +
      report.responsablesWithoutAccess.length +
      report.espaces.length;
    expect(lines).toHaveLength(expected);
    expect(new Set(lines.map((l) => l.length))).toEqual(new Set([header?.length]));
    const swap = lines.find((l) => l[3] === 'lina.swap');
    expect(swap).toEqual([
      GEN_UAI,
      'Élèves',
      'Identité différente',
      'lina.swap',
      'SWAP',
      'Lina',
      '03/04/2010',
      'e-swap',
      'SWAP',
      'Lina',
      '04/03/2010',
      '6A',
      '',
      'date de naissance proche',
      'non',
    ]);
    expect(lines.find((l) => l[3] === 'paul.match')?.at(-1)).toBe('oui');
    expect(lines.some((l) => l[2] === 'Identifiant CAS d’une autre personne' && l[7] === 'p-holder')).toBe(
      true,
    );
    expect(lines.some((l) => l[2] === 'Espace parents non publié')).toBe(true);
  });
});
