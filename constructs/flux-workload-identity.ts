import { createHash } from 'crypto';
import { Fn, Op, TerraformProvider, TerraformSelf } from 'cdktf';
import { Construct } from 'constructs';
import type { DataAzurermKubernetesCluster } from '../.gen/providers/azurerm/data-azurerm-kubernetes-cluster';
import type { DataAzurermUserAssignedIdentity } from '../.gen/providers/azurerm/data-azurerm-user-assigned-identity';
import type { FederatedIdentityCredential } from '../.gen/providers/azurerm/federated-identity-credential';
import type { RoleAssignment } from '../.gen/providers/azurerm/role-assignment';
import type { UserAssignedIdentity } from '../.gen/providers/azurerm/user-assigned-identity';
import { isDnsSubdomain, isGuid } from '../flux/formats';
import { AZURE_RESOURCE_GROUP } from './cluster-access';
import { LiteralStrings } from './literal-strings';
import { propErrors } from './prop-errors';

/** The audience Entra expects of a Kubernetes service account token it exchanges (AKS workload identity docs). */
export const AZURE_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>` (ARM ids are case-insensitive). */
export const USER_ASSIGNED_IDENTITY_ID =
  '^/subscriptions/([0-9a-fA-F-]{36})/resourceGroups/([-\\w().]{0,89}[-\\w()])/providers/Microsoft\\.ManagedIdentity/userAssignedIdentities/([A-Za-z0-9][-\\w]{2,127})$';

/** Azure's rule for a user-assigned identity name: 3-128 letters, digits, "-" and "_", starting with a letter or digit. */
export const USER_ASSIGNED_IDENTITY_NAME = '^[A-Za-z0-9][-\\w]{2,127}$';

/** The parts of a user-assigned identity resource id. */
export function parseUserAssignedIdentityId(id: string): { subscriptionId: string; resourceGroup: string; name: string } | undefined {
  const m = new RegExp(USER_ASSIGNED_IDENTITY_ID, 'i').exec(id);
  return m ? { subscriptionId: m[1], resourceGroup: m[2], name: m[3] } : undefined;
}

/**
 * Entra's rule for a federated identity credential name: 3-120 letters, digits, "-" and "_", starting with a
 * letter or digit (Microsoft Learn, "Configure a user-assigned managed identity to trust an external identity
 * provider", Name field; azurerm itself passes the name through unchecked: hashicorp/terraform-provider-azurerm
 * internal/services/managedidentity/federated_identity_credential_resource.go, commit 088d0158).
 */
export const FEDERATED_CREDENTIAL_NAME = /^[A-Za-z0-9][-\w]{2,119}$/;

/**
 * The name of the federated credential of one service account. Names are unique per identity, and azurerm's
 * create refuses a name that exists ("requires import": federated_identity_credential_resource.go, Create), so
 * the stacks of a fleet sharing one identity must not reuse each other's: `prefix` (the cluster) keeps them
 * apart. A name over Entra's 120 characters keeps its start and ends in a hash of the whole, so two long
 * names never truncate into one.
 */
export function federatedCredentialName(namespace: string, serviceAccount: string, prefix?: string): string {
  const full = `${prefix !== undefined ? `${prefix}-` : ''}${namespace}-${serviceAccount}`.replace(/\./g, '-');
  if (full.length <= 120) return full;
  return `${full.slice(0, 111)}-${createHash('sha256').update(full).digest('hex').slice(0, 8)}`;
}

/** `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ContainerRegistry/registries/<name>` (5-50 letters and digits). */
export const CONTAINER_REGISTRY_ID = '^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\\w().]{0,89}[-\\w()]/providers/Microsoft\\.ContainerRegistry/registries/([A-Za-z0-9]{5,50})$';
/** `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>` (3-24 lowercase letters and digits). */
export const STORAGE_ACCOUNT_ID = '^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\\w().]{0,89}[-\\w()]/providers/Microsoft\\.Storage/storageAccounts/([a-z0-9]{3,24})$';

/**
 * The built-in roles source-controller needs as the identity (Microsoft Learn, "Azure built-in roles"): AcrPull to
 * pull an OCIRepository with `provider: azure` from ACR, Storage Blob Data Reader to list and read a Bucket with
 * `provider: azure` (fluxcd/source-controller docs, "OCIRepository" and "Bucket", Azure provider sections).
 */
export const ACR_PULL_ROLE = 'AcrPull';
/** See ACR_PULL_ROLE: the role a Bucket source with `provider: azure` needs, granted on its container. */
export const BLOB_READER_ROLE = 'Storage Blob Data Reader';

/** The Kubernetes subject of a service account, as Entra matches it against a federated credential. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/** Props of {@link FluxWorkloadIdentity}. */
export interface FluxWorkloadIdentityProps {
  /** The AKS cluster as Azure reports it (ClusterAccess.cluster): its OIDC issuer signs the service account tokens. */
  readonly cluster: DataAzurermKubernetesCluster;
  /** The azurerm provider of the cluster's subscription. */
  readonly provider?: TerraformProvider;
  /** Subscription of that provider: a given identity must be in it (the federated credential is made there). */
  readonly subscriptionId: string;
  /** Namespace of the Flux service accounts. */
  readonly namespace: string;
  /** Service accounts of `namespace` whose tokens the identity accepts, one federated credential each. */
  readonly serviceAccounts: readonly string[];
  /**
   * An existing user-assigned identity, by resource id: read, never created nor destroyed by the stack.
   * @default - a new identity is created
   */
  readonly identityId?: string;
  /** Name of the created identity. @default 'flux-<namespace>-<construct id>' */
  readonly name?: string;
  /** Resource group of the created identity. @default - the cluster's */
  readonly resourceGroup?: string;
  /** Region of the created identity. @default - the cluster's */
  readonly location?: string;
  /** Resource group of the cluster (the default of resourceGroup). */
  readonly clusterResourceGroup: string;
  /**
   * Start of each federated credential's name (`<prefix>-<namespace>-<service account>`): the cluster's name
   * when the identity is given, since other clusters' stacks may federate the same identity.
   * @default - none: `<namespace>-<service account>`
   */
  readonly credentialPrefix?: string;
}

/**
 * The Entra identity Flux runs as without any secret: a user-assigned managed identity (created, or given by
 * resource id) and one federated identity credential per Flux service account, each trusting the AKS cluster's
 * OIDC issuer for `system:serviceaccount:<namespace>:<service account>` with audience api://AzureADTokenExchange.
 * The cluster data source gets a postcondition, so a plan against a cluster without an OIDC issuer stops with a
 * message saying how to turn it on.
 */
export class FluxWorkloadIdentity extends Construct {
  /** Client id of the identity: the value of the `azure.workload.identity/client-id` annotations. */
  public readonly clientId: string;
  /** Object id of the identity's service principal (the Azure DevOps origin id). */
  public readonly principalId: string;
  public readonly tenantId: string;
  /** Resource id of the identity. */
  public readonly identityId: string;
  /** The identity, when the stack created it. */
  public readonly created?: UserAssignedIdentity;
  /** The identity, when it was given (read through a data source, never destroyed). */
  public readonly given?: DataAzurermUserAssignedIdentity;
  /** The federated credential of each service account. */
  public get federatedCredentials(): ReadonlyMap<string, FederatedIdentityCredential> {
    return this.credentials;
  }
  /** The OIDC issuer URL the credentials trust. */
  public readonly issuer: string;
  private readonly credentials = new Map<string, FederatedIdentityCredential>();
  private readonly namespace: string;
  private readonly provider?: TerraformProvider;
  private readonly credentialPrefix?: string;

  constructor(scope: Construct, id: string, props: FluxWorkloadIdentityProps) {
    super(scope, id);
    // Config text reaches Terraform as literal data, whatever field it is in.
    LiteralStrings.of(this);
    const fail = propErrors(`FluxWorkloadIdentity ${this.node.path}`);
    if (!isDnsSubdomain(props.namespace)) fail('namespace', props.namespace, 'use an RFC 1123 label');
    if (props.serviceAccounts.length === 0) fail('serviceAccounts', [], 'name at least one service account');
    for (const sa of props.serviceAccounts) if (!isDnsSubdomain(sa)) fail('serviceAccounts', sa, 'name a ServiceAccount (an RFC 1123 subdomain)');
    if (new Set(props.serviceAccounts).size !== props.serviceAccounts.length) fail('serviceAccounts', props.serviceAccounts, 'name each service account once');
    if (props.identityId !== undefined) {
      const parsed = parseUserAssignedIdentityId(props.identityId);
      if (!parsed) fail('identityId', props.identityId, 'use the resource id of a user-assigned identity, /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>');
      if (parsed!.subscriptionId.toLowerCase() !== props.subscriptionId.toLowerCase()) {
        fail('identityId', props.identityId, `use an identity of the cluster's subscription ${props.subscriptionId}: its federated credentials are made there`);
      }
      for (const field of ['name', 'resourceGroup', 'location'] as const) {
        if (props[field] !== undefined) fail(field, props[field], 'describes an identity to create; leave it unset with identityId');
      }
    }
    if (props.credentialPrefix !== undefined && !/^[A-Za-z0-9][-\w]{0,62}$/.test(props.credentialPrefix)) {
      fail('credentialPrefix', props.credentialPrefix, 'use 1-63 letters, digits, "-" and "_", starting with a letter or digit (a federated credential name starts with it)');
    }
    if (!isGuid(props.subscriptionId)) fail('subscriptionId', props.subscriptionId, 'use the subscription GUID');
    const name = props.name ?? `flux-${props.namespace}-${id}`;
    if (!new RegExp(USER_ASSIGNED_IDENTITY_NAME).test(name)) fail('name', name, 'use 3-128 letters, digits, "-" and "_", starting with a letter or digit');
    if (props.resourceGroup !== undefined && !new RegExp(AZURE_RESOURCE_GROUP).test(props.resourceGroup)) {
      fail('resourceGroup', props.resourceGroup, 'use 1-90 letters, digits, "_", "(", ")", "-", "." (not ending with ".")');
    }
    if (props.location !== undefined && !/^[a-z0-9]{2,40}$/.test(props.location)) fail('location', props.location, 'use an Azure region name such as westeurope');

    // Refuse a cluster that cannot issue the tokens Entra would exchange: at plan, before anything is made.
    // The 5.2.0 data source always sets both (false and "" when the cluster has no issuer profile:
    // kubernetes_cluster_data_source.go, dataSourceKubernetesClusterRead), so neither side is ever null here.
    // It reports the issuer but not the workload identity webhook (see the schema test); npm run doctor checks that.
    const cluster = props.cluster;
    cluster.lifecycle = {
      ...cluster.lifecycle,
      postcondition: [
        ...(cluster.lifecycle?.postcondition ?? []),
        {
          // A token, not a "${...}" string: literal text is escaped (LiteralStrings), expressions are written as tokens.
          // (">= 1" rather than != "": cdktf 0.21 renders an empty string operand as "undefined".)
          condition: Op.and(TerraformSelf.getAny('oidc_issuer_enabled'), Op.gte(Fn.lengthOf(TerraformSelf.getString('oidc_issuer_url')), 1)),
          errorMessage:
            'The AKS cluster has no OIDC issuer, so Flux cannot use workload identity (workloadIdentity.managed). Enable it, and the ' +
            'workload identity webhook, with: az aks update --resource-group <group> --name <cluster> --enable-oidc-issuer --enable-workload-identity',
        },
      ],
    };
    this.issuer = cluster.oidcIssuerUrl;

    /* eslint-disable @typescript-eslint/no-require-imports */
    if (props.identityId !== undefined) {
      const { DataAzurermUserAssignedIdentity } = require('../.gen/providers/azurerm/data-azurerm-user-assigned-identity') as typeof import('../.gen/providers/azurerm/data-azurerm-user-assigned-identity');
      const parsed = parseUserAssignedIdentityId(props.identityId)!;
      // Read, not managed: destroying the stack leaves a given identity as it was.
      this.given = new DataAzurermUserAssignedIdentity(this, 'given', {
        provider: props.provider,
        name: parsed.name,
        resourceGroupName: parsed.resourceGroup,
      });
      this.clientId = this.given.clientId;
      this.principalId = this.given.principalId;
      this.tenantId = this.given.tenantId;
      this.identityId = this.given.id;
    } else {
      const { UserAssignedIdentity } = require('../.gen/providers/azurerm/user-assigned-identity') as typeof import('../.gen/providers/azurerm/user-assigned-identity');
      this.created = new UserAssignedIdentity(this, 'identity', {
        provider: props.provider,
        name: name,
        resourceGroupName: props.resourceGroup ?? props.clusterResourceGroup,
        location: props.location !== undefined ? props.location : cluster.location,
        tags: { 'managed-by': 'cdktf-flux-gitops' },
      });
      this.clientId = this.created.clientId;
      this.principalId = this.created.principalId;
      this.tenantId = this.created.tenantId;
      this.identityId = this.created.id;
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
    this.namespace = props.namespace;
    this.provider = props.provider;
    this.credentialPrefix = props.credentialPrefix;
    for (const sa of props.serviceAccounts) this.federate(sa);
  }

  /**
   * Grants the identity a built-in role at an Azure scope (a resource id), e.g. AcrPull on a registry. The caller
   * names the scope; `id` names the construct.
   */
  public grantRole(id: string, role: string, scope: string): RoleAssignment {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { RoleAssignment } = require('../.gen/providers/azurerm/role-assignment') as typeof import('../.gen/providers/azurerm/role-assignment');
    return new RoleAssignment(this, id, {
      provider: this.provider,
      scope,
      roleDefinitionName: role,
      principalId: this.principalId,
      // A just-created identity may not have replicated in Entra yet: with the type given, ARM does not look it up.
      principalType: 'ServicePrincipal',
    });
  }

  /**
   * Trusts one more service account of the Flux namespace (kustomize-controller for SOPS with Key Vault, say):
   * a federated credential for it, returned. The caller annotates that service account with `clientId`.
   */
  public federate(serviceAccount: string): FederatedIdentityCredential {
    if (!isDnsSubdomain(serviceAccount)) propErrors(`FluxWorkloadIdentity ${this.node.path}`)('serviceAccount', serviceAccount, 'name a ServiceAccount (an RFC 1123 subdomain)');
    if (this.credentials.has(serviceAccount)) propErrors(`FluxWorkloadIdentity ${this.node.path}`)('serviceAccount', serviceAccount, 'is federated already');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { FederatedIdentityCredential } = require('../.gen/providers/azurerm/federated-identity-credential') as typeof import('../.gen/providers/azurerm/federated-identity-credential');
    const credential = new FederatedIdentityCredential(this, `federated-${serviceAccount}`, {
      provider: this.provider,
      name: federatedCredentialName(this.namespace, serviceAccount, this.credentialPrefix),
      userAssignedIdentityId: this.identityId,
      issuer: this.issuer,
      subject: serviceAccountSubject(this.namespace, serviceAccount),
      audience: [AZURE_TOKEN_EXCHANGE_AUDIENCE],
    });
    this.credentials.set(serviceAccount, credential);
    return credential;
  }
}
