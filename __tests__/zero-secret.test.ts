import * as fs from 'fs';
import * as path from 'path';
import { loadConfig, validateConfig } from '../config/load';
import { ClusterConfig } from '../config/schema';
import { AzureDevOpsIdentityAccess } from '../constructs/azure-devops-identity-access';
import { FluxAlert } from '../constructs/flux-alert';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import { FluxWorkloadIdentity, parseUserAssignedIdentityId } from '../constructs/flux-workload-identity';
import { OBJECT_LEVEL_WORKLOAD_IDENTITY_ARG } from '../constructs/flux-install';
import { COMMIT_STATUS_SERVICE_ACCOUNT } from '../stacks/flux-gitops-stack';
import { MISSING_CLUSTER_USER_ROLE } from '../constructs/cluster-access';
import { helmLite, Rendered, renderChart } from './support/helm-lite';
import { problems } from './support/config-problems';
import { bareStack, fluxObjects, objectOf, releaseValues, resourceAt, resourcesOf, synthCluster, TfJson, withoutMetadata } from './support/synth';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'zero-secret.yaml');
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const GIVEN_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/flux-shared`;

const example = (): ClusterConfig => structuredClone(loadConfig(EXAMPLE).config.clusters[0]);
const withManaged = (more: object, cluster: ClusterConfig = example()): ClusterConfig => ({
  ...cluster,
  workloadIdentity: { managed: { ...cluster.workloadIdentity!.managed, ...more } },
});
// The commit status key of the example's cluster (ring 1, prod) for any object.
const STATUS_EXPRESSION = '"fleet/1/prod/" + event.involvedObject.kind.lowerAscii() + "/" + event.involvedObject.namespace + "/" + event.involvedObject.name';
const ref = (address: string, attribute: string): string => `\${${address}.${attribute}}`;
const dataAddress = (json: TfJson, type: string): string => `data.${type}.${Object.keys(json.data![type])[0]}`;

describe('zero-secret mode: the example (examples/zero-secret.yaml)', () => {
  const json = synthCluster(example());
  const text = JSON.stringify(json);
  const identity = resourceAt(json, 'azurerm_user_assigned_identity', 'workload-identity/identity');
  const cluster = dataAddress(json, 'azurerm_kubernetes_cluster');
  const objects = fluxObjects(json);

  it('holds no PAT, no private key and no sensitive variable for git', () => {
    expect(json.variable ?? {}).toEqual({});
    expect(text).not.toMatch(/tls_private_key|flux_git_pat|gitops_connector_pat|personal_access_token|secretRef/);
    expect(resourcesOf(json, 'kubernetes_secret_v1')).toEqual([]);
    expect(Object.values(json.output ?? {}).some((o: any) => o.sensitive)).toBe(false);
  });

  it('refuses, at plan, a cluster without an OIDC issuer: a postcondition on the cluster data source', () => {
    const data = Object.values(json.data!.azurerm_kubernetes_cluster)[0] as any;
    expect(data.lifecycle.postcondition).toEqual([
      { condition: '${(length(self.kube_config) >= 1)}', error_message: MISSING_CLUSTER_USER_ROLE },
      {
        condition: '${(self.oidc_issuer_enabled && (length(self.oidc_issuer_url) >= 1))}',
        error_message: expect.stringContaining('--enable-oidc-issuer --enable-workload-identity'),
      },
    ]);
  });

  it('creates the identity next to the cluster, named after the cluster', () => {
    expect(withoutMetadata(identity.body)).toEqual({
      name: 'flux-prod',
      resource_group_name: 'rg-aks',
      location: ref(cluster, 'location'),
      tags: { 'managed-by': 'cdktf-flux-gitops' },
      provider: 'azurerm',
    });
  });

  it('federates each Flux service account with the issuer: subject system:serviceaccount:<namespace>:<account>, audience api://AzureADTokenExchange', () => {
    const credentials = resourcesOf(json, 'azurerm_federated_identity_credential').map(([, body]) => body);
    expect(credentials.map((c) => c.subject).sort()).toEqual([
      `system:serviceaccount:flux-system:${COMMIT_STATUS_SERVICE_ACCOUNT}`,
      'system:serviceaccount:flux-system:source-controller',
    ]);
    expect(credentials.map(withoutMetadata)).toEqual(
      credentials.map((c) => ({ name: c.name, subject: c.subject, provider: 'azurerm', issuer: ref(cluster, 'oidc_issuer_url'), audience: ['api://AzureADTokenExchange'], user_assigned_identity_id: ref(identity.address, 'id') })),
    );
  });

  it('puts the client id into the flux2 chart values: source-controller annotated and labelled, the feature gate on notification-controller', () => {
    const values = releaseValues(resourceAt(json, 'helm_release', 'flux/release').body);
    expect(values.sourceController.serviceAccount.annotations).toEqual({
      'azure.workload.identity/client-id': ref(identity.address, 'client_id'),
      'azure.workload.identity/tenant-id': ref(identity.address, 'tenant_id'),
    });
    expect(values.sourceController.labels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(values.notificationController.container.additionalArgs).toEqual([OBJECT_LEVEL_WORKLOAD_IDENTITY_ARG]);
    expect(OBJECT_LEVEL_WORKLOAD_IDENTITY_ARG).toBe('--feature-gates=ObjectLevelWorkloadIdentity=true');
  });

  it('has every GitRepository fetch over HTTPS with provider azure and no Secret', () => {
    const platform = objectOf(objects, 'GitRepository', 'platform').spec;
    const platformUrl = platform.url.match(/^\$\{local\.([^}]+)\}$/)![1];
    expect(json.locals![platformUrl]).toContain('.remote_url');
    const platformData = resourceAt({ resource: json.data }, 'azuredevops_git_repository', 'azure-repos-platform/repository');
    expect(platform).toEqual({ interval: '5m', provider: 'azure', url: platform.url, ref: { name: `\${data.azuredevops_git_repository.${platformData.id}.default_branch}` } });
    expect(objectOf(objects, 'GitRepository', 'apps').spec).toEqual({ interval: '5m', provider: 'azure', url: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps', ref: { branch: 'main' } });
  });

  it('has each azuredevops Provider sign in as the annotated service account, which notification-controller alone may mint tokens for', () => {
    for (const name of ['platform', 'apps']) {
      const provider = objectOf(objects, 'Provider', `commit-status-${name}`);
      expect(provider.spec).toEqual({
        type: 'azuredevops',
        address: `https://dev.azure.com/contoso/fabrikam/_git/cluster-${name}`,
        serviceAccountName: COMMIT_STATUS_SERVICE_ACCOUNT,
        commitStatusExpr: STATUS_EXPRESSION,
      });
    }
    const account = resourceAt(json, 'kubernetes_service_account_v1', 'commit-status-service-account').body;
    expect(account.metadata).toEqual({
      name: COMMIT_STATUS_SERVICE_ACCOUNT,
      namespace: 'flux-system',
      annotations: { 'azure.workload.identity/client-id': ref(identity.address, 'client_id'), 'azure.workload.identity/tenant-id': ref(identity.address, 'tenant_id') },
      labels: { 'app.kubernetes.io/managed-by': 'cdktf-flux-gitops' },
    });
    // No pod runs as it: a mounted token would only be one more credential to steal.
    expect(account.automount_service_account_token).toBe(false);
    const role = resourceAt(json, 'kubernetes_role_v1', 'commit-status-token-role');
    expect(role.body.rule).toEqual([{ api_groups: [''], resources: ['serviceaccounts/token'], resource_names: [COMMIT_STATUS_SERVICE_ACCOUNT], verbs: ['create'] }]);
    const binding = resourceAt(json, 'kubernetes_role_binding_v1', 'commit-status-token-binding').body;
    expect(binding.role_ref.name).toBe(ref(role.address, 'metadata[0].name'));
    expect(binding.subject).toEqual([{ kind: 'ServiceAccount', name: 'notification-controller', namespace: 'flux-system' }]);
  });

  it('makes the identity a member of the organisation (Basic) and of one project-scoped group, which gets read and commit-status permission on each synced repository', () => {
    const entitlement = resourceAt(json, 'azuredevops_service_principal_entitlement', 'identity-access-contoso/entitlement');
    expect(withoutMetadata(entitlement.body)).toEqual({ origin: 'aad', origin_id: ref(identity.address, 'principal_id'), account_license_type: 'express' });
    // Both repositories are in project fabrikam: one group, scoped to it (the provider takes the project id as scope:
    // resource_group.go at v1.16.0 parses scope as a UUID and looks up its descriptor), holding the identity.
    const groups = resourcesOf(json, 'azuredevops_group');
    expect(groups).toHaveLength(1);
    const group = resourceAt(json, 'azuredevops_group', 'identity-access-contoso/group-fabrikam');
    const platform = resourceAt({ resource: json.data }, 'azuredevops_git_repository', 'azure-repos-platform/repository');
    const { '//': _meta, provider: _provider, ...groupBody } = group.body;
    expect(groupBody).toEqual({
      scope: platform.body.project_id,
      display_name: 'flux-prod',
      description: 'Flux (cdktf-flux-gitops): reads the synced repositories and posts their commit statuses',
      members: [ref(entitlement.address, 'descriptor')],
    });
    for (const name of ['platform', 'apps']) {
      const permission = resourceAt(json, 'azuredevops_git_permissions', `identity-access-contoso/git-${name}`).body;
      const repository = resourceAt({ resource: json.data }, 'azuredevops_git_repository', `azure-repos-${name}/repository`);
      expect(withoutMetadata(permission)).toEqual({
        principal: ref(group.address, 'descriptor'),
        repository_id: `\${data.azuredevops_git_repository.${repository.id}.id}`,
        project_id: repository.body.project_id,
        permissions: { GenericRead: 'Allow', GenericContribute: 'Allow' },
        replace: false,
      });
    }
  });

  it('orders destroy: the Flux objects go first, then the credentials, permissions and entitlement they used', () => {
    const release = resourceAt(json, 'helm_release', 'flux-objects/release').body;
    const expected = [
      ...resourcesOf(json, 'azurerm_federated_identity_credential').map(([id]) => `azurerm_federated_identity_credential.${id}`),
      ...resourcesOf(json, 'azuredevops_service_principal_entitlement').map(([id]) => `azuredevops_service_principal_entitlement.${id}`),
      ...resourcesOf(json, 'azuredevops_git_permissions').map(([id]) => `azuredevops_git_permissions.${id}`),
      ...resourcesOf(json, 'azuredevops_group').map(([id]) => `azuredevops_group.${id}`),
      'kubernetes_service_account_v1.commit-status-service-account',
      'kubernetes_role_v1.commit-status-token-role',
      'kubernetes_role_binding_v1.commit-status-token-binding',
    ];
    expect(expected.length).toBe(9);
    expect([...release.depends_on].sort()).toEqual([resourceAt(json, 'helm_release', 'flux/release').address, ...expected].sort());
    // Nothing the identity needs waits for the objects (a cycle, or a destroy that would take them first).
    const identityParts = ['azurerm_federated_identity_credential', 'azuredevops_service_principal_entitlement', 'azuredevops_git_permissions', 'azuredevops_group', 'azurerm_user_assigned_identity'];
    const waiting = identityParts.flatMap((type) => resourcesOf(json, type).map(([id, body]) => [`${type}.${id}`, JSON.stringify(body).includes('flux-objects')]));
    // Two credentials, the entitlement, two permissions, the group and the identity: a loop over them passed on none.
    expect(waiting).toHaveLength(7);
    expect(waiting.filter(([, waits]) => waits)).toEqual([]);
  });

  it('outputs the client id (not sensitive: it is no secret)', () => {
    expect(json.output!.workload_identity_client_id.value).toBe(ref(identity.address, 'client_id'));
  });

  it('is what docs/zero-secret.md deploys, with its one command', () => {
    const section = fs.readFileSync(path.join(__dirname, '..', 'docs', 'zero-secret.md'), 'utf8');
    expect(section).toContain('[`examples/zero-secret.yaml`](../examples/zero-secret.yaml)');
    expect(section).toContain(`FLUX_GITOPS_CONFIG=examples/zero-secret.yaml npx cdktf deploy ${example().name}`);
    expect(section).toMatch(/GitOps Connector \(chart 1\.2\.1\) still needs a PAT/);
  });
});

