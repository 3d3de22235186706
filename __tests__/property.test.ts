import { AnnotationMetadataEntryType, App, Testing } from 'cdktf';
import fc from 'fast-check';
import { ConfigError, validateConfig } from '../config/load';
import { FluxObject } from '../flux/api';
import { checkFluxObject } from '../flux/crd-rules';
import { FluxGitOpsStack } from '../stacks/flux-gitops-stack';
import { tempDir } from './support/synth';

/**
 * Every config, valid or not, either synthesizes Flux objects that pass the CRD rules, or is refused
 * with a ConfigError. Nothing else may happen: a construct throwing on a config the validator
 * accepted means the two disagree. Reproduce a failure with FC_SEED=<seed> (and the path fast-check prints).
 * FC_RUNS=<n> runs a deeper search (docs/development.md, "Test time"). The 1,000 runs stay: with the
 * loader's keyValidityDays maximum removed (a gap the constructs refuse), this seed first fails at run 916.
 */
const SEED = Number(process.env.FC_SEED ?? 20261126);
const RUNS = Number(process.env.FC_RUNS ?? 1000);

const GITHUB_HOST_KEY = 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const GUID = '11111111-2222-3333-4444-555555555555';

// A config is built valid, then 0 to 3 mutations put the mistakes people make into it: so both
// outcomes happen often, and every kind of mistake meets every kind of otherwise valid config.
const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

const adoSource = fc.oneof(
  fc.record({ url: pick('git@ssh.dev.azure.com:v3/contoso/fabrikam/repo', 'https://dev.azure.com/contoso/fabrikam/_git/repo', 'ssh://git@ssh.dev.azure.com/v3/contoso/My%20Project/repo', 'https://contoso@dev.azure.com/contoso/fabrikam/_git/repo') }),
  fc.record({ azureDevOps: fc.record({ organization: pick('contoso', 'northwind'), project: pick('fabrikam', 'My Project'), repository: pick('repo', "team's-infra"), create: maybe(fc.boolean()) }, { requiredKeys: ['organization', 'project', 'repository'] }) }),
);
const validRef = pick<Record<string, string>>(
  { branch: 'main' }, { branch: 'release/1.0' }, { tag: 'v1.0.0' }, { semver: '>=1.0.0 <2.0.0' }, { name: 'refs/heads/main' },
  { commit: '0123456789abcdef0123456789abcdef01234567' }, { branch: 'main', commit: '0123456789abcdef0123456789abcdef01234567' },
);
const repoFields = fc.record(
  {
    ado: adoSource,
    onGithub: fc.boolean(),
    auth: pick('ssh', 'https', 'workload-identity'),
    ref: maybe(validRef),
    path: maybe(pick('./', './clusters/dev', 'clusters/dev')),
    interval: maybe(pick('5m', '1m30s', '1h')),
    timeout: maybe(pick('10m', '1h')),
    sourceTimeout: maybe(pick('60s', '2m')),
    retryInterval: maybe(pick('1m')),
    prune: maybe(fc.boolean()),
    wait: maybe(fc.boolean()),
    dependsOnEarlier: fc.boolean(),
    targetNamespace: maybe(pick('apps')),
    deletionPolicy: maybe(pick('Orphan', 'Delete', 'MirrorPrune', 'WaitForTermination')),
    substitute: maybe(fc.dictionary(pick('cluster', 'env_1', 'REGION'), pick('dev', 'hello ${name}', '%{x}'), { maxKeys: 2 })),
    connector: maybe(fc.record({ enabled: maybe(fc.boolean()), prRepository: maybe(pick('cluster-hld')) }, { requiredKeys: [] })),
    force: maybe(fc.boolean()),
    suspend: maybe(fc.boolean()),
    components: maybe(pick(['../components/a'], ['x', 'y/z'])),
    postBuild: maybe(pick({ substituteFrom: [{ kind: 'ConfigMap', name: 'vars' }] }, { substitute: { a: 'b' }, substituteFrom: [{ kind: 'Secret', name: 'cluster.secrets', optional: true }] })),
    healthCheckExprs: maybe(pick([{ apiVersion: 'a.example/v1', kind: 'W', current: 'status.ready == true', failed: "status.phase == '${x}'" }])),
    decryption: maybe(pick({ provider: 'sops' }, { provider: 'sops', secretRef: { name: 'sops-age' } })),
    // Several Kustomizations: the first named after the repository (so dependsOn still finds it), a second after it.
    listForm: pick('short', 'one', 'two'),
  },
  { requiredKeys: ['ado', 'onGithub', 'auth', 'dependsOnEarlier', 'listForm'] },
);
const KUSTOMIZATION_FIELDS = ['path', 'timeout', 'retryInterval', 'prune', 'wait', 'force', 'suspend', 'targetNamespace', 'dependsOn', 'deletionPolicy', 'substitute', 'postBuild', 'healthCheckExprs', 'components', 'decryption'];
const asList = (repo: Record<string, unknown>, form: string): Record<string, unknown> => {
  if (form === 'short') return repo;
  const own = Object.fromEntries(Object.entries(repo).filter(([k]) => !KUSTOMIZATION_FIELDS.includes(k)));
  const first = { name: repo.name, ...Object.fromEntries(Object.entries(repo).filter(([k]) => KUSTOMIZATION_FIELDS.includes(k))) };
  return { ...own, kustomizations: form === 'one' ? [first] : [first, { name: `${repo.name}-extra`, path: './extra', dependsOn: [repo.name] }] };
};

