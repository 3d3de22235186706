/**
 * The typed controller settings, rendered by the real charts: ../shared/tools/helm-lite renders the
 * flux2 2.18.3 and gitops-connector 1.2.1 charts of ../shared/reference offline, as `helm template`
 * would, and its --probe names every value the release sets that no template reads. Skipped on a
 * fresh clone without ../shared, or where helm-lite cannot be built (it needs Debian's Go packages:
 * see its README).
 */
import * as path from 'path';
import { ClusterConfig } from '../config/schema';
import { AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG, FLUX2_CHART_IMAGES } from '../constructs/flux-install';
import { helmLite, Rendered, renderChart } from './support/helm-lite';
import { exampleCluster, resourceAt, synthCluster } from './support/synth';

const bin = helmLite();
/** Renders `chart` with a helm_release body as synthesized, probing every value it sets. */
const render = (chart: string, release: unknown): Rendered => renderChart(bin!, chart, release);

const podSpecs = (rendered: Rendered, kind: string) =>
  new Map(rendered.objects.filter((o) => o.object.kind === kind).map((o) => [o.object.metadata.name as string, o.object.spec.template.spec]));

const CONTROLLERS = {
  'source-controller': 'source',
  'kustomize-controller': 'kustomize',
  'helm-controller': 'helm',
  'notification-controller': 'notification',
  'image-reflector-controller': 'imageReflector',
  'image-automation-controller': 'imageAutomation',
} as const;

