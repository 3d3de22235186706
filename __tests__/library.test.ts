import { exec, execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import Ajv2020 from 'ajv/dist/2020';
import { parse as parseYaml } from 'yaml';
import * as library from '../index';
import { tempDir } from './support/synth';

const ROOT = path.join(__dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string =>
  execFileSync(cmd, args, { cwd, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env }, stdio: 'pipe', encoding: 'utf8' });

/**
 * The packed library, built once per content: `npm pack` (its prepack is a full build) is most of this
 * file's time, and its tarball depends only on the files hashed here, a superset of what the build reads
 * and the package ships (every top-level file, the source folders, the assets) and the compiler's
 * version. A change to any of them packs again; a fresh clone has no cache and packs. The cache keeps
 * the newest tarball only.
 */
function packedTarball(work: string): string {
  const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cdktf-flux-gitops');
  const hash = createHash('sha256');
  const add = (file: string): void => {
    hash.update(`${path.relative(ROOT, file)}\0`).update(fs.readFileSync(file)).update('\0');
  };
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) add(p);
    }
  };
  for (const e of fs.readdirSync(ROOT, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) if (e.isFile()) add(path.join(ROOT, e.name));
  for (const dir of ['.gen', 'assets', 'azure-devops', 'cli', 'config', 'constructs', 'fleet-status', 'flux', 'stacks']) walk(path.join(ROOT, dir));
  add(path.join(ROOT, 'node_modules', 'typescript', 'package.json'));
  const key = hash.digest('hex').slice(0, 32);
  const cached = fs.existsSync(CACHE) ? fs.readdirSync(CACHE).find((f) => f.startsWith(`pack-${key}-`) && f.endsWith('.tgz')) : undefined;
  if (cached) {
    const tarball = path.join(work, cached.slice(`pack-${key}-`.length));
    fs.copyFileSync(path.join(CACHE, cached), tarball);
    return tarball;
  }
  // prepack builds dist/ from the current source.
  const packed = JSON.parse(run(NPM, ['pack', '--json', '--pack-destination', work], ROOT));
  const tarball = path.join(work, packed[0].filename);
  fs.mkdirSync(CACHE, { recursive: true });
  for (const old of fs.readdirSync(CACHE).filter((f) => f.startsWith('pack-'))) fs.rmSync(path.join(CACHE, old), { force: true });
  // Written under another name and renamed: a run stopped half-way leaves no tarball that looks whole.
  const partial = path.join(CACHE, `.partial-${process.pid}.tgz`);
  fs.copyFileSync(tarball, partial);
  fs.renameSync(partial, path.join(CACHE, `pack-${key}-${packed[0].filename}`));
  return tarball;
}

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

/**
 * One pack and one offline install serve every test of the packed library: the install is a copy of
 * examples/library (its package.json with each dependency pointed at a local copy), and the older
 * consumer app is compiled beside the example's main.ts in the same folder.
 */
