import { Fn, Op, TerraformSelf } from 'cdktf';
import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { DataAzurermKubernetesCluster } from '../.gen/providers/azurerm/data-azurerm-kubernetes-cluster';
import type { AzurermProvider } from '../.gen/providers/azurerm/provider';
import { isGuid } from '../flux/formats';
import { LiteralStrings } from './literal-strings';
import { AKS_CLUSTER_NAME, AKS_LOGIN_MODES, AksClusterAccess, AZURE_CLOUDS, AZURE_RESOURCE_GROUP, kubeloginExec } from './aks-login';
import { propErrors } from './prop-errors';

// Their home is aks-login.ts (no cdktf there); the library and the stack keep importing them from here.
export { AKS_CLUSTER_NAME, AKS_ENTRA_SERVER_ID, AKS_LOGIN_MODES, AZURE_CLOUDS, AZURE_RESOURCE_GROUP, kubeloginExec } from './aks-login';
export type { AksClusterAccess, AksLoginMode, AzureCloud } from './aks-login';

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

/** Props of {@link ClusterAccess}: a kubeconfig context, or an AKS cluster (not both). */
export interface ClusterAccessProps {
  /** A kubeconfig file and context, used as they are. @default - ~/.kube/config, its current context */
  readonly kubeconfig?: { readonly path?: string; readonly context?: string };
  /** An AKS cluster, read through the azurerm provider and signed in to with kubelogin. */
  readonly aks?: AksClusterAccess;
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
