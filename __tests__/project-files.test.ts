import * as fs from 'fs';
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
