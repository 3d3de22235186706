import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as library from '../index';
import { tempDir } from './support/synth';

const ROOT = path.join(__dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string =>
  execFileSync(cmd, args, { cwd, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env }, stdio: 'pipe', encoding: 'utf8' });

describe('the library index', () => {
  it('exports every construct of constructs/ and the stack', () => {
    const classes = fs
      .readdirSync(path.join(ROOT, 'constructs'))
      .flatMap((f) => [...fs.readFileSync(path.join(ROOT, 'constructs', f), 'utf8').matchAll(/^export class (\w+)/gm)].map((m) => m[1]));
    expect(classes.length).toBeGreaterThan(8);
    for (const name of [...classes, 'FluxGitOpsStack']) expect({ name, exported: typeof (library as any)[name] }).toEqual({ name, exported: 'function' });
  });

  it('declares the entry points, the shipped files and cdktf, constructs and the providers as peers', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ main: 'dist/index.js', types: 'dist/index.d.ts', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } });
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(
      ['@cdktf/provider-helm', '@cdktf/provider-kubernetes', '@cdktf/provider-null', '@cdktf/provider-random', '@cdktf/provider-time', '@cdktf/provider-tls', 'cdktf', 'constructs'].sort(),
    );
    for (const peer of Object.keys(pkg.peerDependencies)) expect(pkg.dependencies?.[peer]).toBeUndefined();
  });
});

describe('the packed library in a consumer app', () => {
  const work = tempDir('consumer-');
  const consumer = path.join(work, 'app');
  let tarball: string;
  let json: any;

  beforeAll(() => {
    // prepack builds dist/ from the current source.
    const packed = JSON.parse(run(NPM, ['pack', '--json', '--pack-destination', work], ROOT));
    tarball = path.join(work, packed[0].filename);
    fs.mkdirSync(consumer);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    // The peers (and the package's own dependencies) come from this project's node_modules as local
    // packages: npm links them without any registry metadata, so the install needs neither the
    // network nor a warm cache (`npm ci` caches tarballs, not the packuments an install of version
    // specs reads). The library itself comes from the packed tarball, extracted, so it can only load
    // what it ships and what the consumer installs beside it.
    const local = [...Object.keys(pkg.peerDependencies), ...Object.keys(pkg.dependencies ?? {})];
    fs.writeFileSync(
      path.join(consumer, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        version: '1.0.0',
        private: true,
        dependencies: { ...Object.fromEntries(local.map((p) => [p, `file:${path.join(ROOT, 'node_modules', p)}`])), 'cdktf-flux-gitops': `file:${tarball}` },
      }),
    );
    // An empty cache of its own: the install cannot lean on what an earlier command left behind.
    run(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], consumer, { npm_config_cache: path.join(work, 'npm-cache') });
    fs.copyFileSync(path.join(__dirname, 'support', 'consumer-app.ts.txt'), path.join(consumer, 'main.ts'));
    // Type-checks the consumer against the shipped declarations, then compiles it.
    run(process.execPath, [
      path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'commonjs', '--moduleResolution', 'node',
      '--typeRoots', path.join(ROOT, 'node_modules', '@types'), '--types', 'node', '--outDir', 'dist', 'main.ts',
    ], consumer);
    const outdir = path.join(consumer, 'cdktf.out');
    run(process.execPath, ['dist/main.js'], consumer, { CDKTF_OUTDIR: outdir });
    json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'platform-team', 'cdk.tf.json'), 'utf8'));
  }, 120000);

  it('installs the tarball with its built code, declarations, chart and key script, and no tests', () => {
    const pkg = path.join(consumer, 'node_modules', 'cdktf-flux-gitops');
    // Extracted from the tarball, not a link back into this project (whose node_modules would hide a missing dependency).
    expect(fs.lstatSync(pkg).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(pkg, 'node_modules'))).toBe(false);
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/assets/flux-objects-1.0.0.tgz', 'dist/assets/ssh-keys.js', 'dist/.gen/providers/azuredevops/provider/index.js', 'dist/fleet-status/snapshot.schema.json']) {
      expect({ f, present: fs.existsSync(path.join(pkg, f)) }).toEqual({ f, present: true });
    }
    expect(fs.existsSync(path.join(pkg, '__tests__'))).toBe(false);
    expect(fs.existsSync(path.join(pkg, 'dist', 'main.js'))).toBe(false);
    // The app's bundle (cdktf.json writes it to dist/ on every synth) is not part of the library.
    expect(fs.existsSync(path.join(pkg, 'dist', 'app.js'))).toBe(false);
  });

  it('synthesizes a stack composed differently: two sources on one release, a connector with a custom subscriber', () => {
    const releases = Object.values<any>(json.resource.helm_release);
    const objects = JSON.parse(releases.find((r) => String(r.chart).startsWith('./assets/')).values[0]).objects;
    expect(objects.filter((o: any) => o.kind === 'GitRepository').map((o: any) => o.spec.url)).toEqual([
      'ssh://git@ssh.dev.azure.com/v3/contoso/platform/infra',
      'ssh://git@ssh.dev.azure.com/v3/contoso/platform/policies',
    ]);
    const connector = releases.find((r) => r.chart === 'gitops-connector');
    expect(JSON.parse(connector.values[0])).toMatchObject({ subscribers: { audit: 'https://audit.contoso.example/flux' }, orchestratorPAT: '' });
    const alert = objects.find((o: any) => o.kind === 'Alert');
    expect(alert.spec.eventSources).toHaveLength(4);
    expect(objects.find((o: any) => o.kind === 'Provider').spec.address).toBe('http://gitops-connector.audit.svc.cluster.local:8080/gitopsphase');
  });
});
