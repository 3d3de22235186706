/**
 * The whole project type-checks: sources, tests, bench and the JavaScript files under `checkJs`
 * (tsconfig.json). jest strips types without checking them (@swc/jest), so this file is what fails
 * `npm test` on a type error. It runs as a test rather than before jest so that the compiler's one
 * thread shares the machine with the other suites instead of holding them all up; the test sequencer
 * (support/sequencer.js) starts it first.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './support/synth';

const ROOT = path.join(__dirname, '..');

/** Runs the project's own TypeScript compiler on `project` (a tsconfig), as `npx tsc -p` would. */
function tsc(project: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project, '--pretty', 'false'],
      { cwd: path.dirname(project), encoding: 'utf8', maxBuffer: 64 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: `${stdout}${stderr}` }),
    ),
  );
}

it('has no type error (tsc -p tsconfig.json)', async () => {
  expect(await tsc(path.join(ROOT, 'tsconfig.json'))).toEqual({ code: 0, out: '' });
}, 300_000);

it('fails on a type error, naming the file and line', async () => {
  const dir = tempDir('typecheck-');
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [], lib: ['es2022'], skipLibCheck: true }, files: ['wrong.ts'] }));
  fs.writeFileSync(path.join(dir, 'wrong.ts'), 'export const port: number = "8080";\n');
  expect(await tsc(path.join(dir, 'tsconfig.json'))).toEqual({
    code: 2,
    out: "wrong.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\n",
  });
}, 60_000);
