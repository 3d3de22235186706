import { execFileSync } from 'child_process';
import * as path from 'path';

// The equivalent-mutant table (stryker.equivalent.mjs) against what Stryker's instrumenter makes of
// the files it names: an entry excludes exactly the mutants it lists, nothing else is excluded, and an
// entry that stops naming exactly one node fails the run instead of excluding something else.

const root = path.join(__dirname, '..');

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

interface Report {
  equivalents: { file: string; code: string; mutants: string[]; reason: string }[];
  ignored: { file: string; mutant: string; reason: string }[];
}

describe('equivalent mutants excluded in the Stryker config', () => {
  let report: Report;
  beforeAll(() => {
    report = JSON.parse(node([path.join(__dirname, 'support', 'stryker-ignored.mjs')]));
  }, 60_000);

  it('ignores, in each file, exactly the mutants the table lists, each with its reason', () => {
    const expected = report.equivalents.flatMap((e) => e.mutants.map((mutant) => ({ file: e.file, mutant, reason: e.reason })));
    expect(expected.length).toBeGreaterThan(0);
    const order = (list: { file: string; mutant: string; reason: string }[]) => list.map((m) => JSON.stringify([m.file, m.reason, m.mutant])).sort();
    expect(order(report.ignored)).toEqual(order(expected));
  });

  it('has one line of reason per entry', () => {
    expect(report.equivalents.filter((e) => e.reason.trim() === '' || e.reason.includes('\n'))).toEqual([]);
  });

  it('finds each entry of a file once, or fails the run when an entry names no node or more than one', () => {
    const table = [
      { file: 'f.ts', code: 'a.slice(0, 9)', mutants: [], reason: 'one' },
      { file: 'f.ts', code: '[]', within: '= [];\n  for', mutants: [], reason: 'two' },
      { file: 'g.ts', code: 'x', mutants: [], reason: 'another file' },
    ];
    // Each content with the answer it must get: spans for both entries, or the error that stops the run.
    const cases: [content: string, answer: string][] = [
      ['x = []; a.slice(0, 9); y = [];\n  for', JSON.stringify([{ start: 8, end: 21, reason: 'one' }, { start: 27, end: 29, reason: 'two' }])],
      ['a.slice(0, 8); y = [];\n  for', 'stryker.equivalent.mjs: "a.slice(0, 9)" occurs nowhere in f.ts; make the entry name exactly one node again'],
      ['a.slice(0, 9); a.slice(0, 9); y = [];\n  for', 'stryker.equivalent.mjs: "a.slice(0, 9)" occurs more than once in f.ts; make the entry name exactly one node again'],
      ['a.slice(0, 9); y = [];\n  for; z = [];\n  for', 'stryker.equivalent.mjs: "= [];\\n  for" occurs more than once in f.ts; make the entry name exactly one node again'],
    ];
    // One process for the four contents (each a node start and an import of the table, ~0.1 s of CPU).
    const answers: string[] = JSON.parse(
      node([
        '--input-type=module',
        '-e',
        `import { spansIn } from './stryker.equivalent.mjs';
         const answer = (content) => { try { return JSON.stringify(spansIn('f.ts', content, ${JSON.stringify(table)})); } catch (e) { return e.message; } };
         console.log(JSON.stringify(${JSON.stringify(cases.map(([content]) => content))}.map(answer)));`,
      ]),
    );
    expect(answers).toEqual(cases.map(([, answer]) => answer));
  });
});
