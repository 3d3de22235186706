import { refusedConfigProblems } from '../config/refused';
import type { RepositorySource } from '../config/repositories';
import type { ClusterConfig } from '../config/schema';

// The config checks past the schema's keywords (config/refused.ts) on hand-made clusters: each
// problem with its exact path, value and message. hostile-config.test.ts and
// accepted-refusals.test.ts reach them through the loader.

const azure: RepositorySource = { auth: 'ssh', transport: 'ssh', azureDevOps: { organization: 'contoso', project: 'fabrikam', repository: 'platform' }, lookup: false } as RepositorySource;
const github: RepositorySource = { auth: 'ssh', transport: 'ssh', lookup: false } as RepositorySource;
const identity: RepositorySource = { ...azure, auth: 'workload-identity' } as RepositorySource;

const cluster = (c: object): ClusterConfig => ({ name: 'dev', repositories: [{ name: 'platform' }], ...c }) as unknown as ClusterConfig;

describe('refusedConfigProblems', () => {
  it('passes a cluster with nothing refused', () => {
    expect(refusedConfigProblems(cluster({ flux: { components: { helm: false } } }), 'c', [azure])).toEqual([]);
  });

  it('refuses a connector namespace prefix that makes a reserved namespace, once per repository', () => {
    const c = cluster({ connector: { namespacePrefix: 'kube' }, repositories: [{ name: 'platform' }, { name: 'apps' }] });
    expect(refusedConfigProblems(c, 'c', [azure, azure])).toEqual(
      ['platform', 'apps'].map((repo) => ({
        path: 'c.connector.namespacePrefix',
        value: 'kube',
        message: `makes kube-${repo} the connector namespace of repository ${repo}; Kubernetes reserves default, kube-system, kube-public, kube-node-lease and every kube-* namespace for its own objects`,
      })),
    );
    expect(refusedConfigProblems(cluster({ connector: { namespacePrefix: 'kubex' } }), 'c', [azure])).toEqual([]);
  });

  it('names the field of a placement or connector problem, and the map of a key problem', () => {
    const c = cluster({
      flux: { placement: { sourceController: { nodeSelector: { 'bad key!': 'x' } }, kustomizeController: undefined, all: { tolerations: [{ key: 'k', operator: 'Sometimes' }] } } },
      connector: { nodeSelector: { pool: 'bad value!' } },
    });
    expect(refusedConfigProblems(c, 'c', [azure])).toEqual([
      { path: 'c.flux.placement.sourceController.nodeSelector', value: 'bad key!', message: 'has a key that is not valid; use a label key such as kubernetes.azure.com/mode' },
      { path: 'c.flux.placement.all.tolerations[0].operator', value: 'Sometimes', message: 'is not valid; use Equal or Exists' },
      { path: 'c.connector.nodeSelector.pool', value: 'bad value!', message: expect.stringMatching(/^is not valid; /) },
    ]);
  });

  it('refuses source-controller off, naming the kinds the stack delivers', () => {
    const off = { flux: { components: { source: false, kustomize: true, helm: false } } };
    const message = (kinds: string) => `must be on: the stack delivers ${kinds} objects, which only source-controller reconciles`;
    expect(refusedConfigProblems(cluster({ ...off, ociRepositories: [{ name: 'o' }], buckets: [{ name: 'b' }] }), 'c', [azure])).toEqual([
      { path: 'c.flux.components.source', value: false, message: message('GitRepository, OCIRepository, Bucket') },
    ]);
    expect(refusedConfigProblems(cluster(off), 'c', [azure])).toEqual([{ path: 'c.flux.components.source', value: false, message: message('GitRepository') }]);
    expect(refusedConfigProblems(cluster({ ...off, ociRepositories: [], buckets: [] }), 'c', [azure])).toEqual([
      { path: 'c.flux.components.source', value: false, message: message('GitRepository') },
    ]);
    expect(refusedConfigProblems(cluster({ ...off, repositories: [], ociRepositories: [], buckets: [{ name: 'b' }] }), 'c', [])).toEqual([
      { path: 'c.flux.components.source', value: false, message: message('Bucket') },
    ]);
  });

  it('refuses kustomize-controller off', () => {
    expect(refusedConfigProblems(cluster({ flux: { components: { kustomize: false } } }), 'c', [github])).toEqual([
      {
        path: 'c.flux.components.kustomize',
        value: false,
        message: 'must be on: every repository, OCI repository and bucket is applied by a Kustomization, which only kustomize-controller reconciles',
      },
    ]);
  });

  describe('notification-controller off', () => {
    const off = { components: { notification: false } };
    const refusal = (why: string) => [
      { path: 'c.flux.components.notification', value: false, message: `must be on: the stack delivers Alerts and Providers for ${why}, which only notification-controller serves; turn those off to run without it` },
    ];
    const CONNECTOR = (repos: string) => `the GitOps Connector of ${repos} (connector.enabled)`;
    const STATUSES = 'the Azure DevOps commit statuses (notifications.commitStatus)';

    it.each<[string, object, (RepositorySource | undefined)[], string | undefined]>([
      ['an Azure Repos repository: its connector and commit statuses', {}, [azure], `${CONNECTOR('platform')}, ${STATUSES}`],
      ['connectors of the Azure Repos repositories only', { repositories: [{ name: 'platform' }, { name: 'ext' }, { name: 'apps' }] }, [azure, github, azure], `${CONNECTOR('platform, apps')}, ${STATUSES}`],
      ['a repository without a source', {}, [undefined], undefined],
      ['a repository off Azure Repos', {}, [github], undefined],
      ['connectors off on the cluster', { connector: { enabled: false } }, [azure], undefined],
      ['a connector off on its repository', { repositories: [{ name: 'platform', connector: { enabled: false } }], connector: { enabled: true } }, [azure], undefined],
      ['a connector on on its repository', { repositories: [{ name: 'platform', connector: { enabled: true } }], connector: { enabled: false } }, [azure], `${CONNECTOR('platform')}, ${STATUSES}`],
      ['commit statuses off', { notifications: { commitStatus: false } }, [azure], CONNECTOR('platform')],
      ['commit statuses on, connectors off', { connector: { enabled: false }, notifications: { commitStatus: true } }, [azure], STATUSES],
      ['commit statuses on, off Azure Repos', { notifications: { commitStatus: true } }, [github], undefined],
      ['a repository read by the identity', { connector: { enabled: false }, workloadIdentity: { managed: true } }, [identity], STATUSES],
      ['the identity, the repository read by a key', { connector: { enabled: false }, workloadIdentity: { managed: true } }, [azure], undefined],
      ['a repository read by the identity outside the zero-secret mode', { connector: { enabled: false }, workloadIdentity: { managed: false } }, [identity], undefined],
      ['providers', { connector: { enabled: false }, notifications: { providers: [{ name: 'slack' }] } }, [github], 'notifications.providers'],
      ['no providers', { connector: { enabled: false }, notifications: { providers: [] } }, [github], undefined],
    ])('%s', (_, c, sources, why) => {
      const { flux, ...rest } = c as { flux?: object };
      expect(refusedConfigProblems(cluster({ ...rest, flux: { ...flux, ...off } }), 'c', sources)).toEqual(why === undefined ? [] : refusal(why));
    });
  });
});
