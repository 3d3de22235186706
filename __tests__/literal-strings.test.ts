/**
 * "Config strings are never evaluated by Terraform", tested from the config schema itself: every string
 * field it declares (properties, list items, map values and map keys, in clusters and in defaults) is
 * given text holding `${...}` and `%{...}`, and the synthesized configuration must hold no template
 * sequence the project did not write itself (those of the same config without the payloads).
 * A field added to the schema is covered by this test without touching it.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformLocal, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { ConfigError, mergeDefaults, validateConfig } from '../config/load';
import { ClusterConfig, configSchema } from '../config/schema';
import { placementProblems } from '../constructs/flux-install';
import { nodeSelectorProblems, tolerationProblems } from '../flux/pod-rules';
import { templateSequenceStarts } from '../flux/formats';
import { validate } from '../flux/schema';
import { escapeTemplateSequences, LiteralStrings } from '../constructs/literal-strings';
import { resourceAt, synthClusters, tempDir } from './support/synth';
import { BASES, getAt, holderRefused, Slot, stringSlots, withString } from './support/schema-slots';
import { helmLite, renderChart } from './support/helm-lite';

const PAYLOADS = ['${file("/proc/self/environ")}', '%{if true}x%{endif}', '${x}', '%{x}', '$${x}'];

/** `text` with `payload` put at a few places: end, start, after the first character, after the first and the last slash, at the first space. */
function placements(text: string, payload: string): string[] {
  const at = new Set([text.length, 0, 1, text.indexOf('/') + 1, text.lastIndexOf('/') + 1, text.indexOf(' ')].filter((i) => i >= 0 && i <= text.length));
  return [...at].map((i) => text.slice(0, i) + payload + text.slice(i));
}

/** Every template sequence Terraform would evaluate in any string or key of the synthesized JSON, as text. */
function templates(value: unknown, out = new Set<string>()): Set<string> {
  const scan = (s: string) => templateSequenceStarts(s).forEach((i) => out.add(s.slice(i, s.indexOf('}', i) + 1)));
  if (typeof value === 'string') scan(value);
  else if (Array.isArray(value)) value.forEach((v) => templates(v, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      scan(k);
      templates(v, out);
    }
  }
  return out;
}

function synthesizedTemplates(config: unknown): { sequences: Set<string>; text: string } {
  const clusters = validateConfig(config, 'test').clusters;
  const synthesized = synthClusters(clusters);
  const sequences = new Set<string>();
  for (const c of clusters) templates(synthesized.stack(c.name), sequences);
  return { sequences, text: synthesized.allText() };
}

/**
 * True when the loader refuses `config` for what the API server would refuse in the pods' placement
 * (config/refused.ts), judged as it judges it: with the same functions, on each cluster with the defaults
 * merged in. Most payloads tried land in placement fields (seven controllers, the connector) and are
 * refused there; this verdict costs a fraction of a whole validation. (A loader that crashed on such a
 * config instead would go unseen here: schema-limits.test.ts is the test that looks for crashes.)
 */
function placementRefused(config: any): boolean {
  // The loader puts each cluster's name into {cluster} of the defaults first.
  if (!Array.isArray(config?.clusters) || JSON.stringify(config.defaults ?? {}).includes('{cluster}')) return false;
  return config.clusters.some((own: unknown) => {
    if (typeof own !== 'object' || own === null || typeof (own as ClusterConfig).name !== 'string') return false;
    try {
      const cluster = mergeDefaults(config.defaults ?? {}, own as ClusterConfig);
      const placements = Object.values(cluster.flux?.placement ?? {}).filter((p) => p !== undefined);
      return placements.some((p) => placementProblems(p).length > 0) || tolerationProblems(cluster.connector?.tolerations).length + nodeSelectorProblems(cluster.connector?.nodeSelector).length > 0;
    } catch {
      return false;
    }
  });
}

