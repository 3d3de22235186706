import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
// bench/options.js is plain JavaScript, run by node without a build.
const { benchOptions, SAVED, UNTRACKED } = require('../bench/options') as typeof import('../bench/options');

describe('npm run bench', () => {
  it('writes to an untracked file unless asked to --save over the committed results', () => {
    expect(path.relative(ROOT, UNTRACKED)).toBe(path.join('bench', 'out', 'results.json'));
    expect(path.relative(ROOT, SAVED)).toBe(path.join('bench', 'results.json'));
    expect(benchOptions([])).toEqual({ runs: 5, testRuns: 3, out: UNTRACKED, skipTest: false, skipStatus: false, skipPage: false });
    expect(benchOptions(['--save', '--skip-test', '--skip-status', '--skip-page', '--runs', '7'])).toEqual({ runs: 7, testRuns: 3, out: SAVED, skipTest: true, skipStatus: true, skipPage: true });
    expect(benchOptions(['--out', 'x.json']).out).toBe(path.join(ROOT, 'x.json'));
    expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('bench/out/');
    expect(fs.readFileSync(path.join(ROOT, 'bench', 'run.js'), 'utf8')).toMatch(/benchOptions\(process\.argv\.slice\(2\)\)/);
  });
});

describe('the package', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

  it('is MIT licensed, with the licence text at the top (npm packs LICENSE whatever "files" says)', () => {
    expect(pkg.license).toBe('MIT');
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 /);
  });

  it('ships the config JSON Schema and exports it, so a config can name it from node_modules', () => {
    expect(pkg.files).toContain('config/flux-gitops.schema.json');
    expect(pkg.exports['./flux-gitops.schema.json']).toBe('./config/flux-gitops.schema.json');
  });
});

describe('the test order (jest.config.js testSequencer)', () => {
  // support/sequencer.js is plain JavaScript, loaded by jest without a transform.
  const HeaviestFirst = require('./support/sequencer') as {
    new (options: unknown): { sort(tests: unknown[]): { path: string }[]; cacheResults(tests: unknown[], results: unknown): void };
    HEAVY: Record<string, number>;
  };
  const names = ['a-small.test.ts', 'library.test.ts', 'z-big.test.ts', 'schema-limits.test.ts'];
  /** Test files as jest hands them to a sequencer: a path, and a context whose config names the timing cache. */
  const filesIn = (cacheDirectory: string) => {
    const sizes: Record<string, number> = { 'a-small.test.ts': 10, 'z-big.test.ts': 90_000 };
    const context = {
      config: { rootDir: ROOT, cacheDirectory, cache: true, id: 'sequencer-test', haste: {} },
      hasteFS: { getSize: (p: string) => sizes[path.basename(p)] ?? 1000 },
    };
    return names.map((n) => ({ path: path.join(ROOT, '__tests__', n), context }));
  };
  const order = (tests: { path: string }[]) => tests.map((t) => path.basename(t.path));
  // A timing cache of the test's own, not jest's (support/synth's tempDir would load cdktf for this).
  const made: string[] = [];
  const tempDir = (prefix: string) => made[made.push(fs.mkdtempSync(path.join(os.tmpdir(), prefix))) - 1];
  afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('on a fresh clone (no timings): the known heavy files, heaviest first, then jest\'s rule (larger first)', () => {
    expect(order(new HeaviestFirst({}).sort(filesIn(tempDir('jest-cache-'))))).toEqual([
      'library.test.ts',
      'schema-limits.test.ts',
      'z-big.test.ts',
      'a-small.test.ts',
    ]);
  });

  it('estimates only test files that exist (a renamed file would lose its place silently)', () => {
    const names = Object.keys(HeaviestFirst.HEAVY);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !fs.existsSync(path.join(__dirname, n)))).toEqual([]);
  });

  it('after a run: a file that failed first, then the last run\'s durations, whatever HEAVY says', () => {
    const cache = tempDir('jest-cache-');
    const tests = filesIn(cache);
    const result = (n: string, runtime: number, failing = 0) => ({ testFilePath: path.join(ROOT, '__tests__', n), numFailingTests: failing, perfStats: { runtime } });
    new HeaviestFirst({}).cacheResults(tests, {
      testResults: [result('a-small.test.ts', 90_000), result('library.test.ts', 2_000), result('z-big.test.ts', 100, 1), result('schema-limits.test.ts', 3_000)],
    });
    expect(order(new HeaviestFirst({}).sort(filesIn(cache)))).toEqual([
      'z-big.test.ts',
      'a-small.test.ts',
      'schema-limits.test.ts',
      'library.test.ts',
    ]);
  });
});

describe('archiver in the tests (jest.config.js moduleNameMapper, support/lazy-archiver.js)', () => {
  it('is the real module behind the deferred load: a zip as cdktf makes one is made', async () => {
    const archiver = require('archiver');
    expect(archiver.isRegisteredFormat('zip')).toBe(true);
    const zip = archiver('zip', { zlib: { level: 9 } });
    const chunks: Buffer[] = [];
    zip.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((resolve) => zip.on('end', resolve));
    zip.append('hello', { name: 'a.txt' });
    await zip.finalize();
    await done;
    const bytes = Buffer.concat(chunks);
    // A zip file: local file header first, the name stored in it.
    expect([bytes.readUInt32LE(0), bytes.subarray(30, 35).toString()]).toEqual([0x04034b50, 'a.txt']);
  });
});
