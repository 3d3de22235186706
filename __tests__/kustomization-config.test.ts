import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { loadConfig, validateConfig } from '../config/load';
import { ClusterConfig } from '../config/schema';
import { AnyFluxObject } from '../flux/api';
import { checkFluxObject } from '../flux/crd-rules';
import { validate } from '../flux/schema';
import { problems } from './support/config-problems';
import { exampleCluster, fluxObjects, objectOf, releaseValues, resourceAt, synthCluster, tempDir, withoutMetadata } from './support/synth';

const EXAMPLE = path.resolve(__dirname, '../examples/kustomizations.yaml');
const CLIENT_ID = '11111111-1111-1111-1111-111111111111';
const ssh = (repo: string): string => `git@ssh.dev.azure.com:v3/contoso/fabrikam/${repo}`;

describe('examples/kustomizations.yaml', () => {
  const cluster = loadConfig(EXAMPLE).config.clusters[0];
  const json = synthCluster(cluster);
  const objects = fluxObjects(json) as AnyFluxObject[];

  it('has several Kustomizations per repository, dependsOn across repositories, SOPS with Key Vault and an OCI source', () => {
    const kustomizations = objects.filter((o) => o.kind === 'Kustomization');
    expect(kustomizations.map((k) => `${k.metadata.name} <- ${(k.spec as any).sourceRef.kind}/${(k.spec as any).sourceRef.name}`)).toEqual([
      'platform-crds <- GitRepository/platform',
      'platform-controllers <- GitRepository/platform',
      'platform-secrets <- GitRepository/platform',
      'apps <- GitRepository/apps',
      'addons <- OCIRepository/addons',
    ]);
    const apps = objectOf(fluxObjects(json), 'Kustomization', 'apps').spec;
    expect(apps.dependsOn).toEqual([{ name: 'platform-controllers' }, { name: 'addons' }]);
    expect(apps.postBuild?.substituteFrom).toEqual([{ kind: 'ConfigMap', name: 'cluster-settings' }, { kind: 'Secret', name: 'cluster-secrets', optional: true }]);
    expect(objectOf(fluxObjects(json), 'Kustomization', 'platform-secrets').spec.decryption).toEqual({ provider: 'sops' });
    expect(objectOf(fluxObjects(json), 'OCIRepository', 'addons').spec).toEqual({ interval: '5m', url: 'oci://contoso.azurecr.io/manifests/addons', ref: { semver: '>=1.0.0 <2.0.0' }, provider: 'azure' });
    // Key Vault: kustomize-controller runs under the configured identity.
    const flux = releaseValues(resourceAt(json, 'helm_release', 'flux/release').body);
    expect(flux.kustomizeController).toEqual({
      create: true,
      labels: { 'azure.workload.identity/use': 'true' },
      serviceAccount: { annotations: { 'azure.workload.identity/client-id': '22222222-2222-2222-2222-222222222222' } },
    });
  });

  it('synthesizes objects every restated CRD rule accepts (OCIRepository: source-controller v1.8.2)', () => {
    // Pinned: the loop below passes on no objects at all.
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'GitRepository/platform',
      'Kustomization/platform-crds',
      'Kustomization/platform-controllers',
      'Kustomization/platform-secrets',
      'GitRepository/apps',
      'Kustomization/apps',
      'OCIRepository/addons',
      'Kustomization/addons',
      'Provider/gitops-connector-platform',
      'Alert/gitops-connector-platform',
      'Provider/gitops-connector-apps',
      'Alert/gitops-connector-apps',
      'Provider/commit-status-platform',
      'Alert/commit-status-platform',
      'Provider/commit-status-apps',
      'Alert/commit-status-apps',
    ]);
    for (const o of objects) expect({ kind: o.kind, name: o.metadata.name, violations: checkFluxObject(o) }).toEqual({ kind: o.kind, name: o.metadata.name, violations: [] });
  });

  const crdDirs = ['flux-crds', 'flux-crds-2.9.4'].map((d) => path.resolve(__dirname, '../../shared/reference', d));
  for (const crdDir of crdDirs) (fs.existsSync(crdDir) ? it : it.skip)(`synthesizes GitRepositories and Kustomizations the real CRDs in ../shared/reference/${path.basename(crdDir)} accept`, () => {
    const realSpec = (file: string): any =>
      parse(fs.readFileSync(path.join(crdDir, file), 'utf8')).spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema.properties.spec;
    const real: Record<string, any> = {
      GitRepository: realSpec('source.toolkit.fluxcd.io_gitrepositories.yaml'),
      Kustomization: realSpec('kustomize.toolkit.fluxcd.io_kustomizations.yaml'),
    };
    const checked = objects.filter((o) => real[o.kind]);
    expect(checked.length).toBe(7);
    for (const o of checked) {
      expect({ kind: o.kind, name: o.metadata.name, violations: validate(real[o.kind], o.spec, 'spec') }).toEqual({ kind: o.kind, name: o.metadata.name, violations: [] });
    }
  });

  const helmLite = path.resolve(__dirname, '../../shared/tools/helm-lite/bin/helm-lite');
  const chart = path.resolve(__dirname, '../../shared/reference/charts/flux2');
  (fs.existsSync(helmLite) && fs.existsSync(chart) ? it : it.skip)(
    "lands the Key Vault identity on kustomize-controller's ServiceAccount and pods in the real flux2 chart (helm-lite)",
    () => {
      const release = path.join(tempDir(), 'helm_release.json');
      fs.writeFileSync(release, JSON.stringify(resourceAt(json, 'helm_release', 'flux/release').body));
      const out = JSON.parse(execFileSync(helmLite, ['template', '--chart', chart, '--release', release, '-o', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
      const rendered = out.objects.map((o: any) => o.object);
      const sa = rendered.find((o: any) => o.kind === 'ServiceAccount' && o.metadata.name === 'kustomize-controller');
      const deployment = rendered.find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'kustomize-controller');
      expect(sa.metadata.annotations).toEqual({ 'azure.workload.identity/client-id': '22222222-2222-2222-2222-222222222222' });
      // The chart's own pod labels are the chart's; the webhook reads this one.
      expect(deployment.spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
      // source-controller keeps its own identity.
      const sourceSa = rendered.find((o: any) => o.kind === 'ServiceAccount' && o.metadata.name === 'source-controller');
      expect(sourceSa.metadata.annotations).toEqual({ 'azure.workload.identity/client-id': CLIENT_ID });
    },
  );
});

describe('the config of several Kustomizations, sources beyond git and SOPS', () => {
  const cluster = (overrides: Partial<ClusterConfig>): unknown => ({ clusters: [{ ...exampleCluster(), ...overrides }] });

  it('keeps the short form: one Kustomization named after the repository, with the new fields', () => {
    const json = synthCluster(
      exampleCluster({
        repositories: [
          {
            name: 'platform',
            url: ssh('platform'),
            force: true,
            suspend: false,
            components: ['../components/a'],
            healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'web' }],
            postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'vars' }] },
            decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
          },
        ],
      }),
    );
    expect(objectOf(fluxObjects(json), 'Kustomization', 'platform').spec).toEqual({
      interval: '5m',
      sourceRef: { kind: 'GitRepository', name: 'platform' },
      path: './',
      prune: true,
      wait: false,
      deletionPolicy: 'Orphan',
      force: true,
      suspend: false,
      components: ['../components/a'],
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'web' }],
      postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'vars' }] },
      decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
    });
  });

  it('makes the age key Secret from a sensitive variable, never a literal, and orders the objects after it', () => {
    const json = synthCluster(exampleCluster({ sops: { ageKey: true } }));
    expect(json.variable!.sops_age_key).toEqual({
      type: 'string',
      sensitive: true,
      nullable: false,
      description: 'The age private key (AGE-SECRET-KEY-1...) kustomize-controller decrypts SOPS files with. Set TF_VAR_sops_age_key.',
      // An empty key would fail only at the first decryption in the cluster: the plan refuses it.
      validation: [{ condition: '${(length(trimspace(var.sops_age_key)) >= 1)}', error_message: 'sops_age_key is empty: set TF_VAR_sops_age_key to the age key.' }],
    });
    const secret = resourceAt(json, 'kubernetes_secret_v1', 'sops-age');
    expect(withoutMetadata(secret.body)).toEqual({
      metadata: { name: 'sops-age', namespace: 'flux-system', labels: { 'app.kubernetes.io/managed-by': 'cdktf-flux-gitops' } },
      type: 'Opaque',
      data: { 'age.agekey': '${var.sops_age_key}' },
      depends_on: [resourceAt(json, 'helm_release', 'flux/release').address],
    });
    expect(resourceAt(json, 'helm_release', 'flux-objects/release').body.depends_on).toContain(secret.address);
  });

  it('takes an Azure Blob bucket with its Kustomizations', () => {
    const json = synthCluster(
      exampleCluster({
        workloadIdentity: { clientId: CLIENT_ID },
        buckets: [{ name: 'blob', bucketName: 'manifests', endpoint: 'https://contoso.blob.core.windows.net', prefix: 'prod/', kustomizations: [{ name: 'from-blob', dependsOn: ['platform'] }] }],
      }),
    );
    expect(objectOf(fluxObjects(json), 'Bucket', 'blob').spec).toEqual({ bucketName: 'manifests', endpoint: 'https://contoso.blob.core.windows.net', interval: '5m', provider: 'azure', prefix: 'prod/' });
    expect(objectOf(fluxObjects(json), 'Kustomization', 'from-blob').spec).toEqual({
      interval: '5m',
      sourceRef: { kind: 'Bucket', name: 'blob' },
      path: './',
      prune: true,
      wait: false,
      deletionPolicy: 'Orphan',
      dependsOn: [{ name: 'platform' }],
    });
  });

  it('reaches Terraform as literal data: ${...} in a CEL expression or a path is escaped', () => {
    const json = synthCluster(
      exampleCluster({
        repositories: [{ name: 'platform', url: ssh('platform'), healthCheckExprs: [{ apiVersion: 'a/v1', kind: 'W', current: 'status.x == "${file(\\"/etc/passwd\\")}"' }] }],
      }),
    );
    const raw: string = resourceAt(json, 'helm_release', 'flux-objects/release').body.values[0];
    expect(raw).toContain('$${file(');
    expect(raw).not.toMatch(/[^$]\$\{file\(/);
  });

  it.each<[string, Partial<ClusterConfig>, string[]]>([
    [
      'a short-form field beside kustomizations',
      { repositories: [{ name: 'a', url: ssh('a'), path: './x', kustomizations: [{ name: 'a1' }] }] },
      ['clusters[0].repositories[0].path: cannot be set beside kustomizations; give it per Kustomization (got "./x")'],
    ],
    [
      'two Kustomizations of one name across sources',
      {
        workloadIdentity: { clientId: CLIENT_ID },
        repositories: [{ name: 'a', url: ssh('a'), kustomizations: [{ name: 'shared' }] }],
        ociRepositories: [{ name: 'shared', url: 'oci://contoso.azurecr.io/m', provider: 'azure' }],
      },
      ['clusters[0].ociRepositories[0].name: is the name of another Kustomization of this cluster; names must be unique (got "shared")'],
    ],
    [
      'a dependsOn naming a repository whose Kustomizations have other names',
      { repositories: [{ name: 'a', url: ssh('a'), kustomizations: [{ name: 'a1' }] }, { name: 'b', url: ssh('b'), dependsOn: ['a'] }] },
      ['clusters[0].repositories[1].dependsOn[0]: names no Kustomization of this cluster (known: a1, b) (got "a")'],
    ],
    [
      'a cycle across a repository and an OCI source',
      {
        repositories: [{ name: 'a', url: ssh('a'), kustomizations: [{ name: 'a1', dependsOn: ['o'] }] }],
        ociRepositories: [{ name: 'o', url: 'oci://contoso.azurecr.io/m', secretName: 'acr', dependsOn: ['a1'] }],
      },
      ['clusters[0].repositories[0].kustomizations[0].dependsOn[0]: closes a dependsOn cycle; Flux would wait forever (got "a1 -> o -> a1")'],
    ],
    [
      'substitute beside postBuild.substitute',
      { repositories: [{ name: 'a', url: ssh('a'), substitute: { x: '1' }, postBuild: { substitute: { y: '2' } } }] },
      ['clusters[0].repositories[0].substitute: conflicts with postBuild.substitute; give one of them (substitute is its shorthand)'],
    ],
    [
      'SOPS without a secretRef and without sops.keyVault',
      { repositories: [{ name: 'a', url: ssh('a'), kustomizations: [{ name: 'a1', decryption: { provider: 'sops' } }] }] },
      [
        'clusters[0].repositories[0].kustomizations[0].decryption: has no secretRef, so kustomize-controller decrypts with its own identity: set sops.keyVault (Azure Key Vault), or name a Secret (sops-age with sops.ageKey)',
      ],
    ],
    [
      'an azure OCI source and an azure bucket without workloadIdentity, the bucket with a bad endpoint',
      {
        ociRepositories: [{ name: 'o', url: 'oci://contoso.azurecr.io/m', provider: 'azure' }],
        buckets: [{ name: 'b', bucketName: 'Manifests', endpoint: 'contoso.blob.core.windows.net' }],
      },
      [
        'clusters[0].workloadIdentity: is required: ociRepositories[0] (o) has provider azure, which logs in as source-controller',
        'clusters[0].workloadIdentity: is required: buckets[0] (b) has provider azure, which logs in as source-controller',
        'clusters[0].buckets[0].bucketName: must be an Azure Blob container name (3-63 lower-case letters, digits and single "-") with provider azure (got "Manifests")',
        'clusters[0].buckets[0].endpoint: must be https://<account>.blob.core.windows.net (or a sovereign cloud\'s blob.core.chinacloudapi.cn, blob.core.usgovcloudapi.net) with provider azure: source-controller sends its Azure token to this host (got "contoso.blob.core.windows.net")',
      ],
    ],
    [
      'an unknown field in a Kustomization, a CEL check without kind and a 2.9-only substituteStrategy',
      { repositories: [{ name: 'a', url: ssh('a'), kustomizations: [{ name: 'a1', substituteStrategy: 'Always', healthCheckExprs: [{ apiVersion: 'a/v1', current: 'true' }] } as never] }] },
      [
        expect.stringMatching(/^clusters\[0\]\.repositories\[0\]\.kustomizations\[0\]\.substituteStrategy: is not a known field/) as never,
        'clusters[0].repositories[0].kustomizations[0].healthCheckExprs[0].kind: is required',
      ],
    ],
  ])('refuses %s', (_, overrides, expected) => {
    expect(problems(() => validateConfig(cluster(overrides), 'x'))).toEqual(expected);
  });
});
