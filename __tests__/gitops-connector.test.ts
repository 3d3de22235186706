import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { parse } from 'yaml';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { FluxAlert } from '../constructs/flux-alert';
import { FluxGitSync } from '../constructs/flux-git-sync';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import {
  GITOPS_CONNECTOR_PATH,
  GITOPS_CONNECTOR_PORT,
  GITOPS_CONNECTOR_SECRET,
  GITOPS_CONNECTOR_SERVICE,
  GitOpsConnector,
  GitOpsConnectorProps,
} from '../constructs/gitops-connector';
import { Alert, Provider } from '../flux/api';
import { bareStack, exampleCluster, fluxObjects, objectOf, releaseValues, resourceAt, resourcesOf, synthApp, synthCluster, withoutMetadata } from './support/synth';

const repository = { organization: 'contoso', project: 'fabrikam', repository: 'cluster-platform' };

describe('the GitOps Connectors of the default stack', () => {
  const json = synthCluster();
  const objects = fluxObjects(json);
  const release = resourceAt(json, 'helm_release', 'connector-platform/release');
  const values = releaseValues(release.body);

  it('installs chart 1.2.1 from the published repository, one release per Azure Repos repository, each in its own namespace', () => {
    expect(withoutMetadata(release.body)).toEqual({
      name: 'gitops-connector',
      chart: 'gitops-connector',
      repository: 'https://azure.github.io/gitops-connector/',
      version: '1.2.1',
      namespace: 'gitops-connector-platform',
      create_namespace: true,
      atomic: true,
      wait: true,
      timeout: 300,
      // One values document; its content is the next test's.
      values: [JSON.stringify(values)],
      set_sensitive: [{ name: 'orchestratorPAT', value: '${var.gitops_connector_pat}', type: 'string' }],
    });
    expect(resourcesOf(json, 'helm_release').filter(([, b]) => b.chart === 'gitops-connector').map(([, b]) => b.namespace).sort()).toEqual([
      'gitops-connector-apps',
      'gitops-connector-platform',
    ]);
  });

  it('derives every value the chart requires from the repository the stack syncs', () => {
    expect(values).toEqual({
      gitRepositoryType: 'AZDO',
      ciCdOrchestratorType: 'AZDO',
      gitOpsOperatorType: 'FLUX',
      // The cluster in the link: connector 1.2.1 names every status "Status", on every cluster. The chart
      // writes it unquoted, and `#` would start a YAML comment: chartScalar hands it over quoted.
      gitOpsAppURL: '"https://dev.azure.com/contoso/fabrikam/_git/cluster-platform#fleet/1/example"',
      azdoGitOpsRepoName: 'cluster-platform',
      azdoOrgUrl: 'https://dev.azure.com/contoso/fabrikam',
      azdoPrRepoName: 'cluster-platform',
      orchestratorPAT: '',
    });
  });

  it('gives the chart the PAT through set_sensitive, from a sensitive variable, never as a literal', () => {
    expect(release.body.set_sensitive).toEqual([{ name: 'orchestratorPAT', value: '${var.gitops_connector_pat}', type: 'string' }]);
    expect(json.variable!.gitops_connector_pat).toEqual({
      type: 'string',
      sensitive: true,
      nullable: false,
      description: 'PAT of the GitOps Connectors (scopes Code: Read & status, Build: Read & execute). Set TF_VAR_gitops_connector_pat.',
      validation: [{ condition: '${(length(trimspace(var.gitops_connector_pat)) >= 1)}', error_message: 'gitops_connector_pat is empty: set TF_VAR_gitops_connector_pat to the PAT.' }],
    });
    expect(release.body.set).toBeUndefined();
  });

  it('lets Helm create the namespace and applies the Flux objects after the connectors', () => {
    expect(release.body.create_namespace).toBe(true);
    expect(release.body.depends_on).toBeUndefined();
    // Both connectors, not only this one; the release waits for other parts too (those are other tests').
    expect(resourceAt(json, 'helm_release', 'flux-objects/release').body.depends_on).toEqual(
      expect.arrayContaining([release.address, resourceAt(json, 'helm_release', 'connector-apps/release').address]),
    );
  });

  it('points a generic v1beta3 Provider at the connector by its fully qualified service name', () => {
    expect(objectOf(objects, 'Provider', 'gitops-connector-platform')).toEqual({
      apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
      kind: 'Provider',
      metadata: { name: 'gitops-connector-platform', namespace: 'flux-system' },
      spec: { type: 'generic', address: 'http://gitops-connector.gitops-connector-platform.svc.cluster.local:8080/gitopsphase' },
    });
    expect(json.output!.gitops_connector_addresses.value).toEqual({
      platform: 'http://gitops-connector.gitops-connector-platform.svc.cluster.local:8080/gitopsphase',
      apps: 'http://gitops-connector.gitops-connector-apps.svc.cluster.local:8080/gitopsphase',
    });
  });

  it("sends each connector only its repository's Kustomization events, the ones connector 1.2.1 maps; together they cover every Kustomization", () => {
    const alert = objectOf(objects, 'Alert', 'gitops-connector-platform');
    expect(alert.spec).toEqual({
      providerRef: { name: 'gitops-connector-platform' },
      eventSeverity: 'info',
      eventSources: [{ kind: 'Kustomization', name: 'platform' }],
      eventMetadata: { cluster: 'example', ring: '1' },
    });
    const covered = objects
      .filter((o): o is Alert => o.kind === 'Alert' && o.metadata.name.startsWith('gitops-connector-'))
      .flatMap((a) => a.spec.eventSources.map((s) => `${s.kind}/${s.name}`))
      .sort();
    const sources = objects.filter((o) => o.kind === 'Kustomization').map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(covered).toEqual(sources);
    // No GitRepository event reaches a connector; failures stay visible through Flux's own commit status.
    expect(covered.filter((c) => c.startsWith('GitRepository/'))).toEqual([]);
    expect(objectOf(objects, 'Alert', 'commit-status-platform').spec.eventSources).toEqual([{ kind: 'Kustomization', name: 'platform' }]);
  });

  it('admits only the Flux namespace\'s notification-controller to each connector, through a NetworkPolicy in its namespace', () => {
    for (const repo of ['platform', 'apps']) {
      const policy = resourceAt(json, 'kubernetes_network_policy_v1', `connector-${repo}/ingress`).body;
      expect(policy.metadata).toEqual({ name: 'gitops-connector-ingress', namespace: `gitops-connector-${repo}` });
      expect(policy.spec).toEqual({
        pod_selector: {},
        policy_types: ['Ingress'],
        ingress: [
          {
            from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'flux-system' } }, pod_selector: { match_labels: { app: 'notification-controller' } } }],
            ports: [{ port: '8080', protocol: 'TCP' }],
          },
        ],
      });
      expect(policy.depends_on).toEqual([`helm_release.${resourceAt(json, 'helm_release', `connector-${repo}/release`).id}`]);
    }
  });

  it('follows a Flux namespace other than flux-system', () => {
    const custom = synthCluster(exampleCluster({ flux: { namespace: 'gitops' } }));
    const policy = resourceAt(custom, 'kubernetes_network_policy_v1', 'connector-platform/ingress').body;
    expect(policy.spec.ingress[0].from[0].namespace_selector.match_labels).toEqual({ 'kubernetes.io/metadata.name': 'gitops' });
  });

  it("adds Flux's own azuredevops commit status per repository, addressed by its HTTPS _git URL", () => {
    expect(objectOf(objects, 'Provider', 'commit-status-apps').spec).toEqual({
      type: 'azuredevops',
      address: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps',
      secretRef: { name: 'flux-azure-devops-token' },
      commitStatusExpr: '"fleet/1/example/" + event.involvedObject.kind.lowerAscii() + "/" + event.involvedObject.namespace + "/" + event.involvedObject.name',
    });
    expect(objectOf(objects, 'Alert', 'commit-status-apps').spec.eventSources).toEqual([{ kind: 'Kustomization', name: 'apps' }]);
    const token = resourceAt(json, 'kubernetes_secret_v1', 'commit-status-token');
    // Its own PAT (Code: status), not the connectors' one, which can also complete pipeline gates.
    expect(withoutMetadata(token.body)).toEqual({
      metadata: { name: 'flux-azure-devops-token', namespace: 'flux-system', labels: { 'app.kubernetes.io/managed-by': 'cdktf-flux-gitops' } },
      type: 'Opaque',
      data: { token: '${var.flux_commit_status_pat}' },
      depends_on: [resourceAt(json, 'helm_release', 'flux/release').address],
    });
    expect(json.variable!.flux_commit_status_pat).toEqual({
      type: 'string',
      sensitive: true,
      nullable: false,
      description: 'PAT of Flux commit statuses (scope Code: Status only). Set TF_VAR_flux_commit_status_pat.',
      validation: [{ condition: '${(length(trimspace(var.flux_commit_status_pat)) >= 1)}', error_message: 'flux_commit_status_pat is empty: set TF_VAR_flux_commit_status_pat to the PAT.' }],
    });
  });
});