(bin ? describe : describe.skip)('the typed settings, rendered by the real charts (../shared/tools/helm-lite)', () => {
  jest.setTimeout(120_000);
  const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['westeurope-1'] }] }] } } };
  const cluster: ClusterConfig = exampleCluster({
    flux: {
      components: { imageAutomation: true },
      aksSystemPool: true,
      placement: {
        all: { resources: { limits: { memory: '1Gi' } }, priorityClassName: 'system-cluster-critical', affinity },
        source: { resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '2Gi' } }, nodeSelector: { 'agentpool': 'system' } },
      },
      imageRegistry: 'myacr.azurecr.io',
      imagePullSecrets: ['acr-pull'],
      multitenancy: { enabled: true },
      values: { logLevel: 'debug' },
    },
    connector: {
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
      nodeSelector: { 'kubernetes.azure.com/mode': 'system' },
      imageRegistry: 'myacr.azurecr.io',
      imagePullSecrets: ['acr-pull'],
    },
  });
  let flux: Rendered;
  let connector: Rendered;
  let connectorRelease: any;
  beforeAll(() => {
    const json = synthCluster(cluster);
    flux = render('flux2', resourceAt(json, 'helm_release', 'flux/release').body);
    connectorRelease = resourceAt(json, 'helm_release', 'connector-platform/release').body;
    connector = render(path.join('gitops-connector', '1.2.1'), connectorRelease);
  });

  it('reads every value the Flux release sets (the probe finds none ignored)', () => {
    expect(flux.probe.length).toBeGreaterThan(30);
    expect(flux.probe.filter((p) => p.status !== 'read')).toEqual([]);
  });

  it('puts placement, image, pull Secrets and resources on each controller pod spec', () => {
    const deployments = podSpecs(flux, 'Deployment');
    expect([...deployments.keys()].sort()).toEqual(Object.keys(CONTROLLERS).sort());
    for (const [name, c] of Object.entries(CONTROLLERS)) {
      const spec = deployments.get(name);
      const [manager] = spec.containers;
      expect({ name, image: manager.image }).toEqual({ name, image: `myacr.azurecr.io/${FLUX2_CHART_IMAGES[c].path}:${FLUX2_CHART_IMAGES[c].tag}` });
      expect({ name, tolerations: spec.tolerations }).toEqual({ name, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }] });
      expect({ name, nodeSelector: spec.nodeSelector }).toEqual({
        name,
        nodeSelector: c === 'source' ? { 'kubernetes.azure.com/mode': 'system', agentpool: 'system' } : { 'kubernetes.azure.com/mode': 'system' },
      });
      expect({ name, affinity: spec.affinity }).toEqual({ name, affinity });
      expect({ name, priorityClassName: spec.priorityClassName }).toEqual({ name, priorityClassName: 'system-cluster-critical' });
      expect({ name, imagePullSecrets: spec.imagePullSecrets }).toEqual({ name, imagePullSecrets: [{ name: 'acr-pull' }] });
      // Helm merges the chart's default requests under the limits set here.
      expect({ name, resources: manager.resources }).toEqual({
        name,
        resources: c === 'source' ? { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '2Gi' } } : { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '1Gi' } },
      });
      expect({ name, logLevel: manager.args.includes('--log-level=debug') }).toEqual({ name, logLevel: true });
    }
  });

  it('runs the pre-install flux check Job from the mirror, where the controllers run', () => {
    const [job] = [...podSpecs(flux, 'Job').values()];
    expect(job.containers[0].image).toBe(`myacr.azurecr.io/fluxcd/flux-cli:${FLUX2_CHART_IMAGES.cli.tag}`);
    // The placement fields each; the rest of the pod spec (containers, restartPolicy) is the chart's.
    expect({ nodeSelector: job.nodeSelector, tolerations: job.tolerations, affinity: job.affinity, imagePullSecrets: job.imagePullSecrets }).toEqual({
      nodeSelector: { 'kubernetes.azure.com/mode': 'system' },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
      affinity,
      imagePullSecrets: [{ name: 'acr-pull' }],
    });
  });

  it('locks multi-tenancy down on the controllers that take the flags', () => {
    const args = (name: string): string[] => podSpecs(flux, 'Deployment').get(name).containers[0].args;
    for (const name of ['kustomize-controller', 'helm-controller']) {
      expect(args(name)).toEqual(expect.arrayContaining(['--no-cross-namespace-refs=true', '--default-service-account=default']));
    }
    for (const name of ['notification-controller', 'image-reflector-controller', 'image-automation-controller']) expect(args(name)).toContain('--no-cross-namespace-refs=true');
  });

  it('restricts the host key algorithms of both controllers that talk SSH to Azure DevOps', () => {
    for (const name of ['source-controller', 'image-automation-controller']) {
      expect(podSpecs(flux, 'Deployment').get(name).containers[0].args).toContain(AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG);
    }
  });

  it("renders the connector's per-cluster link whole: the fragment is not a YAML comment in the chart's unquoted ConfigMap value", () => {
    const cm = connector.objects.find((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === 'gitops-connector-cm')!.object;
    expect(cm.data.GITOPS_APP_URL).toBe('https://dev.azure.com/contoso/fabrikam/_git/cluster-platform#fleet/1/example');
  });

  it('gives the connector pod its mirror image, tolerations and nodeSelector, every value read', () => {
    const spec = podSpecs(connector, 'Deployment').get('gitops-connector');
    expect(spec.containers[0].image).toBe('myacr.azurecr.io/azure/gitops-connector:1.2.1');
    expect(spec.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(spec.nodeSelector).toEqual({ 'kubernetes.azure.com/mode': 'system' });
    expect(connector.probe.filter((p) => p.status !== 'read')).toEqual([]);
    // The pod runs as the namespace's default ServiceAccount, which the construct gives the pull Secrets.
    expect(spec.serviceAccountName).toBeUndefined();
  });

  it('shows why the connector pull Secrets go on the ServiceAccount: chart 1.2.1 reads no imagePullSecrets value', () => {
    const values = JSON.stringify({ ...JSON.parse(connectorRelease.values[0]), imagePullSecrets: [{ name: 'acr-pull' }] });
    const probed = render(path.join('gitops-connector', '1.2.1'), { ...connectorRelease, values: [values] });
    expect(probed.probe.filter((p) => p.path.startsWith('imagePullSecrets'))).toEqual([
      { path: 'imagePullSecrets', status: 'ignored', sameAsDefault: false, value: [{ name: 'acr-pull' }] },
    ]);
  });
});
