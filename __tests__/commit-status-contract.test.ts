import * as path from 'path';
import * as fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../config/load';
import { FluxAlert } from '../constructs/flux-alert';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import { Alert, Provider } from '../flux/api';
import { commitStatusExpr, commitStatusName, connectorAppUrl, parseCommitStatusName, parseConnectorTargetUrl } from '../flux/commit-status';
import { checkFluxObject } from '../flux/crd-rules';
import { combineEventMetadata, evaluateCommitStatusExpr, kustomizationSucceeded } from './support/notification-controller';
import { bareStack, exampleCluster, fluxObjects, objectOf, releaseValues, resourceAt, synthCluster, synthClusters } from './support/synth';

const ROOT = path.join(__dirname, '..');
const REVISION = 'main@sha1:0123456789abcdef0123456789abcdef01234567';

describe('the status contract of examples/fleet.yaml, evaluated with CEL as notification-controller does', () => {
  const { config } = loadConfig(path.join(ROOT, 'examples', 'fleet.yaml'));
  const synthesized = synthClusters(config.clusters);
  const objectsOf = (cluster: string) => fluxObjects(synthesized.stack(cluster));

  /** Every status name each azuredevops Provider writes, by its repository address, for each Kustomization of its Alert. */
  const written = config.clusters.flatMap((cluster) => {
    const objects = objectsOf(cluster.name);
    const providers = objects.filter((o): o is Provider => o.kind === 'Provider' && o.spec.type === 'azuredevops');
    return providers.flatMap((provider) => {
      const alert = objects.find((o): o is Alert => o.kind === 'Alert' && o.spec.providerRef.name === provider.metadata.name)!;
      return alert.spec.eventSources.map((source) => {
        const kustomization = objectOf(objects, 'Kustomization', source.name);
        const event = kustomizationSucceeded(kustomization.metadata.namespace, kustomization.metadata.name, REVISION);
        return { cluster: cluster.name, address: provider.spec.address!, name: evaluateCommitStatusExpr(provider.spec.commitStatusExpr!, event, alert, provider) };
      });
    });
  });

  it('names every status of every cluster fleet/<ring>/<cluster>/kustomization/<namespace>/<name>, exactly as commitStatusName() does', () => {
    expect(written).toEqual([
      { cluster: 'dev', address: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-platform', name: 'fleet/1/dev/kustomization/flux-system/platform' },
      { cluster: 'dev', address: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps', name: 'fleet/1/dev/kustomization/flux-system/apps' },
      { cluster: 'stage', address: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-platform', name: 'fleet/2/stage/kustomization/flux-system/platform' },
      { cluster: 'stage', address: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps', name: 'fleet/2/stage/kustomization/flux-system/apps' },
      { cluster: 'prod', address: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-platform', name: 'fleet/3/prod/kustomization/flux-system/platform' },
      { cluster: 'prod', address: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps', name: 'fleet/3/prod/kustomization/flux-system/apps' },
    ]);
    for (const w of written) {
      const cluster = config.clusters.find((c) => c.name === w.cluster)!;
      const [, , , , namespace, name] = w.name.split('/');
      expect(w.name).toBe(commitStatusName({ ring: cluster.ring ?? 1, cluster: cluster.name, kind: 'Kustomization', namespace, name }));
    }
  });

  it('lets no two clusters write the same status name on one repository', () => {
    const byRepository = new Map<string, string[]>();
    for (const w of written) byRepository.set(w.address, [...(byRepository.get(w.address) ?? []), w.name]);
    expect([...byRepository.keys()].sort()).toEqual(['https://dev.azure.com/contoso/fabrikam/_git/cluster-apps', 'https://dev.azure.com/contoso/fabrikam/_git/cluster-platform']);
    for (const names of byRepository.values()) expect(new Set(names).size).toBe(names.length);
    // Every cluster's Provider of one repository, given the same object, still writes its own name.
    const platform = config.clusters.map((c) => {
      const objects = objectsOf(c.name);
      const provider = objectOf(objects, 'Provider', 'commit-status-platform');
      const alert = objectOf(objects, 'Alert', 'commit-status-platform');
      return evaluateCommitStatusExpr(provider.spec.commitStatusExpr!, kustomizationSucceeded('flux-system', 'shared', REVISION), alert, provider);
    });
    expect(platform).toEqual(['fleet/1/dev/kustomization/flux-system/shared', 'fleet/2/stage/kustomization/flux-system/shared', 'fleet/3/prod/kustomization/flux-system/shared']);
  });

  it("carries the cluster and ring in every Alert's eventMetadata, which reaches event.metadata beside the controller's own keys", () => {
    for (const cluster of config.clusters) {
      const alerts = objectsOf(cluster.name).filter((o): o is Alert => o.kind === 'Alert');
      expect(alerts.length).toBeGreaterThan(0);
      for (const alert of alerts) expect({ alert: alert.metadata.name, eventMetadata: alert.spec.eventMetadata }).toEqual({ alert: alert.metadata.name, eventMetadata: { cluster: cluster.name, ring: String(cluster.ring) } });
    }
    const alert = objectOf(objectsOf('prod'), 'Alert', 'teams');
    expect(combineEventMetadata(kustomizationSucceeded('flux-system', 'apps', REVISION), alert).metadata).toEqual({
      revision: REVISION,
      commit_status: 'update',
      cluster: 'prod',
      ring: '3',
    });
  });

  it('keeps the cluster in the status name even when the emitting controller sets a metadata key "cluster", which wins over the Alert', () => {
    const objects = objectsOf('stage');
    const provider = objectOf(objects, 'Provider', 'commit-status-apps');
    const alert = objectOf(objects, 'Alert', 'commit-status-apps');
    const event = kustomizationSucceeded('flux-system', 'apps', REVISION, { 'kustomize.toolkit.fluxcd.io/cluster': 'prod' });
    expect(combineEventMetadata(event, alert).metadata!.cluster).toBe('prod');
    expect(evaluateCommitStatusExpr(provider.spec.commitStatusExpr!, event, alert, provider)).toBe('fleet/2/stage/kustomization/flux-system/apps');
  });

  it('gives the connectors of each cluster a link that names the cluster, which survives the ?noop= the connector appends', () => {
    // Chart 1.2.1 writes the value unquoted into YAML (templates/deployment.yaml), so what the connector reads
    // is the value read as a YAML scalar (chartScalar quotes it for that, since `#` would start a comment).
    const links = config.clusters.map(
      (c) => parseYaml(`v: ${releaseValues(resourceAt(synthesized.stack(c.name), 'helm_release', 'connector-apps/release').body).gitOpsAppURL as string}`).v as string,
    );
    expect(links).toEqual([
      'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps#fleet/1/dev',
      'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps#fleet/2/stage',
      'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps#fleet/3/prod',
    ]);
    // Azure/gitops-connector v1.2.1 src/repositories/azdo_git_repository.py: targetUrl = gitOpsAppURL + "?noop=" + status name.
    expect(links.map((l) => parseConnectorTargetUrl(`${l}?noop=Status`))).toEqual([
      { ring: 1, cluster: 'dev' },
      { ring: 2, cluster: 'stage' },
      { ring: 3, cluster: 'prod' },
    ]);
    expect(new URL(`${links[0]}?noop=Status`).pathname).toBe('/contoso/fabrikam/_git/cluster-apps');
  });
});

describe('an azuredevops provider the config adds under notifications.providers', () => {
  it('writes the contract too', () => {
    const cluster = exampleCluster({
      name: 'edge',
      ring: 4,
      notifications: { providers: [{ name: 'hld-status', type: 'azuredevops', address: 'https://dev.azure.com/contoso/fabrikam/_git/hld', secretName: 'hld-token', repositories: ['apps'] }] },
    });
    const objects = fluxObjects(synthCluster(cluster));
    const provider = objectOf(objects, 'Provider', 'hld-status');
    const alert = objectOf(objects, 'Alert', 'hld-status');
    expect(provider.spec.commitStatusExpr).toBe(commitStatusExpr({ ring: 4, cluster: 'edge' }));
    expect(alert.spec.eventMetadata).toEqual({ cluster: 'edge', ring: '4' });
    expect(evaluateCommitStatusExpr(provider.spec.commitStatusExpr!, kustomizationSucceeded('flux-system', 'apps', REVISION), alert, provider)).toBe('fleet/4/edge/kustomization/flux-system/apps');
  });
});

describe('commitStatusExpr', () => {
  const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
  const provider = (expr: string): Provider => ({
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    kind: 'Provider',
    metadata: { name: 'p', namespace: 'flux-system' },
    spec: { type: 'azuredevops', address: 'https://dev.azure.com/o/p/_git/r', commitStatusExpr: expr },
  });
  const alert: Alert = {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    kind: 'Alert',
    metadata: { name: 'p', namespace: 'flux-system' },
    spec: { providerRef: { name: 'p' }, eventSources: [{ kind: 'Kustomization', name: '*' }] },
  };

  it('evaluates, for any writer and object, to the name commitStatusName() gives, which reads back to the same writer and object', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), label, fc.constantFrom('Kustomization', 'HelmRelease', 'GitRepository'), label, fc.stringMatching(/^[a-z0-9]([-.a-z0-9]{0,40}[a-z0-9])?$/), (ring, cluster, kind, namespace, name) => {
        const event = { ...kustomizationSucceeded(namespace, name, REVISION), involvedObject: { kind, namespace, name, uid: 'u', apiVersion: 'x.toolkit.fluxcd.io/v1' } };
        const got = evaluateCommitStatusExpr(commitStatusExpr({ ring, cluster }), event, alert, provider(commitStatusExpr({ ring, cluster })));
        expect(got).toBe(commitStatusName({ ring, cluster, kind, namespace, name }));
        expect(parseCommitStatusName(got)).toEqual({ ring, cluster, kind: kind.toLowerCase(), namespace, name });
      }),
      { numRuns: 200 },
    );
  });

  it('gives two writers different names for the same object', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), label, fc.integer({ min: 1, max: 9 }), label, (ringA, a, ringB, b) => {
        fc.pre(ringA !== ringB || a !== b);
        const event = kustomizationSucceeded('flux-system', 'apps', REVISION);
        const [x, y] = [{ ring: ringA, cluster: a }, { ring: ringB, cluster: b }].map((w) => evaluateCommitStatusExpr(commitStatusExpr(w), event, alert, provider(commitStatusExpr(w))));
        expect(x).not.toBe(y);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    [{ ring: 0, cluster: 'dev' }, /ring 0 is not a positive integer/],
    [{ ring: 1.5, cluster: 'dev' }, /ring 1.5 is not a positive integer/],
    [{ ring: 1, cluster: 'a/b' }, /cluster "a\/b" is not an RFC 1123 label/],
    [{ ring: 1, cluster: '' }, /cluster "" is not an RFC 1123 label/],
  ])('refuses the writer %j, which could not be read back', (writer, message) => {
    expect(() => commitStatusExpr(writer)).toThrow(message);
    expect(() => connectorAppUrl('https://dev.azure.com/o/p/_git/r', writer)).toThrow(message);
  });
});

describe('FluxAlert writer', () => {
  const build = (props: Partial<ConstructorParameters<typeof FluxAlert>[2]>) => {
    const stack = bareStack();
    const delivery = new FluxObjectsRelease(stack, 'o', { namespace: 'flux-system' });
    return new FluxAlert(stack, 'status', { delivery, type: 'azuredevops', address: 'https://dev.azure.com/o/p/_git/r', secretName: 't', eventSources: [{ kind: 'Kustomization', name: 'apps' }], ...props });
  };

  it('is required for an azuredevops Provider, whose default status names say nothing of the cluster', () => {
    expect(() => build({})).toThrow('FluxAlert test/status: writer undefined is not valid; give { ring, cluster } of the cluster this is deployed to');
  });

  it('refuses a writer that could not be read back', () => {
    expect(() => build({ writer: { ring: 1, cluster: 'Prod/West' } })).toThrow(/writer \{"ring":1,"cluster":"Prod\/West"\} is not valid; give a positive integer ring and a cluster name that is an RFC 1123 label/);
  });

  it('writes the contract on a commit-status Provider and the cluster and ring on its Alert, both conformant with the Provider and Alert CRDs', () => {
    const alert = build({ writer: { ring: 2, cluster: 'stage' } });
    expect(alert.provider.spec).toEqual({
      type: 'azuredevops',
      address: 'https://dev.azure.com/o/p/_git/r',
      secretRef: { name: 't' },
      commitStatusExpr: '"fleet/2/stage/" + event.involvedObject.kind.lowerAscii() + "/" + event.involvedObject.namespace + "/" + event.involvedObject.name',
    });
    expect(alert.alert.spec.eventMetadata).toEqual({ cluster: 'stage', ring: '2' });
    expect(checkFluxObject(alert.provider)).toEqual([]);
    expect(checkFluxObject(alert.alert)).toEqual([]);
  });

  it('gives a github Provider the contract too, and a chat Provider only the eventMetadata (the CRD allows commitStatusExpr on commit-status types only)', () => {
    const github = build({ type: 'github', address: 'https://github.com/o/r', writer: { ring: 1, cluster: 'dev' } });
    expect(github.provider.spec.commitStatusExpr).toBe(commitStatusExpr({ ring: 1, cluster: 'dev' }));
    const teams = build({ type: 'msteams', address: 'https://example.webhook.office.com/x', secretName: undefined, writer: { ring: 1, cluster: 'dev' } });
    expect(teams.provider.spec.commitStatusExpr).toBeUndefined();
    expect(teams.alert.spec.eventMetadata).toEqual({ cluster: 'dev', ring: '1' });
    expect(checkFluxObject({ ...teams.provider, spec: { ...teams.provider.spec, commitStatusExpr: '"x"' } }).map((v) => v.message)).toEqual([
      'commitStatusExpr may only be set for the commit-status types github, gitlab, gitea, bitbucketserver, bitbucket, azuredevops',
    ]);
  });

  it('leaves a Provider without a writer as it was: no eventMetadata, no commitStatusExpr', () => {
    const hook = build({ type: 'generic', address: 'https://hooks.example.com/flux', secretName: undefined });
    expect(hook.provider.spec).toEqual({ type: 'generic', address: 'https://hooks.example.com/flux' });
    expect(hook.alert.spec.eventMetadata).toBeUndefined();
  });
});
