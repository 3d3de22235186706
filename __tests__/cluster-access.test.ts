import * as fs from 'fs';
import * as path from 'path';
import { validateConfig } from '../config/load';
import { AksConfig, ClusterConfig } from '../config/schema';
import { AKS_ENTRA_SERVER_ID, ClusterAccess, kubeloginExec, MISSING_CLUSTER_USER_ROLE } from '../constructs/cluster-access';
import { FLEET_METADATA_KEY } from '../stacks/flux-gitops-stack';
import { problems } from './support/config-problems';
import { bareStack, exampleCluster, synthCluster, withoutMetadata } from './support/synth';
import { attributesOf } from './support/kept-schema';

const ROOT = path.join(__dirname, '..');
const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
const TENANT = '55555555-6666-7777-8888-999999999999';
const aks = (more: Partial<AksConfig> = {}): AksConfig => ({ subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-aks-prod', name: 'aks-prod', ...more });
const aksCluster = (more: Partial<AksConfig> = {}): ClusterConfig => ({ ...exampleCluster(), kubeconfig: undefined, aks: aks(more) });

describe('cluster access from a kubeconfig', () => {
  it('is what it was: the file and context for both providers, no azurerm', () => {
    const json = synthCluster(exampleCluster());
    expect(json.provider!.kubernetes).toEqual([{ config_path: '~/.kube/config', config_context: 'example-aks' }]);
    expect(json.provider!.helm).toEqual([{ kubernetes: { config_path: '~/.kube/config', config_context: 'example-aks' } }]);
    expect(json.provider!.azurerm).toBeUndefined();
    expect(json.terraform.required_providers.azurerm).toBeUndefined();
  });
});

describe('cluster access to AKS with Entra ID', () => {
  const json = synthCluster(aksCluster());
  const [dataId, data] = Object.entries(json.data!.azurerm_kubernetes_cluster)[0];
  const kubeConfig = `data.azurerm_kubernetes_cluster.${dataId}.kube_config[0]`;

  it('reads the cluster by subscription, resource group and name, registering no resource provider', () => {
    // The lifecycle is the next test's.
    const { lifecycle: _lifecycle, ...read } = withoutMetadata(data);
    expect(read).toEqual({ name: 'aks-prod', resource_group_name: 'rg-aks-prod' });
    expect(json.provider!.azurerm).toEqual([{ features: {}, subscription_id: SUBSCRIPTION, resource_provider_registrations: 'none' }]);
    expect(json.terraform.required_providers.azurerm).toEqual({ source: 'hashicorp/azurerm', version: '5.2.0' });
  });

  it('stops the plan with the missing Cluster User role named when Azure lists no user credential (azurerm swallows the 403)', () => {
    expect((data as any).lifecycle).toEqual({
      postcondition: [{ condition: '${(length(self.kube_config) >= 1)}', error_message: MISSING_CLUSTER_USER_ROLE }],
    });
    expect(MISSING_CLUSTER_USER_ROLE).toContain('lacks "Azure Kubernetes Service Cluster User Role"');
    expect(MISSING_CLUSTER_USER_ROLE).toContain('"Azure Kubernetes Service RBAC Cluster Admin"');
  });

  it('gives both providers the server and CA read from Azure and an exec kubelogin token, never a device-code sign-in', () => {
    const exec = {
      api_version: 'client.authentication.k8s.io/v1beta1',
      command: 'kubelogin',
      args: ['get-token', '--login', 'azurecli', '--server-id', AKS_ENTRA_SERVER_ID, '--environment', 'AzurePublicCloud', '--disable-environment-override'],
    };
    const connection = { host: `\${${kubeConfig}.host}`, cluster_ca_certificate: `\${base64decode(${kubeConfig}.cluster_ca_certificate)}` };
    expect(json.provider!.kubernetes).toEqual([{ ...connection, exec: [exec] }]);
    expect(json.provider!.helm).toEqual([{ kubernetes: { ...connection, exec } }]);
    expect(JSON.stringify(json.provider)).not.toMatch(/devicecode|interactive|config_path/);
  });

  it('turns each login mode into kubelogin arguments and the matching azurerm sign-in', () => {
    const head = (login: string) => ['get-token', '--login', login, '--server-id', AKS_ENTRA_SERVER_ID, '--environment', 'AzurePublicCloud'];
    // workloadidentity and spn read their credentials from the environment, which then also overrides the flags.
    expect(kubeloginExec(aks({ login: 'workloadidentity', tenantId: TENANT })).args).toEqual([...head('workloadidentity'), '--tenant-id', TENANT]);
    // The configured tenant is kept in spn mode (it was dropped): ARM_TENANT_ID, when set, still wins in kubelogin.
    expect(kubeloginExec(aks({ login: 'spn', tenantId: TENANT })).args).toEqual([...head('spn'), '--use-azurerm-env-vars', '--tenant-id', TENANT]);
    // msi and azurecli take everything from the flags: AZURE_CLIENT_ID/AZURE_TENANT_ID/AAD_LOGIN_METHOD cannot replace them.
    expect(kubeloginExec(aks({ login: 'msi', clientId: TENANT })).args).toEqual([...head('msi'), '--client-id', TENANT, '--disable-environment-override']);
    expect(kubeloginExec(aks({ tenantId: TENANT })).args).toEqual([...head('azurecli'), '--tenant-id', TENANT, '--disable-environment-override']);
    const provider = (more: Partial<AksConfig>) => synthCluster(aksCluster(more)).provider!.azurerm[0];
    const base = { features: {}, subscription_id: SUBSCRIPTION, resource_provider_registrations: 'none' };
    expect(provider({ login: 'msi', clientId: TENANT })).toEqual({ ...base, use_msi: true, client_id: TENANT });
    expect(provider({ login: 'workloadidentity', tenantId: TENANT })).toEqual({ ...base, use_aks_workload_identity: true, tenant_id: TENANT });
    expect(provider({ login: 'spn' })).toEqual(base);
  });

  it('passes the cluster\'s cloud to kubelogin (--environment) and to azurerm (environment), the public cloud by default', () => {
    const sovereign = synthCluster(aksCluster({ cloud: 'AzureUSGovernmentCloud' }));
    expect(sovereign.provider!.azurerm[0]).toEqual({ features: {}, subscription_id: SUBSCRIPTION, resource_provider_registrations: 'none', environment: 'usgovernment' });
    expect(sovereign.provider!.kubernetes[0].exec[0].args).toEqual(['get-token', '--login', 'azurecli', '--server-id', AKS_ENTRA_SERVER_ID, '--environment', 'AzureUSGovernmentCloud', '--disable-environment-override']);
    expect(kubeloginExec(aks({ cloud: 'AzureChinaCloud' })).args).toEqual(['get-token', '--login', 'azurecli', '--server-id', AKS_ENTRA_SERVER_ID, '--environment', 'AzureChinaCloud', '--disable-environment-override']);
    expect(problems(() => validateConfig({ clusters: [aksCluster({ cloud: 'AzureGermanCloud' as never })] }, 'x'))).toEqual([
      'clusters[0].aks.cloud: must be one of "AzurePublicCloud", "AzureUSGovernmentCloud", "AzureChinaCloud" (got "AzureGermanCloud")',
    ]);
  });

  it('writes no credential into the provider configuration', () => {
    expect(JSON.stringify(json.provider)).not.toMatch(/client_secret|password|client_key|client_certificate"/);
  });

  it.each([
    [{ subscriptionId: 'nope' }, 'aks.subscriptionId "nope" is not valid'],
    [{ resourceGroup: 'rg-${var.x}' }, 'aks.resourceGroup "rg-${var.x}" is not valid'],
    [{ name: '-aks' }, 'aks.name "-aks" is not valid'],
    [{ login: 'devicecode' as never }, 'aks.login "devicecode" is not valid; use one of azurecli, workloadidentity, spn, msi'],
    [{ clientId: TENANT }, 'aks.clientId "55555555-6666-7777-8888-999999999999" is not valid; it names a user-assigned managed identity: only with login msi'],
  ])('ClusterAccess refuses %j', (more, message) => {
    expect(() => new ClusterAccess(bareStack(), 'cluster', { aks: aks(more) })).toThrow(message);
  });
});

describe('cluster access in the config', () => {
  it('takes aks from the defaults, with {cluster} in its names', () => {
    const { clusters } = validateConfig(
      { defaults: { aks: { subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-{cluster}', name: 'aks-{cluster}' }, repositories: exampleCluster().repositories }, clusters: [{ name: 'dev' }, { name: 'prod', ring: 3 }] },
      'x',
    );
    expect(clusters.map((c) => [c.aks?.resourceGroup, c.aks?.name, c.ring])).toEqual([
      ['rg-dev', 'aks-dev', undefined],
      ['rg-prod', 'aks-prod', 3],
    ]);
  });

  it.each([
    [{ kubeconfig: { path: '~/.kube/config' }, aks: aks() }, ['clusters[0].aks: must not be given with kubeconfig: give either kubeconfig or aks']],
    [{ aks: { ...aks(), resourceGroup: 'rg/../other' } }, ['clusters[0].aks.resourceGroup: must be an Azure resource group name ({cluster} allowed in defaults) (got "rg/../other")']],
    [{ aks: { ...aks(), login: 'interactive' } }, ['clusters[0].aks.login: must be one of "azurecli", "workloadidentity", "spn", "msi" (got "interactive")']],
    [{ aks: { ...aks(), clientId: TENANT } }, ['clusters[0].aks.clientId: must be given only with login msi (it names a user-assigned managed identity)']],
    [{ aks: { name: 'aks' } }, ['clusters[0].aks.subscriptionId: is required', 'clusters[0].aks.resourceGroup: is required']],
    [{ ring: 0 }, ['clusters[0].ring: must be >= 1 (got 0)']],
  ])('refuses %j', (more, expected) => {
    const cluster = { ...exampleCluster(), kubeconfig: undefined, ...more };
    expect(problems(() => validateConfig({ clusters: [cluster] }, 'x'))).toEqual(expected);
  });

  it('refuses a Terraform template in a name at the field: config strings are literal, never skipped as expressions', () => {
    const cluster = { ...exampleCluster(), kubeconfig: undefined, aks: { ...aks(), resourceGroup: 'rg-${file("/etc/passwd")}' } };
    expect(problems(() => validateConfig({ clusters: [cluster] }, 'x'))).toEqual([
      'clusters[0].aks.resourceGroup: must be an Azure resource group name ({cluster} allowed in defaults) (got "rg-${file(\\"/etc/passwd\\")}")',
    ]);
  });

  it('puts the deploy ring into the synthesized stack, where the CI templates read it', () => {
    expect(synthCluster(exampleCluster({ ring: 2 }))['//' as never][FLEET_METADATA_KEY]).toEqual({ ring: 2 });
    expect(synthCluster(exampleCluster())['//' as never][FLEET_METADATA_KEY]).toEqual({ ring: 1 });
  });
});

/*
 * What hashicorp/terraform-provider-azurerm v5.2.0 (tag v5.2.0, commit 8d8282ef5bee6861b43a9532e948498e3355c0cb)
 * declares for the attributes the project keeps, read from its source:
 * - internal/provider/provider.go, schema.Provider.Schema: subscription_id, tenant_id, environment, client_id,
 *   use_oidc, use_msi, use_cli, use_aks_workload_identity, resource_provider_registrations: Optional; features:
 *   schemaFeatures() in internal/provider/features.go, TypeList Required MinItems 1 MaxItems 1.
 * - internal/services/containers/kubernetes_cluster_data_source.go, dataSourceKubernetesCluster(): name Required
 *   TypeString; resource_group_name commonschema.ResourceGroupNameForDataSource() (Required TypeString); fqdn,
 *   private_fqdn Computed TypeString; kube_config TypeList Computed Sensitive of host, username, password,
 *   client_certificate, client_key, cluster_ca_certificate (each Computed Sensitive TypeString). A computed-only
 *   list of a nested resource is an attribute of type list(object) in `terraform providers schema -json`, and the
 *   plugin SDK adds `id` (Optional Computed). location: commonschema.LocationComputed() (go-azure-helpers v0.81.1,
 *   Computed TypeString); oidc_issuer_enabled Computed TypeBool; oidc_issuer_url Computed TypeString. The data
 *   source has no workload_identity_enabled (only the resource has): the stack can check the issuer, not the webhook.
 * - internal/services/managedidentity/user_assigned_identity_resource.go, UserAssignedIdentityResource (typed SDK,
 *   SchemaVersion 1): Arguments name Required ForceNew TypeString, resource_group_name commonschema.ResourceGroupName()
 *   (Required ForceNew TypeString), location commonschema.Location() (Required ForceNew TypeString), tags
 *   commonschema.Tags() (Optional TypeMap of TypeString), isolation_scope (Optional, not kept); Attributes client_id,
 *   principal_id, tenant_id Computed TypeString.
 * - internal/services/managedidentity/user_assigned_identity_data_source.go, dataSourceArmUserAssignedIdentity():
 *   name Required TypeString, resource_group_name ResourceGroupNameForDataSource() (Required TypeString), client_id,
 *   principal_id, tenant_id Computed TypeString (location, isolation_scope, tags not kept). It reads in the
 *   provider's subscription (commonids.NewUserAssignedIdentityID(subscriptionId, ...)).
 * - internal/services/managedidentity/federated_identity_credential_resource.go, FederatedIdentityCredentialResource
 *   (typed SDK, no state migration): name, user_assigned_identity_id, issuer, subject Required TypeString; audience
 *   Required TypeList of TypeString, MaxItems 1; no computed attributes. It is created in the provider's
 *   subscription (NewFederatedIdentityCredentialID(metadata.Client.Account.SubscriptionId, ...)).
 * - internal/services/authorization/role_assignment_resource.go, resourceArmRoleAssignment() (plugin SDK, no
 *   SchemaVersion): scope, principal_id Required ForceNew TypeString; name, role_definition_name, principal_type
 *   Optional Computed ForceNew TypeString (role_definition_id/role_definition_name ExactlyOneOf; principal_type one of
 *   User, Group, ServicePrincipal); role_definition_id, skip_service_principal_aad_check, description, condition,
 *   condition_version, delegated_managed_identity_resource_id and the timeouts block not kept.
 */
const AZURERM_SOURCE = {
  version: '5.2.0',
  provider: {
    attributes: {
      client_id: 'optional string',
      environment: 'optional string',
      resource_provider_registrations: 'optional string',
      subscription_id: 'optional string',
      tenant_id: 'optional string',
      use_aks_workload_identity: 'optional bool',
      use_cli: 'optional bool',
      use_msi: 'optional bool',
      use_oidc: 'optional bool',
    },
    blocks: { features: 'list min 1 max 1' },
  },
  azurerm_kubernetes_cluster: {
    fqdn: 'computed string',
    id: 'optional computed string',
    kube_config: 'computed sensitive list(object(client_certificate, client_key, cluster_ca_certificate, host, password, username))',
    location: 'computed string',
    name: 'required string',
    oidc_issuer_enabled: 'computed bool',
    oidc_issuer_url: 'computed string',
    private_fqdn: 'computed string',
    resource_group_name: 'required string',
  },
  data_azurerm_user_assigned_identity: {
    client_id: 'computed string',
    id: 'optional computed string',
    name: 'required string',
    principal_id: 'computed string',
    resource_group_name: 'required string',
    tenant_id: 'computed string',
  },
  azurerm_user_assigned_identity: {
    client_id: 'computed string',
    id: 'optional computed string',
    location: 'required string',
    name: 'required string',
    principal_id: 'computed string',
    resource_group_name: 'required string',
    tags: 'optional map(string)',
    tenant_id: 'computed string',
  },
  azurerm_federated_identity_credential: {
    audience: 'required list(string)',
    id: 'optional computed string',
    issuer: 'required string',
    name: 'required string',
    subject: 'required string',
    user_assigned_identity_id: 'required string',
  },
  azurerm_role_assignment: {
    id: 'optional computed string',
    name: 'optional computed string',
    principal_id: 'required string',
    principal_type: 'optional computed string',
    role_definition_name: 'optional computed string',
    scope: 'required string',
  },
};

describe('the kept azurerm schema (providers/azurerm/schema.json)', () => {
  const fqpn = 'registry.terraform.io/hashicorp/azurerm';
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'providers', 'azurerm', 'schema.json'), 'utf8'));

  it('is the subset of the provider source at the pinned version, attribute for attribute', () => {
    expect(schema.provider_versions).toEqual({ [fqpn]: AZURERM_SOURCE.version });
    const provider = schema.provider_schemas[fqpn];
    expect(attributesOf(provider.provider.block)).toEqual(AZURERM_SOURCE.provider.attributes);
    const features = provider.provider.block.block_types.features;
    expect(`${features.nesting_mode} min ${features.min_items} max ${features.max_items}`).toBe(AZURERM_SOURCE.provider.blocks.features);
    expect(Object.keys(provider.data_source_schemas).sort()).toEqual(['azurerm_kubernetes_cluster', 'azurerm_user_assigned_identity']);
    expect(attributesOf(provider.data_source_schemas.azurerm_kubernetes_cluster.block)).toEqual(AZURERM_SOURCE.azurerm_kubernetes_cluster);
    expect(attributesOf(provider.data_source_schemas.azurerm_user_assigned_identity.block)).toEqual(AZURERM_SOURCE.data_azurerm_user_assigned_identity);
    expect(Object.keys(provider.resource_schemas).sort()).toEqual(['azurerm_federated_identity_credential', 'azurerm_role_assignment', 'azurerm_user_assigned_identity']);
    expect(attributesOf(provider.resource_schemas.azurerm_role_assignment.block)).toEqual(AZURERM_SOURCE.azurerm_role_assignment);
    expect(provider.resource_schemas.azurerm_role_assignment.version).toBe(0);
    expect(attributesOf(provider.resource_schemas.azurerm_user_assigned_identity.block)).toEqual(AZURERM_SOURCE.azurerm_user_assigned_identity);
    expect(attributesOf(provider.resource_schemas.azurerm_federated_identity_credential.block)).toEqual(AZURERM_SOURCE.azurerm_federated_identity_credential);
    // The schema versions of the source (a state written by the real provider carries them).
    expect(provider.resource_schemas.azurerm_user_assigned_identity.version).toBe(1);
    expect(provider.resource_schemas.azurerm_federated_identity_credential.version).toBe(0);
  });

});
