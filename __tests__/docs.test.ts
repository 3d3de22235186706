/**
 * The README and docs/ as a reader follows them: every relative link (and #anchor) lands, every
 * `npm run X` names a script of package.json and every `npx cdktf-flux-gitops X` a command of the CLI,
 * and the configuration reference is what `npm run docs:config` makes from the JSON Schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import { usage } from '../cli';

const ROOT = path.join(__dirname, '..');
// docs/config-reference.js is plain JavaScript, run by node without a build.
const reference = require('../docs/config-reference') as typeof import('../docs/config-reference');

const PAGES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];
const text = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The text outside fenced blocks (links in code are not links). */
const prose = (markdown: string): string => markdown.replace(/^ *```[^\n]*\n[\s\S]*?^ *```$/gm, '');

/** GitHub's anchor of a heading: lower case, punctuation but "-" and "_" dropped, spaces to "-". */
const slug = (heading: string): string => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

/** The anchors of a page, numbered as GitHub numbers repeated ones. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of prose(text(file)).matchAll(/^#{1,6} (.*)$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Every relative link of a page: [text](target) and its #anchor, with the line it is on. */
function linksOf(file: string): { line: number; target: string }[] {
  const body = prose(text(file));
  return [...body.matchAll(/\]\(([^)\s]+)\)/g)]
    .filter((m) => !/^(https?:|mailto:)/.test(m[1]))
    .map((m) => ({ line: body.slice(0, m.index).split('\n').length, target: m[1] }));
}

describe('README and docs/', () => {
  it('are found: the front door and the topic pages', () => {
    expect(PAGES).toEqual(expect.arrayContaining(['README.md', ...['configuration', 'azure-devops-and-keys', 'production-aks', 'kustomizations-and-sources', 'zero-secret', 'library', 'troubleshooting', 'design', 'fleet-status', 'fleet-page', 'pipelines', 'observability', 'safety'].map((p) => path.join('docs', `${p}.md`))]));
    expect(linksOf('README.md').length).toBeGreaterThan(10);
  });

  it('keep the README a front door: at most about 250 lines, the set-up commands first', () => {
    const readme = text('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(260);
    // .ci/run executes the first ```sh block: it must stay the two set-up commands.
    expect(/```sh\n([\s\S]*?)```/.exec(readme)![1]).toBe(
      'npm ci && npm run synth   # bundles the app with esbuild, then synthesizes the default stack (embedded example config) into cdktf.out/\nnpm test                  # type-checks and runs the test suite\n',
    );
  });

  it('link only to files and anchors that exist', () => {
    const broken = PAGES.flatMap((file) =>
      linksOf(file).flatMap(({ line, target }) => {
        const [target_, anchor] = target.split('#');
        const dest = target_ === '' ? file : path.normalize(path.join(path.dirname(file), decodeURI(target_)));
        if (!fs.existsSync(path.join(ROOT, dest))) return [`${file}:${line}: ${target} (no file ${dest})`];
        if (anchor !== undefined && !(dest.endsWith('.md') && anchorsOf(dest).has(anchor))) return [`${file}:${line}: ${target} (no heading #${anchor} in ${dest})`];
        return [];
      }),
    );
    expect(broken).toEqual([]);
  });

  it('name only npm scripts and commands that exist', () => {
    const scripts = Object.keys(JSON.parse(text('package.json')).scripts);
    const commands = usage().split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(' ')[1]);
    expect(commands).toEqual(expect.arrayContaining(['doctor', 'fleet', 'stacks']));
    const named = PAGES.flatMap((file) => [
      ...[...text(file).matchAll(/\bnpm run (?:--silent )?([\w:.-]+)/g)].map((m) => ({ file, kind: 'script', name: m[1] })),
      ...[...text(file).matchAll(/\bnpx cdktf-flux-gitops ([\w-]+)/g)].map((m) => ({ file, kind: 'command', name: m[1] })),
    ]);
    expect(named.filter((n) => n.kind === 'script').length).toBeGreaterThan(5);
    expect(named.filter((n) => (n.kind === 'script' ? !scripts.includes(n.name) : !commands.includes(n.name)))).toEqual([]);
  });
});

describe('docs/configuration.md', () => {
  it('is what npm run docs:config makes from the JSON Schema and examples/every-setting.yaml', () => {
    expect(JSON.parse(text('package.json')).scripts['docs:config']).toBe('node docs/config-reference.js');
    expect(text(path.join('docs', 'configuration.md'))).toBe(reference.currentPage());
  });

  it('has a row for every field of a cluster, nested ones included', () => {
    const page = text(path.join('docs', 'configuration.md'));
    for (const field of ['`name` (required)', '`flux.chartVersion`', '`repositories[].kustomizations[].postBuild.substituteFrom`', '`aks.login`', '`backend.type`']) {
      expect({ field, found: page.includes(`| ${field}`) }).toEqual({ field, found: true });
    }
  });
});

describe('docs/library.md', () => {
  it('quotes examples/library/main.ts as it is', () => {
    const page = text(path.join('docs', 'library.md'));
    const quoted = /<!-- quoted from examples\/library\/main\.ts -->\n```ts\n([\s\S]*?)\n```\n/.exec(page);
    expect(quoted).not.toBeNull();
    expect(quoted![1]).toBe(text(path.join('examples', 'library', 'main.ts')).trimEnd());
  });
});
