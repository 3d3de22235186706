import { validateConfig } from '../config/load';
import { ClusterConfig } from '../config/schema';
import { AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG, FluxInstall, FLUX2_CHART_IMAGES } from '../constructs/flux-install';
import { GitOpsConnector } from '../constructs/gitops-connector';
import { TerraformVariable } from 'cdktf';
import { problems } from './support/config-problems';
import { bareStack, exampleCluster, fluxObjects, objectOf, releaseValues, resourceAt, synthCluster, withoutMetadata } from './support/synth';

const CONTROLLER_KEYS = ['sourceController', 'kustomizeController', 'helmController', 'notificationController', 'imageAutomationController', 'imageReflectionController'];
const fluxValues = (cluster: ClusterConfig) => releaseValues(resourceAt(synthCluster(cluster), 'helm_release', 'flux/release').body);
const withFlux = (flux: ClusterConfig['flux'], more: Partial<ClusterConfig> = {}) => exampleCluster({ flux, ...more });

describe('controller placement', () => {
  it('puts every controller and the pre-install check Job on the AKS system pool with one setting', () => {
    const values = fluxValues(withFlux({ aksSystemPool: true }));
    for (const key of [...CONTROLLER_KEYS, 'cli']) {
      expect({ key, nodeSelector: values[key].nodeSelector, tolerations: values[key].tolerations }).toEqual({
        key,
        nodeSelector: { 'kubernetes.azure.com/mode': 'system' },
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
      });
    }
  });

  it('layers all, then each controller: tolerations add up, nodeSelector keys merge, the rest is replaced', () => {
    const values = fluxValues(
      withFlux({
        aksSystemPool: true,
        placement: {
          all: { resources: { limits: { memory: '1Gi' } }, priorityClassName: 'system-cluster-critical', nodeSelector: { pool: 'flux' } },
          source: {
            tolerations: [{ key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }],
            resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '2Gi' } },
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['1'] }] }] } } },
          },
        },
      }),
    );
    expect(values.sourceController).toEqual({
      create: true,
      container: { additionalArgs: [AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG] },
      nodeSelector: { 'kubernetes.azure.com/mode': 'system', pool: 'flux' },
      tolerations: [
        { key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' },
      ],
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '2Gi' } },
      priorityClassName: 'system-cluster-critical',
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['1'] }] }] } } },
    });
    expect(values.helmController.resources).toEqual({ limits: { memory: '1Gi' } });
    expect(values.helmController.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(values.helmController.affinity).toBeUndefined();
    // The Job's pod spec has no priorityClassName in the chart.
    expect(values.cli.priorityClassName).toBeUndefined();
  });

  it('leaves the chart defaults alone when nothing is set', () => {
    const values = fluxValues(exampleCluster());
    for (const key of CONTROLLER_KEYS) expect(Object.keys(values[key]).filter((k) => !['create', 'container'].includes(k))).toEqual([]);
    expect(values.cli).toBeUndefined();
    expect(values.imagePullSecrets).toBeUndefined();
    expect(values.multitenancy).toBeUndefined();
  });

  it.each([
    [{ all: { tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] } }, 'placement.all.tolerations[0].value "x" is not valid; leave it out with operator Exists'],
    [{ helm: { resources: { limits: { memory: 'lots' } } } }, 'placement.helm.resources.limits.memory "lots" is not valid'],
    [{ all: { nodeSelector: { 'bad key!': 'x' } } }, 'placement.all.nodeSelector key "bad key!" is not valid'],
    [{ sourcee: {} }, 'placement key "sourcee" is not valid; use all or one of source, kustomize, helm, notification, imageReflector, imageAutomation'],
    [{ all: { priorityClassName: 'Critical' } }, 'placement.all.priorityClassName "Critical" is not valid'],
  ])('FluxInstall refuses placement %j', (placement, message) => {
    expect(() => new FluxInstall(bareStack(), 'flux', { placement: placement as never })).toThrow(message);
  });

  it('is checked by the config loader too, at the field', () => {
    const config = { clusters: [withFlux({ placement: { kustomize: { resources: { requests: { cpu: 'fast' } } }, nope: {} } as never })] };
    // One pass: the unknown field, and the value the API server would refuse (config/refused.ts).
    expect(problems(() => validateConfig(config, 'x'))).toEqual([
      'clusters[0].flux.placement.nope: is not a known field (known: all, source, kustomize, helm, notification, imageReflector, imageAutomation)',
      'clusters[0].flux.placement.kustomize.resources.requests.cpu: is not valid; use a Kubernetes quantity such as 100m, 1, 256Mi or 1Gi (got "fast")',
    ]);
    const known = { clusters: [withFlux({ placement: { kustomize: { resources: { requests: { cpu: 'fast' } } } } })] };
    expect(problems(() => validateConfig(known, 'x'))).toEqual([
      'clusters[0].flux.placement.kustomize.resources.requests.cpu: is not valid; use a Kubernetes quantity such as 100m, 1, 256Mi or 1Gi (got "fast")',
    ]);
  });
});

