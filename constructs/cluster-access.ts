import { Fn, Op, TerraformSelf } from 'cdktf';
import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { DataAzurermKubernetesCluster } from '../.gen/providers/azurerm/data-azurerm-kubernetes-cluster';
import type { AzurermProvider } from '../.gen/providers/azurerm/provider';
import { isGuid } from '../flux/formats';
import { LiteralStrings } from './literal-strings';
import { propErrors } from './prop-errors';

/**
 * The application id of the Entra "Azure Kubernetes Service AAD Server", the audience of every AKS
 * cluster with Entra ID integration (`kubelogin get-token --server-id`, Microsoft's AKS docs).
 */
export const AKS_ENTRA_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/**
 * The postcondition message of the cluster data source when Azure listed no user credential. azurerm 5.2.0 reads
 * the cluster, then its user credentials, and ignores a 403 on the latter ("only raise the error if it's not a
 * limited permissions error, since this is the Data Source": hashicorp/terraform-provider-azurerm v5.2.0
 * (8d8282ef) internal/services/containers/kubernetes_cluster_data_source.go, dataSourceKubernetesClusterRead), leaving
 * kube_config empty: without this check the plan stops later at `kube_config[0]` with a bare index error.
 */
export const MISSING_CLUSTER_USER_ROLE =
  'Azure returned no user credential for the AKS cluster: the deploying identity lacks "Azure Kubernetes Service Cluster User Role" ' +
  '(Microsoft.ContainerService/managedClusters/listClusterUserCredential/action) on it. Grant it with: az role assignment create ' +
  '--role "Azure Kubernetes Service Cluster User Role" --assignee <deploying identity> --scope <cluster resource id>. On a cluster with ' +
  'Entra ID integration that role only reads the API server address and CA; installing Flux also needs cluster-admin inside the cluster: ' +
  '"Azure Kubernetes Service RBAC Cluster Admin" on the cluster with Azure RBAC for Kubernetes, otherwise membership of one of its ' +
  'admin groups (aks --aad-admin-group-object-ids) or a ClusterRoleBinding.';

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

/** Props of {@link ClusterAccess}: a kubeconfig context, or an AKS cluster (not both). */
export interface ClusterAccessProps {
  /** A kubeconfig file and context, used as they are. @default - ~/.kube/config, its current context */
  readonly kubeconfig?: { readonly path?: string; readonly context?: string };
  /** An AKS cluster, read through the azurerm provider and signed in to with kubelogin. */
  readonly aks?: AksClusterAccess;
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

/* Loaded only for AKS access: every synth pays for what it loads (bench/README.md). */
/* eslint-disable @typescript-eslint/no-require-imports */
const azurermModules = () => ({
  ...(require('../.gen/providers/azurerm/provider') as typeof import('../.gen/providers/azurerm/provider')),
  ...(require('../.gen/providers/azurerm/data-azurerm-kubernetes-cluster') as typeof import('../.gen/providers/azurerm/data-azurerm-kubernetes-cluster')),
});
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The kubernetes and helm providers of a stack: from a kubeconfig, or, for an AKS cluster, with the
 * API server and its CA read from Azure (data source `azurerm_kubernetes_cluster`) and an Entra token
 * from `kubelogin get-token`, so a cluster with local accounts disabled is reached without a person.
 */
export class ClusterAccess extends Construct {
  public readonly kubernetes: KubernetesProvider;
  public readonly helm: HelmProvider;
  /** The azurerm provider that reads the cluster (AKS access only). */
  public readonly azurerm?: AzurermProvider;
  /** The cluster as Azure reports it (AKS access only). */
  public readonly cluster?: DataAzurermKubernetesCluster;

