import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { FluxObject } from '../flux/api';
import { alertSpec, checkFluxObject, gitRepositorySpec, kustomizationSpec, providerSpec, receiverSpec } from '../flux/crd-rules';
import { SchemaNode, validate, ValidationMemo } from '../flux/schema';
import { exampleCluster, fluxObjects, synthCluster } from './support/synth';

const meta = { name: 'infra', namespace: 'flux-system' };
const gitRepository = (spec: object): unknown => ({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: meta, spec });
const kustomization = (spec: object, metadata: object = meta): unknown => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata,
  spec: { interval: '5m', prune: true, sourceRef: { kind: 'GitRepository', name: 'infra' }, ...spec },
});
const provider = (spec: object): unknown => ({ apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Provider', metadata: meta, spec });
const receiver = (spec: object): unknown => ({ apiVersion: 'notification.toolkit.fluxcd.io/v1', kind: 'Receiver', metadata: meta, spec });
const messages = (object: unknown): string[] => checkFluxObject(object).map((v) => `${v.path}: ${v.message}`);

describe('the restated CRD rules', () => {
  it('accept a complete GitRepository', () => {
    expect(messages(gitRepository({ url: 'ssh://git@ssh.dev.azure.com/v3/o/p/r', interval: '1m30s', timeout: '90s', ref: { branch: 'main' }, secretRef: { name: 's' } }))).toEqual([]);
  });

  it.each([
    ['the scp-like URL the API server rejects', { url: 'git@ssh.dev.azure.com:v3/o/p/r', interval: '1m' }, 'spec.url: must match ^(http|https|ssh)://.*$ (an http://, https:// or ssh:// URL)'],
    ['a missing interval', { url: 'https://x/y' }, 'spec.interval: is required'],
    ['a timeout in hours', { url: 'https://x/y', interval: '1m', timeout: '1h' }, 'spec.timeout: must match ^([0-9]+(\\.[0-9]+)?(ms|s|m))+$ (a Go duration without hours such as 30s, 90s or 5m)'],
    ['an unknown provider', { url: 'https://x/y', interval: '1m', provider: 'gitlab' }, 'spec.provider: must be one of "generic", "azure", "github"'],
    ['a service account without provider azure', { url: 'https://x/y', interval: '1m', serviceAccountName: 'sa' }, 'spec: serviceAccountName may only be set when provider is "azure"'],
    ['a misspelt field', { url: 'https://x/y', interval: '1m', secretref: { name: 's' } }, 'spec.secretref: is not a known field; did you mean secretRef? (known: url, interval, timeout, ref, secretRef, provider, serviceAccountName, suspend, ignore, recurseSubmodules, sparseCheckout, proxySecretRef)'],
    ['a secretRef without a name', { url: 'https://x/y', interval: '1m', secretRef: {} }, 'spec.secretRef.name: is required'],
  ])('reject a GitRepository with %s', (_, spec, message) => {
    expect(messages(gitRepository(spec))).toEqual([message]);
  });

  it.each([
    ['prune missing', { prune: undefined }, 'spec.prune: is required'],
    ['a deletion policy Flux does not know', { deletionPolicy: 'Keep' }, 'spec.deletionPolicy: must be one of "Orphan", "MirrorPrune", "Delete", "WaitForTermination"'],
    ['a source kind Flux does not know', { sourceRef: { kind: 'HelmRepository', name: 'x' } }, 'spec.sourceRef.kind: must be one of "OCIRepository", "GitRepository", "Bucket", "ExternalArtifact"'],
    ['a target namespace over 63 characters', { targetNamespace: 'n'.repeat(64) }, 'spec.targetNamespace: must be at most 63 characters long (is 64)'],
    ['a dependsOn entry without name', { dependsOn: [{ namespace: 'x' }] }, 'spec.dependsOn[0].name: is required'],
    ['a non-string substitution', { postBuild: { substitute: { replicas: 3 } } }, 'spec.postBuild.substitute.replicas: must be of type string, not integer'],
  ])('reject a Kustomization with %s', (_, spec, message) => {
    expect(messages(kustomization(spec))).toEqual([message]);
  });

  it('reject a Kustomization name longer than a label value, which kustomize-controller stamps on every object', () => {
    expect(messages(kustomization({}, { name: 'k'.repeat(64), namespace: 'flux-system' }))).toEqual(['metadata.name: must be at most 63 characters long (is 64)']);
    expect(messages(kustomization({}, { name: 'k'.repeat(63), namespace: 'flux-system' }))).toEqual([]);
  });

  it('reject a commitStatusExpr on a provider type that sets no commit status', () => {
    expect(messages(provider({ type: 'generic', commitStatusExpr: 'x' }))).toEqual([
      'spec: commitStatusExpr may only be set for the commit-status types github, gitlab, gitea, bitbucketserver, bitbucket, azuredevops',
    ]);
    expect(messages(provider({ type: 'azuredevops', commitStatusExpr: 'x' }))).toEqual([]);
  });

  it('reject a Receiver without a secret unless it is generic-oidc', () => {
    expect(messages(receiver({ type: 'generic', resources: [{ kind: 'GitRepository', name: 'x' }] }))).toEqual(['spec: secretRef is required unless type is "generic-oidc"']);
  });

  it('reject a restated kind at a version Flux 2.8 does not serve', () => {
    expect(messages({ apiVersion: 'notification.toolkit.fluxcd.io/v1beta1', kind: 'Alert', metadata: meta, spec: {} })).toEqual([
      'apiVersion: must be notification.toolkit.fluxcd.io/v1beta3 for Alert, the version Flux 2.8 serves and this project checks',
    ]);
  });

  it('accept a Flux kind whose rules are not restated, checking its metadata and group only', () => {
    const helmRelease = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: meta, spec: { interval: '10m', anything: { goes: 1 } } };
    expect(messages(helmRelease)).toEqual([]);
    expect(messages({ ...helmRelease, metadata: { name: 'Bad_Name', namespace: 'flux-system' } })).toEqual([
      'metadata.name: must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ (an RFC 1123 name)',
    ]);
    expect(messages({ ...helmRelease, metadata: { name: 'x' } })).toEqual(['metadata.namespace: is required']);
    expect(messages({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta })).toEqual([
      'apiVersion: is not a Flux API group (<name>.toolkit.fluxcd.io); a FluxObjectsRelease carries Flux objects only',
    ]);
  });

  const oci = (spec: object): unknown => ({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata: meta, spec });
  const bucket = (spec: object): unknown => ({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'Bucket', metadata: meta, spec });

  it('accept an OCIRepository on ACR and a Bucket on Azure Blob, both with provider azure', () => {
    expect(messages(oci({ url: 'oci://contoso.azurecr.io/manifests/platform', interval: '5m', ref: { tag: 'latest' }, provider: 'azure' }))).toEqual([]);
    expect(messages(bucket({ bucketName: 'manifests', endpoint: 'https://contoso.blob.core.windows.net', interval: '5m', provider: 'azure', prefix: 'prod/' }))).toEqual([]);
  });

  it.each([
    ['an https URL', oci({ url: 'https://contoso.azurecr.io/x', interval: '5m' }), 'spec.url: must match ^oci://.*$ (an oci:// URL)'],
    ['an unknown provider', oci({ url: 'oci://x/y', interval: '5m', provider: 'acr' }), 'spec.provider: must be one of "generic", "aws", "azure", "gcp"'],
    ['a timeout in hours', oci({ url: 'oci://x/y', interval: '5m', timeout: '1h' }), 'spec.timeout: must match ^([0-9]+(\\.[0-9]+)?(ms|s|m))+$ (a Go duration without hours such as 30s, 90s or 5m)'],
    ['no endpoint', bucket({ bucketName: 'b', interval: '5m' }), 'spec.endpoint: is required'],
    ['a service account with provider generic', bucket({ bucketName: 'b', endpoint: 'e', interval: '5m', serviceAccountName: 'sa' }), 'spec: serviceAccountName is not supported for the "generic" Bucket provider'],
    ['both a secret and a service account', bucket({ bucketName: 'b', endpoint: 'e', interval: '5m', provider: 'azure', serviceAccountName: 'sa', secretRef: { name: 's' } }), 'spec: cannot set both secretRef and serviceAccountName'],
  ])('reject an OCIRepository or Bucket with %s', (_, object, message) => {
    expect(messages(object)).toEqual([message]);
  });

  it('accept a Kustomization with SOPS decryption, components, CEL health checks and substituteFrom', () => {
    expect(
      messages(
        kustomization({
          decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
          components: ['../components/monitoring'],
          healthCheckExprs: [{ apiVersion: 'example.com/v1', kind: 'Widget', current: 'status.ready == true' }],
          postBuild: { substitute: { a: 'b' }, substituteFrom: [{ kind: 'ConfigMap', name: 'vars', optional: true }] },
        }),
      ),
    ).toEqual([]);
  });

  it.each([
    ['a decryption provider other than sops', { decryption: { provider: 'age' } }, 'spec.decryption.provider: must be one of "sops"'],
    ['a CEL health check without kind, which only Flux 2.9 allows', { healthCheckExprs: [{ apiVersion: 'a/v1', current: 'true' }] }, 'spec.healthCheckExprs[0].kind: is required'],
    ['a 2.9-only substituteStrategy', { postBuild: { substituteStrategy: 'Always' } }, 'spec.postBuild.substituteStrategy: is not a known field (known: substitute, substituteFrom)'],
    ['the 2.9-only ignore', { ignore: '*.md' }, 'spec.ignore: is not a known field (known: interval, retryInterval, timeout, path, prune, wait, force, suspend, targetNamespace, serviceAccountName, deletionPolicy, dependsOn, sourceRef, healthChecks, healthCheckExprs, components, decryption, postBuild)'],
  ])('reject a Kustomization with %s', (_, spec, message) => {
    expect(messages(kustomization(spec))).toEqual([message]);
  });

  it('skip values only known at apply time', () => {
    expect(messages(gitRepository({ url: '${local.platform_url}', interval: '5m' }))).toEqual([]);
  });
});

describe('the schema validator', () => {
  const node: SchemaNode = {
    type: 'object',
    required: ['a'],
    properties: {
      a: { type: 'string', pattern: '^x+$', minLength: 2 },
      b: { type: 'array', items: { type: 'integer', minimum: 1 }, maxItems: 2, uniqueItems: true },
      c: { 'x-kubernetes-int-or-string': true },
    },
    oneOf: [{ required: ['a'] }, { required: ['b'] }],
  };

  it('reports every violation, not only the first', () => {
    expect(validate(node, { a: 'y', b: [0, 0, 3], c: true }).map((v) => v.path)).toEqual(['a', 'a', 'b', 'b[1]', 'b[0]', 'b[1]', 'c', '']);
  });

  it('checks exactly-one-of', () => {
    expect(validate(node, { a: 'xx', b: [1] }).map((v) => v.message)).toEqual(['must set exactly one of: a, b (2 set)']);
    expect(validate(node, { a: 'xx' })).toEqual([]);
  });

  it('with a memo, finds in a value seen before under a node it remembers (at another path) what it found there, without walking it again', () => {
    let checks = 0;
    const leaf: SchemaNode = { type: 'object', properties: { s: { type: 'string', minLength: 3 } }, rules: [{ message: 'must have s', check: (v) => (checks++, 's' in v), problems: () => [{ path: 's', message: 'is missing' }] }] };
    const holder: SchemaNode = { type: 'object', properties: { x: leaf, y: leaf, list: { type: 'array', items: leaf } } };
    const shared = { s: 'ab' };
    const empty = {};
    const value = { x: shared, y: shared, list: [empty, empty, shared] };
    const expected = [
      { path: 'top.x.s', value: 'ab', message: 'must be at least 3 characters long' },
      { path: 'top.y.s', value: 'ab', message: 'must be at least 3 characters long' },
      { path: 'top.list[0].s', value: undefined, message: 'is missing' },
      { path: 'top.list[1].s', value: undefined, message: 'is missing' },
      { path: 'top.list[2].s', value: 'ab', message: 'must be at least 3 characters long' },
    ];
    expect(validate(holder, value, 'top')).toEqual(expected);
    expect(checks).toBe(5);
    checks = 0;
    // Without an entry for leaf, nothing is remembered.
    expect(validate(holder, value, 'top', { memo: new WeakMap() })).toEqual(expected);
    expect(checks).toBe(5);
    checks = 0;
    const memo: ValidationMemo = new WeakMap([[leaf, new WeakMap()]]);
    expect(validate(holder, value, 'top', { memo })).toEqual(expected);
    // Once for shared, once for empty: the other three visits are remembered.
    expect(checks).toBe(2);
    // Another call with the same memo: the leaves are remembered, at the paths of this call.
    expect(validate(holder, { x: empty }, 'other', { memo })).toEqual([{ path: 'other.x.s', value: undefined, message: 'is missing' }]);
    expect(checks).toBe(2);
    // Only under the nodes the memo has an entry for: the same object under another node is walked.
    expect(validate({ type: 'object', additionalProperties: { type: 'string', maxLength: 1 } }, shared, 'z', { memo })).toEqual([{ path: 'z.s', value: 'ab', message: 'must be at most 1 characters long (is 2)' }]);
  });
});

const crdDir = path.resolve(__dirname, '../../shared/reference/flux-crds');
const withCrds = fs.existsSync(crdDir) ? describe : describe.skip;

/** The real spec schema of a CRD version, read from ../shared/reference (not part of the project). */
function realSpec(file: string, version: string): any {
  const crd = parse(fs.readFileSync(path.join(crdDir, file), 'utf8'));
  return crd.spec.versions.find((v: any) => v.name === version).schema.openAPIV3Schema.properties.spec;
}

/** Every difference between a restated node and the real one, for the fields the restated node names. */
function drift(mine: SchemaNode, real: any, at: string): string[] {
  const out: string[] = [];
  if (!real) return [`${at}: not in the CRD`];
  const same = (key: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${at}.${key}: restated ${JSON.stringify(a)}, CRD ${JSON.stringify(b)}`);
  };
  same('type', mine.type, real.type);
  for (const key of ['pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minimum', 'maximum'] as const) same(key, mine[key], real[key]);
  same('enum', mine.enum ? [...mine.enum].sort() : undefined, real.enum ? [...real.enum].sort() : undefined);
  if (mine.properties) {
    const realRequired: string[] = real.required ?? [];
    same('required', [...(mine.required ?? [])].sort(), realRequired.filter((r) => r in mine.properties!).sort());
    for (const r of realRequired) if (!(r in mine.properties)) out.push(`${at}.${r}: required by the CRD but not restated`);
    for (const [k, v] of Object.entries(mine.properties)) out.push(...drift(v, real.properties?.[k], `${at}.${k}`));
  }
  if (typeof mine.additionalProperties === 'object') out.push(...drift(mine.additionalProperties, real.additionalProperties, `${at}.*`));
  if (mine.items) out.push(...drift(mine.items, real.items, `${at}[]`));
  return out;
}

withCrds('the restated CRD rules against the real Flux 2.8.5 CRDs in ../shared/reference', () => {
  const cases: [string, SchemaNode, string, string][] = [
    ['GitRepository v1', gitRepositorySpec, 'source.toolkit.fluxcd.io_gitrepositories.yaml', 'v1'],
    ['Kustomization v1', kustomizationSpec, 'kustomize.toolkit.fluxcd.io_kustomizations.yaml', 'v1'],
    ['Alert v1beta3', alertSpec, 'notification.toolkit.fluxcd.io_alerts.yaml', 'v1beta3'],
    ['Provider v1beta3', providerSpec, 'notification.toolkit.fluxcd.io_providers.yaml', 'v1beta3'],
    ['Receiver v1', receiverSpec, 'notification.toolkit.fluxcd.io_receivers.yaml', 'v1'],
  ];

  it.each(cases)('%s: every restated field has the type, pattern, enum, bounds and required-ness of the CRD', (_, mine, file, version) => {
    expect(drift(mine, realSpec(file, version), 'spec')).toEqual([]);
  });

  // Each CEL rule of the CRDs' spec, and how the restated rules cover it.
  const celCoverage: Record<string, string> = {
    "!has(self.serviceAccountName) || (has(self.provider) && self.provider == 'azure')": 'serviceAccountName may only be set when provider is "azure"',
    "self.type == 'github' || self.type == 'gitlab' || self.type == 'gitea' || self.type == 'bitbucketserver' || self.type == 'bitbucket' || self.type == 'azuredevops' || !has(self.commitStatusExpr)":
      'commitStatusExpr may only be set',
    "self.type == 'generic-oidc' || has(self.secretRef)": 'secretRef is required unless type is "generic-oidc"',
    // The other Receiver rules concern oidcProviders, a field that is not restated and so never emitted.
    "self.type != 'generic-oidc' || (has(self.oidcProviders) && size(self.oidcProviders) > 0)": 'oidcProviders',
    "self.type == 'generic-oidc' || !has(self.oidcProviders) || size(self.oidcProviders) == 0": 'oidcProviders',
    "self.type != 'generic-oidc' || !has(self.secretRef)": 'oidcProviders',
  };

  it.each(cases)('%s: every CEL rule of the spec is restated or concerns a field never emitted', (_, mine, file, version) => {
    for (const { rule } of realSpec(file, version)['x-kubernetes-validations'] ?? []) {
      const cover = celCoverage[rule];
      expect({ rule, covered: cover !== undefined }).toEqual({ rule, covered: true });
      if (cover === 'oidcProviders') expect(mine.properties).not.toHaveProperty('oidcProviders');
      else expect((mine.rules ?? []).map((r) => r.message).join('\n')).toContain(cover);
    }
  });

  it('the CEL rules of the five specs are exactly the ones the table above covers (the per-kind loop passes on a kind without rules)', () => {
    const rules = cases.flatMap(([, , file, version]) => (realSpec(file, version)['x-kubernetes-validations'] ?? []).map((v: { rule: string }) => v.rule));
    expect(rules.sort()).toEqual(Object.keys(celCoverage).sort());
  });

  it('the stack, with every feature on, emits objects the real CRD schemas accept', () => {
    const real: Record<string, any> = {
      GitRepository: realSpec('source.toolkit.fluxcd.io_gitrepositories.yaml', 'v1'),
      Kustomization: realSpec('kustomize.toolkit.fluxcd.io_kustomizations.yaml', 'v1'),
      Alert: realSpec('notification.toolkit.fluxcd.io_alerts.yaml', 'v1beta3'),
      Provider: realSpec('notification.toolkit.fluxcd.io_providers.yaml', 'v1beta3'),
      Receiver: realSpec('notification.toolkit.fluxcd.io_receivers.yaml', 'v1'),
    };
    const objects: FluxObject[] = fluxObjects(
      synthCluster(
        exampleCluster({
          receiver: { publicUrl: 'https://flux-webhook.example.com' },
          notifications: { providers: [{ name: 'teams', type: 'msteams', addressFromVariable: true, eventSeverity: 'error' }] },
        }),
      ),
    );
    expect(new Set(objects.map((o) => o.kind))).toEqual(new Set(Object.keys(real)));
    for (const o of objects) expect({ kind: o.kind, name: o.metadata.name, violations: validate(real[o.kind], o.spec, 'spec') }).toEqual({ kind: o.kind, name: o.metadata.name, violations: [] });
  });
});
