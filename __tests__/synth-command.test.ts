import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runMain } from './support/run-main';
import { filesUnder, tempDir } from './support/synth';

const ROOT = path.join(__dirname, '..');
const APP: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).app;

/** Runs cdktf.json's app the way `cdktf synth` does: through a shell, configured by the environment. */
function runApp(env: Record<string, string>): { outdir: string; status: number | null; stderr: string } {
  const outdir = tempDir('cdktf.out.');
  const { FLUX_GITOPS_CONFIG: _ignored, ...inherited } = process.env;
  const r = spawnSync(APP, { cwd: ROOT, shell: true, encoding: 'utf8', env: { ...inherited, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: outdir, ...env } });
  return { outdir, status: r.status, stderr: r.stderr };
}

describe("cdktf.json's app command", () => {
  it('bundles the sources with esbuild and runs the bundle: no tsc, no npm, on every synth', () => {
    // Type-checking belongs to `npm test` and the editor; an npm script would add npm's own start-up (~0.3 s).
    expect(APP).toMatch(/^node_modules\/\.bin\/esbuild main\.ts --bundle .*--outfile=dist\/app\.js .*&& node .*dist\/app\.js$/);
    expect(APP).not.toMatch(/\btsc\b|npm |npx /);
  });

  it('writes what main.ts writes from the sources, for the embedded example, and nothing on stderr', () => {
    // Node 22 deprecates util.isArray, which cdktf 0.21's TerraformOutput calls on every output (DEP0044):
    // the app command silences that one warning, or every synth would print it.
    const bundled = runApp({});
    expect({ status: bundled.status, stderr: bundled.stderr }).toEqual({ status: 0, stderr: '' });
    const fromSources = runMain({});
    expect(fs.existsSync(path.join(bundled.outdir, 'stacks', 'example', 'cdk.tf.json'))).toBe(true);
    expect(filesUnder(path.join(bundled.outdir, 'stacks'))).toEqual(filesUnder(path.join(fromSources.outdir, 'stacks')));
  }, 60000);

  it('loads a YAML config (the modules main.ts requires lazily are in the bundle)', () => {
    const file = path.join(tempDir(), 'flux-gitops.yaml');
    fs.writeFileSync(file, 'clusters:\n  - name: dev\n    repositories: [{ name: infra, url: "git@ssh.dev.azure.com:v3/o/p/infra" }]\n');
    const bundled = runApp({ FLUX_GITOPS_CONFIG: file });
    expect({ status: bundled.status, stderr: bundled.stderr }).toEqual({ status: 0, stderr: '' });
    expect(filesUnder(path.join(bundled.outdir, 'stacks'))).toEqual(filesUnder(path.join(runMain({ FLUX_GITOPS_CONFIG: file }).outdir, 'stacks')));
  }, 60000);
});

describe('npm run synth', () => {
  const SCRIPT: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.synth;

  /** Runs the synth script in `dir`, whose cdktf.json names an app that reports what it was handed. */
  function launch(context: unknown, env: Record<string, string> = {}): Record<string, string | undefined> {
    const dir = tempDir('synth-script-');
    const report = path.join(dir, 'report.json');
    const app = `node -e "require('fs').writeFileSync(process.argv[1], JSON.stringify({ context: process.env.CDKTF_CONTEXT_JSON, show: process.env.FLUX_GITOPS_SHOW_CONFIG }))" ${JSON.stringify(report)}`;
    fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ app, ...(context === undefined ? {} : { context }) }));
    const { CDKTF_CONTEXT_JSON: _c, FLUX_GITOPS_SHOW_CONFIG: _s, ...inherited } = process.env;
    const r = spawnSync(SCRIPT, { cwd: dir, shell: true, encoding: 'utf8', env: { ...inherited, ...env } });
    expect(r.status).toBe(0);
    return JSON.parse(fs.readFileSync(report, 'utf8'));
  }

  it("hands the app cdktf.json's context as cdktf synth does, and asks it to say which config it used", () => {
    // cdktf-cli 0.21 sets CDKTF_CONTEXT_JSON to cdktf.json's context (@cdktf/commons src/config.js, parseConfig).
    expect(launch({ fluxGitopsConfig: 'examples/fleet.yaml' })).toEqual({ context: '{"fluxGitopsConfig":"examples/fleet.yaml"}', show: '1' });
    expect(launch(undefined, { CDKTF_CONTEXT_JSON: '{"fluxGitopsConfig":"mine.yaml"}' })).toEqual({ context: '{"fluxGitopsConfig":"mine.yaml"}', show: '1' });
  });

  it('synthesizes the config the context key names, and says where it came from', () => {
    const file = path.join(tempDir(), 'flux-gitops.yaml');
    fs.writeFileSync(file, 'clusters:\n  - name: from-context\n    repositories: [{ name: infra, url: "git@ssh.dev.azure.com:v3/o/p/infra" }]\n');
    const run = runMain({ CDKTF_CONTEXT_JSON: JSON.stringify({ fluxGitopsConfig: file }), FLUX_GITOPS_SHOW_CONFIG: '1' });
    expect(fs.readdirSync(path.join(run.outdir, 'stacks'))).toEqual(['from-context']);
    expect(run.stderr).toBe(`synth: config ${file} (from the context key fluxGitopsConfig of cdktf.json)\n`);
    expect(runMain({ FLUX_GITOPS_CONFIG: file, FLUX_GITOPS_SHOW_CONFIG: '1' }).stderr).toBe(`synth: config ${file} (from FLUX_GITOPS_CONFIG)\n`);
    expect(runMain({ FLUX_GITOPS_SHOW_CONFIG: '1' }).stderr).toBe(
      'synth: config the embedded example (neither FLUX_GITOPS_CONFIG nor the context key fluxGitopsConfig of cdktf.json is set)\n',
    );
    // cdktf synth does not ask: its output stays as it was.
    expect(runMain({ FLUX_GITOPS_CONFIG: file }).stderr).toBe('');
  });
});
