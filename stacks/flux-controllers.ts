import { Construct } from 'constructs';
import { ClusterConfig } from '../config/schema';
import { AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG, FluxInstall, OBJECT_LEVEL_WORKLOAD_IDENTITY_ARG, WorkloadIdentity } from '../constructs/flux-install';

/** How the stack's repositories need the controllers set up. */
export interface FluxControllersInput {
  /** Whether an SSH repository talks to Azure DevOps (sshToAzureDevOps in sources.ts). */
  readonly sshToAzureDevOps: boolean;
  /** The identity source-controller signs in as (sourceIdentityOf in identity.ts). */
  readonly sourceIdentity?: WorkloadIdentity;
  /** Whether notification-controller posts commit statuses as the identity. */
  readonly statusByIdentity: boolean;
}

/** The Flux install of the cluster's `flux` settings, with the controller arguments the repositories need. */
export function installFlux(scope: Construct, cluster: ClusterConfig, input: FluxControllersInput): FluxInstall {
  // Both controllers that talk SSH to Azure DevOps (source fetches, image automation pushes) must
  // offer only the host key algorithms its server has.
  const { sshToAzureDevOps } = input;
  return new FluxInstall(scope, 'flux', {
    namespace: cluster.flux?.namespace,
    chartVersion: cluster.flux?.chartVersion,
    chartRepository: cluster.flux?.chartRepository,
    components: cluster.flux?.components,
    sourceControllerArgs: sshToAzureDevOps ? [AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG] : [],
    imageAutomationControllerArgs: sshToAzureDevOps && cluster.flux?.components?.imageAutomation ? [AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG] : [],
    aksSystemPool: cluster.flux?.aksSystemPool,
    placement: cluster.flux?.placement,
    imageRegistry: cluster.flux?.imageRegistry,
    imagePullSecrets: cluster.flux?.imagePullSecrets,
    multitenancy: cluster.flux?.multitenancy,
    values: cluster.flux?.values,
    sourceControllerWorkloadIdentity: input.sourceIdentity,
    notificationControllerArgs: input.statusByIdentity ? [OBJECT_LEVEL_WORKLOAD_IDENTITY_ARG] : [],
    kustomizeControllerWorkloadIdentity: cluster.sops?.keyVault,
    webhookReceiverIngress: cluster.receiver?.ingress && { host: new URL(cluster.receiver.publicUrl).hostname, ...cluster.receiver.ingress },
  });
}