describe('the values escape hatch', () => {
  it('deep-merges any flux2 value under the typed settings, which win', () => {
    const values = fluxValues(
      withFlux({
        components: { imageAutomation: true },
        values: {
          logLevel: 'debug',
          sourceController: { create: false, extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }], container: { additionalArgs: ['--requeue-dependency=5s'] } },
          helmController: { nodeSelector: { from: 'values' } },
          imageAutomationController: { container: { additionalArgs: ['--concurrent=2'] } },
        },
        placement: { helm: { nodeSelector: { from: 'typed' } } },
      }),
    );
    expect(values.logLevel).toBe('debug');
    expect(values.sourceController.create).toBe(true);
    expect(values.sourceController.extraEnv).toEqual([{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }]);
    // The arguments of `values` are kept; the typed ones come after them.
    expect(values.sourceController.container.additionalArgs).toEqual(['--requeue-dependency=5s', AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG]);
    expect(values.imageAutomationController.container.additionalArgs).toEqual(['--concurrent=2', AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG]);
    expect(values.helmController.nodeSelector).toEqual({ from: 'typed' });
  });

  it('passes its strings to Terraform as literal text', () => {
    const json = synthCluster(withFlux({ values: { sourceController: { annotations: { note: '${file("/etc/passwd")} %{if x}' } } } }));
    const raw = resourceAt(json, 'helm_release', 'flux/release').body.values[0] as string;
    expect(raw).toContain('$${file(\\"/etc/passwd\\")} %%{if x}');
  });

  it('must be an object', () => {
    expect(problems(() => validateConfig({ clusters: [withFlux({ values: ['x'] as never })] }, 'x'))).toEqual(['clusters[0].flux.values: must be of type object, not array']);
  });
});

