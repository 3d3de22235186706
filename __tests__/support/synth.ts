import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { EXAMPLE_CONFIG } from '../../config/example';
import { ClusterConfig } from '../../config/schema';
import { FluxObject } from '../../flux/api';
import { FluxGitOpsStack } from '../../stacks/flux-gitops-stack';

/** The parts of a synthesized cdk.tf.json the tests read. */
export interface TfJson {
  readonly resource?: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly output?: Record<string, any>;
  readonly variable?: Record<string, any>;
  readonly provider?: Record<string, any[]>;
  readonly terraform?: any;
  readonly locals?: Record<string, any>;
}

const made: string[] = [];
afterAll(() => made.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A temporary folder removed after the test file. */
export function tempDir(prefix = 'flux-gitops-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Every file under `dir`: path relative to `dir` -> content. */
export function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

export interface Synthesized {
  readonly outdir: string;
  stack(name: string): TfJson;
  /** The raw text of every file written under the output folder. */
  allText(): string;
}

/** Builds an app with `build`, synthesizes it the way `cdktf synth` does, and reads the output. */
export function synthApp(build: (app: App) => void): Synthesized {
  const outdir = tempDir('cdktf.out.');
  const app = new App({ outdir, stackTraces: false });
  build(app);
  app.synth();
  const read = (name: string): TfJson => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  const allText = (): string => [...filesUnder(outdir).values()].map((content) => content.toString('utf8')).join('\n');
  return { outdir, stack: read, allText };
}

/** A stack in an app that is never synthesized: for constructs whose props are refused. */
export function bareStack(): TerraformStack {
  return new TerraformStack(new App({ outdir: '/nonexistent' }), 'test');
}

/** The example cluster with `overrides` applied on top. */
export function exampleCluster(overrides: Partial<ClusterConfig> = {}): ClusterConfig {
  return { ...structuredClone(EXAMPLE_CONFIG.clusters[0]), ...overrides } as ClusterConfig;
}

/** Synthesizes one FluxGitOpsStack per cluster, named after it, as main.ts does. */
export function synthClusters(clusters: readonly ClusterConfig[]): Synthesized {
  return synthApp((app) => clusters.forEach((cluster) => new FluxGitOpsStack(app, cluster.name, { cluster })));
}

/** Synthesizes one FluxGitOpsStack for `cluster` and returns its JSON. */
export function synthCluster(cluster: ClusterConfig = exampleCluster()): TfJson {
  return synthClusters([cluster]).stack(cluster.name);
}

/** Every resource of `type` as [logical id, body] pairs. */
export function resourcesOf(json: TfJson, type: string): [string, any][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The one resource of `type` whose construct path ends with `pathSuffix`. */
export function resourceAt(json: TfJson, type: string, pathSuffix: string): { id: string; body: any; address: string } {
  const found = resourcesOf(json, type).filter(([, body]) => String(body['//']?.metadata?.path).endsWith(pathSuffix));
  if (found.length !== 1) {
    throw new Error(`expected one ${type} at */${pathSuffix}, found ${found.length}: ${resourcesOf(json, type).map(([, b]) => b['//']?.metadata?.path).join(', ')}`);
  }
  const [id, body] = found[0];
  return { id, body, address: `${type}.${id}` };
}

/** A resource body without cdktf's '//' metadata (construct path, unique id): what Terraform acts on, for toEqual. */
export function withoutMetadata(body: Record<string, any>): Record<string, any> {
  const { '//': _metadata, ...attributes } = body;
  return attributes;
}

/** The Flux objects delivered by the stack's FluxObjectsRelease, parsed from the release values. */
export function fluxObjects(json: TfJson, releasePath = 'flux-objects/release'): FluxObject[] {
  const { body } = resourceAt(json, 'helm_release', releasePath);
  expect(body.values).toHaveLength(1);
  return JSON.parse(body.values[0]).objects;
}

export function objectOf<K extends FluxObject['kind']>(objects: readonly FluxObject[], kind: K, name: string): Extract<FluxObject, { kind: K }> {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0] as Extract<FluxObject, { kind: K }>;
}

/** Parses the JSON values of a helm_release. */
export function releaseValues(body: any): any {
  return Object.assign({}, ...(body.values as string[]).map((v) => JSON.parse(v)));
}