describe('zero-secret mode: a given identity', () => {
  const json = synthCluster(withManaged({ identityId: GIVEN_ID }));

  it('is read, never created, so destroy cannot remove it; its federated credentials are still made', () => {
    expect(resourcesOf(json, 'azurerm_user_assigned_identity')).toEqual([]);
    const given = Object.values(json.data!.azurerm_user_assigned_identity)[0] as any;
    const { '//': _, ...body } = given;
    expect(body).toEqual({ name: 'flux-shared', provider: 'azurerm', resource_group_name: 'rg-identities' });
    const address = dataAddress(json, 'azurerm_user_assigned_identity');
    // Exact: a loop over the credentials passed when there were none.
    expect(resourcesOf(json, 'azurerm_federated_identity_credential').map(([, c]) => [c.subject, c.user_assigned_identity_id]).sort()).toEqual([
      ['system:serviceaccount:flux-system:flux-azure-devops-status', ref(address, 'id')],
      ['system:serviceaccount:flux-system:source-controller', ref(address, 'id')],
    ]);
    expect(releaseValues(resourceAt(json, 'helm_release', 'flux/release').body).sourceController.serviceAccount.annotations['azure.workload.identity/client-id']).toBe(ref(address, 'client_id'));
    expect(resourceAt(json, 'azuredevops_service_principal_entitlement', 'entitlement').body.origin_id).toBe(ref(address, 'principal_id'));
  });

  it('parses identity ids case-insensitively, as ARM does', () => {
    expect(parseUserAssignedIdentityId(GIVEN_ID.toLowerCase())).toEqual({ subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-identities', name: 'flux-shared' });
    expect(parseUserAssignedIdentityId('/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm')).toBeUndefined();
  });
});

describe('zero-secret mode: options', () => {
  it('takes the access level from the config', () => {
    const json = synthCluster(withManaged({ accessLevel: 'advanced' }));
    expect(resourceAt(json, 'azuredevops_service_principal_entitlement', 'entitlement').body.account_license_type).toBe('advanced');
  });

  it('without commit statuses: read only, no status service account, no feature gate', () => {
    const json = synthCluster({ ...example(), notifications: { commitStatus: false } });
    expect(resourcesOf(json, 'azuredevops_git_permissions').map(([, p]) => [p['//'].metadata.path, p.permissions]).sort()).toEqual([
      ['prod/identity-access-contoso/git-apps', { GenericRead: 'Allow' }],
      ['prod/identity-access-contoso/git-platform', { GenericRead: 'Allow' }],
    ]);
    expect(resourcesOf(json, 'kubernetes_service_account_v1')).toEqual([]);
    expect(resourcesOf(json, 'azurerm_federated_identity_credential').map(([, c]) => c.subject)).toEqual(['system:serviceaccount:flux-system:source-controller']);
    expect(releaseValues(resourceAt(json, 'helm_release', 'flux/release').body).notificationController.container).toBeUndefined();
  });

  it('with the GitOps Connector on: the connector still needs its PAT (chart 1.2.1 reads only PAT), Flux statuses still do not', () => {
    const json = synthCluster({ ...example(), connector: { enabled: true } });
    expect(json.variable!.gitops_connector_pat).toEqual({
      type: 'string',
      sensitive: true,
      nullable: false,
      description: 'PAT of the GitOps Connectors (scopes Code: Read & status, Build: Read & execute). Set TF_VAR_gitops_connector_pat.',
      validation: [{ condition: '${(length(trimspace(var.gitops_connector_pat)) >= 1)}', error_message: 'gitops_connector_pat is empty: set TF_VAR_gitops_connector_pat to the PAT.' }],
    });
    const provider = objectOf(fluxObjects(json), 'Provider', 'commit-status-platform');
    expect(provider.spec).toEqual({
      type: 'azuredevops',
      address: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-platform',
      serviceAccountName: COMMIT_STATUS_SERVICE_ACCOUNT,
      commitStatusExpr: STATUS_EXPRESSION,
    });
    expect(resourcesOf(json, 'kubernetes_secret_v1').map(([, s]) => s.metadata.name)).not.toContain('flux-azure-devops-token');
  });

  it('with two organisations: one entitlement each, through that organisation\'s provider', () => {
    const cluster = example();
    const json = synthCluster({ ...cluster, repositories: [...cluster.repositories, { name: 'tailspin', url: 'https://dev.azure.com/tailspin/shop/_git/cluster' }] });
    const entitlements = resourcesOf(json, 'azuredevops_service_principal_entitlement').map(([, e]) => [e['//'].metadata.path, e.provider]);
    expect(entitlements.sort()).toEqual([
      ['prod/identity-access-contoso/entitlement', 'azuredevops.contoso'],
      ['prod/identity-access-tailspin/entitlement', 'azuredevops.tailspin'],
    ]);
    expect(resourceAt(json, 'azuredevops_git_permissions', 'identity-access-tailspin/git-tailspin').body.provider).toBe('azuredevops.tailspin');
  });

  it('in the flux namespace of the config', () => {
    const json = synthCluster({ ...example(), flux: { namespace: 'gitops' } });
    expect(resourcesOf(json, 'azurerm_federated_identity_credential').map(([, c]) => c.subject).sort()).toEqual([
      `system:serviceaccount:gitops:${COMMIT_STATUS_SERVICE_ACCOUNT}`,
      'system:serviceaccount:gitops:source-controller',
    ]);
  });

  it('leaves a repository that names its auth, and one off Azure Repos, as they were', () => {
    const cluster = example();
    const json = synthCluster({
      ...cluster,
      knownHosts: { entries: ['github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'] },
      repositories: [...cluster.repositories, { name: 'vendor', url: 'ssh://git@github.com/contoso/vendor.git' }, { name: 'legacy', url: 'https://dev.azure.com/contoso/fabrikam/_git/legacy', auth: 'https' }],
    });
    const objects = fluxObjects(json);
    expect(objectOf(objects, 'GitRepository', 'vendor').spec.secretRef).toEqual({ name: 'flux-git-auth' });
    expect(objectOf(objects, 'GitRepository', 'legacy').spec).toEqual({
      interval: '5m',
      url: 'https://dev.azure.com/contoso/fabrikam/_git/legacy',
      ref: { branch: 'main' },
      secretRef: { name: 'flux-git-https-auth' },
    });
    expect(resourcesOf(json, 'azuredevops_git_permissions').map(([, p]) => p['//'].metadata.path).sort()).toEqual(['prod/identity-access-contoso/git-apps', 'prod/identity-access-contoso/git-platform']);
    // The https repository's commit status still goes through the PAT Secret.
    expect(objectOf(objects, 'Provider', 'commit-status-legacy').spec).toEqual({
      type: 'azuredevops',
      address: 'https://dev.azure.com/contoso/fabrikam/_git/legacy',
      secretRef: { name: 'flux-azure-devops-token' },
      commitStatusExpr: STATUS_EXPRESSION,
    });
  });
});

describe('zero-secret mode in the config', () => {
  const raw = (): any => structuredClone({ clusters: [example()] });

  it('accepts the example', () => {
    expect(() => loadConfig(EXAMPLE)).not.toThrow();
  });

  it('refuses workloadIdentity: {} (a GitRepository with provider azure and no identity would fail only in the cluster)', () => {
    const config = raw();
    config.clusters[0].workloadIdentity = {};
    expect(problems(() => validateConfig(config, 'x'))).toEqual([
      'clusters[0].workloadIdentity: must give either clientId (an identity prepared by hand) or managed (the stack sets it up), not both',
    ]);
  });

  it('and so does the stack, for a library user who skips the loader', () => {
    const cluster = example();
    const repositories = cluster.repositories.map((r) => ({ ...r, auth: 'workload-identity' as const }));
    const stack = { ...cluster, workloadIdentity: {}, repositories };
    expect(() => synthCluster(stack)).toThrow(
      'FluxGitOpsStack prod: repository platform uses auth workload-identity, but workloadIdentity names no identity (got {}); give clientId (an identity prepared by hand) or managed',
    );
  });

  it('takes the mode from defaults, with {cluster} in the identity name', () => {
    const cluster = example();
    const { clusters } = validateConfig(
      { defaults: { aks: { ...cluster.aks, name: 'aks-{cluster}' }, workloadIdentity: { managed: { name: 'id-flux-{cluster}' } }, repositories: cluster.repositories }, clusters: [{ name: 'dev' }, { name: 'prod' }] },
      'x',
    );
    expect(clusters.map((c) => c.workloadIdentity?.managed?.name)).toEqual(['id-flux-dev', 'id-flux-prod']);
    expect(resourceAt(synthCluster(clusters[0]), 'azurerm_user_assigned_identity', 'identity').body.name).toBe('id-flux-dev');
  });

  it.each([
    [(c: any) => delete c.clusters[0].aks, ['clusters[0].workloadIdentity.managed: needs aks: the stack reads the OIDC issuer of the AKS cluster named there']],
    [(c: any) => (c.clusters[0].workloadIdentity.clientId = '11111111-2222-3333-4444-555555555555'), ['clusters[0].workloadIdentity.managed: must not be given with clientId: give clientId (an identity prepared by hand) or managed (the stack sets it up)']],
    [(c: any) => (c.clusters[0].workloadIdentity.tenantId = '11111111-2222-3333-4444-555555555555'), ["clusters[0].workloadIdentity.tenantId: must not be given with managed (the tenant is the identity's)"]],
    [(c: any) => (c.clusters[0].workloadIdentity.managed.accessLevel = 'basic+'), ['clusters[0].workloadIdentity.managed.accessLevel: must be one of "express", "advanced", "stakeholder" (got "basic+")']],
    [(c: any) => (c.clusters[0].workloadIdentity.managed.identityId = '/subscriptions/nope'), ['clusters[0].workloadIdentity.managed.identityId: must match ^/subscriptions/([0-9a-fA-F-]{36})/resourceGroups/([-\\w().]{0,89}[-\\w()])/providers/Microsoft\\.ManagedIdentity/userAssignedIdentities/([A-Za-z0-9][-\\w]{2,127})$ (a user-assigned identity resource id in the cluster subscription) (got "/subscriptions/nope")']],
    [(c: any) => Object.assign(c.clusters[0].workloadIdentity.managed, { identityId: GIVEN_ID, name: 'flux-x' }), ['clusters[0].workloadIdentity.managed.name: must not be given with identityId (it describes an identity to create)']],
    [(c: any) => c.clusters[0].repositories.forEach((r: any) => (r.auth = 'ssh')), ['clusters[0].workloadIdentity.managed: has no repository to serve: no Azure Repos repository uses auth workload-identity']],
    [(c: any) => (c.clusters[0].workloadIdentity.managed = { identityId: GIVEN_ID.replace(SUBSCRIPTION, '11111111-2222-3333-4444-555555555555') }), ["clusters[0].workloadIdentity.managed.identityId: must be in the cluster's subscription 00000000-0000-0000-0000-000000000000: its federated credentials are made there (got \"/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-identities/providers/Micros...\")"]],
    [(c: any) => (c.clusters[0].flux = { components: { source: false, kustomize: false, helm: false } }), [
      'clusters[0].flux.components.source: must be on with workloadIdentity.managed: source-controller reads the repositories as the identity (got false)',
      'clusters[0].flux.components.source: must be on: the stack delivers GitRepository objects, which only source-controller reconciles (got false)',
      'clusters[0].flux.components.kustomize: must be on: every repository, OCI repository and bucket is applied by a Kustomization, which only kustomize-controller reconciles (got false)',
    ]],
  ])('refuses %s', (change, expected) => {
    const config = raw();
    change(config);
    expect(problems(() => validateConfig(config, 'x'))).toEqual(expected);
  });

  it.each([
    ['name', 'flux-${var.x}', 'must be an identity name (3-128 letters, digits, "-", "_") ({cluster} allowed in defaults) (got "flux-${var.x}")'],
    ['resourceGroup', 'rg-${file("/etc/passwd")}', 'must be an Azure resource group name ({cluster} allowed in defaults) (got "rg-${file(\\"/etc/passwd\\")}")'],
    ['location', '${var.region}', 'must match ^[a-z0-9]{2,40}$ (an Azure region such as westeurope) (got "${var.region}")'],
  ])('never lets a Terraform template in %s reach Terraform: the loader refuses it at the field (config strings are literal)', (field, value, message) => {
    const config = raw();
    config.clusters[0].workloadIdentity.managed[field] = value;
    expect(problems(() => validateConfig(config, 'x'))).toEqual([`clusters[0].workloadIdentity.managed.${field}: ${message}`]);
  });
});

describe('the zero-secret constructs refuse what would fail later', () => {
  const fakeCluster = (stack: any) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DataAzurermKubernetesCluster } = require('../.gen/providers/azurerm/data-azurerm-kubernetes-cluster');
    return new DataAzurermKubernetesCluster(stack, 'aks', { name: 'aks', resourceGroupName: 'rg' });
  };
  const base = { subscriptionId: SUBSCRIPTION, namespace: 'flux-system', serviceAccounts: ['source-controller'], clusterResourceGroup: 'rg' };

  it.each([
    [{ identityId: GIVEN_ID.replace(SUBSCRIPTION, '11111111-2222-3333-4444-555555555555') }, "use an identity of the cluster's subscription"],
    [{ identityId: GIVEN_ID, location: 'westeurope' }, 'location "westeurope" is not valid; describes an identity to create'],
    [{ serviceAccounts: [] }, 'serviceAccounts [] is not valid'],
    [{ name: 'x' }, 'name "x" is not valid'],
  ])('FluxWorkloadIdentity %j', (more, message) => {
    const stack = bareStack();
    expect(() => new FluxWorkloadIdentity(stack, 'wi', { ...base, cluster: fakeCluster(stack), ...more })).toThrow(message);
  });

  it('federates one more service account on demand (kustomize-controller, for SOPS), once', () => {
    const stack = bareStack();
    const wi = new FluxWorkloadIdentity(stack, 'wi', { ...base, cluster: fakeCluster(stack) });
    const credential = wi.federate('kustomize-controller');
    expect(JSON.parse(JSON.stringify((credential as any).synthesizeAttributes()))).toEqual({
      name: 'flux-system-kustomize-controller',
      subject: 'system:serviceaccount:flux-system:kustomize-controller',
      audience: ['api://AzureADTokenExchange'],
      // Unresolved tokens outside a synthesized stack: the cluster's issuer and the identity's id.
      issuer: expect.stringMatching(/^\$\{TfToken\[TOKEN\.\d+\]\}$/),
      user_assigned_identity_id: expect.stringMatching(/^\$\{TfToken\[TOKEN\.\d+\]\}$/),
    });
    expect([...wi.federatedCredentials.keys()]).toEqual(['source-controller', 'kustomize-controller']);
    expect(() => wi.federate('kustomize-controller')).toThrow('is federated already');
  });

  it('AzureDevOpsIdentityAccess refuses an unknown access level', () => {
    expect(() => new AzureDevOpsIdentityAccess(bareStack(), 'a', { principalId: 'p', accessLevel: 'basic' as never, repositories: { r: { projectId: 'p', project: 'p', repositoryId: 'r' } } })).toThrow(
      'accessLevel "basic" is not valid; use one of express, advanced, stakeholder',
    );
  });

  it('FluxAlert takes serviceAccountName only for workload-identity provider types, never with a Secret', () => {
    const delivery = () => new FluxObjectsRelease(bareStack(), 'd', { namespace: 'flux-system' });
    const address = 'https://dev.azure.com/o/p/_git/r';
    expect(() => new FluxAlert(delivery(), 'a', { delivery: delivery(), type: 'msteams', address: 'https://x.example', serviceAccountName: 'sa' })).toThrow('only types azuredevops, azureeventhub, googlepubsub');
    expect(() => new FluxAlert(delivery(), 'a', { delivery: delivery(), type: 'azuredevops', address, secretName: 's', serviceAccountName: 'sa' })).toThrow('not both');
  });
});