describe('config strings are never evaluated by Terraform', () => {
  const slots = stringSlots(configSchema);
  const roots = (slot: Slot): Slot[] => (slot.path[0] === 'clusters' ? [slot] : [slot, { ...slot, path: ['clusters', 0, ...slot.path.slice(1)] }]);
  // Per field: the first config carrying a payload there that the loader accepts (or none: refused),
  // as the base it was found on and the change to it.
  const accepted = new Map<string, { base: number; target: Slot; text: string }>();
  // A field of defaults is tried at its place in clusters too, where that field's own search has been:
  // each verdict is worked out once.
  const verdicts = new Map<string, boolean>();
  const takes = (b: number, target: Slot, text: string): boolean => {
    const key = JSON.stringify([b, target.path, target.isKey, text]);
    let verdict = verdicts.get(key);
    // The loader checks the field with its own schema node, and the object holding it with that
    // object's: text either refuses is refused without validating the whole config (most refused
    // tries, and each whole validation costs far more).
    if (verdict === undefined && validate(target.node, text).length > 0) verdict = false;
    const config = verdict === undefined ? withString(BASES[b], target, text) : undefined;
    if (verdict === undefined && (holderRefused(configSchema, config, target) || placementRefused(config))) verdict = false;
    if (verdict === undefined) {
      try {
        validateConfig(config, 'test');
        verdict = true;
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        verdict = false;
      }
      verdicts.set(key, verdict);
    }
    return verdict;
  };
  for (const slot of slots) {
    const name = `${slot.path.join('.')}${slot.isKey ? ' (key)' : ''}`;
    search: for (const [b, config] of BASES.entries()) {
      for (const target of roots(slot)) {
        const current = getAt(config, target.path);
        const start = typeof current === 'string' ? current : typeof slot.node.default === 'string' ? slot.node.default : target.isKey ? 'k1' : 'value';
        // Where the base refuses the field's plain text (it has no place for it), it refuses it with a
        // payload too: the next place is tried instead of every payload here.
        if (!takes(b, target, start)) continue;
        for (const payload of PAYLOADS) {
          for (const text of placements(start, payload)) {
            if (!takes(b, target, text)) continue;
            accepted.set(name, { base: b, target, text });
            break search;
          }
        }
      }
    }
  }

  it('walks every string field of the schema (properties, items, map values and keys)', () => {
    expect(slots.length).toBeGreaterThan(60);
    // 289 fields and keys took a payload when this was written, 206 since issue 21: the fields the API
    // server or a registry refuses such text in (toleration values, resource names, affinity fields,
    // connector tolerations and nodeSelector, OCI URL, tag and semver, Ingress class, TLS Secret and
    // annotation keys) are now refused by the loader too. Fewer means a sink went untested.
    expect(accepted.size).toBeGreaterThanOrEqual(206);
    // The fields the issue found evaluated take text with template sequences, and are covered here
    // (a known_hosts host with "${" is now refused by the host check the shortcut used to skip).
    expect(accepted.has('clusters.0.knownHosts.entries.0')).toBe(false);
    // The free text of the fields issues 10-14 added reaches a sink too (CEL health checks, OCI tags,
    // bucket prefixes, Kustomization entries), not only the fields of the first bases. (OCI tags and
    // placement values take no such text since issue 21: the registry and the API server refuse it.)
    const later = [
      'clusters.0.repositories.0.healthCheckExprs.0.current',
      'clusters.0.repositories.0.kustomizations.0.healthChecks.0.kind',
      'clusters.0.ociRepositories.0.healthCheckExprs.0.current',
      'clusters.0.ociRepositories.0.kustomizations.0.path',
      'clusters.0.buckets.0.prefix',
      'clusters.0.buckets.0.bucketName',
      'clusters.0.buckets.0.kustomizations.0.components.0',
    ];
    for (const field of ['clusters.0.kubeconfig.path', 'clusters.0.kubeconfig.context', 'clusters.0.repositories.0.url', 'clusters.0.receiver.publicUrl', 'clusters.0.flux.chartRepository', ...later]) {
      expect(accepted.has(field)).toBe(true);
    }
  });

  // One synth per field would take most of the suite's time: the accepted payloads of one base go into
  // as few configs as the loader accepts together (validation is cheap, a synth is not). A payload that
  // the loader refuses beside the others starts the next config of its base.
  const batches: { base: number; names: string[]; config: unknown }[] = [];
  for (const [name, { base: b, target, text }] of accepted) {
    const open = batches.filter((batch) => batch.base === b);
    const fits = (batch: { config: unknown }) => {
      const config = withString(batch.config, target, text);
      try {
        validateConfig(config, 'test');
        return config;
      } catch (e) {
        if (e instanceof ConfigError) return undefined;
        throw e;
      }
    };
    let placed = false;
    for (const batch of open) {
      const config = fits(batch);
      if (config !== undefined) {
        batch.config = config;
        batch.names.push(name);
        placed = true;
        break;
      }
    }
    if (!placed) batches.push({ base: b, names: [name], config: withString(BASES[b], target, text) });
  }

  it('puts every field that takes a payload into a synthesized config', () => {
    expect(batches.flatMap((batch) => batch.names).sort()).toEqual([...accepted.keys()].sort());
  });

  const baseline = BASES.map((b) => synthesizedTemplates(b).sequences);
  it.each(batches.map((batch, i) => [i, batch.names.length, batch]))('writes the fields of config %i (%i fields) as text', (_i, _n, batch) => {
    const { sequences } = synthesizedTemplates(batch.config);
    const leaked = [...sequences].filter((s) => !baseline[batch.base].has(s));
    expect({ fields: batch.names, leaked }).toEqual({ fields: batch.names, leaked: [] });
  });

  it('keeps the text itself: $${x} for ${x} and %%{x} for %{x}, whatever the $ before it', () => {
    expect(escapeTemplateSequences('a${b}%{c}$${d}${TfToken[TOKEN.1]}')).toBe('a$${b}%%{c}$$${d}${TfToken[TOKEN.1]}');
    const stack = new TerraformStack(new App({ outdir: '/nonexistent' }), 's');
    LiteralStrings.of(stack);
    new Resource(stack, 'r', { triggers: { '${k}': '${file("x")}', ref: `${new Resource(stack, 'q').id}` } });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.null_resource.r.triggers).toEqual({ '$${k}': '$${file("x")}', ref: '${null_resource.q.id}' });
  });

  it("covers the scope it is added to, not a library user's own resources beside it", () => {
    const stack = new TerraformStack(new App({ outdir: '/nonexistent' }), 's');
    const ours = new Construct(stack, 'ours');
    LiteralStrings.of(ours);
    LiteralStrings.of(ours);
    new Resource(ours, 'r', { triggers: { a: '${x}' } });
    new Resource(stack, 'theirs', { triggers: { a: '${var.x}' } });
    const json = JSON.parse(Testing.synth(stack));
    const byId = (prefix: string) => Object.entries<any>(json.resource.null_resource).find(([id]) => id.startsWith(prefix))![1];
    expect(byId('ours_r').triggers).toEqual({ a: '$${x}' });
    expect(byId('theirs').triggers).toEqual({ a: '${var.x}' });
  });
});

