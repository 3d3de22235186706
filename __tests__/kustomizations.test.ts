import { TerraformStack } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { FluxBucket } from '../constructs/flux-bucket';
import { FluxGitSync } from '../constructs/flux-git-sync';
import { FluxInstall } from '../constructs/flux-install';
import { FluxKustomization } from '../constructs/flux-kustomization';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import { FluxOciRepository } from '../constructs/flux-oci-repository';
import { CustomFluxObject } from '../flux/api';
import { FluxStackChecks } from '../flux/stack-checks';
import { bareStack, fluxObjects, objectOf, synthApp } from './support/synth';

/** Synthesizes a stack with one FluxObjectsRelease `objects` in flux-system, filled by `build`. */
function objectsOf(build: (delivery: FluxObjectsRelease, stack: TerraformStack) => void) {
  const json = synthApp((app) => {
    const stack = new TerraformStack(app, 'test');
    new KubernetesProvider(stack, 'kubernetes', {});
    new HelmProvider(stack, 'helm', {});
    FluxStackChecks.acknowledge(stack, 'FLUX-GIT-SSH-SECRET', 'construct test: no git Secret in this stack');
    FluxStackChecks.acknowledge(stack, 'FLUX-DEPENDS-ON', 'construct test: dependencies live outside this stack');
    build(new FluxObjectsRelease(stack, 'objects', { namespace: 'flux-system' }), stack);
  }).stack('test');
  return fluxObjects(json, 'objects/release');
}

const url = 'git@ssh.dev.azure.com:v3/contoso/fabrikam/infra';