const helmLiteBin = helmLite();
(helmLiteBin ? describe : describe.skip)('zero-secret mode in the real flux2 chart (../shared/tools/helm-lite)', () => {
  jest.setTimeout(120_000);
  // In beforeAll, not in the describe body: jest runs a skipped describe's body too, and without
  // ../shared there is no helm-lite to render with.
  let identity: { address: string };
  let rendered: Rendered;
  beforeAll(() => {
    const json = synthCluster(example());
    identity = resourceAt(json, 'azurerm_user_assigned_identity', 'workload-identity/identity');
    rendered = renderChart(helmLiteBin!, 'flux2', resourceAt(json, 'helm_release', 'flux/release').body);
  });
  const find = (kind: string, name: string) => rendered.objects.find((o) => o.object.kind === kind && o.object.metadata.name === name)!.object;

  it('lands the client id on the source-controller ServiceAccount and the webhook label on its pods', () => {
    // helm-lite stands a Terraform interpolation in as TFINTERP-<expression>: Terraform resolves it before Helm runs.
    expect(find('ServiceAccount', 'source-controller').metadata.annotations).toEqual({
      'azure.workload.identity/client-id': `TFINTERP-${identity.address}.client_id`,
      'azure.workload.identity/tenant-id': `TFINTERP-${identity.address}.tenant_id`,
    });
    // The chart's own pod labels (app, and so on) are the chart's business; the webhook reads this one.
    expect(find('Deployment', 'source-controller').spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
  });

  it('lands the feature gate on the notification-controller container, and the chart reads every value the stack sets', () => {
    expect(find('Deployment', 'notification-controller').spec.template.spec.containers[0].args).toContain(OBJECT_LEVEL_WORKLOAD_IDENTITY_ARG);
    expect(rendered.probe.filter((p) => p.status === 'ignored')).toEqual([]);
  });
});
