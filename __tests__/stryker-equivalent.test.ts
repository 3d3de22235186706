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

  it('fails the run when an entry names no node, or more than one', () => {
    const spans = (content: string) =>
      node([
        '--input-type=module',
        '-e',
        `import { spansIn } from './stryker.equivalent.mjs';
         try { console.log(JSON.stringify(spansIn('config/data.ts', ${JSON.stringify(content)}))); }
         catch (e) { console.log(e.message); }`,
      ]).trim();
    // Every entry for the file must be found; `within` is found first, then its code inside it.
    const within = '= [];\n  for (let i = 0; i < text.length; i++) {';
    const content = `x; text.slice(0, 1000); { keys: undefined, expectKey: false }${within}`;
    expect(JSON.parse(spans(content)).map((s: { start: number; end: number }) => content.slice(s.start, s.end))).toEqual([
      'text.slice(0, 1000)',
      '[]',
      '{ keys: undefined, expectKey: false }',
    ]);
    expect(JSON.parse(spans(content))[0]).toEqual({ start: 3, end: 22, reason: 'bounds the work only: the first 100 characters shown are the same either way.' });
    expect(spans(`${content}${within}`)).toBe(
      `stryker.equivalent.mjs: ${JSON.stringify(within)} occurs more than once in config/data.ts; make the entry name exactly one node again`,
    );
    expect(spans('text.slice(0, 100)')).toBe(
      'stryker.equivalent.mjs: "text.slice(0, 1000)" occurs nowhere in config/data.ts; make the entry name exactly one node again',
    );
    expect(spans('text.slice(0, 1000); text.slice(0, 1000)')).toBe(
      'stryker.equivalent.mjs: "text.slice(0, 1000)" occurs more than once in config/data.ts; make the entry name exactly one node again',
    );
  });
});
