import { AZURE_DEVOPS_KNOWN_HOSTS_LINE } from '../constructs/known-hosts';
import { checkFluxObject } from '../flux/crd-rules';
import { Kustomization } from '../flux/api';
import { exampleCluster, fluxObjects, objectOf, releaseValues, resourceAt, resourcesOf, synthCluster, withoutMetadata } from './support/synth';

describe('FluxGitOpsStack with the embedded example config', () => {
  const json = synthCluster();
  const objects = fluxObjects(json);
  const flux = resourceAt(json, 'helm_release', 'flux/release');
  const objectsRelease = resourceAt(json, 'helm_release', 'flux-objects/release');
  const secret = resourceAt(json, 'kubernetes_secret_v1', 'git-auth/secret');
  const key = resourceAt(json, 'tls_private_key', 'git-identity/key');

  it('installs Flux from the pinned fluxcd-community flux2 chart', () => {
    // The values are the tests below.
    const { values: _values, ...release } = withoutMetadata(flux.body);
    expect(release).toEqual({
      chart: 'flux2',
      repository: 'https://fluxcd-community.github.io/helm-charts',
      version: '2.18.3',
      namespace: 'flux-system',
      name: 'flux2',
      create_namespace: true,
      atomic: true,
      wait: true,
      timeout: 600,
    });
  });

  it('keeps the CRDs when the release is removed, and restricts SSH host key algorithms for Azure DevOps', () => {
    const values = releaseValues(flux.body);
    expect(values.installCRDs).toBe(true);
    expect(values.crds.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
    expect(values.sourceController.container.additionalArgs).toEqual(['--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256']);
  });

  it('generates an RSA 4096 key', () => {
    expect(withoutMetadata(key.body)).toEqual({
      algorithm: 'RSA',
      rsa_bits: 4096,
      lifecycle: { create_before_destroy: true, replace_triggered_by: [resourceAt(json, 'null_resource', 'git-identity/rotation').address] },
    });
  });

  it('wires the key and the pinned Azure DevOps host key into the Secret Flux reads', () => {
    expect(secret.body.metadata).toEqual({ name: 'flux-git-auth', namespace: 'flux-system', labels: { 'app.kubernetes.io/managed-by': 'cdktf-flux-gitops' } });
    expect(Object.keys(secret.body.data).sort()).toEqual(['identity', 'identity.pub', 'known_hosts']);
    expect(secret.body.data.identity).toBe(`\${${key.address}.private_key_openssh}`);
    expect(secret.body.data['identity.pub']).toBe(`\${${key.address}.public_key_openssh}`);
    expect(secret.body.data.known_hosts).toBe(`${AZURE_DEVOPS_KNOWN_HOSTS_LINE}\n`);
  });

  it('creates one GitRepository and one Kustomization per manifest repository', () => {
    expect(objects.filter((o) => o.kind === 'GitRepository' || o.kind === 'Kustomization').map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'GitRepository/apps',
      'GitRepository/platform',
      'Kustomization/apps',
      'Kustomization/platform',
    ]);
  });

  it('normalises the scp-like and the HTTPS Azure Repos URLs to ssh://', () => {
    expect(objectOf(objects, 'GitRepository', 'platform').spec.url).toBe('ssh://git@ssh.dev.azure.com/v3/contoso/fabrikam/cluster-platform');
    expect(objectOf(objects, 'GitRepository', 'apps').spec.url).toBe('ssh://git@ssh.dev.azure.com/v3/contoso/fabrikam/cluster-apps');
  });

  it('fills each GitRepository from the config and points it at the Secret', () => {
    expect(objectOf(objects, 'GitRepository', 'platform')).toEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'platform', namespace: 'flux-system' },
      spec: {
        url: 'ssh://git@ssh.dev.azure.com/v3/contoso/fabrikam/cluster-platform',
        interval: '5m',
        ref: { branch: 'main' },
        secretRef: { name: secret.body.metadata.name },
      },
    });
    expect(objectOf(objects, 'GitRepository', 'apps')).toEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: {
        url: 'ssh://git@ssh.dev.azure.com/v3/contoso/fabrikam/cluster-apps',
        interval: '5m',
        ref: { branch: 'main' },
        secretRef: { name: secret.body.metadata.name },
      },
    });
  });

  it('fills each Kustomization from the config, with deletionPolicy Orphan and the ordering between repositories', () => {
    expect(objectOf(objects, 'Kustomization', 'platform').spec).toEqual({
      interval: '5m',
      path: './clusters/example',
      prune: true,
      wait: true,
      timeout: '5m',
      sourceRef: { kind: 'GitRepository', name: 'platform' },
      deletionPolicy: 'Orphan',
    });
    expect(objectOf(objects, 'Kustomization', 'apps').spec).toEqual({
      interval: '5m',
      path: './clusters/example',
      prune: true,
      dependsOn: [{ name: 'platform' }],
      sourceRef: { kind: 'GitRepository', name: 'apps' },
      deletionPolicy: 'Orphan',
      wait: false,
    });
  });

  it('emits only objects that satisfy their CRD rules', () => {
    // Every object by name, so that no object at all fails too.
    expect(objects.map((o) => [`${o.kind}/${o.metadata.name}`, checkFluxObject(o)])).toEqual([
      ['GitRepository/platform', []],
      ['Kustomization/platform', []],
      ['GitRepository/apps', []],
      ['Kustomization/apps', []],
      ['Provider/gitops-connector-platform', []],
      ['Alert/gitops-connector-platform', []],
      ['Provider/gitops-connector-apps', []],
      ['Alert/gitops-connector-apps', []],
      ['Provider/commit-status-platform', []],
      ['Alert/commit-status-platform', []],
      ['Provider/commit-status-apps', []],
      ['Alert/commit-status-apps', []],
    ]);
  });

  it('orders the deploy so a fresh cluster converges in one pass', () => {
    // CRDs and namespace come with the flux2 release; the Secret needs the namespace; the objects
    // need the CRDs, the controllers and the Secret.
    expect(flux.body.depends_on).toBeUndefined();
    // The Secret follows the key's registration too (see the key rotation tests).
    expect(secret.body.depends_on).toEqual([flux.address, resourceAt(json, 'null_resource', 'ssh-key-contoso/registration').address]);
    // And the key registration (the Secret's key must work), the connectors the Alerts post to and the commit-status token.
    expect([...objectsRelease.body.depends_on].sort()).toEqual(
      [
        flux.address,
        secret.address,
        resourceAt(json, 'null_resource', 'ssh-key-contoso/registration').address,
        resourceAt(json, 'helm_release', 'connector-platform/release').address,
        resourceAt(json, 'helm_release', 'connector-apps/release').address,
        resourceAt(json, 'kubernetes_secret_v1', 'commit-status-token').address,
      ].sort(),
    );
    const { values: _values, depends_on: _dependsOn, chart: _chart, ...release } = withoutMetadata(objectsRelease.body);
    expect(release).toEqual({ namespace: 'flux-system', name: 'flux-objects', atomic: true, timeout: 300 });
    expect(objectsRelease.body.chart).toMatch(/^\.\/assets\/[^/]+\/[0-9A-F]+\/flux-objects-1\.0\.0\.tgz$/);
    expect(objectsRelease.body.repository).toBeUndefined();
  });

  it('reaches the cluster through the configured kubeconfig and context', () => {
    expect(json.provider!.kubernetes).toEqual([{ config_path: '~/.kube/config', config_context: 'example-aks' }]);
    expect(json.provider!.helm).toEqual([{ kubernetes: { config_path: '~/.kube/config', config_context: 'example-aks' } }]);
  });

  it('outputs the public key and its fingerprint, and no private key', () => {
    expect(json.output!.git_public_key.value).toBe(`\${${key.address}.public_key_openssh}`);
    expect(json.output!.git_public_key_fingerprint.value).toBe(`\${${key.address}.public_key_fingerprint_sha256}`);
    expect(Object.keys(json.output!).sort()).toEqual([
      'flux_namespace',
      'git_public_key',
      'git_public_key_fingerprint',
      'git_repository_urls',
      'gitops_connector_addresses',
      'ssh_key_expires_at',
      'ssh_key_pages',
    ]);
    expect(Object.entries(json.output!).filter(([, output]) => /\.private_key_(openssh|pem|pem_pkcs8)\b/.test(JSON.stringify(output.value)))).toEqual([]);
  });

  it('keeps the state path relative, so the JSON names no path of this machine', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.example.tfstate' } });
  });

  it('declares every provider it uses, pinned', () => {
    const required = json.terraform.required_providers;
    expect(Object.keys(required).sort()).toEqual(['external', 'helm', 'kubernetes', 'null', 'time', 'tls']);
    for (const p of Object.values<any>(required)) expect(p.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('FluxGitOpsStack options', () => {
  it('passes no host key restriction when no repository is on Azure DevOps', () => {
    const json = synthCluster(
      exampleCluster({
        knownHosts: { entries: ['github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'] },
        gitIdentity: { algorithm: 'ED25519' },
        repositories: [{ name: 'infra', url: 'git@github.com:contoso/infra.git' }],
      }),
    );
    expect(releaseValues(resourceAt(json, 'helm_release', 'flux/release').body).sourceController.container.additionalArgs).toEqual([]);
    expect(withoutMetadata(resourceAt(json, 'tls_private_key', 'git-identity/key').body)).toEqual({
      algorithm: 'ED25519',
      lifecycle: { create_before_destroy: true, replace_triggered_by: [resourceAt(json, 'null_resource', 'git-identity/rotation').address] },
    });
    expect(objectOf(fluxObjects(json), 'GitRepository', 'infra').spec.url).toBe('ssh://git@github.com/contoso/infra.git');
  });

  it('honours the namespace, chart version and components of the config', () => {
    const json = synthCluster(
      exampleCluster({ flux: { namespace: 'gitops', chartVersion: '2.17.0', components: { helm: false, imageAutomation: true } } }),
    );
    const flux = resourceAt(json, 'helm_release', 'flux/release');
    const { values: _values, ...release } = withoutMetadata(flux.body);
    expect(release).toEqual({
      name: 'flux2',
      chart: 'flux2',
      repository: 'https://fluxcd-community.github.io/helm-charts',
      version: '2.17.0',
      namespace: 'gitops',
      create_namespace: true,
      atomic: true,
      wait: true,
      timeout: 600,
    });
    const values = releaseValues(flux.body);
    expect(values.helmController.create).toBe(false);
    expect(values.imageAutomationController.create).toBe(true);
    expect(values.imageReflectionController.create).toBe(true);
    // every() passed on no objects.
    expect([...new Set(fluxObjects(json).map((o) => o.metadata.namespace))]).toEqual(['gitops']);
    expect(resourceAt(json, 'kubernetes_secret_v1', 'git-auth/secret').body.metadata.namespace).toBe('gitops');
  });

  it('lets the config choose another deletion policy per repository', () => {
    const cluster = exampleCluster();
    const json = synthCluster({ ...cluster, repositories: [{ ...cluster.repositories[0], deletionPolicy: 'Delete' }] });
    expect(objectOf(fluxObjects(json), 'Kustomization', 'platform').spec.deletionPolicy).toBe('Delete');
  });

  it('synthesizes many repositories, each with its own pair', () => {
    const repositories = Array.from({ length: 12 }, (_, i) => ({ name: `repo-${i}`, url: `git@ssh.dev.azure.com:v3/contoso/fabrikam/repo-${i}` }));
    const objects = fluxObjects(synthCluster(exampleCluster({ repositories })));
    const names = repositories.map((r) => r.name);
    expect(objects.filter((o) => o.kind === 'GitRepository').map((o) => o.metadata.name)).toEqual(names);
    // Each Kustomization applies its own repository.
    expect(objects.filter((o): o is Kustomization => o.kind === 'Kustomization').map((o) => `${o.metadata.name} <- ${o.spec.sourceRef.name}`)).toEqual(
      names.map((n) => `${n} <- ${n}`),
    );
    expect(resourcesOf(synthCluster(exampleCluster({ repositories, connector: { enabled: false } })), 'helm_release')).toHaveLength(2);
  });
});
