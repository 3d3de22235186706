/**
 * Issue 21 (part A) and issue 22: the configs of the outside audit that crashed the synth, echoed a
 * secret, were refused without naming the field, or were refused although legitimate. Each case failed
 * before its repair.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, loadConfig, validateConfig } from '../config/load';
import { problems } from './support/config-problems';
import { fluxObjects, synthClusters, tempDir } from './support/synth';

const ado = (repository: string) => ({ organization: 'contoso', project: 'fabrikam', repository });
const GUID = '11111111-2222-3333-4444-555555555555';
const cluster = (extra: object, repositories: unknown[] = [{ name: 'infra', azureDevOps: ado('infra') }]) => ({ clusters: [{ name: 'dev', repositories, ...extra }] });

/** Validates and synthesizes `config` as the app does; a ConfigError is the only failure it may end in. */
function loadAndSynth(config: unknown) {
  const clusters = validateConfig(config, 'test').clusters;
  return synthClusters(clusters);
}

describe('names that collided as construct ids', () => {
  it('synthesizes repositories x and alert-x, both with connectors, each with its own Alert', () => {
    const synthesized = loadAndSynth(cluster({}, [{ name: 'x', azureDevOps: ado('x') }, { name: 'alert-x', azureDevOps: ado('alert-x') }]));
    const alerts = fluxObjects(synthesized.stack('dev')).filter((o) => o.kind === 'Alert').map((o) => o.metadata.name).sort();
    expect(alerts).toEqual(['commit-status-alert-x', 'commit-status-x', 'gitops-connector-alert-x', 'gitops-connector-x']);
  });

  it('synthesizes providers a (address from a variable) and a-address, each with its Provider', () => {
    const synthesized = loadAndSynth(
      cluster({ notifications: { providers: [{ name: 'a', type: 'slack', addressFromVariable: true }, { name: 'a-address', type: 'slack', addressFromVariable: true }] } }),
    );
    const json = synthesized.stack('dev');
    expect(Object.keys(json.resource!.kubernetes_secret_v1).filter((id) => id.startsWith('notification-')).sort()).toEqual(['notification-a-address', 'notification-a-address-address']);
    expect(fluxObjects(json).filter((o) => o.kind === 'Provider' && ['a', 'a-address'].includes(o.metadata.name)).length).toBe(2);
  });
});

describe('checks only a construct made, made by the config first', () => {
  it.each([
    ['a pull Secret name longer than 253 characters', cluster({ flux: { imagePullSecrets: ['a'.repeat(254)] } }), `clusters[0].flux.imagePullSecrets[0]: must be at most 253 characters long (is 254) (got "${'a'.repeat(97)}...")`],
    ['a blank bucket name', cluster({ buckets: [{ name: 'b', bucketName: ' ', endpoint: 'minio.example.com:9000', provider: 'generic', secretName: 'minio' }] }), 'clusters[0].buckets[0].bucketName: must match \\S (a bucket name, not blank) (got " ")'],
    [
      'an azuredevops Provider address that is no repository URL',
      cluster({ notifications: { providers: [{ name: 'ado', type: 'azuredevops', address: 'https://example.com/x' }] } }),
      'clusters[0].notifications.providers[0].address: must be on dev.azure.com or <org>.visualstudio.com; use the repository\'s HTTPS URL, https://dev.azure.com/<org>/<project>/_git/<repo> (or https://<org>.visualstudio.com/DefaultCollection/<project>/_git/<repo>) (got "https://example.com/x")',
    ],
    [
      'sops.keyVault with kustomize-controller off',
      cluster({ flux: { components: { kustomize: false, helm: false } }, sops: { keyVault: { clientId: GUID } } }),
      [
        'clusters[0].flux.components.kustomize: must be on with sops.keyVault: the identity is for kustomize-controller (got false)',
        'clusters[0].flux.components.kustomize: must be on: every repository, OCI repository and bucket is applied by a Kustomization, which only kustomize-controller reconciles (got false)',
      ],
    ],
    [
      '{cluster} in a cluster\'s own settings',
      cluster({ aks: { subscriptionId: GUID, resourceGroup: 'rg-{cluster}', name: 'aks' } }),
      'clusters[0].aks.resourceGroup: holds {cluster}, which is replaced only in defaults; write the cluster\'s name here (got "rg-{cluster}")',
    ],
  ])('refuses %s with a ConfigError', (_case, config, expected: string | string[]) => {
    expect(problems(() => loadAndSynth(config))).toEqual(typeof expected === 'string' ? [expected] : expected);
  });

  it('refuses a placeholder of defaults that is not {cluster}', () => {
    const config = { defaults: { repositories: [{ name: 'infra', azureDevOps: ado('infra'), path: './clusters/{clustr}' }] }, clusters: [{ name: 'dev' }] };
    expect(problems(() => validateConfig(config, 'test'))).toEqual([
      'defaults.repositories[0].path: holds the placeholder {clustr}, which is not one; the one placeholder of defaults is {cluster} (got "./clusters/{clustr}")',
    ]);
    // Flux's own ${var} substitution is no placeholder of the config.
    expect(() => validateConfig({ ...config, defaults: { repositories: [{ name: 'infra', azureDevOps: ado('infra'), substitute: { region: '${cluster_region}' } }] } }, 'test')).not.toThrow();
  });
});

