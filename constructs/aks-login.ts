/**
 * How an AKS cluster with Entra ID integration is signed in to without a person: the kubelogin exec
 * plugin call and the names Azure allows. Kept free of cdktf so that a command reading a cluster
 * (fleet-status/cluster-reader.ts) builds the very same sign-in as the stack (cluster-access.ts)
 * without loading the providers.
 */

/**
 * The application id of the Entra "Azure Kubernetes Service AAD Server", the audience of every AKS
 * cluster with Entra ID integration (`kubelogin get-token --server-id`, Microsoft's AKS docs).
 */
export const AKS_ENTRA_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** How kubelogin gets the Entra token for the cluster (its `--login` modes that need no person). */
export const AKS_LOGIN_MODES = ['azurecli', 'workloadidentity', 'spn', 'msi'] as const;
/** How kubelogin signs in: `azurecli`, `workloadidentity`, `spn` or `msi` (see AKS_LOGIN_MODES). */
export type AksLoginMode = (typeof AKS_LOGIN_MODES)[number];

/**
 * The Azure clouds a cluster can be in, by kubelogin's `--environment` names (Azure/kubelogin
 * pkg/internal/token/options.go at v0.2.19-5-g6678496, GetCloudConfiguration: any other name silently means the
 * public cloud), each with the azurerm provider's `environment` for it (hashicorp/terraform-provider-azurerm
 * v5.2.0 internal/provider/provider.go: public, usgovernment, china).
 */
export const AZURE_CLOUDS = { AzurePublicCloud: 'public', AzureUSGovernmentCloud: 'usgovernment', AzureChinaCloud: 'china' } as const;
/** An Azure cloud by kubelogin's name for it (see AZURE_CLOUDS). */
export type AzureCloud = keyof typeof AZURE_CLOUDS;

/** Azure's rules: resource group 1-90 of letters, digits, _ ( ) - . (no trailing .); cluster 1-63 of letters, digits, _ -. */
export const AZURE_RESOURCE_GROUP = '^[-\\w().]{0,89}[-\\w()]$';
/** The pattern of an AKS cluster name: 1-63 letters, digits, "_" and "-", starting and ending with a letter or digit. */
export const AKS_CLUSTER_NAME = '^[a-zA-Z0-9]([-a-zA-Z0-9_]{0,61}[a-zA-Z0-9])?$';

/** An AKS cluster with Entra ID integration, reached without any interactive sign-in. */
export interface AksClusterAccess {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** The managed cluster's name. */
  readonly name: string;
  /**
   * azurecli: the signed-in Azure CLI (a workstation, or a pipeline after its Azure login step);
   * workloadidentity: AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE (a runner on AKS
   * with workload identity); spn: ARM_CLIENT_ID, ARM_CLIENT_SECRET and ARM_TENANT_ID, the variables
   * the azurerm provider reads; msi: the machine's managed identity.
   * @default 'azurecli'
   */
  readonly login?: AksLoginMode;
  /** @default - the signed-in account's (or ARM_TENANT_ID) */
  readonly tenantId?: string;
  /** Client id of a user-assigned managed identity (login msi). @default - the system-assigned identity */
  readonly clientId?: string;
  /** The Azure cloud of the cluster: kubelogin's `--environment` and the azurerm provider's `environment`. @default 'AzurePublicCloud' */
  readonly cloud?: AzureCloud;
}

/**
 * The `exec` credential plugin call: kubelogin prints a token for the AKS server, non-interactively.
 * kubelogin reads its environment after its flags, and the environment wins: AZURE_CLIENT_ID, AZURE_TENANT_ID (or
 * ARM_* with --use-azurerm-env-vars) and AAD_LOGIN_METHOD replace --client-id, --tenant-id and --login
 * (Azure/kubelogin pkg/internal/token/options.go, UpdateFromEnv, called from pkg/cmd/token.go after the flags are
 * parsed; at v0.2.19-5-g6678496). The azurecli and msi logins take everything from the flags, so they turn that off
 * with --disable-environment-override (kubelogin >= 0.1.7); workloadidentity and spn read their credentials from
 * the environment and cannot.
 */
export function kubeloginExec(aks: AksClusterAccess): { apiVersion: string; command: string; args: string[] } {
  const login = aks.login ?? 'azurecli';
  return {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'kubelogin',
    args: [
      'get-token',
      '--login',
      login,
      '--server-id',
      AKS_ENTRA_SERVER_ID,
      '--environment',
      aks.cloud ?? 'AzurePublicCloud',
      // kubelogin reads the same variables as the azurerm provider (kubelogin pkg/internal/token/options.go).
      ...(login === 'spn' ? ['--use-azurerm-env-vars'] : []),
      ...(login === 'msi' && aks.clientId ? ['--client-id', aks.clientId] : []),
      // Kept in every mode; in spn mode ARM_TENANT_ID, when set, replaces it (see above).
      ...(aks.tenantId ? ['--tenant-id', aks.tenantId] : []),
      ...(login === 'azurecli' || login === 'msi' ? ['--disable-environment-override'] : []),
    ],
  };
}