const validCluster = fc
  .record(
    {
      name: pick('dev', 'prod', 'stage-2'),
      repos: fc.array(repoFields, { minLength: 1, maxLength: 3 }),
      kubeconfig: maybe(fc.record({ path: pick('~/.kube/config'), context: maybe(pick('aks-dev')) }, { requiredKeys: ['path'] })),
      flux: maybe(fc.record({ namespace: maybe(pick('flux-system', 'gitops')), chartVersion: maybe(pick('2.18.3', '2.17.0')), components: maybe(fc.record({ helm: maybe(fc.boolean()) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
      rsaBits: maybe(pick(2048, 3072, 4096)),
      rotation: maybe(pick(0, 1, 7)),
      azureDevOps: maybe(fc.record({ registerSshKey: maybe(fc.boolean()), keyValidityDays: maybe(pick(30, 365)) }, { requiredKeys: [] })),
      connector: maybe(fc.record({ enabled: maybe(fc.boolean()), namespacePrefix: maybe(pick('gitops-connector', 'gc')), subscribers: maybe(fc.dictionary(pick('spektate', 'audit.log'), pick('http://spektate:5000/api/flux'), { maxKeys: 2 })), ciCdOrchestrator: maybe(pick('AZDO')) }, { requiredKeys: [] })),
      notifications: maybe(fc.record({ commitStatus: maybe(fc.boolean()), providers: maybe(fc.array(fc.record({ name: pick('teams', 'hook'), type: pick('msteams', 'generic', 'slack'), addressFromVariable: fc.boolean() }), { maxLength: 2 })) }, { requiredKeys: [] })),
      receiver: maybe(fc.record({ publicUrl: pick('https://flux-webhook.example.com') })),
      backend: maybe(pick({ type: 'local' }, { type: 'azurerm', storageAccountName: 'stgitops', containerName: 'tfstate' }, { type: 'cloud', organization: 'contoso' })),
      ociRepositories: maybe(pick([{ name: 'addons', url: 'oci://contoso.azurecr.io/manifests/addons', provider: 'azure', ref: { semver: '>=1.0.0' }, dependsOn: ['platform'] }], [{ name: 'addons', url: 'oci://ghcr.io/contoso/addons', secretName: 'ghcr', kustomizations: [{ name: 'addons-a' }, { name: 'addons-b', dependsOn: ['addons-a'] }] }])),
      buckets: maybe(pick([{ name: 'blob', bucketName: 'manifests', endpoint: 'https://contoso.blob.core.windows.net', prefix: 'prod/' }])),
      sops: maybe(pick({ keyVault: { clientId: GUID } }, { ageKey: true }, { keyVault: { clientId: GUID }, ageKey: true })),
    },
    { requiredKeys: ['name', 'repos'] },
  )
  .map(({ repos, rsaBits, rotation, notifications, ...rest }) => {
    const names = ['platform', 'apps', 'infra'];
    const repositories = repos.map((r, i) => {
      // GitHub over https or ssh (pinned by knownHosts); workload identity only on Azure Repos.
      const source = r.onGithub ? { url: r.auth === 'ssh' ? 'git@github.com:contoso/infra.git' : 'https://github.com/contoso/infra' } : r.ado;
      const auth = r.onGithub && r.auth === 'workload-identity' ? 'https' : r.auth;
      const { ado, onGithub, dependsOnEarlier, listForm, ...fields } = r;
      void ado;
      void onGithub;
      return asList(
        {
          ...fields,
          name: names[i],
          ...source,
          auth,
          ...(dependsOnEarlier && i > 0 && { dependsOn: [names[i - 1]] }),
          ...(r.connector && { connector: r.onGithub ? { ...r.connector, enabled: false } : r.connector }),
        },
        listForm,
      );
    });
    const providers = (notifications?.providers ?? []).filter((p, i, all) => all.findIndex((q) => q.name === p.name) === i);
    return {
      ...rest,
      repositories,
      gitIdentity: { algorithm: 'RSA', ...(rsaBits !== undefined && { rsaBits }), ...(rotation !== undefined && { rotation }) },
      knownHosts: { entries: [GITHUB_HOST_KEY] },
      workloadIdentity: { clientId: GUID },
      ...(notifications && { notifications: { ...notifications, providers: providers.map((p) => (p.addressFromVariable ? p : { ...p, address: 'https://hooks.example.com/flux' })) } }),
      // A receiver needs an Azure Repos repository to hook.
      ...(rest.receiver && repositories.every((r) => (r as { url?: string }).url?.includes('github.com')) && { receiver: undefined }),
    };
  });

type Mutation = (c: any) => void;
// Mutations of the first repository do nothing once another mutation has emptied the list.
const repo0 = (c: any) => c.repositories[0] ?? {};
const mutations: Mutation[] = [
  (c) => (c.name = 'Bad_Name'),
  (c) => (c.name = 'x'.repeat(64)),
  (c) => (repo0(c).name = 'Bad_Name'),
  (c) => (repo0(c).interval = '5 minutes'),
  (c) => (repo0(c).sourceTimeout = '1h'),
  (c) => (repo0(c).timeout = 'often'),
  (c) => (repo0(c).ref = { branch: 'main', tag: 'v1' }),
  (c) => (repo0(c).ref = { branch: 'bad branch' }),
  (c) => (repo0(c).ref = { branch: 'a..b' }),
  (c) => (repo0(c).ref = { name: 'heads/main' }),
  (c) => (repo0(c).ref = { commit: 'abc123' }),
  (c) => (repo0(c).ref = { semver: '1.0;rm -rf' }),
  (c) => (repo0(c).path = '../outside'),
  (c) => (repo0(c).path = './my path'),
  (c) => (repo0(c).prune = 'yes'),
  (c) => (repo0(c).deletionPolicy = 'Keep'),
  (c) => (repo0(c).dependsOn = ['nowhere']),
  (c) => (repo0(c).dependsOn = [repo0(c).name]),
  (c) => c.repositories.length > 1 && (repo0(c).dependsOn = [c.repositories[1].name]) && (c.repositories[1].dependsOn = [repo0(c).name]),
  (c) => c.repositories.push({ ...repo0(c) }),
  (c) => (repo0(c).url = 'https://user:secret@dev.azure.com/contoso/fabrikam/_git/repo') && delete repo0(c).azureDevOps,
  (c) => (repo0(c).url = 'ftp://example.com/repo') && delete repo0(c).azureDevOps,
  (c) => (repo0(c).url = 'git@gitlab.example.com:group/repo.git') && delete repo0(c).azureDevOps,
  (c) => (repo0(c).url = 'git@ssh.dev.azure.com:v3/contoso/fabrikam/repo'),
  (c) => (repo0(c).azureDevOps = { organization: 'https://dev.azure.com/contoso', project: 'a/b', repository: 'COM1' }) && delete repo0(c).url,
  (c) => (repo0(c).auth = 'token'),
  (c) => (repo0(c).auth = 'workload-identity') && delete c.workloadIdentity,
  (c) => (repo0(c).targetNamespace = 'Apps'),
  (c) => (repo0(c).substitute = { '1bad': 'x' }),
  (c) => (repo0(c).connector = { enabled: true, prRepository: 'a|b' }),
  (c) => (repo0(c).unexpected = 'typo'),
  (c) => (c.gitIdentity = { algorithm: 'ED25519' }),
  (c) => (c.gitIdentity = { algorithm: 'ECDSA', rsaBits: 4096 }),
  (c) => (c.gitIdentity = { rotation: -1 }),
  (c) => (c.knownHosts = { includeAzureDevOps: false }),
  (c) => (c.knownHosts = { entries: ['github.com ssh-rsa'] }),
  (c) => (c.flux = { namespace: 'Flux' }),
  (c) => (c.flux = { chartVersion: '^2.18' }),
  (c) => (c.flux = { components: { source: false } }),
  (c) => (c.flux = { components: { notification: false } }),
  (c) => (c.azureDevOps = { keyValidityDays: 400 }),
  (c) => (c.workloadIdentity = { clientId: 'not-a-guid' }),
  (c) => (c.connector = { namespacePrefix: 'x'.repeat(60) }),
  (c) => (c.connector = { subscribers: { 'bad key': 'http://x' } }),
  (c) => (c.connector = { subscribers: { s: 'https://u:p@x.example/' } }),
  (c) => (c.connector = { ciCdOrchestrator: 'GITHUB' }),
  (c) => (c.notifications = { providers: [{ name: 'gitops-connector-platform', type: 'generic', address: 'https://x.example' }] }),
  (c) => (c.notifications = { providers: [{ name: 'hook', type: 'generic' }] }),
  (c) => (c.notifications = { providers: [{ name: 'hook', type: 'pigeon', address: 'https://x.example' }] }),
  (c) => (c.receiver = { publicUrl: 'http://insecure.example.com' }),
  (c) => (c.backend = { type: 'cloud' }),
  (c) => (c.backend = { type: 's3' }),
  (c) => (c.unexpected = 'typo'),
  (c) => (c.repositories = []),
  (c) => (repo0(c).kustomizations = [{ name: 'k' }]),
  (c) => (repo0(c).kustomizations = [{ name: 'k' }, { name: 'k' }]),
  (c) => (repo0(c).kustomizations = [{ name: 'k', dependsOn: ['k'] }]),
  (c) => (repo0(c).decryption = { provider: 'sops' }) && delete c.sops,
  (c) => (repo0(c).healthCheckExprs = [{ apiVersion: 'a/v1', current: 'x' }]),
  (c) => (repo0(c).postBuild = { substituteFrom: [{ kind: 'Namespace', name: 'x' }] }),
  (c) => (repo0(c).postBuild = { substitute: { a: 'b' } }) && (repo0(c).substitute = { c: 'd' }),
  (c) => (repo0(c).components = ['a b']),
  (c) => (c.ociRepositories = [{ name: 'oci', url: 'https://contoso.azurecr.io/x' }]),
  (c) => (c.ociRepositories = [{ name: 'oci', url: 'oci://contoso.azurecr.io/x', provider: 'azure' }]) && delete c.workloadIdentity,
  (c) => (c.ociRepositories = [{ name: 'oci', url: 'oci://contoso.azurecr.io/x', provider: 'azure', secretName: 'acr' }]),
  (c) => (c.buckets = [{ name: 'b', bucketName: 'B', endpoint: 'x' }]),
  (c) => (c.buckets = [{ name: repo0(c).name ?? 'platform', bucketName: 'manifests', endpoint: 'https://contoso.blob.core.windows.net' }]),
  (c) => (c.sops = { keyVault: { clientId: 'x' } }),
];
const config = fc
  .record({ clusters: fc.array(validCluster, { minLength: 1, maxLength: 2 }), mutate: fc.array(fc.tuple(fc.nat(), fc.nat(mutations.length - 1)), { maxLength: 3 }) })
  .map(({ clusters, mutate }) => {
    const out = structuredClone({ clusters: clusters.map((c, i) => ({ ...c, name: i === 0 ? c.name : `${c.name}-${i}` })) });
    for (const [which, m] of mutate) mutations[m](out.clusters[which % out.clusters.length]);
    return out;
  });

describe('any config', () => {
  const outdir = tempDir('flux-gitops-property-');

  it(`either synthesizes objects that pass the CRD rules or fails with a ConfigError (${RUNS} runs, seed ${SEED})`, () => {
    let valid = 0;
    let invalid = 0;
    const property = fc.property(config, (raw) => {
      let accepted;
      try {
        accepted = validateConfig(JSON.parse(JSON.stringify(raw)), 'generated');
      } catch (e) {
        if (e instanceof ConfigError) {
          invalid++;
          return;
        }
        throw e;
      }
      valid++;
      const app = new App({ outdir, stackTraces: false });
      for (const c of accepted.clusters) {
        const stack = new FluxGitOpsStack(app, c.name, { cluster: c });
        // Aspects (the conformance check) and validations run as in a real synth.
        const json = JSON.parse(Testing.synth(stack, true));
        const errors = stack.node.findAll().flatMap((n) => n.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.ERROR));
        expect(errors).toEqual([]);
        const release = Object.values<any>(json.resource.helm_release).find((r) => String(r.chart).includes('flux-objects'));
        const objects: FluxObject[] = JSON.parse(release.values[0]).objects;
        for (const object of objects) expect(checkFluxObject(object)).toEqual([]);
      }
    });
    fc.assert(property, { seed: SEED, numRuns: RUNS });
    // The property means something only if both outcomes happen often.
    expect(valid).toBeGreaterThan(RUNS / 10);
    expect(invalid).toBeGreaterThan(RUNS / 10);
  }, 120000);
});
