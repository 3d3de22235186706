import * as fs from 'fs';
import * as path from 'path';
import { configPathFrom, loadConfig, validateConfig } from '../config/load';
import { EXAMPLE_CONFIG } from '../config/example';
import { problems } from './support/config-problems';
import { tempDir } from './support/synth';

const cluster = EXAMPLE_CONFIG.clusters[0];
const withRepos = (repositories: unknown[], extra: object = {}) => ({ clusters: [{ name: 'dev', repositories, ...extra }] });

describe('config loading', () => {
  it('uses the embedded example when no file is named', () => {
    expect(loadConfig(undefined)).toEqual({ config: EXAMPLE_CONFIG, source: 'embedded example', notes: [] });
  });

  it('reads YAML and JSON files', () => {
    const dir = tempDir();
    const yamlFile = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(yamlFile, 'clusters:\n  - name: dev\n    repositories:\n      - name: infra\n        url: git@ssh.dev.azure.com:v3/o/p/infra\n');
    expect(loadConfig(yamlFile).config.clusters[0].repositories[0].url).toBe('git@ssh.dev.azure.com:v3/o/p/infra');
    const jsonFile = path.join(dir, 'fleet.json');
    fs.writeFileSync(jsonFile, JSON.stringify(EXAMPLE_CONFIG));
    expect(loadConfig(jsonFile).config).toEqual(EXAMPLE_CONFIG);
  });

  it('names the file when it cannot be read or parsed', () => {
    expect(problems(() => loadConfig('/nonexistent/fleet.yaml'))).toEqual(['(root): cannot be read: ENOENT']);
    const bad = path.join(tempDir(), 'bad.yaml');
    fs.writeFileSync(bad, 'clusters: [\n');
    expect(() => loadConfig(bad)).toThrow(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 1 problem in the config:\\n  \\(root\\): is not valid YAML \\(line 2`));
  });

  it('takes the file from FLUX_GITOPS_CONFIG first, then from the cdktf context', () => {
    expect(configPathFrom({ FLUX_GITOPS_CONFIG: 'a.yaml' }, 'b.yaml')).toBe('a.yaml');
    expect(configPathFrom({}, 'b.yaml')).toBe('b.yaml');
    expect(configPathFrom({}, undefined)).toBeUndefined();
    expect(configPathFrom({ FLUX_GITOPS_CONFIG: '' }, '')).toBeUndefined();
  });
});

describe('config validation', () => {
  it('accepts the example', () => {
    expect(validateConfig(EXAMPLE_CONFIG, 'x')).toEqual(EXAMPLE_CONFIG);
  });

  it('reports a value of the wrong shape under a field with rules as a config problem, not a crash of the rule', () => {
    // placement's rule reads tolerations as a list; here it is an object, already reported below it.
    const cluster = { ...EXAMPLE_CONFIG.clusters[0], flux: { placement: { all: { tolerations: { key: 'x' } } } } };
    expect(problems(() => validateConfig({ clusters: [cluster] }, 'x'))).toEqual(['clusters[0].flux.placement.all.tolerations: must be of type array, not object']);
  });

  it('reports every problem at once, each with its field path, the bad value and what is allowed', () => {
    const config = {
      clusters: [
        {
          name: 'Dev Cluster',
          flux: { chartVersion: '~2.18' },
          repositories: [{ name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/infra', interval: '5 minutes', prune: 'yes', ref: { branch: 'main', tag: 'v1' } }],
        },
      ],
    };
    expect(problems(() => validateConfig(config, 'fleet.yaml'))).toEqual([
      'clusters[0].name: must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ (lower-case letters, digits and "-", starting and ending with a letter or digit) (got "Dev Cluster")',
      'clusters[0].flux.chartVersion: must match ^v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$ (an exact chart version such as 2.18.3) (got "~2.18")',
      'clusters[0].repositories[0].interval: must match ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$ (a Go duration such as 30s, 5m or 1h30m) (got "5 minutes")',
      'clusters[0].repositories[0].prune: must be of type boolean, not string (got "yes")',
      'clusters[0].repositories[0].ref.tag: must not be given with branch: set one of branch, tag, semver, name, commit (commit may be combined with branch)',
    ]);
  });

  it('rejects unknown fields, listing the known ones', () => {
    // The one problem: the known fields are the schema's, matched by pattern.
    expect(problems(() => validateConfig(withRepos([{ name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/r', brnach: 'main' }]), 'x'))).toEqual([
      expect.stringMatching(/^clusters\[0\]\.repositories\[0\]\.brnach: is not a known field \(known: name, url, azureDevOps, auth, ref, path, .*\)$/),
    ]);
  });

  it.each([
    ['no clusters', { clusters: [] }, 'clusters: must have at least 1 item(s)'],
    ['a cluster without repositories', { clusters: [{ name: 'dev', repositories: [] }] }, 'clusters[0].repositories: must have at least 1 item(s)'],
    ['a repository without url or azureDevOps', withRepos([{ name: 'infra' }]), 'clusters[0].repositories[0]: must set exactly one of: url, azureDevOps (0 set)'],
    ['a repository with both url and azureDevOps', withRepos([{ name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/r', azureDevOps: { organization: 'o', project: 'p', repository: 'r' } }]), 'clusters[0].repositories[0]: must set exactly one of: url, azureDevOps (2 set)'],
    ['an organisation URL where a name belongs', withRepos([{ name: 'infra', azureDevOps: { organization: 'https://dev.azure.com/o', project: 'p', repository: 'r' } }]), 'clusters[0].repositories[0].azureDevOps.organization: must match ^[A-Za-z0-9]([A-Za-z0-9-]{0,48}[A-Za-z0-9])?$ (an Azure DevOps organisation name) (got "https://dev.azure.com/o")'],
    ['a project name with a slash', withRepos([{ name: 'infra', azureDevOps: { organization: 'o', project: 'a/b', repository: 'r' } }]), `clusters[0].repositories[0].azureDevOps.project: must match ^(?![_.])(?!.*\\.$)[^\\\\/:*?"'<>;#$*{},+=\\[\\]|\\u0000-\\u001f]{1,64}$ (an Azure DevOps project name) (got "a/b")`],
    ['a reserved repository name', withRepos([{ name: 'infra', azureDevOps: { organization: 'o', project: 'p', repository: 'COM1' } }]), 'clusters[0].repositories[0].azureDevOps.repository: must not be a name Azure DevOps reserves (got "COM1")'],
    ['an Azure Repos URL whose project name Azure DevOps reserves', withRepos([{ name: 'infra', url: 'https://dev.azure.com/o/App_Data/_git/r', auth: 'https' }]), `clusters[0].repositories[0].url: names the project "App_Data", which is not an Azure DevOps project name (1-64 characters, none of \\ / : * ? " ' < > ; # $ { } , + = [ ] |, not starting with _ or ., not ending with ., not a reserved name) (got "https://dev.azure.com/o/App_Data/_git/r")`],
    ['a provider named like the Provider the stack makes for a connector', withRepos([{ name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/r' }], { notifications: { providers: [{ name: 'gitops-connector-infra', type: 'slack', channel: 'ops' }] } }), 'clusters[0].notifications.providers[0].name: is the name of a Provider the stack makes for a repository; choose another (got "gitops-connector-infra")'],
    ['a provider named like the commit-status Provider of a repository', withRepos([{ name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/r' }], { notifications: { providers: [{ name: 'commit-status-infra', type: 'slack', channel: 'ops' }] } }), 'clusters[0].notifications.providers[0].name: is the name of a Provider the stack makes for a repository; choose another (got "commit-status-infra")'],
    ['a connector namespace prefix that makes a namespace over 63 characters', withRepos([{ name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/r' }], { connector: { namespacePrefix: 'p'.repeat(58) } }), `clusters[0].connector.namespacePrefix: makes the namespace ${'p'.repeat(58)}-infra of repository infra longer than 63 characters (got "${'p'.repeat(58)}")`],
    ['a webhook provider with nowhere to post', withRepos([{ name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/r' }], { notifications: { providers: [{ name: 'hook', type: 'generic-hmac' }] } }), 'clusters[0].notifications.providers[0].address: is required for type generic-hmac (or addressFromVariable, or a secretName holding an address)'],
    ['an unknown auth mode', withRepos([{ name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/r', auth: 'token' }]), 'clusters[0].repositories[0].auth: must be one of "ssh", "https", "workload-identity" (got "token")'],
    ['a key validity over a year', { clusters: [{ name: 'dev', azureDevOps: { keyValidityDays: 400 }, repositories: [{ name: 'a', url: 'git@ssh.dev.azure.com:v3/o/p/r' }] }] }, 'clusters[0].azureDevOps.keyValidityDays: must be <= 365 (got 400)'],
    ['a workload identity client id that is not a GUID', { clusters: [{ name: 'dev', workloadIdentity: { clientId: 'flux' }, repositories: [{ name: 'a', url: 'git@ssh.dev.azure.com:v3/o/p/r' }] }] }, 'clusters[0].workloadIdentity.clientId: must match ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ (a GUID) (got "flux")'],
    ['a source timeout in hours', withRepos([{ name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/r', sourceTimeout: '1h' }]), 'clusters[0].repositories[0].sourceTimeout: must match ^([0-9]+(\\.[0-9]+)?(ms|s|m))+$ (a Go duration without hours such as 30s, 90s or 5m) (got "1h")'],
    ['an RSA size Azure DevOps does not take', { clusters: [{ name: 'dev', gitIdentity: { rsaBits: 1024 }, repositories: [{ name: 'a', url: 'git@ssh.dev.azure.com:v3/o/p/r' }] }] }, 'clusters[0].gitIdentity.rsaBits: must be one of 2048, 3072, 4096 (got 1024)'],
  ])('rejects %s', (_, config, message) => {
    expect(problems(() => validateConfig(config, 'x'))).toEqual([message]);
  });

  it('rejects duplicate names, unknown and cyclic dependencies', () => {
    const url = 'git@ssh.dev.azure.com:v3/o/p/r';
    const config = {
      clusters: [
        { name: 'dev', repositories: [{ name: 'a', url, dependsOn: ['b'] }, { name: 'b', url, dependsOn: ['a'] }, { name: 'a', url }, { name: 'c', url, dependsOn: ['zzz', 'c'] }] },
        { name: 'dev', repositories: [{ name: 'a', url }] },
      ],
    };
    expect(problems(() => validateConfig(config, 'x'))).toEqual([
      'clusters[0].repositories[2].name: is used by another repository of this cluster; names must be unique (got "a")',
      'clusters[0].repositories[3].dependsOn[0]: names no Kustomization of this cluster (known: a, b, c) (got "zzz")',
      'clusters[0].repositories[3].dependsOn[1]: is the Kustomization itself; a Kustomization cannot depend on itself (got "c")',
      'clusters[0].repositories[0].dependsOn[0]: closes a dependsOn cycle; Flux would wait forever (got "a -> b -> a")',
      'clusters[1].name: is used by another cluster; each cluster is one stack and needs its own name (got "dev")',
    ]);
  });

  it('rejects a key Azure DevOps would refuse, and a host no known_hosts line pins', () => {
    const config = {
      clusters: [
        {
          name: 'dev',
          gitIdentity: { algorithm: 'ED25519' },
          repositories: [{ name: 'a', url: 'git@ssh.dev.azure.com:v3/o/p/r' }, { name: 'b', url: 'git@gitlab.example.com:group/repo.git' }, { name: 'c', url: 'ftp://x/y' }],
        },
      ],
    };
    expect(problems(() => validateConfig(config, 'x'))).toEqual([
      expect.stringMatching(/^clusters\[0\]\.repositories\[2\]\.url: is not a git URL Flux can use over ssh; give an Azure Repos URL .* \(got "ftp:\/\/x\/y"\)$/),
      'clusters[0].gitIdentity.algorithm: must be RSA: repository a is on Azure DevOps, whose SSH server accepts only RSA keys (got "ED25519")',
      'clusters[0].repositories[1].url: is on gitlab.example.com, which no knownHosts entry pins; add its known_hosts line to knownHosts.entries (host keys are never scanned) (got "git@gitlab.example.com:group/repo.git")',
    ]);
  });

  it('rejects a malformed known_hosts line, and Azure Repos when its key is not trusted', () => {
    const config = withRepos([{ name: 'a', url: 'git@ssh.dev.azure.com:v3/o/p/r' }], { knownHosts: { includeAzureDevOps: false, entries: ['github.com ssh-rsa'] } });
    expect(problems(() => validateConfig(config, 'x'))).toEqual([
      'clusters[0].knownHosts.entries[0]: has too few fields; expected "[@cert-authority|@revoked] host[,host...] keytype base64key" (got "github.com ssh-rsa")',
      'clusters[0].repositories[0].url: is on ssh.dev.azure.com, which no knownHosts entry pins; add its known_hosts line to knownHosts.entries (host keys are never scanned) (got "git@ssh.dev.azure.com:v3/o/p/r")',
    ]);
  });

  it('requires a workload identity for auth workload-identity, on Azure Repos only', () => {
    const config = withRepos([
      { name: 'a', url: 'https://dev.azure.com/o/p/_git/r', auth: 'workload-identity' },
      { name: 'b', url: 'https://github.com/o/r', auth: 'workload-identity' },
    ]);
    expect(problems(() => validateConfig(config, 'x'))).toEqual([
      'clusters[0].workloadIdentity: is required: repository a uses auth workload-identity',
      'clusters[0].repositories[1].auth: works only for Azure Repos (GitRepository provider azure); use ssh or https for other hosts (got "workload-identity")',
      'clusters[0].workloadIdentity: is required: repository b uses auth workload-identity',
    ]);
  });

  it('accepts https and workload identity URLs, and Azure DevOps names', () => {
    const config = withRepos(
      [
        { name: 'a', url: 'git@ssh.dev.azure.com:v3/o/p/r', auth: 'https' },
        { name: 'b', url: 'https://dev.azure.com/o/p/_git/r2', auth: 'workload-identity' },
        { name: 'c', azureDevOps: { organization: 'o', project: 'My Project', repository: "team's-infra", create: true } },
      ],
      { workloadIdentity: { clientId: '11111111-2222-3333-4444-555555555555' } },
    );
    expect(() => validateConfig(config, 'x')).not.toThrow();
  });

  it('keeps the example valid for the construct defaults too', () => {
    expect(cluster.repositories.map((r) => r.name)).toEqual(['platform', 'apps']);
  });
});