  constructor(scope: Construct, id: string, props: ClusterAccessProps = {}) {
    super(scope, id);
    // Config text reaches Terraform as literal data, whatever field it is in.
    LiteralStrings.of(this);
    const fail = propErrors(`ClusterAccess ${this.node.path}`);
    const { aks } = props;
    if (aks && props.kubeconfig) fail('kubeconfig', props.kubeconfig, 'give either kubeconfig or aks, not both');
    if (!aks) {
      const kubeconfig = { configPath: props.kubeconfig?.path ?? '~/.kube/config', configContext: props.kubeconfig?.context };
      this.kubernetes = new KubernetesProvider(this, 'kubernetes', kubeconfig);
      this.helm = new HelmProvider(this, 'helm', { kubernetes: kubeconfig });
      return;
    }
    if (!isGuid(aks.subscriptionId)) fail('aks.subscriptionId', aks.subscriptionId, 'use the subscription GUID');
    for (const field of ['tenantId', 'clientId'] as const) {
      if (aks[field] !== undefined && !isGuid(aks[field]!)) fail(`aks.${field}`, aks[field], 'use a GUID');
    }
    if (!new RegExp(AZURE_RESOURCE_GROUP).test(aks.resourceGroup)) fail('aks.resourceGroup', aks.resourceGroup, 'use 1-90 letters, digits, "_", "(", ")", "-", "." (not ending with ".")');
    if (!new RegExp(AKS_CLUSTER_NAME).test(aks.name)) fail('aks.name', aks.name, 'use 1-63 letters, digits, "_" and "-", starting and ending with a letter or digit');
    const login = aks.login ?? 'azurecli';
    if (!AKS_LOGIN_MODES.includes(login)) fail('aks.login', login, `use one of ${AKS_LOGIN_MODES.join(', ')}`);
    if (aks.clientId !== undefined && login !== 'msi') fail('aks.clientId', aks.clientId, 'it names a user-assigned managed identity: only with login msi');
    const cloud = aks.cloud ?? 'AzurePublicCloud';
    if (!Object.prototype.hasOwnProperty.call(AZURE_CLOUDS, cloud)) fail('aks.cloud', cloud, `use one of ${Object.keys(AZURE_CLOUDS).join(', ')}`);

    const { AzurermProvider, DataAzurermKubernetesCluster } = azurermModules();
    this.azurerm = new AzurermProvider(this, 'azurerm', {
      features: {},
      subscriptionId: aks.subscriptionId,
      tenantId: aks.tenantId && aks.tenantId,
      // Omitted for the public cloud: the provider's default (and ARM_ENVIRONMENT) stays as it was.
      environment: cloud === 'AzurePublicCloud' ? undefined : AZURE_CLOUDS[cloud],
      // Reading a cluster needs no resource provider registered, nor the rights to register one.
      resourceProviderRegistrations: 'none',
      useMsi: login === 'msi' || undefined,
      clientId: login === 'msi' && aks.clientId ? aks.clientId : undefined,
      useAksWorkloadIdentity: login === 'workloadidentity' || undefined,
    });
    this.cluster = new DataAzurermKubernetesCluster(this, 'cluster', {
      name: aks.name,
      resourceGroupName: aks.resourceGroup,
      lifecycle: {
        // A token, not a "${...}" string: literal text is escaped (LiteralStrings).
        postcondition: [{ condition: Op.gte(Fn.lengthOf(TerraformSelf.getAny('kube_config')), 1), errorMessage: MISSING_CLUSTER_USER_ROLE }],
      },
    });
    // With Entra ID integration the user kubeconfig holds only the server and its CA (azurerm
    // internal/services/containers/kubernetes_cluster_data_source.go, flattenKubernetesClusterDataSourceKubeConfigAAD).
    const kubeConfig = this.cluster.kubeConfig.get(0);
    const connection = {
      host: kubeConfig.host,
      clusterCaCertificate: Fn.base64decode(kubeConfig.clusterCaCertificate),
      exec: kubeloginExec({ ...aks, tenantId: aks.tenantId && aks.tenantId, clientId: aks.clientId && aks.clientId }),
    };
    this.kubernetes = new KubernetesProvider(this, 'kubernetes', { ...connection, exec: [connection.exec] });
    this.helm = new HelmProvider(this, 'helm', { kubernetes: connection });
  }
}
