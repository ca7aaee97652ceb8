import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface Stats {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Percentiles of a list of milliseconds (nearest rank). */
export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

export interface Target {
  name: string;
  measured: string;
  goal: string;
  pass: boolean;
}

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export const ms = (v: number) => (v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(2)} ms`);
export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

export const targetLine = (t: Target) =>
  `TARGET ${t.name}: ${t.measured} (goal ${t.goal}) ${t.pass ? 'PASS' : 'MISS'}`;

/** One Markdown table: a header row, then rows of cells. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface Section {
  title: string;
  body: string;
}

/** docs/BENCHMARKS.md: the machine, the targets, then one section per measurement. */
export function writeReport(path: string, m: Machine, targets: Target[], sections: Section[], note: string) {
  const text = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (not part of `npm test`); everything runs on 127.0.0.1 in temporary data',
    'folders. Figures from the last run.',
    '',
    `Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${m.cpu}, ${m.cores} cores, ${m.memory}, Node ${m.node}, ${m.platform}.`,
    '',
    '## Targets',
    '',
    table(
      ['target', 'measured', 'goal', 'result'],
      targets.map((t) => [t.name, t.measured, t.goal, t.pass ? 'PASS' : 'MISS']),
    ),
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', s.body, '']),
    notesSection(note),
  ].join('\n');
  writeFileSync(path, `${text.trimEnd()}\n`);
}

const notesSection = (note: string) => (note.trim() === '' ? '' : `## Notes\n\n${note.trim()}\n`);

/**
 * docs/BENCHMARKS.md with its Notes section (bench/notes.md) written again and the measured sections of the
 * last run left as they are: notes written after a run, before the next one.
 */
export function rewriteNotes(path: string, note: string) {
  const text = readFileSync(path, 'utf8');
  const at = text.indexOf('\n## Notes\n');
  const measured = at === -1 ? text.trimEnd() : text.slice(0, at).trimEnd();
  writeFileSync(path, `${`${measured}\n\n${notesSection(note)}`.trimEnd()}\n`);
}