describe('private registries', () => {
  it('pulls every Flux image, the check Job included, from the mirror, with the pull Secrets', () => {
    const values = fluxValues(withFlux({ imageRegistry: 'myacr.azurecr.io', imagePullSecrets: ['acr-pull'] }));
    const keys: Record<string, keyof typeof FLUX2_CHART_IMAGES> = {
      sourceController: 'source',
      kustomizeController: 'kustomize',
      helmController: 'helm',
      notificationController: 'notification',
      imageReflectionController: 'imageReflector',
      imageAutomationController: 'imageAutomation',
      cli: 'cli',
    };
    for (const [key, c] of Object.entries(keys)) expect(values[key].image).toBe(`myacr.azurecr.io/${FLUX2_CHART_IMAGES[c].path}`);
    expect(values.imagePullSecrets).toEqual([{ name: 'acr-pull' }]);
  });

  it('installs the flux2 chart from an OCI registry', () => {
    const { body } = resourceAt(synthCluster(withFlux({ chartRepository: 'oci://myacr.azurecr.io/helm' })), 'helm_release', 'flux/release');
    const { values: _values, ...release } = withoutMetadata(body);
    expect(release).toEqual({
      name: 'flux2',
      chart: 'flux2',
      repository: 'oci://myacr.azurecr.io/helm',
      version: '2.18.3',
      namespace: 'flux-system',
      create_namespace: true,
      atomic: true,
      wait: true,
      timeout: 600,
    });
  });

  it('gives the connector its image from the mirror and its pull Secrets through the namespace default ServiceAccount', () => {
    const json = synthCluster(exampleCluster({ connector: { imageRegistry: 'mirror.local:5000/ghcr', imagePullSecrets: ['pull-a', 'pull-b'] } }));
    const release = resourceAt(json, 'helm_release', 'connector-platform/release');
    expect(releaseValues(release.body).imageName).toBe('mirror.local:5000/ghcr/azure/gitops-connector');
    const sa = resourceAt(json, 'kubernetes_default_service_account_v1', 'connector-platform/default-service-account');
    expect(sa.body.metadata).toEqual({ namespace: 'gitops-connector-platform' });
    expect(sa.body.image_pull_secret).toEqual([{ name: 'pull-a' }, { name: 'pull-b' }]);
    expect(release.body.depends_on).toContain(sa.address);
  });

  it('installs the connector chart from a mirror', () => {
    const { body } = resourceAt(synthCluster(exampleCluster({ connector: { chartRepository: 'oci://myacr.azurecr.io/helm' } })), 'helm_release', 'connector-apps/release');
    const { values: _values, ...release } = withoutMetadata(body);
    expect(release).toEqual({
      name: 'gitops-connector',
      chart: 'gitops-connector',
      repository: 'oci://myacr.azurecr.io/helm',
      version: '1.2.1',
      namespace: 'gitops-connector-apps',
      create_namespace: true,
      atomic: true,
      wait: true,
      timeout: 300,
      set_sensitive: [{ name: 'orchestratorPAT', value: '${var.gitops_connector_pat}', type: 'string' }],
    });
  });

  it('makes no ServiceAccount change without pull Secrets', () => {
    expect(synthCluster(exampleCluster()).resource?.kubernetes_default_service_account_v1).toBeUndefined();
  });

  it.each([
    [{ imageRegistry: 'https://myacr.azurecr.io' }, 'imageRegistry "https://myacr.azurecr.io" is not valid'],
    [{ imagePullSecrets: ['Not_A_Name'] }, 'imagePullSecrets[0] "Not_A_Name" is not valid'],
  ])('refuses %j', (props, message) => {
    expect(() => new FluxInstall(bareStack(), 'flux', props)).toThrow(message);
    const stack = bareStack();
    const pat = new TerraformVariable(stack, 'pat', { sensitive: true }).stringValue;
    expect(() => new GitOpsConnector(stack, 'c', { repository: { organization: 'contoso', project: 'fabrikam', repository: 'r' }, pat, ...props })).toThrow(message);
  });

  it('refuses a registry with a scheme in the config', () => {
    expect(problems(() => validateConfig({ clusters: [withFlux({ imageRegistry: 'https://x.io' })] }, 'x'))).toEqual([
      'clusters[0].flux.imageRegistry: must match ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$ (a registry host with an optional port and path, no scheme, e.g. myacr.azurecr.io) (got "https://x.io")',
    ]);
  });
});

describe('multi-tenancy lockdown', () => {
  it('is off by default', () => {
    expect(fluxValues(exampleCluster()).multitenancy).toBeUndefined();
  });

  it('sets the chart lockdown and keeps the stack Kustomizations on kustomize-controller', () => {
    const cluster = withFlux({ multitenancy: { enabled: true } });
    const json = synthCluster(cluster);
    expect(releaseValues(resourceAt(json, 'helm_release', 'flux/release').body).multitenancy).toEqual({ enabled: true, defaultServiceAccount: 'default' });
    for (const name of ['platform', 'apps']) expect(objectOf(fluxObjects(json), 'Kustomization', name).spec.serviceAccountName).toBe('kustomize-controller');
    expect(objectOf(fluxObjects(synthCluster(exampleCluster())), 'Kustomization', 'platform').spec.serviceAccountName).toBeUndefined();
  });

  it('takes another default service account', () => {
    expect(fluxValues(withFlux({ multitenancy: { enabled: true, defaultServiceAccount: 'tenant-reconciler' } })).multitenancy.defaultServiceAccount).toBe('tenant-reconciler');
  });
});

describe('image-automation-controller and Azure DevOps SSH', () => {
  it('restricts its host key algorithms when image automation is on and a repository is Azure DevOps SSH', () => {
    const args = (cluster: ClusterConfig) => fluxValues(cluster).imageAutomationController.container?.additionalArgs;
    expect(args(withFlux({ components: { imageAutomation: true } }))).toEqual([AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG]);
    expect(args(exampleCluster())).toBeUndefined();
    const httpsOnly = exampleCluster();
    const repositories = httpsOnly.repositories.map((r) => ({ ...r, auth: 'https' as const, dependsOn: undefined }));
    expect(args({ ...httpsOnly, repositories, flux: { components: { imageAutomation: true } } })).toBeUndefined();
  });
});