describe('the packed library', () => {
  const work = tempDir('consumer-');
  const consumer = path.join(work, 'app');
  const EXAMPLE = path.join(ROOT, 'examples', 'library');
  let tarball: string;
  let json: any;
  let example: (stack: string) => any;
  let exampleRun: { status: number | null; stderr: string };

  beforeAll(async () => {
    tarball = packedTarball(work);
    fs.cpSync(EXAMPLE, consumer, { recursive: true, filter: (f) => !/[\\/](node_modules|dist|cdktf\.out)$/.test(f) });
    const pkg = JSON.parse(fs.readFileSync(path.join(consumer, 'package.json'), 'utf8'));
    // The peers (and the rest) come from this project's node_modules as local packages: npm links them
    // without any registry metadata, so the install needs neither the network nor a warm cache (`npm ci`
    // caches tarballs, not the packuments an install of version specs reads). The library itself comes
    // from the packed tarball, extracted, so it can only load what it ships and what the app installs.
    const local = (deps: Record<string, string>) =>
      Object.fromEntries(Object.keys(deps).map((p) => [p, p === 'cdktf-flux-gitops' ? `file:${tarball}` : `file:${path.join(ROOT, 'node_modules', p)}`]));
    // The library's own dependencies are installed beside it (from the registry, a user's npm reads them
    // from the tarball's package.json); cdktf-cli is left out: the test runs the app command itself.
    const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).dependencies;
    const { 'cdktf-cli': cli, ...devDependencies } = pkg.devDependencies;
    expect(cli).toBeDefined();
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ ...pkg, dependencies: local({ ...own, ...pkg.dependencies }), devDependencies: local(devDependencies) }));
    // An empty cache of its own: the install cannot lean on what an earlier command left behind.
    run(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], consumer, { npm_config_cache: path.join(work, 'npm-cache') });

    // The older consumer app goes beside the example's main.ts and into the example's own tsconfig, so the
    // one compiler the example's app command starts type-checks both programs against the shipped
    // declarations (two compilers each loading cdktf's and the library's declarations cost ~3.5 s more CPU).
    // The consumer was compiled with exactly these options (strict, skipLibCheck, ES2022, CommonJS, node
    // resolution, Node's types); held here so a change to the example's options is a decision about both.
    const tsconfigFile = path.join(consumer, 'tsconfig.json');
    const tsconfig = JSON.parse(fs.readFileSync(tsconfigFile, 'utf8'));
    expect(tsconfig).toEqual({
      compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, skipLibCheck: true, types: ['node'], outDir: 'dist' },
      include: ['main.ts'],
    });
    fs.copyFileSync(path.join(__dirname, 'support', 'consumer-app.ts.txt'), path.join(consumer, 'consumer.ts'));
    fs.writeFileSync(tsconfigFile, JSON.stringify({ ...tsconfig, include: ['main.ts', 'consumer.ts'] }));

    // The example, synthesized by its own cdktf.json app command, as `cdktf synth` runs it (through a
    // shell); then the consumer app, run from what that command compiled.
    const outdir = path.join(consumer, 'cdktf.out');
    const app: string = JSON.parse(fs.readFileSync(path.join(consumer, 'cdktf.json'), 'utf8')).app;
    exampleRun = await promisify(exec)(app, {
      cwd: consumer,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: outdir, npm_config_offline: 'true', npm_config_cache: path.join(work, 'npm-cache') },
    }).then(
      (r) => ({ status: 0, stderr: r.stderr }),
      // tsc reports type errors (of either program) on stdout.
      (e) => ({ status: e.code ?? null, stderr: `${e.stdout}${e.stderr}` }),
    );
    example = (stack) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    // tsc emits a program with type errors too and the command stops before main.js: only a clean compile runs it.
    if (exampleRun.status === 0) {
      const consumerOut = path.join(work, 'consumer.out');
      run(process.execPath, ['dist/consumer.js'], consumer, { CDKTF_OUTDIR: consumerOut });
      json = JSON.parse(fs.readFileSync(path.join(consumerOut, 'stacks', 'platform-team', 'cdk.tf.json'), 'utf8'));
    }
  }, 180000);

  it('installs the tarball with its built code, declarations, chart, key script, JSON Schema and licence, and no tests', () => {
    const pkg = path.join(consumer, 'node_modules', 'cdktf-flux-gitops');
    // Extracted from the tarball, not a link back into this project (whose node_modules would hide a missing dependency).
    expect(fs.lstatSync(pkg).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(pkg, 'node_modules'))).toBe(false);
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/assets/flux-objects-1.0.0.tgz', 'dist/assets/ssh-keys.js', 'dist/.gen/providers/azuredevops/provider/index.js', 'dist/fleet-status/snapshot.schema.json', 'LICENSE']) {
      expect({ f, present: fs.existsSync(path.join(pkg, f)) }).toEqual({ f, present: true });
    }
    expect(fs.existsSync(path.join(pkg, '__tests__'))).toBe(false);
    expect(fs.existsSync(path.join(pkg, 'dist', 'main.js'))).toBe(false);
    // The app's bundle (cdktf.json writes it to dist/ on every synth) is not part of the library.
    expect(fs.existsSync(path.join(pkg, 'dist', 'app.js'))).toBe(false);
  });

  it('ships the config JSON Schema where a config names it ($schema from node_modules) and by its export', () => {
    const shipped = path.join(consumer, 'node_modules', 'cdktf-flux-gitops', 'config', 'flux-gitops.schema.json');
    expect(fs.readFileSync(shipped, 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'config', 'flux-gitops.schema.json'), 'utf8'));
    expect(require.resolve('cdktf-flux-gitops/flux-gitops.schema.json', { paths: [consumer] })).toBe(fs.realpathSync(shipped));
    // An editor's check of a config against it: the fleet example passes, a misspelt field does not.
    // ajv's code optimiser only tidies the generated source: without it this schema compiles in ~0.6 s CPU, not ~1.05 s.
    const ajv = new Ajv2020({ strict: false, allErrors: true, code: { optimize: false } });
    const check = ajv.compile(JSON.parse(fs.readFileSync(shipped, 'utf8')));
    const fleet = parseYaml(fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8'));
    expect(check(fleet)).toBe(true);
    expect(check({ ...fleet, clusterz: [] })).toBe(false);
  });

  it('synthesizes examples/library by its own cdktf.json: two clusters, ClusterAccess and the providers they need', () => {
    expect(exampleRun).toEqual({ status: 0, stderr: '' });
    const dev = example('dev');
    const prod = example('prod');
    expect(Object.keys(dev.provider).sort()).toEqual(['external', 'helm', 'kubernetes', 'null', 'time', 'tls']);
    expect(Object.keys(prod.provider).sort()).toEqual(['azurerm', 'external', 'helm', 'kubernetes', 'null', 'time', 'tls']);
    expect(dev.provider.kubernetes[0]).toMatchObject({ config_context: 'aks-dev' });
    expect(Object.keys(prod.data.azurerm_kubernetes_cluster)).toHaveLength(1);
    expect(Object.keys(dev.resource.null_resource).filter((k) => k.startsWith('ssh-key_registration'))).toHaveLength(1);
  });

  it("synthesizes the example's own Kustomization, its acknowledged finding reported as info", () => {
    const objectsOf = (stack: any) => {
      const release = Object.values<any>(stack.resource.helm_release).find((r) => String(r.chart).startsWith('./assets/'));
      return JSON.parse(release.values[0]).objects;
    };
    const kustomizations = (stack: any) => objectsOf(stack).filter((o: any) => o.kind === 'Kustomization');
    expect(kustomizations(example('dev')).map((k: any) => k.metadata.name)).toEqual(['platform']);
    const apps = kustomizations(example('prod')).find((k: any) => k.metadata.name === 'apps');
    expect(apps.spec).toMatchObject({ path: './apps/prod', dependsOn: [{ name: 'platform' }, { name: 'flux-system' }], postBuild: { substitute: { cluster: 'prod' } } });
    const manifest = JSON.parse(fs.readFileSync(path.join(consumer, 'cdktf.out', 'manifest.json'), 'utf8'));
    const annotations = Object.values<any>(manifest.stacks).flatMap((s) => s.annotations ?? []);
    expect(annotations.map((a: any) => [a.level, a.message])).toEqual([
      ['@cdktf/info', expect.stringMatching(/\[FLUX-DEPENDS-ON\].*; acknowledged: flux-system is the Kustomization of flux bootstrap/)],
    ]);
  });

  it('synthesizes a stack composed differently: two sources on one release, a connector with a custom subscriber', () => {
    // The compile of the app command above is this app's type check too.
    expect(exampleRun).toEqual({ status: 0, stderr: '' });
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
