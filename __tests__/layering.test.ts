/**
 * The architecture as the imports show it: each folder may import its own files and the folders below
 * it, never one above, and no file reaches itself through its imports. Adding a folder means giving it
 * a place here.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** Top to bottom; folders on one line are side by side and import neither each other. */
const LAYERS: readonly (readonly string[])[] = [
  ['.'], // main.ts (the app), index.ts (the library's exports)
  ['cli'], // the commands
  ['fleet-status'], // what is live where: model, readers, renderers
  ['stacks'],
  ['config'],
  ['constructs'],
  ['flux', 'azure-devops'],
  ['.gen', 'assets'],
];
const rank = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

function sourceFiles(): string[] {
  const top = fs.readdirSync(ROOT).filter((f) => /\.ts$/.test(f)).map((f) => f);
  const below = [...rank.keys()]
    .filter((d) => d !== '.' && d !== '.gen' && fs.existsSync(path.join(ROOT, d)))
    .flatMap((d) => fs.readdirSync(path.join(ROOT, d), { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|js)$/.test(f)).map((f) => path.join(d, f)));
  return [...top, ...below];
}

/** The project files a file imports or requires by relative path. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)'(\.{1,2}\/[^']*)'/g)) {
    const target = path.normalize(path.join(path.dirname(file), m[1]));
    const resolved = [`${target}.ts`, `${target}.js`, path.join(target, 'index.ts'), target].find((c) => fs.existsSync(path.join(ROOT, c)) && fs.statSync(path.join(ROOT, c)).isFile());
    if (resolved === undefined) throw new Error(`${file} imports ${m[1]}, which is not a file`);
    found.push(resolved);
  }
  return found;
}

const folderOf = (file: string): string => file.split(path.sep)[0].includes('.ts') ? '.' : file.split(path.sep)[0];

const files = sourceFiles();
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('the layout', () => {
  it('reads the files of every layer (the test cannot pass by finding nothing)', () => {
    for (const folder of ['.', 'cli', 'stacks', 'config', 'constructs', 'flux', 'azure-devops']) expect(files.some((f) => folderOf(f) === folder)).toBe(true);
    expect(files).toContain(path.join('cli', 'index.ts'));
  });

  it('has every folder of source in a layer', () => {
    expect(files.map(folderOf).filter((f) => !rank.has(f))).toEqual([]);
  });

  it('imports only downward or beside within a folder', () => {
    const upward = [...graph].flatMap(([from, targets]) =>
      targets.filter((to) => {
        const [a, b] = [folderOf(from), folderOf(to)];
        return a !== b && !(rank.get(a)! < rank.get(b)!);
      }).map((to) => `${from} -> ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no import circle', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const trail: string[] = [];
    // Iterative depth-first search, so a long chain cannot overflow the stack.
    for (const start of files) {
      if (state.has(start)) continue;
      const work: { file: string; next: number }[] = [{ file: start, next: 0 }];
      state.set(start, 'open');
      trail.push(start);
      while (work.length > 0) {
        const top = work[work.length - 1];
        const targets = graph.get(top.file) ?? [];
        if (top.next < targets.length) {
          const to = targets[top.next++];
          if (state.get(to) === 'open') circles.push([...trail.slice(trail.indexOf(to)), to].join(' -> '));
          else if (!state.has(to) && graph.has(to)) {
            state.set(to, 'open');
            trail.push(to);
            work.push({ file: to, next: 0 });
          }
        } else {
          state.set(top.file, 'done');
          trail.pop();
          work.pop();
        }
      }
    }
    expect(circles).toEqual([]);
  });
});
