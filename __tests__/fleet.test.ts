import * as fs from 'fs';
import * as path from 'path';
import { fromBedrockVariables, parseTfvars } from '../config/bedrock';
import { loadConfig, mergeDefaults, validateConfig } from '../config/load';
import { problems } from './support/config-problems';
import { exampleCluster, fluxObjects, objectOf, synthCluster, synthClusters, tempDir } from './support/synth';

const ROOT = path.join(__dirname, '..');


describe('a fleet: defaults and per-cluster overrides', () => {
  const repo = { name: 'platform', url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-platform', path: './clusters/{cluster}' };
  const fleet = {
    defaults: { kubeconfig: { path: '~/.kube/fleet', context: 'aks-{cluster}' }, connector: { enabled: false }, repositories: [repo] },
    clusters: [
      { name: 'dev' },
      { name: 'stage', kubeconfig: { context: 'stage-admin' } },
      { name: 'prod', repositories: [{ ...repo, path: './clusters/production', ref: { tag: 'v1.0.0' } }], connector: { enabled: true } },
    ],
  };

  it('merges objects key by key, lets lists replace, and fills {cluster}', () => {
    const { clusters } = validateConfig(fleet, 'fleet.yaml');
    expect(clusters.map((c) => c.kubeconfig)).toEqual([
      { path: '~/.kube/fleet', context: 'aks-dev' },
      { path: '~/.kube/fleet', context: 'stage-admin' },
      { path: '~/.kube/fleet', context: 'aks-prod' },
    ]);
    expect(clusters.map((c) => c.repositories[0].path)).toEqual(['./clusters/dev', './clusters/stage', './clusters/production']);
    expect(clusters[2].repositories[0].ref).toEqual({ tag: 'v1.0.0' });
    expect(clusters.map((c) => c.connector?.enabled)).toEqual([false, false, true]);
  });

  it('makes one stack per cluster, named after it, each with its own state', () => {
    const { clusters } = validateConfig(fleet, 'fleet.yaml');
    const synthesized = synthClusters(clusters);
    expect(fs.readdirSync(path.join(synthesized.outdir, 'stacks')).sort()).toEqual(['dev', 'prod', 'stage']);
    const backends = clusters.map((c) => synthesized.stack(c.name).terraform.backend.local.path);
    expect(backends).toEqual(['../../../terraform.dev.tfstate', '../../../terraform.stage.tfstate', '../../../terraform.prod.tfstate']);
    expect(synthesized.stack('stage').provider!.kubernetes).toEqual([{ config_path: '~/.kube/fleet', config_context: 'stage-admin' }]);
  });

  it('reports a problem that comes from the defaults once, at its place there', () => {
    const bad = { ...fleet, defaults: { ...fleet.defaults, repositories: [{ ...repo, interval: 'hourly' }] } };
    expect(problems(() => validateConfig(bad, 'fleet.yaml'))).toEqual([
      'defaults.repositories[0].interval: must match ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$ (a Go duration such as 30s, 5m or 1h30m) (got "hourly")',
    ]);
  });

  it('requires repositories from the cluster or the defaults', () => {
    expect(problems(() => validateConfig({ clusters: [{ name: 'dev' }] }, 'x'))).toEqual(['clusters[0].repositories: is required']);
  });

  it('merges nothing into a cluster that has no defaults', () => {
    expect(mergeDefaults({}, { name: 'dev', repositories: [] })).toEqual({ name: 'dev', repositories: [] });
    expect(mergeDefaults({ a: { b: 1, c: [1] } }, { a: { c: [2] } })).toEqual({ a: { b: 1, c: [2] } });
  });
});

describe('the environments example (examples/fleet.yaml)', () => {
  const { config } = loadConfig(path.join(ROOT, 'examples', 'fleet.yaml'));
  const synthesized = synthClusters(config.clusters);

  it('describes dev, stage and prod', () => {
    expect(config.clusters.map((c) => c.name)).toEqual(['dev', 'stage', 'prod']);
  });

  it('keeps each environment in its own azurerm state, locked by blob lease, authenticated with Entra ID', () => {
    for (const name of ['dev', 'stage', 'prod']) {
      expect(synthesized.stack(name).terraform.backend).toEqual({
        azurerm: {
          resource_group_name: 'rg-gitops-state',
          storage_account_name: 'stgitopsstate',
          container_name: 'tfstate',
          key: `flux-gitops/${name}.tfstate`,
          use_azuread_auth: true,
        },
      });
    }
  });

  it('gives each environment its branch or tags and its path', () => {
    const ref = (name: string) => objectOf(fluxObjects(synthesized.stack(name)), 'GitRepository', 'platform').spec.ref;
    const pathOf = (name: string) => objectOf(fluxObjects(synthesized.stack(name)), 'Kustomization', 'apps').spec.path;
    expect([ref('dev'), ref('prod')]).toEqual([{ branch: 'develop' }, { semver: '>=1.0.0' }]);
    expect(ref('stage')?.name).toMatch(/default_branch/);
    expect(['dev', 'stage', 'prod'].map(pathOf)).toEqual(['./clusters/dev', './clusters/stage', './clusters/prod']);
    expect(fluxObjects(synthesized.stack('prod')).filter((o) => o.kind === 'Receiver')).toHaveLength(2);
    expect(fluxObjects(synthesized.stack('dev')).filter((o) => o.kind === 'Receiver')).toHaveLength(0);
  });
});

describe('backends', () => {
  it('uses Terraform Cloud with one workspace per cluster', () => {
    const json = synthCluster(exampleCluster({ backend: { type: 'cloud', organization: 'contoso', project: 'platform' } }));
    expect(json.terraform.cloud).toEqual({ organization: 'contoso', workspaces: { name: 'flux-gitops-example', project: 'platform' } });
  });

  it.each([
    [{ type: 'azurerm', storageAccountName: 'stfluxstate' }, ['clusters[0].backend.containerName: is required with type azurerm']],
    [{ type: 'cloud' }, ['clusters[0].backend.organization: is required with type cloud']],
    [{ type: 'local', organization: 'contoso' }, ['clusters[0].backend.organization: is a setting of another backend type than local']],
    [{ type: 's3' }, ['clusters[0].backend.type: must be one of "local", "azurerm", "cloud" (got "s3")']],
    [
      { type: 'azurerm', storageAccountName: 'Not_Valid', containerName: 'tfstate' },
      ['clusters[0].backend.storageAccountName: must match ^[a-z0-9]{3,24}$ (3-24 lower-case letters and digits) (got "Not_Valid")'],
    ],
  ])('refuses %j', (backend, expected) => {
    expect(problems(() => validateConfig({ clusters: [{ ...exampleCluster(), backend }] }, 'x'))).toEqual(expected);
  });
});

describe('Bedrock migration', () => {
  const bedrock = {
    cluster_name: 'Bedrock Simple',
    gitops_ssh_url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-manifests',
    gitops_path: 'prod',
    gitops_poll_interval: '10m',
    gitops_url_branch: 'release',
    gitops_ssh_key_path: '/home/ops/.ssh/gitops-ssh-key',
    gc_enabled: 'false',
    acr_enabled: 'true',
    gitops_label: 'flux-sync',
    flux_recreate: '',
    enable_flux: 'true',
    flux_image_tag: '1.18.0',
    flux_image_repository: 'docker.io/fluxcd/flux',
    kubeconfig_filename: 'bedrock_kube_config',
    agent_vm_size: 'Standard_D2s_v3',
  };

  it('maps every variable with a Flux v2 counterpart', () => {
    const { config } = fromBedrockVariables(bedrock);
    expect(validateConfig(config, 'x')).toEqual({
      clusters: [
        {
          name: 'bedrock-simple',
          kubeconfig: { path: './output/bedrock_kube_config' },
          repositories: [
            {
              name: 'cluster-manifests',
              url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-manifests',
              ref: { branch: 'release' },
              interval: '10m',
              prune: false,
              path: './prod',
            },
          ],
        },
      ],
    });
  });

  it('says plainly which variables have no Flux v2 equivalent, and why', () => {
    const { notes } = fromBedrockVariables(bedrock);
    for (const name of ['gitops_ssh_key_path', 'acr_enabled', 'gitops_label', 'flux_recreate', 'flux_image_tag', 'flux_image_repository']) {
      expect(notes.filter((n) => n.startsWith(`${name}: no Flux v2 equivalent, dropped: `))).toHaveLength(1);
    }
    expect(notes).toContain('ignored (they describe the AKS cluster, not Flux): agent_vm_size');
  });

  it('turns a comma-separated gitops_path into one Kustomization per path', () => {
    const { config } = fromBedrockVariables({ ...bedrock, gitops_path: 'infra,apps' });
    expect(config.clusters[0].repositories.map((r) => [r.name, r.path])).toEqual([
      ['cluster-manifests-infra', './infra'],
      ['cluster-manifests-apps', './apps'],
    ]);
  });

  it('refuses a set without a repository, with Flux turned off, or with a bad interval', () => {
    let violations: unknown;
    try {
      fromBedrockVariables({ enable_flux: 'false', gitops_poll_interval: '5 min' });
    } catch (e) {
      violations = (e as { violations?: unknown }).violations;
    }
    expect(violations).toEqual([
      { path: 'enable_flux', message: 'is false: this project exists to install Flux, there is nothing to migrate', value: 'false' },
      { path: 'gitops_ssh_url', message: 'is required: it names the manifest repository', value: undefined },
      { path: 'gitops_poll_interval', message: 'is not a Go duration such as 5m (Flux v2 takes the same form)', value: '5 min' },
    ]);
  });

  it('reads a terraform.tfvars of plain assignments and names the line it cannot read', () => {
    expect(parseTfvars('# comment\na = "x \\"y\\""  # trailing\nb = true\nc = 3\n')).toEqual({ values: { a: 'x "y"', b: true, c: 3 }, errors: [] });
    expect(parseTfvars('tags = { env = "dev" }').errors).toEqual([
      { path: 'tags (line 1)', message: 'is not a plain assignment (name = "text" | true | false | number)', value: undefined },
    ]);
  });

  it('loads examples/bedrock.tfvars through the config loader, with its notes', () => {
    const loaded = loadConfig(path.join(ROOT, 'examples', 'bedrock.tfvars'));
    expect(loaded.config.clusters[0]).toEqual({
      name: 'bedrock-simple',
      // Relative to the tfvars file, as Bedrock's output folder was.
      kubeconfig: { path: path.join(ROOT, 'examples', 'output', 'bedrock_kube_config') },
      repositories: [
        { name: 'cluster-manifests', url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-manifests', ref: { branch: 'master' }, path: './prod', interval: '5m', prune: true },
      ],
    });
    expect(loaded.notes.length).toBeGreaterThan(5);
    const file = path.join(tempDir(), 'terraform.tfvars.json');
    fs.writeFileSync(file, JSON.stringify({ gitops_ssh_url: 'ftp://nowhere' }));
    expect(problems(() => loadConfig(file))).toEqual([
      'gitops_ssh_url (line 1): is not a git URL Flux can use over ssh; give an Azure Repos URL (git@ssh.dev.azure.com:v3/org/project/repo, https://dev.azure.com/org/project/_git/repo or ssh://git@ssh.dev.azure.com/v3/org/project/repo) or an ssh:// / https:// URL (as clusters[0].repositories[0].url of the migrated config) (got "ftp://nowhere")',
    ]);
  });

  it('is documented variable by variable in docs/bedrock-migration.md', () => {
    const guide = fs.readFileSync(path.join(ROOT, 'docs', 'bedrock-migration.md'), 'utf8');
    const names = Object.keys(bedrock).filter((k) => k.startsWith('gitops_') || k.endsWith('_enabled') || k.startsWith('flux_') || k === 'enable_flux');
    // The variables themselves, so that an empty selection fails too.
    expect(names).toEqual([
      'gitops_ssh_url',
      'gitops_path',
      'gitops_poll_interval',
      'gitops_url_branch',
      'gitops_ssh_key_path',
      'gc_enabled',
      'acr_enabled',
      'gitops_label',
      'flux_recreate',
      'enable_flux',
      'flux_image_tag',
      'flux_image_repository',
    ]);
    expect(names.filter((name) => !guide.includes(`\`${name}\``))).toEqual([]);
  });
});