describe('config values and the shell', () => {
  it('runs the key script with a fixed command line; config text reaches it only as environment values', () => {
    const json = synthClusters(
      validateConfig({ clusters: [{ name: 'prod', repositories: [{ name: 'infra', azureDevOps: { organization: 'contoso', project: 'Fabrikam `id` & (x)', repository: "infra'x" } }] }] }, 'test').clusters,
    ).stack('prod');
    const provisioners = Object.values<any>(json.resource!.null_resource).flatMap((r) => r.provisioner ?? []);
    expect(provisioners.length).toBeGreaterThan(0);
    for (const p of provisioners) {
      const { command, environment } = p['local-exec'];
      expect(command).toMatch(/^node [\w./-]+ssh-keys\.js (register|revoke)$/);
      expect(Object.keys(environment).sort()).toEqual(['FLUX_SSH_KEY_INSTANCE', 'FLUX_SSH_KEY_NAME', 'FLUX_SSH_KEY_ORGANIZATION', 'FLUX_SSH_KEY_PUBLIC', 'FLUX_SSH_KEY_VALID_TO']);
      // The instance is the resource's own id (a Terraform reference, live), never config text.
      expect(environment.FLUX_SSH_KEY_INSTANCE).toBe('${self.id}');
    }
  });
});

/** Terraform on PATH, when there is one (tests must not need it: these are skipped without it). */
function findTerraform(): string | undefined {
  try {
    execFileSync('terraform', ['version'], { stdio: 'pipe', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    return 'terraform';
  } catch {
    return undefined;
  }
}
// Looked for once per file: both describes below ask.
const terraform = findTerraform();

describe('the escape, read back by Terraform', () => {
  (terraform ? it : it.skip)('gives back the original text, whatever $ and % surround the sequences', () => {
    const samples = ['${x}', '$${x}', '$$${x}', '%{ if true }y%{ endif }', '%%{x}', 'a$b%c', '${file("/etc/hostname")}', '$', '%', '${', '%{', '}${', '$%{x}', '%${x}'];
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ locals: { all: samples.map(escapeTemplateSequences) } }));
    const out = execFileSync(terraform!, ['console'], { cwd: dir, input: 'jsonencode(local.all)\n', encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    // The console prints the string quoted, with JSON's escapes.
    expect(JSON.parse(JSON.parse(out.trim()))).toEqual(samples);
  });
});

describe('the HCL escape (cdktf synth --hcl), read back by Terraform', () => {
  (terraform ? it : it.skip)('gives back the original text and keys, whatever quotes, backslashes, line breaks and brackets they hold', () => {
    const samples = [
      'a", x = file("/proc/self/environ"), b = "',
      '{ a = file("/etc/hostname") }',
      '[file("/etc/hostname")]',
      '"quoted"',
      'back\\slash\\',
      '\\"',
      'line\nEOF\nnext\r',
      '${x}"${y}',
      '%{ if true }y%{ endif }',
      '123',
      '',
    ];
    const outdir = tempDir('cdktf.out.');
    // `cdktf synth --hcl` sets it; the stack reads it when it is made (cdktf lib/terraform-stack.js).
    const before = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const app = new App({ outdir, hclOutput: true });
      const stack = new TerraformStack(app, 's');
      LiteralStrings.of(stack);
      new TerraformLocal(stack, 'all', samples);
      new TerraformLocal(stack, 'keys', Object.fromEntries(samples.filter((k) => k !== '').map((k, i) => [k, String(i)])));
      app.synth();
    } finally {
      if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = before;
    }
    // Without the terraform block (its local backend needs `terraform init`): only the locals are read.
    const hcl = fs.readFileSync(path.join(outdir, 'stacks', 's', 'cdk.tf'), 'utf8');
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'main.tf'), hcl.slice(hcl.indexOf('\nlocals {')));
    const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
    const out = execFileSync(terraform!, ['console'], { cwd: dir, input: 'jsonencode([local.all, local.keys])\n', encoding: 'utf8', env });
    const [all, keys] = JSON.parse(JSON.parse(out.trim()));
    expect(all).toEqual(samples);
    expect(Object.keys(keys).sort()).toEqual(samples.filter((k) => k !== '').sort());
  });
});