describe('a .tfvars.json', () => {
  const write = (name: string, text: string) => {
    const file = path.join(tempDir(), name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('takes null as an unset variable', () => {
    const file = write('terraform.tfvars.json', JSON.stringify({ gitops_ssh_url: 'git@ssh.dev.azure.com:v3/o/p/r', enable_flux: null, gitops_path: null, cluster_name: null }));
    expect(loadConfig(file).config.clusters.map((c) => c.name)).toEqual(['bedrock']);
  });

  it('refuses null, a list or an object where the variables should be, without a crash', () => {
    expect(problems(() => loadConfig(write('a.tfvars.json', 'null')))).toEqual(['(root): is not a set of Bedrock variables (an object of name: value)']);
    expect(problems(() => loadConfig(write('b.tfvars.json', '{\n  "gitops_ssh_url": {"secret": "canary"}\n}')))).toEqual([
      'gitops_ssh_url (line 2): must be text, a number or a boolean, as Bedrock gives it',
    ]);
  });

  it('names the variable and its line, never the line itself', () => {
    const file = write('terraform.tfvars', 'client_secret = "hunter2canary"\ngitops_ssh_url = "ftp://canary.example.com/x"\n');
    const found = problems(() => loadConfig(file));
    expect(found.map((p) => p.replace(/: is not a git URL.*\(as /, ': ... (as '))).toEqual([
      'gitops_ssh_url (line 2): ... (as clusters[0].repositories[0].url of the migrated config) (got "ftp://canary.example.com/x")',
    ]);
    expect(found.join('\n')).not.toContain('hunter2canary');
  });
});

describe('scale', () => {
  it('checks a dependsOn chain of 6,000 Kustomizations without overflowing the stack, and synthesizes it', () => {
    const kustomizations = Array.from({ length: 6000 }, (_, i) => ({ name: `k${i}`, ...(i < 5999 && { dependsOn: [`k${i + 1}`] }) }));
    const json = loadAndSynth(cluster({}, [{ name: 'infra', azureDevOps: ado('infra'), kustomizations }])).stack('dev');
    expect(fluxObjects(json).filter((o) => o.kind === 'Kustomization').length).toBe(6000);
  }, 120000);

  it('checks a chain of 30,000 for cycles iteratively (a recursive walk overflowed the stack)', () => {
    // Each depends on the next: a walk from the first goes 30,000 deep.
    const kustomizations = Array.from({ length: 30000 }, (_, i) => ({ name: `k${i}`, ...(i < 29999 && { dependsOn: [`k${i + 1}`] }) }));
    expect(validateConfig(cluster({}, [{ name: 'infra', azureDevOps: ado('infra'), kustomizations }]), 'test').clusters[0].repositories[0].kustomizations).toHaveLength(30000);
  });

  it('finds a cycle closing at the end of a long chain, at the entry that closes it', () => {
    const kustomizations = Array.from({ length: 6000 }, (_, i) => ({ name: `k${i}`, dependsOn: [`k${(i + 1) % 6000}`] }));
    const found = problems(() => validateConfig(cluster({}, [{ name: 'infra', azureDevOps: ado('infra'), kustomizations }]), 'test'));
    expect(found.map((p) => p.replace(/ \(got .*/, ''))).toEqual(['clusters[0].repositories[0].kustomizations[0].dependsOn[0]: closes a dependsOn cycle; Flux would wait forever']);
  });
});

describe('secrets', () => {
  const canary = 'canary';
  const storage = `DefaultEndpointsProtocol=https;AccountName=st;AccountKey=${canary}Zm9vYmFyYmF6cXV4==;EndpointSuffix=core.windows.net`;
  // 84 characters, AZDO at positions 76-80.
  const pat84 = `${'a1B2c3D4e5'.repeat(7)}${canary}AZDOwxyz`;
  const pat52 = `${canary}abcdefghijklmnopqrstuvwxyz234567abcdefghijklmn`;
  const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.${canary}sig`;

  it.each([
    ['AZURE_DEVOPS_EXT_PAT', { AZURE_DEVOPS_EXT_PAT: `${canary}1` }],
    ['ADO_PAT', { ADO_PAT: `${canary}2` }],
    ['STORAGE_KEY', { STORAGE_KEY: `${canary}3` }],
    ['PAGERDUTY_ROUTING_KEY', { PAGERDUTY_ROUTING_KEY: `${canary}4` }],
    ['SQL_CONNECTION_STRING', { SQL_CONNECTION_STRING: `${canary}5` }],
    ['a storage connection string under any name', { settings: storage }],
    ['a new-format Azure DevOps PAT under any name', { value: pat84 }],
    ['an old-format Azure DevOps PAT under any name', { value: pat52 }],
    ['a JWT under any name', { value: jwt }],
  ])('refuses %s in substitute, never showing it', (_name, substitute) => {
    const found = problems(() => loadAndSynth(cluster({}, [{ name: 'infra', azureDevOps: ado('infra'), substitute }])));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^clusters\[0\]\.repositories\[0\]\.substitute\.\w+: (is named like a secret|holds what looks like)/);
    expect(found[0]).not.toContain(canary);
  });

  it.each([
    ['a PagerDuty routing key', { name: 'pd', type: 'pagerduty', address: 'https://events.pagerduty.com', channel: `${canary}0123456789abcdef0123456789` }, 'is the PagerDuty routing key'],
    ['a key of another provider', { name: 'hook', type: 'generic', address: 'https://alerts.example.com', channel: `${canary}0123456789abcdef0123456789` }, 'looks like a routing or integration key'],
    ['a storage connection string', { name: 'hook', type: 'generic', address: 'https://alerts.example.com', channel: storage }, 'holds what looks like an Azure Storage connection string'],
  ])('refuses %s in a notification channel, never showing it', (_name, provider, reason) => {
    const found = problems(() => loadAndSynth(cluster({ notifications: { providers: [provider] } })));
    expect(found).toEqual([expect.stringMatching(new RegExp(`^clusters\\[0\\]\\.notifications\\.providers\\[0\\]\\.channel: ${reason}`))]);
    expect(found[0]).not.toContain(canary);
  });

  it('names the fields of a rule that fails on a parent object, never the object (a short DB_PASSWORD in it)', () => {
    const config = cluster({ workloadIdentity: { clientId: GUID, managed: { name: 'flux-dev' } } }, [
      { name: 'infra', azureDevOps: ado('infra'), ref: { branch: 'main', tag: 'v1' }, kustomizations: [{ name: 'k' }], substitute: { db_password: 'pw' } },
    ]);
    const found = problems(() => validateConfig(config, 'test'));
    expect(found).toEqual([
      'clusters[0].repositories[0].ref.tag: must not be given with branch: set one of branch, tag, semver, name, commit (commit may be combined with branch)',
      'clusters[0].workloadIdentity.managed: must not be given with clientId: give clientId (an identity prepared by hand) or managed (the stack sets it up)',
      'clusters[0].repositories[0].substitute.db_password: is named like a secret, and config values land in the state and the cluster in clear; take it from a Secret (postBuild.substituteFrom, secretName) or a sensitive variable, or rename the key if it is not a secret',
      'clusters[0].repositories[0].substitute: cannot be set beside kustomizations; give it per Kustomization',
      // The rules that span fields say nothing more below a field the schema refused (managed).
    ]);
    expect(found.join('\n')).not.toMatch(/"pw"|flux-dev/);
  });
});

describe('refusals name the field', () => {
  it.each([
    [
      'a toleration value with operator Exists',
      cluster({ flux: { placement: { all: { tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] } } } }),
      'clusters[0].flux.placement.all.tolerations[0].value: is not valid; leave it out with operator Exists (Kubernetes refuses it) (got "x")',
    ],
    ['kubeconfig with aks', cluster({ kubeconfig: { path: '~/.kube/config' }, aks: { subscriptionId: GUID, resourceGroup: 'rg', name: 'aks' } }), 'clusters[0].aks: must not be given with kubeconfig: give either kubeconfig or aks'],
    ['aks.clientId without login msi', cluster({ aks: { subscriptionId: GUID, resourceGroup: 'rg', name: 'aks', clientId: GUID } }), 'clusters[0].aks.clientId: must be given only with login msi (it names a user-assigned managed identity)'],
    ['workloadIdentity.tenantId with managed', cluster({ aks: { subscriptionId: GUID, resourceGroup: 'rg', name: 'aks' }, workloadIdentity: { tenantId: GUID, managed: {} } }), "clusters[0].workloadIdentity.tenantId: must not be given with managed (the tenant is the identity's)"],
    ['an OCI ref with tag and digest', cluster({ ociRepositories: [{ name: 'o', url: 'oci://acr.example.com/m', secretName: 'acr', ref: { tag: 'v1', digest: `sha256:${'a'.repeat(64)}` } }] }), 'clusters[0].ociRepositories[0].ref.digest: must not be given with tag: set one of tag, semver or digest'],
    ['source-controller off under kustomize-controller', cluster({ flux: { components: { source: false } } }), 'clusters[0].flux.components.source: must keep source on while kustomize or helm is on: they reconcile artifacts only source-controller produces'],
  ])('%s', (_case, config, expected) => {
    expect(problems(() => validateConfig(config, 'test'))).toEqual([expected]);
  });
});

describe('configs refused although legitimate', () => {
  it('takes the static website container $web for the state', () => {
    const json = loadAndSynth(cluster({ backend: { type: 'azurerm', storageAccountName: 'stgitops', containerName: '$web' } })).stack('dev');
    expect(json.terraform.backend.azurerm.container_name).toBe('$web');
  });

  it('takes an auth-secret annotation whose value names a Secret, and still refuses a password annotation', () => {
    const receiver = (annotations: object) => cluster({ receiver: { publicUrl: 'https://hook.example.com', ingress: { annotations } } });
    expect(() => loadAndSynth(receiver({ 'nginx.ingress.kubernetes.io/auth-secret': 'basic-auth', 'nginx.ingress.kubernetes.io/auth-tls-secret': 'ingress/ca' }))).not.toThrow();
    expect(problems(() => validateConfig(receiver({ 'example.com/password': 'hunter2' }), 'test'))).toEqual([
      'clusters[0].receiver.ingress.annotations."example.com/password": is named like a secret, and config values land in the state and the cluster in clear; take it from a Secret (postBuild.substituteFrom, secretName) or a sensitive variable, or rename the key if it is not a secret',
    ]);
  });

  it('takes the keys Kubernetes names like secrets but are not (an affinity topologyKey, a toleration key)', () => {
    const affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'flux' } } }] } };
    expect(() => validateConfig(cluster({ flux: { placement: { all: { affinity, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'flux', effect: 'NoSchedule' }] } } } }), 'test')).not.toThrow();
  });

  it('takes {cluster} in the names of Kustomizations in defaults, as the README promises', () => {
    const config = { defaults: { repositories: [{ name: 'infra', azureDevOps: ado('infra'), kustomizations: [{ name: '{cluster}-apps' }, { name: '{cluster}-infra', dependsOn: ['{cluster}-apps'] }] }] }, clusters: [{ name: 'dev' }, { name: 'prod' }] };
    const synthesized = loadAndSynth(config);
    expect(fluxObjects(synthesized.stack('prod')).filter((o) => o.kind === 'Kustomization').map((o) => [o.metadata.name, (o.spec as { dependsOn?: unknown }).dependsOn])).toEqual([
      ['prod-apps', undefined],
      ['prod-infra', [{ name: 'prod-apps' }]],
    ]);
  });
});

describe('one pass (issue 22)', () => {
  it('reports the problems of the schema and the rules that span fields together', () => {
    const config = cluster({ flux: { chartVersion: 'latest' } }, [
      { name: 'infra', azureDevOps: ado('infra'), dependsOn: ['nowhere'] },
      { name: 'infra', azureDevOps: ado('other'), intervall: '5m' },
    ]);
    expect(problems(() => validateConfig(config, 'test')).map((p) => p.replace(/ \(known: .*/, ''))).toEqual([
      'clusters[0].repositories[1].intervall: is not a known field; did you mean interval?',
      expect.stringMatching(/^clusters\[0\]\.flux\.chartVersion: must match/),
      'clusters[0].repositories[1].name: is used by another repository of this cluster; names must be unique (got "infra")',
      'clusters[0].repositories[0].dependsOn[0]: names no Kustomization of this cluster',
    ]);
  });

  it('suggests no field for a key unlike any', () => {
    expect(problems(() => validateConfig(cluster({ zzzzzzzz: 1 }), 'test'))).toEqual([expect.stringMatching(/^clusters\[0\]\.zzzzzzzz: is not a known field \(known: [^)]*\)$/)]);
  });
});

it('throws nothing but ConfigError for the cases above', () => {
  // A guard for the helper: a crash is not a refusal.
  expect(() => problems(() => { throw new TypeError('x'); })).toThrow(TypeError);
  expect(new ConfigError('f', []).name).toBe('ConfigError');
});
