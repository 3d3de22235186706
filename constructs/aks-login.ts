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
export type AksLoginMode = (typeof AKS_LOGIN_MODES)[number];

/** Azure's rules: resource group 1-90 of letters, digits, _ ( ) - . (no trailing .); cluster 1-63 of letters, digits, _ -. */
export const AZURE_RESOURCE_GROUP = '^[-\\w().]{0,89}[-\\w()]$';
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
}

/** The `exec` credential plugin call: kubelogin prints a token for the AKS server, non-interactively. */
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
      // kubelogin reads the same variables as the azurerm provider (kubelogin pkg/internal/token/options.go).
      ...(login === 'spn' ? ['--use-azurerm-env-vars'] : []),
      ...(login === 'msi' && aks.clientId ? ['--client-id', aks.clientId] : []),
      ...(login !== 'spn' && aks.tenantId ? ['--tenant-id', aks.tenantId] : []),
    ],
  };
}

