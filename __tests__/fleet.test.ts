import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { parse } from 'yaml';
import { fromBedrockVariables, parseTfvars } from '../config/bedrock';
import { loadConfig, mergeDefaults, validateConfig } from '../config/load';
import { ciOutputs, readFleet } from '../cli/fleet';
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
    [{ type: 'azurerm', storageAccountName: 'st' }, 'clusters[0].backend.containerName: is required with type azurerm'],
    [{ type: 'cloud' }, 'clusters[0].backend.organization: is required with type cloud'],
    [{ type: 'local', organization: 'contoso' }, 'clusters[0].backend.organization: is a setting of another backend type than local'],
    [{ type: 's3' }, 'clusters[0].backend.type: must be one of "local", "azurerm", "cloud" (got "s3")'],
    [{ type: 'azurerm', storageAccountName: 'Not_Valid', containerName: 'tfstate' }, 'clusters[0].backend.storageAccountName: must match ^[a-z0-9]{3,24}$'],
  ])('refuses %j', (backend, message) => {
    expect(problems(() => validateConfig({ clusters: [{ ...exampleCluster(), backend }] }, 'x')).join('\n')).toContain(message);
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
    expect(() => fromBedrockVariables({ enable_flux: 'false', gitops_poll_interval: '5 min' })).toThrow(
      expect.objectContaining({ violations: [expect.objectContaining({ path: 'enable_flux' }), expect.objectContaining({ path: 'gitops_ssh_url' }), expect.objectContaining({ path: 'gitops_poll_interval' })] }),
    );
  });

  it('reads a terraform.tfvars of plain assignments and names the line it cannot read', () => {
    expect(parseTfvars('# comment\na = "x \\"y\\""  # trailing\nb = true\nc = 3\n')).toEqual({ values: { a: 'x "y"', b: true, c: 3 }, errors: [] });
    expect(parseTfvars('tags = { env = "dev" }').errors).toEqual([expect.objectContaining({ path: 'tags (line 1)' })]);
  });

  it('loads examples/bedrock.tfvars through the config loader, with its notes', () => {
    const loaded = loadConfig(path.join(ROOT, 'examples', 'bedrock.tfvars'));
    expect(loaded.config.clusters[0]).toMatchObject({ name: 'bedrock-simple', repositories: [{ url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-manifests', path: './prod' }] });
    expect(loaded.notes.length).toBeGreaterThan(5);
    const file = path.join(tempDir(), 'terraform.tfvars.json');
    fs.writeFileSync(file, JSON.stringify({ gitops_ssh_url: 'ftp://nowhere' }));
    expect(problems(() => loadConfig(file))[0]).toMatch(/^gitops_ssh_url \(line \d+\): is not a git URL.*\(as clusters\[0\]\.repositories\[0\]\.url of the migrated config\)/);
  });

  it('is documented variable by variable in docs/bedrock-migration.md', () => {
    const guide = fs.readFileSync(path.join(ROOT, 'docs', 'bedrock-migration.md'), 'utf8');
    for (const name of Object.keys(bedrock).filter((k) => k.startsWith('gitops_') || k.endsWith('_enabled') || k.startsWith('flux_') || k === 'enable_flux')) {
      expect({ name, documented: guide.includes(`\`${name}\``) }).toEqual({ name, documented: true });
    }
  });
});

describe('CI pipeline templates', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const azureText = fs.readFileSync(path.join(ROOT, 'pipelines', 'azure-pipelines.yml'), 'utf8');
  const githubText = fs.readFileSync(path.join(ROOT, 'pipelines', 'github-actions.yml'), 'utf8');
  const azure = parse(azureText);
  const github = parse(githubText);
  // Azure Pipelines inserts the stepList parameter where a job says `- ${{ parameters.stackSteps }}`.
  const stackSteps = azure.parameters.find((p: any) => p.name === 'stackSteps').default;
  const stepsOf = (job: any): any[] =>
    (job.steps ?? job.strategy?.runOnce?.deploy?.steps ?? []).flatMap((s: any) => (s === '${{ parameters.stackSteps }}' ? stackSteps : [s]));
  const azureJobs = azure.stages.flatMap((s: any) => s.jobs.map((j: any) => ({ stage: s, job: j })));
  const scriptsOf = (node: unknown): string[] =>
    Array.isArray(node)
      ? node.flatMap(scriptsOf)
      : node && typeof node === 'object'
        ? Object.entries(node).flatMap(([k, v]) => (['script', 'run', 'inlineScript'].includes(k) && typeof v === 'string' ? [v] : scriptsOf(v)))
        : [];
  const commentsOf = (text: string): string => text.split('\n').filter((l) => l.trimStart().startsWith('#')).join('\n');

  // The fleet of examples/fleet.yaml, synthesized as the templates' first job does.
  const { config } = loadConfig(path.join(ROOT, github.env.FLUX_GITOPS_CONFIG));
  const synthesized = synthClusters(config.clusters);
  const fleetScript = { readFleet, ciOutputs };
  const fleet = fleetScript.readFleet(synthesized.outdir);

  it.each([
    ['azure-pipelines.yml', azure],
    ['github-actions.yml', github],
  ])('%s calls only commands this package has, and plans or deploys one stack per job', (_, pipeline) => {
    const commands = scriptsOf(pipeline).join('\n') + scriptsOf(stackSteps).join('\n');
    for (const m of commands.matchAll(/npm run (?:--silent )?([\w:-]+)/g)) expect({ script: m[1], exists: m[1] in pkg.scripts }).toEqual({ script: m[1], exists: true });
    expect(commands).toMatch(/npm ci/);
    expect(commands).toMatch(/npm test/);
    expect(commands).toMatch(/npx cdktf diff --skip-synth "\$STACK"/);
    expect(commands).toMatch(/npx cdktf deploy --skip-synth --auto-approve "\$STACK"/);
    expect(commands).not.toMatch(/deploy[^\n]*'\*'/);
    expect(pkg.devDependencies['cdktf-cli']).toBeDefined();
  });

  it('read the fleet from the synthesized stacks of examples/fleet.yaml: dev, stage and prod in rings 1, 2, 3', () => {
    expect(fleet.stacks.sort()).toEqual(['dev', 'prod', 'stage']);
    expect(fleet.rings).toEqual([
      { ring: 1, stacks: ['dev'] },
      { ring: 2, stacks: ['stage'] },
      { ring: 3, stacks: ['prod'] },
    ]);
    expect(() => fleetScript.ciOutputs('github', fleet, 2)).toThrow('the template deploys rings 1 to 2; add a deploy job for ring 3 (prod), like the others');
  });

  describe('GitHub Actions', () => {
    const ringJobs = Object.keys(github.jobs).filter((k) => k.startsWith('deploy-ring-'));
    // The fleet job's outputs for examples/fleet.yaml, and a job matrix resolved from them.
    const outputs = Object.fromEntries(fleetScript.ciOutputs('github', fleet, ringJobs.length).map((l) => l.split(/=(.*)/s).slice(0, 2)));
    const matrixOf = (job: any): string[] => {
      const m = /^\$\{\{ fromJSON\(needs\.fleet\.outputs\.(\w+)\) \}\}$/.exec(job.strategy.matrix.stack);
      expect(m).not.toBeNull();
      return JSON.parse(outputs[m![1]]);
    };

    it('sets the fleet job outputs from npm run fleet, for as many rings as it has deploy jobs', () => {
      const step = github.jobs.fleet.steps.find((s: any) => s.id === 'fleet');
      expect(step.run).toBe(`npm run --silent fleet -- github ${ringJobs.length}`);
      for (const name of Object.keys(outputs)) expect(github.jobs.fleet.outputs[name]).toBe(`\${{ steps.fleet.outputs.${name} }}`);
    });

    it('plans every cluster in parallel on pull requests, one job each', () => {
      expect(github.jobs.plan.if).toBe("github.event_name == 'pull_request'");
      expect(github.jobs.plan.strategy['fail-fast']).toBe(false);
      expect(matrixOf(github.jobs.plan).sort()).toEqual(['dev', 'prod', 'stage']);
    });

    it('deploys ring by ring from main, each ring after the one before and behind its own environment', () => {
      expect(ringJobs).toEqual(['deploy-ring-1', 'deploy-ring-2', 'deploy-ring-3']);
      expect(ringJobs.map((k) => matrixOf(github.jobs[k]))).toEqual([['dev'], ['stage'], ['prod']]);
      ringJobs.forEach((k, i) => {
        const job = github.jobs[k];
        expect(job.environment).toBe(`flux-gitops-ring-${i + 1}`);
        expect([job.needs].flat()).toEqual(['fleet', ...ringJobs.slice(0, i)]);
        expect(job.if).toContain("github.event_name == 'push' && github.ref == 'refs/heads/main'");
        expect(job.if).toContain(`needs.fleet.outputs.ring${i + 1} != '[]'`);
        for (const before of ringJobs.slice(0, i)) expect(job.if).toContain(`contains(fromJSON('["success","skipped"]'), needs.${before}.result)`);
        expect(job.concurrency).toBe('flux-gitops-deploy-${{ matrix.stack }}');
      });
    });

    it('installs kubelogin after the Azure login and before any plan or deploy, on Node 22', () => {
      for (const k of ['plan', ...ringJobs]) {
        const uses = github.jobs[k].steps.map((s: any) => s.uses ?? s.run ?? '');
        const login = uses.findIndex((u: string) => u.startsWith('azure/login@'));
        const kubelogin = uses.findIndex((u: string) => u.startsWith('azure/use-kubelogin@'));
        const cdktf = uses.findIndex((u: string) => u.includes('npx cdktf'));
        expect({ k, order: login >= 0 && login < kubelogin && kubelogin < cdktf }).toEqual({ k, order: true });
      }
      expect(github.env.NODE_VERSION).toBe('22');
    });
  });

  describe('Azure Pipelines', () => {
    const ringStages = azure.stages.filter((s: any) => s.stage.startsWith('deploy_ring_'));
    const outputs = Object.fromEntries(
      fleetScript.ciOutputs('azure', fleet, ringStages.length).map((l) => {
        const m = /^##vso\[task\.setvariable variable=(\w+);isOutput=true\](.*)$/.exec(l)!;
        return [m[1], JSON.parse(m[2])];
      }),
    );
    // A matrix `$[ stageDependencies.fleet.fleet.outputs['fleet.X'] ]` resolved to its legs' stacks.
    const matrixOf = (job: any): string[] => {
      const m = /^\$\[ stageDependencies\.fleet\.fleet\.outputs\['fleet\.(\w+)'\] \]$/.exec(job.strategy.matrix);
      expect(m).not.toBeNull();
      return Object.values(outputs[m![1]] as Record<string, { stack: string }>).map((leg) => leg.stack);
    };

    it('sets the fleet outputs from npm run fleet, for as many rings as it has deploy stages', () => {
      const fleetJob = azure.stages[0].jobs[0];
      expect(fleetJob.steps.find((s: any) => s.name === 'fleet').script).toBe(`npm run --silent fleet -- azure ${ringStages.length}`);
    });

    it('plans every cluster in parallel on pull requests, one job each', () => {
      const plan = azure.stages.find((s: any) => s.stage === 'plan');
      expect(plan.condition).toContain("eq(variables['Build.Reason'], 'PullRequest')");
      expect(plan.jobs[0].variables).toEqual({ command: 'diff' });
      expect(matrixOf(plan.jobs[0]).sort()).toEqual(['dev', 'prod', 'stage']);
    });

    it('deploys ring by ring from main, each ring after the one before and behind its own environment approval', () => {
      expect(ringStages.map((s: any) => s.stage)).toEqual(['deploy_ring_1', 'deploy_ring_2', 'deploy_ring_3']);
      ringStages.forEach((stage: any, i: number) => {
        const [approve, deploy] = stage.jobs;
        expect(approve).toMatchObject({ deployment: 'approve', environment: `flux-gitops-ring-${i + 1}` });
        expect(deploy).toMatchObject({ job: 'deploy', dependsOn: 'approve', variables: { command: 'deploy' } });
        expect(matrixOf(deploy)).toEqual([['dev'], ['stage'], ['prod']][i]);
        expect([stage.dependsOn].flat()).toEqual(['fleet', ...ringStages.slice(0, i).map((s: any) => s.stage)]);
        expect(stage.condition).toContain("eq(variables['Build.SourceBranch'], 'refs/heads/main')");
        expect(stage.condition).toContain(`ne(dependencies.fleet.outputs['fleet.fleet.ring${i + 1}'], '{}')`);
        for (const before of ringStages.slice(0, i)) expect(stage.condition).toContain(`in(dependencies.${before.stage}.result, 'Succeeded', 'Skipped')`);
      });
    });

    it('installs kubelogin before any plan or deploy, on Node 22', () => {
      for (const { job } of azureJobs.filter(({ job }: any) => job.job)) {
        const steps = stepsOf(job).map((s: any) => s.task ?? s.script ?? '');
        if (!steps.some((s: string) => s.startsWith('AzureCLI@'))) continue;
        expect(steps.indexOf('KubeloginInstaller@0')).toBeGreaterThanOrEqual(0);
        expect(steps.indexOf('KubeloginInstaller@0')).toBeLessThan(steps.indexOf('AzureCLI@2'));
      }
      expect(azure.variables.find((v: any) => v.name === 'NODE_VERSION').value).toBe('22.x');
      expect(azure.variables.find((v: any) => v.name === 'FLUX_GITOPS_CONFIG').value).toBe(github.env.FLUX_GITOPS_CONFIG);
    });
  });

  it('sign every stack of the fleet in to AKS with kubelogin, not with a kubeconfig made in the pipeline', () => {
    for (const name of fleet.stacks) {
      const provider = synthesized.stack(name).provider!;
      expect(provider.kubernetes[0].exec[0]).toMatchObject({ command: 'kubelogin', args: expect.arrayContaining(['get-token', '--login', 'azurecli']) });
      expect(provider.helm[0].kubernetes.exec).toMatchObject({ command: 'kubelogin' });
    }
    for (const text of [azureText, githubText]) expect(text).not.toMatch(/get-credentials|convert-kubeconfig|interactive|devicecode/);
  });

  it('name nothing the config knows: no resource group, cluster, subscription or stack', () => {
    const known = config.clusters.flatMap((c) => [c.name, c.aks!.resourceGroup, c.aks!.name, c.aks!.subscriptionId]);
    const valuesOf = (node: unknown): string[] =>
      typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(valuesOf) : [];
    for (const pipeline of [azure, github]) {
      const values = valuesOf(pipeline).join('\n');
      for (const value of new Set(known)) expect({ value, found: new RegExp(`\\b${value}\\b`).test(values) }).toEqual({ value, found: false });
    }
  });

  it('pass every variable the fleet needs from the secret store, and only the secrets that are defined', () => {
    const needed = [...new Set(config.clusters.flatMap((c) => Object.keys(synthesized.stack(c.name).variable ?? {})))].sort();
    expect(needed.length).toBeGreaterThan(0);
    const scripts = [scriptsOf(stackSteps).join('\n'), scriptsOf(github.jobs.plan).join('\n')];
    for (const script of scripts) for (const name of needed) expect({ name, passed: script.includes(` TF_VAR_${name}`) }).toEqual({ name, passed: true });

    // Runs each template's own `pass` lines in bash: with the secret defined, as undefined in Azure
    // Pipelines (the literal "$(NAME)"), and as undefined in GitHub Actions ("").
    const exported = (script: string, env: Record<string, string>): string[] => {
      const lines = script.split('\n').filter((l) => /^\s*(pass\(\)|pass )/.test(l));
      const out = execFileSync('bash', ['-c', `set -eu\n${lines.join('\n')}\nenv`], { env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
      return out.split('\n').filter((l) => /^(TF_VAR_|AZDO_|SECRET_)/.test(l)).sort();
    };
    const [azureScript, githubScript] = scripts;
    const secrets = { SECRET_GITOPS_CONNECTOR_PAT: 'pat', SECRET_FLUX_COMMIT_STATUS_PAT: 'status', SECRET_FLUX_GIT_PAT: 'git', SECRET_TEAMS_WEBHOOK_URL: 'https://x', SECRET_AZDO_PERSONAL_ACCESS_TOKEN: 'user' };
    const all = ['AZDO_PERSONAL_ACCESS_TOKEN=user', 'TF_VAR_flux_commit_status_pat=status', 'TF_VAR_flux_git_pat=git', 'TF_VAR_gitops_connector_pat=pat', 'TF_VAR_notification_address_teams=https://x'];
    expect(exported(azureScript, secrets)).toEqual(all);
    expect(exported(githubScript, secrets)).toEqual(all);
    const azureUndefined = { ...secrets, SECRET_TEAMS_WEBHOOK_URL: '$(TEAMS_WEBHOOK_URL)', SECRET_AZDO_PERSONAL_ACCESS_TOKEN: '$(AZDO_PERSONAL_ACCESS_TOKEN)' };
    expect(exported(azureScript, azureUndefined)).toEqual(['TF_VAR_flux_commit_status_pat=status', 'TF_VAR_flux_git_pat=git', 'TF_VAR_gitops_connector_pat=pat']);
    expect(exported(githubScript, { ...secrets, SECRET_TEAMS_WEBHOOK_URL: '', SECRET_FLUX_GIT_PAT: '', SECRET_FLUX_COMMIT_STATUS_PAT: '' })).toEqual(['AZDO_PERSONAL_ACCESS_TOKEN=user', 'TF_VAR_gitops_connector_pat=pat']);

    // The step env maps the store's secrets to the names `pass` reads, and nothing else takes a secret.
    const azureEnv = stackSteps.find((s: any) => s.task === 'AzureCLI@2').env;
    const githubEnv = github.jobs.plan.steps.find((s: any) => s.env?.STACK).env;
    for (const [env, form] of [[azureEnv, (n: string) => `$(${n})`], [githubEnv, (n: string) => `\${{ secrets.${n} }}`]] as const) {
      for (const [k, v] of Object.entries(env)) if (k.startsWith('SECRET_')) expect(v).toBe(form(k.slice('SECRET_'.length)));
      expect(Object.keys(env).filter((k) => k.startsWith('TF_VAR_') || k.startsWith('AZDO_'))).toEqual([]);
    }
  });

  it.each([
    ['azure-pipelines.yml', azureText],
    ['github-actions.yml', githubText],
  ])('%s says only a user token registers the Flux SSH key, and the alternatives', (_, text) => {
    const comments = commentsOf(text);
    expect(comments).toMatch(/\*user's\* token/);
    expect(comments).toContain('InvalidUserType');
    expect(comments).toContain('auth: workload-identity');
    expect(comments).toMatch(/auth: https` with a PAT/);
    expect(comments).toMatch(/first deploy/);
    // The pipeline's own sign-in never becomes the key registration's token.
    expect(text).not.toMatch(/AZDO_ENTRA_TOKEN/);
  });
});