describe('config strings are never evaluated by Helm either', () => {
  // The flux2 chart passes extraObjects and the webhook Ingress annotations through `tpl`: there,
  // `{{ lookup ... }}` reads the cluster with the deploy's credentials and `{{ getHostByName ... }}`
  // reaches the network from the deploy machine.
  const texts = ['{{ .Release.Namespace }}', '{{ lookup "v1" "Secret" "flux-system" "flux-azure-devops-token" }}', 'a {{`{{`}} b', '{{{', "it's \"q\" {{-x}}"];
  const cluster = validateConfig(
    {
      clusters: [
        {
          name: 'dev',
          receiver: { publicUrl: 'https://hook.example.com', ingress: { annotations: Object.fromEntries(texts.map((t, i) => [`a${i}`, t])) } },
          flux: { values: { extraObjects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' }, data: Object.fromEntries(texts.map((t, i) => [`k${i}`, t])) }] } },
          repositories: [{ name: 'infra', azureDevOps: { organization: 'o', project: 'p', repository: 'r' } }],
        },
      ],
    },
    'test',
  ).clusters[0];
  const release = resourceAt(synthClusters([cluster]).stack('dev'), 'helm_release', 'flux/release').body;

  it('writes the values the chart templates as text that renders to itself', () => {
    const values = JSON.parse(release.values[0]);
    expect(values.extraObjects[0].data.k1).toBe('{{`{{`}} lookup "v1" "Secret" "flux-system" "flux-azure-devops-token" }}');
    expect(values.notificationController.webhookReceiver.ingress.annotations.a0).toBe('{{`{{`}} .Release.Namespace }}');
  });

  const bin = helmLite();
  (bin ? it : it.skip)('renders them with the real chart as the config wrote them', () => {
    // Without --probe: the objects are those of the one plain render; the probe re-renders the chart once
    // per value set (shared/tools/helm-lite/main.go) to say which are read, and nothing here asks.
    const objects = renderChart(bin!, 'flux2', release, false).objects.map((o) => o.object);
    expect(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'extra').data).toEqual(Object.fromEntries(texts.map((t, i) => [`k${i}`, t])));
    const annotations = objects.find((o) => o.kind === 'Ingress').metadata.annotations;
    texts.forEach((t, i) => expect(annotations[`a${i}`]).toBe(t));
  });
});