describe('connector options from the config', () => {
  it('passes subscribers, tolerations, node selector, the PR repository and a GitHub orchestrator', () => {
    const cluster = exampleCluster();
    const json = synthCluster({
      ...cluster,
      connector: {
        namespacePrefix: 'gc',
        ciCdOrchestrator: 'GITHUB',
        github: { orgUrl: 'https://api.github.com/repos/contoso', repository: 'deployments' },
        subscribers: { spektate: 'http://spektate.spektate.svc.cluster.local:5000/api/flux' },
        tolerations: [{ key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
      },
      repositories: [{ ...cluster.repositories[0], connector: { prRepository: 'cluster-hld' } }, { ...cluster.repositories[1], connector: { enabled: false } }],
    });
    const connectors = resourcesOf(json, 'helm_release').filter(([, b]) => b.chart === 'gitops-connector');
    expect(connectors).toHaveLength(1);
    expect(connectors[0][1].namespace).toBe('gc-platform');
    expect(releaseValues(connectors[0][1])).toEqual({
      gitRepositoryType: 'AZDO',
      gitOpsOperatorType: 'FLUX',
      gitOpsAppURL: '"https://dev.azure.com/contoso/fabrikam/_git/cluster-platform#fleet/1/example"',
      azdoGitOpsRepoName: 'cluster-platform',
      azdoOrgUrl: 'https://dev.azure.com/contoso/fabrikam',
      ciCdOrchestratorType: 'GITHUB',
      gitHubGitOpsRepoName: 'deployments',
      gitHubOrgUrl: 'https://api.github.com/repos/contoso',
      azdoPrRepoName: 'cluster-hld',
      subscribers: { spektate: 'http://spektate.spektate.svc.cluster.local:5000/api/flux' },
      tolerations: [{ key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      orchestratorPAT: '',
    });
  });

  it('adds more Flux providers, with a token-bearing address taken from a sensitive variable', () => {
    const json = synthCluster(
      exampleCluster({
        notifications: {
          providers: [
            { name: 'teams', type: 'msteams', addressFromVariable: true, eventSeverity: 'error' },
            { name: 'dashboard', type: 'generic', address: 'https://dashboard.example.com/flux', repositories: ['apps'] },
          ],
        },
      }),
    );
    const objects = fluxObjects(json);
    expect(json.variable!.notification_address_teams).toEqual({
      type: 'string',
      sensitive: true,
      nullable: false,
      description: 'Address of the msteams notification provider teams (it holds a token).',
      // An empty address would fail only at the first event in the cluster: the plan refuses it.
      validation: [
        { condition: '${(length(trimspace(var.notification_address_teams)) >= 1)}', error_message: 'notification_address_teams is empty: set TF_VAR_notification_address_teams to the address.' },
      ],
    });
    expect(withoutMetadata(resourceAt(json, 'kubernetes_secret_v1', 'notification-teams-address').body)).toEqual({
      metadata: { name: 'flux-notification-teams', namespace: 'flux-system', labels: { 'app.kubernetes.io/managed-by': 'cdktf-flux-gitops' } },
      type: 'Opaque',
      data: { address: '${var.notification_address_teams}' },
      depends_on: [resourceAt(json, 'helm_release', 'flux/release').address],
    });
    expect(objectOf(objects, 'Provider', 'teams').spec).toEqual({ type: 'msteams', secretRef: { name: 'flux-notification-teams' } });
    expect(objectOf(objects, 'Alert', 'teams').spec.eventSeverity).toBe('error');
    expect(objectOf(objects, 'Alert', 'teams').spec.eventSources).toEqual([
      { kind: 'GitRepository', name: 'platform' },
      { kind: 'Kustomization', name: 'platform' },
      { kind: 'GitRepository', name: 'apps' },
      { kind: 'Kustomization', name: 'apps' },
    ]);
    expect(objectOf(objects, 'Alert', 'dashboard').spec.eventSources).toEqual([
      { kind: 'GitRepository', name: 'apps' },
      { kind: 'Kustomization', name: 'apps' },
    ]);
  });

  it('installs no connector, variable or commit status when turned off', () => {
    const json = synthCluster(exampleCluster({ connector: { enabled: false } }));
    expect(resourcesOf(json, 'helm_release').filter(([, b]) => b.chart === 'gitops-connector')).toEqual([]);
    expect(json.variable?.gitops_connector_pat).toBeUndefined();
    expect(json.variable?.flux_commit_status_pat).toBeUndefined();
    expect(fluxObjects(json).filter((o) => o.kind === 'Alert' || o.kind === 'Provider')).toEqual([]);
  });

  it('can keep the commit status without a connector', () => {
    const json = synthCluster(exampleCluster({ connector: { enabled: false }, notifications: { commitStatus: true } }));
    expect(json.variable?.gitops_connector_pat).toBeUndefined();
    expect(json.variable!.flux_commit_status_pat.sensitive).toBe(true);
    expect(fluxObjects(json).filter((o) => o.kind === 'Provider').map((o) => o.metadata.name)).toEqual(['commit-status-platform', 'commit-status-apps']);
  });
});

describe('the PAT variables', () => {
  it('refuse an empty or blank PAT at plan, through a Terraform validation', () => {
    const json = synthCluster(exampleCluster());
    for (const name of ['gitops_connector_pat', 'flux_commit_status_pat']) {
      expect(json.variable![name].validation).toEqual([
        { condition: `\${(length(trimspace(var.${name})) >= 1)}`, error_message: `${name} is empty: set TF_VAR_${name} to the PAT.` },
      ]);
    }
  });
});

describe("the chart's shipped default token", () => {
  /** Helm's merge of user values over chart defaults: maps merge key by key, anything else replaces. */
  function coalesce(defaults: any, user: any): any {
    if (user === undefined) return defaults;
    if (user && defaults && typeof user === 'object' && typeof defaults === 'object' && !Array.isArray(user)) {
      return Object.fromEntries([...new Set([...Object.keys(defaults), ...Object.keys(user)])].map((k) => [k, coalesce(defaults[k], user[k])]));
    }
    return user;
  }
  const CANARY = 'ghp_canaryDefaultTokenShippedByTheChart';
  const setValues = (body: any): Record<string, string> =>
    Object.fromEntries([...(body.set ?? []), ...(body.set_sensitive ?? [])].map((s: any) => [s.name, s.value]));
  const variants: Partial<GitOpsConnectorProps>[] = [
    {},
    { ciCdOrchestrator: 'GITHUB', github: { orgUrl: 'https://api.github.com/repos/x', repository: 'y' } },
    { subscribers: { a: 'http://a' } },
    { prRepository: 'hld', nodeSelector: { a: 'b' }, tolerations: [{ operator: 'Exists' }] },
  ];

  it.each(variants)('is overridden with "" for %j, so the chart renders no Secret of its own', (extra) => {
    let connector!: GitOpsConnector;
    const json = synthApp((app) => {
      const stack = new TerraformStack(app, 'test');
      new KubernetesProvider(stack, 'k', {});
      new HelmProvider(stack, 'h', {});
      const pat = new TerraformVariable(stack, 'pat', { type: 'string', sensitive: true });
      connector = new GitOpsConnector(stack, 'c', { repository, pat: pat.stringValue, ...extra });
    }).stack('test');
    const body = resourceAt(json, 'helm_release', 'c/release').body;
    const merged = coalesce({ orchestratorPAT: CANARY, imageTag: '1.2.1' }, releaseValues(body));
    expect(merged.orchestratorPAT).toBe('');
    // Helm applies --set values after the values files: the PAT reference is what the chart renders.
    expect(setValues(body).orchestratorPAT).toBe('${var.pat}');
    expect(JSON.stringify(json)).not.toContain(CANARY);
    expect(connector.values.orchestratorPAT).toBe('');
  });

  const chartDir = path.resolve(__dirname, '../../shared/reference/charts/gitops-connector/1.2.1');
  (fs.existsSync(chartDir) ? describe : describe.skip)('against the published chart 1.2.1 in ../shared/reference', () => {
    const template = (name: string): string => fs.readFileSync(path.join(chartDir, 'templates', name), 'utf8');
    // Read in beforeAll: a skipped describe still runs its body, and ../shared may be absent.
    let shippedDefault: string | undefined;
    let chartValues: any;
    let json: any;
    let ours: any;
    beforeAll(() => {
      // The reference copy redacts the shipped token with a note that is not valid YAML: keep the fact
      // (a non-empty default) and stand a canary in for the token.
      const valuesText = fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8');
      shippedDefault = valuesText.match(/^orchestratorPAT:[ \t]*(\S.*)$/m)?.[1];
      chartValues = parse(valuesText.replace(/^orchestratorPAT:.*$/m, `orchestratorPAT: ${CANARY}`));
      json = synthCluster();
      ours = releaseValues(resourceAt(json, 'helm_release', 'connector-platform/release').body);
    });

    it('ships a non-empty default token that the release always replaces with the PAT reference', () => {
      expect(shippedDefault).toBeDefined();
      expect(chartValues.orchestratorPAT).toBe(CANARY);
      expect(template('secret.yaml')).toMatch(/\{\{\s*if\s+\.Values\.orchestratorPAT\s*\}\}/);
      expect(template('secret.yaml')).toMatch(/PAT: \{\{\s*\.Values\.orchestratorPAT\s*\}\}/);
      const body = resourceAt(json, 'helm_release', 'connector-platform/release').body;
      expect({ ...coalesce(chartValues, ours), ...setValues(body) }.orchestratorPAT).toBe('${var.gitops_connector_pat}');
    });

    it('gets every value its templates require for an Azure DevOps repository and orchestrator', () => {
      const required = [...fs.readdirSync(path.join(chartDir, 'templates')).map(template).join('\n').matchAll(/required "[^"]*" \.Values\.(\w+)/g)].map((m) => m[1]);
      const forAzureDevOps = [...new Set(required)].filter((k) => !k.startsWith('gitHub'));
      expect(forAzureDevOps.sort()).toEqual(['azdoGitOpsRepoName', 'azdoOrgUrl', 'ciCdOrchestratorType', 'gitOpsAppURL', 'gitOpsOperatorType', 'gitRepositoryType']);
      for (const key of forAzureDevOps) expect({ key, set: typeof ours[key] === 'string' && ours[key] !== '' }).toEqual({ key, set: true });
    });

    it('renders the Service and Secret names and the port the stack relies on', () => {
      const service = parse(template('service.yaml').replace(/\{\{\s*\.Values\.containerPort\s*\}\}/g, String(chartValues.containerPort)));
      expect(service.metadata.name).toBe(GITOPS_CONNECTOR_SERVICE);
      expect(service.spec.ports).toEqual([{ port: GITOPS_CONNECTOR_PORT, targetPort: GITOPS_CONNECTOR_PORT }]);
      expect(template('deployment.yaml')).toMatch(new RegExp(`secretKeyRef:\\s+name: ${GITOPS_CONNECTOR_SECRET}\\s+key: PAT`));
      const provider = objectOf(fluxObjects(json), 'Provider', 'gitops-connector-platform') as Provider;
      expect(provider.spec.address).toBe(`http://${GITOPS_CONNECTOR_SERVICE}.gitops-connector-platform.svc.cluster.local:${chartValues.containerPort}${GITOPS_CONNECTOR_PATH}`);
    });
  });
});

describe('GitOpsConnector and FluxAlert checks', () => {
  const withPat = (): [TerraformStack, string] => {
    const stack = bareStack();
    return [stack, new TerraformVariable(stack, 'pat', { type: 'string', sensitive: true }).stringValue];
  };

  it.each<[string, Partial<GitOpsConnectorProps>, RegExp]>([
    ['a literal PAT', { pat: 'abc' }, /pat "\(a literal string\)" is not valid; pass a sensitive TerraformVariable/],
    ['GITHUB without its repository', { ciCdOrchestrator: 'GITHUB' }, /github undefined is not valid; give orgUrl and repository/],
    ['the unreleased chart shape', { chartVersion: '2.0.0' }, /chartVersion "2.0.0" is not valid; use a 1.2.x chart/],
    ['a chart fetched over http://', { chartRepository: 'http://charts.example.com' }, /chartRepository "http:\/\/charts.example.com" is not valid; use an https:\/\/ Helm repository/],
    ['a subscriber that is not a URL', { subscribers: { spektate: 'spektate:5000' } }, /subscribers.spektate "spektate:5000" is not valid/],
    ['a namespace that is not a label', { namespace: 'GitOps' }, /namespace "GitOps" is not valid/],
    ['a project name Azure DevOps refuses', { repository: { ...repository, project: 'a/b' } }, /repository.project "a\/b" is not valid/],
    // Connector 1.2.1 appends "?noop=<status name>" to the link (src/repositories/azdo_git_repository.py).
    ['a link with a query', { gitOpsAppUrl: 'https://fleet.example.com/view?cluster=dev' }, /gitOpsAppUrl "https:\/\/fleet.example.com\/view\?cluster=dev" is not valid; leave out the query/],
    ['a writer whose cluster is not a label', { writer: { ring: 1, cluster: 'Dev West' } }, /writer \{"ring":1,"cluster":"Dev West"\} is not valid; give a positive integer ring/],
    // An empty selector admits every pod of the namespace to the connector's unauthenticated endpoint.
    ['an allowFrom with no pod label', { allowFrom: { namespace: 'flux-system', podLabels: {} } }, /allowFrom.podLabels \{\} is not valid; name at least one label: an empty selector admits every pod of the namespace/],
  ])('GitOpsConnector fails on %s', (_, extra, message) => {
    const [stack, pat] = withPat();
    expect(() => new GitOpsConnector(stack, 'c', { repository, pat, ...extra })).toThrow(message);
  });

  it('GitOpsConnector refuses a second connector in one namespace, since the chart names its objects the same', () => {
    const [stack, pat] = withPat();
    new GitOpsConnector(stack, 'a', { repository, pat });
    expect(() => new GitOpsConnector(stack, 'b', { repository, pat })).toThrow(/namespace "gitops-connector" is not valid; test\/a already installs a connector there/);
  });

  it('FluxAlert refuses an SSH URL for the azuredevops provider, which it would split into the wrong parts', () => {
    const stack = bareStack();
    const delivery = new FluxObjectsRelease(stack, 'o', { namespace: 'flux-system' });
    const writer = { ring: 1, cluster: 'dev' };
    expect(() => new FluxAlert(stack, 'status', { delivery, type: 'azuredevops', writer, address: 'ssh://git@ssh.dev.azure.com/v3/o/p/r' })).toThrow(
      /address "ssh:\/\/git@ssh.dev.azure.com\/v3\/o\/p\/r" is not valid; must be https: .* use the repository's HTTPS URL/,
    );
    expect(() => new FluxAlert(stack, 'hook', { delivery, type: 'generic' })).toThrow(/type generic posts to an address/);
    expect(() => new FluxAlert(stack, 'x', { delivery, type: 'pigeon' as any })).toThrow(/type "pigeon" is not valid/);
  });

  it('FluxAlert by default forwards every GitRepository and Kustomization, including syncs added after it', () => {
    const json = synthApp((app) => {
      const stack = new TerraformStack(app, 'test');
      new HelmProvider(stack, 'h', {});
      const delivery = new FluxObjectsRelease(stack, 'o', { namespace: 'flux-system' });
      new FluxGitSync(stack, 'first', { delivery, url: 'git@ssh.dev.azure.com:v3/o/p/first', secretName: 'flux-git-auth' });
      new FluxAlert(stack, 'hook', { delivery, type: 'generic', address: 'https://hooks.example.com/flux' });
      new FluxGitSync(stack, 'second', { delivery, url: 'git@ssh.dev.azure.com:v3/o/p/second', secretName: 'flux-git-auth' });
    }).stack('test');
    expect(objectOf(fluxObjects(json, 'o/release'), 'Alert', 'hook').spec.eventSources).toEqual([
      { kind: 'GitRepository', name: 'first' },
      { kind: 'Kustomization', name: 'first' },
      { kind: 'GitRepository', name: 'second' },
      { kind: 'Kustomization', name: 'second' },
    ]);
  });
});