describe('several Kustomizations per source', () => {
  it('a repository with kustomizations gets one GitRepository and one Kustomization per entry, with the repository interval as default', () => {
    const objects = objectsOf((delivery, s) => {
      new FluxGitSync(s, 'infra', {
        delivery,
        url,
        interval: '2m',
        kustomizations: [
          { name: 'infra-crds', path: './crds', prune: false },
          { name: 'infra-controllers', path: './controllers', interval: '10m', dependsOn: ['infra-crds'], wait: true, force: true, suspend: false },
        ],
      });
    });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['GitRepository/infra', 'Kustomization/infra-crds', 'Kustomization/infra-controllers']);
    expect(objectOf(objects, 'Kustomization', 'infra-crds').spec).toEqual({
      interval: '2m',
      path: './crds',
      prune: false,
      wait: false,
      sourceRef: { kind: 'GitRepository', name: 'infra' },
      deletionPolicy: 'Orphan',
    });
    expect(objectOf(objects, 'Kustomization', 'infra-controllers').spec).toEqual({
      interval: '10m',
      path: './controllers',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'infra' },
      deletionPolicy: 'Orphan',
      dependsOn: [{ name: 'infra-crds' }],
      wait: true,
      force: true,
      suspend: false,
    });
  });

  it('writes health checks, CEL health checks, components, substituteFrom and SOPS decryption', () => {
    const objects = objectsOf((delivery) => {
      new FluxKustomization(delivery, 'apps', {
        delivery,
        source: { kind: 'GitRepository', name: 'infra' },
        dependsOn: [{ name: 'platform', namespace: 'platform-system' }, { name: 'same', namespace: 'flux-system' }],
        healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }],
        healthCheckExprs: [{ apiVersion: 'example.com/v1', kind: 'Widget', current: 'status.phase == "Ready"', failed: 'status.phase == "Failed"' }],
        components: ['../components/monitoring'],
        substitute: { cluster: 'dev' },
        substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }, { kind: 'Secret', name: 'cluster-secrets', optional: true }],
        decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
      });
    });
    expect(objectOf(objects, 'Kustomization', 'apps').spec).toEqual({
      interval: '5m',
      path: './',
      prune: true,
      wait: false,
      sourceRef: { kind: 'GitRepository', name: 'infra' },
      deletionPolicy: 'Orphan',
      // The same namespace is left out; another one is written.
      dependsOn: [{ name: 'platform', namespace: 'platform-system' }, { name: 'same' }],
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }],
      healthCheckExprs: [{ apiVersion: 'example.com/v1', kind: 'Widget', current: 'status.phase == "Ready"', failed: 'status.phase == "Failed"' }],
      components: ['../components/monitoring'],
      postBuild: { substitute: { cluster: 'dev' }, substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }, { kind: 'Secret', name: 'cluster-secrets', optional: true }] },
      decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
    });
  });

  it('an OCIRepository on ACR and a Azure Blob Bucket, both with provider azure, each with Kustomizations', () => {
    const objects = objectsOf((delivery, s) => {
      new FluxOciRepository(s, 'platform-oci', {
        delivery,
        url: 'oci://contoso.azurecr.io/manifests/platform',
        ref: { semver: '>=1.0.0' },
        provider: 'azure',
        kustomizations: [{ name: 'platform', path: './' }],
      });
      new FluxBucket(s, 'blob', {
        delivery,
        bucketName: 'manifests',
        endpoint: 'https://contoso.blob.core.windows.net',
        prefix: 'prod/',
        kustomizations: [{ name: 'from-blob', dependsOn: ['platform'] }],
      });
    });
    expect(objectOf(objects, 'OCIRepository', 'platform-oci').spec).toEqual({
      url: 'oci://contoso.azurecr.io/manifests/platform',
      interval: '5m',
      ref: { semver: '>=1.0.0' },
      provider: 'azure',
    });
    expect(objectOf(objects, 'Bucket', 'blob').spec).toEqual({
      bucketName: 'manifests',
      endpoint: 'https://contoso.blob.core.windows.net',
      interval: '5m',
      provider: 'azure',
      prefix: 'prod/',
    });
    expect(objectOf(objects, 'Kustomization', 'platform').spec.sourceRef).toEqual({ kind: 'OCIRepository', name: 'platform-oci' });
    expect(objectOf(objects, 'Kustomization', 'from-blob').spec.sourceRef).toEqual({ kind: 'Bucket', name: 'blob' });
  });

  it.each<[string, () => void, RegExp]>([
    ['a short-form field beside kustomizations', () => {
      const delivery = new FluxObjectsRelease(bareStack(), 'o', { namespace: 'flux-system' });
      new FluxGitSync(delivery, 'infra', { delivery, url, path: './x', kustomizations: [{ name: 'a' }] });
    }, /FluxGitSync .*: path "\.\/x" is not valid; give it per entry of kustomizations/],
    ['two entries of one name', () => {
      const delivery = new FluxObjectsRelease(bareStack(), 'o', { namespace: 'flux-system' });
      new FluxGitSync(delivery, 'infra', { delivery, url, kustomizations: [{ name: 'a' }, { name: 'a' }] });
    }, /kustomizations "a" is not valid; name each Kustomization once/],
    ['a CEL health check without kind', () => {
      const delivery = new FluxObjectsRelease(bareStack(), 'o', { namespace: 'flux-system' });
      new FluxKustomization(delivery, 'k', { delivery, source: { kind: 'GitRepository', name: 'x' }, healthCheckExprs: [{ apiVersion: 'a/v1', current: 'true' } as never] });
    }, /healthCheckExprs\[0\].kind undefined is not valid; use a non-empty string \(Flux 2.8 requires apiVersion, kind and current\)/],
    ['a substituteFrom kind that is neither', () => {
      const delivery = new FluxObjectsRelease(bareStack(), 'o', { namespace: 'flux-system' });
      new FluxKustomization(delivery, 'k', { delivery, source: { kind: 'GitRepository', name: 'x' }, substituteFrom: [{ kind: 'Namespace' as never, name: 'x' }] });
    }, /substituteFrom\[0\].kind "Namespace" is not valid/],
    ['an https URL for an OCIRepository', () => {
      const delivery = new FluxObjectsRelease(bareStack(), 'o', { namespace: 'flux-system' });
      new FluxOciRepository(delivery, 'oci', { delivery, url: 'https://contoso.azurecr.io/x' });
    }, /url "https:\/\/contoso.azurecr.io\/x" is not valid; use oci:\/\//],
    ['a Secret beside provider azure on an OCIRepository', () => {
      const delivery = new FluxObjectsRelease(bareStack(), 'o', { namespace: 'flux-system' });
      new FluxOciRepository(delivery, 'oci', { delivery, url: 'oci://contoso.azurecr.io/x', provider: 'azure', secretName: 's' });
    }, /secretName "s" is not valid; provider "azure" logs in with the controller's identity/],
    ['a Key Vault identity that is not a GUID', () => {
      new FluxInstall(bareStack(), 'flux', { kustomizeControllerWorkloadIdentity: { clientId: 'kv-reader' } });
    }, /kustomizeControllerWorkloadIdentity.clientId "kv-reader" is not a GUID/],
    ['a Key Vault identity without kustomize-controller', () => {
      new FluxInstall(bareStack(), 'flux', { components: { kustomize: false }, kustomizeControllerWorkloadIdentity: { clientId: '00000000-0000-0000-0000-000000000001' } });
    }, /kustomizeControllerWorkloadIdentity needs components.kustomize/],
    ['an Azure bucket endpoint that is not a blob endpoint', () => {
      const delivery = new FluxObjectsRelease(bareStack(), 'o', { namespace: 'flux-system' });
      new FluxBucket(delivery, 'b', { delivery, bucketName: 'manifests', endpoint: 'contoso.blob.core.windows.net' });
    }, /endpoint "contoso.blob.core.windows.net" is not valid; use https:\/\/<account>.blob.core.windows.net/],
  ])('refuses %s', (_, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('FluxObjectsRelease with objects of your own', () => {
  type HelmRepository = CustomFluxObject<'HelmRepository', { readonly url: string; readonly interval: string }>;

  it('delivers a HelmRepository, a HelmRelease and an ImagePolicy beside the objects it knows', () => {
    const repo: HelmRepository = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: 'podinfo', namespace: 'flux-system' },
      spec: { url: 'https://stefanprodan.github.io/podinfo', interval: '1h' },
    };
    const objects = objectsOf((delivery) => {
      delivery.add(
        repo,
        { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo', namespace: 'apps' }, spec: { interval: '10m', chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } } } } },
        { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy', metadata: { name: 'web', namespace: 'flux-system' }, spec: { imageRepositoryRef: { name: 'web' }, policy: { semver: { range: '1.x' } } } },
      );
    });
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([
      'source.toolkit.fluxcd.io/v1 HelmRepository',
      'helm.toolkit.fluxcd.io/v2 HelmRelease',
      'image.toolkit.fluxcd.io/v1 ImagePolicy',
    ]);
  });

  it.each<[string, CustomFluxObject, RegExp]>([
    ['an object of no Flux group', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'flux-system' } }, /ConfigMap flux-system\/x would be rejected by its CRD:\napiVersion: is not a Flux API group/],
    ['a known kind breaking its CRD rules', { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata: { name: 'x', namespace: 'flux-system' }, spec: { url: 'https://x/y' } }, /OCIRepository flux-system\/x would be rejected by its CRD:\nspec.interval: is required\nspec.url: must match \^oci/],
    ['a custom kind with a bad name', { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'Web', namespace: 'apps' } }, /HelmRelease apps\/Web would be rejected by its CRD:\nmetadata.name: must match/],
  ])('fails the synth on %s', (_, object, message) => {
    expect(() => objectsOf((delivery) => delivery.add(object))).toThrow(message);
  });
});
