import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { connectorNamespace } from '../config/repositories';
import { ClusterConfig } from '../config/schema';
import { NOTIFICATION_CONTROLLER_POD_LABELS } from '../constructs/flux-install';
import { GitOpsConnector } from '../constructs/gitops-connector';
import type { CommitStatusWriter } from '../flux/commit-status';
import { nonEmptySecretVariable } from './secrets';
import type { Entry } from './sources';

/** The PATs that post commit statuses: the connectors' and, apart, Flux's own. */
export interface StatusPats {
  readonly connectorPat?: TerraformVariable;
  readonly commitStatusPat?: TerraformVariable;
}

/**
 * The sensitive variables of the PATs that post commit statuses: the connectors' (`TF_VAR_gitops_connector_pat`)
 * when a repository is connected, Flux's own (`TF_VAR_flux_commit_status_pat`) when a repository posts them with a PAT.
 */
export function addStatusPats(scope: Construct, connected: readonly Entry[], statusByPat: readonly Entry[]): StatusPats {
  const connectorPat =
    connected.length > 0
      ? nonEmptySecretVariable(scope, 'gitops_connector_pat', 'PAT of the GitOps Connectors (scopes Code: Read & status, Build: Read & execute). Set TF_VAR_gitops_connector_pat.')
      : undefined;
  // Flux's own commit status needs only Code (status): it does not get the connectors' PAT, which
  // can also complete pipeline gates.
  const commitStatusPat =
    statusByPat.length > 0 ? nonEmptySecretVariable(scope, 'flux_commit_status_pat', 'PAT of Flux commit statuses (scope Code: Status only). Set TF_VAR_flux_commit_status_pat.') : undefined;
  return { connectorPat, commitStatusPat };
}

/**
 * One GitOps Connector per connected Azure Repos repository, by config name, posting with `pat` and
 * reachable from notification-controller in `fluxNamespace` only.
 */
export function addConnectors(
  scope: Construct,
  cluster: ClusterConfig,
  connected: readonly Entry[],
  pat: TerraformVariable | undefined,
  writer: CommitStatusWriter,
  fluxNamespace: string,
): Map<string, GitOpsConnector> {
  return new Map(
    connected.map(({ repo, source }) => [
      repo.name,
      new GitOpsConnector(scope, `connector-${repo.name}`, {
        repository: source.azureDevOps!,
        pat: pat!.stringValue,
        namespace: connectorNamespace(cluster, repo.name),
        ciCdOrchestrator: cluster.connector?.ciCdOrchestrator,
        github: cluster.connector?.github,
        prRepository: repo.connector?.prRepository,
        writer,
        subscribers: cluster.connector?.subscribers,
        tolerations: cluster.connector?.tolerations,
        nodeSelector: cluster.connector?.nodeSelector,
        chartRepository: cluster.connector?.chartRepository,
        imageRegistry: cluster.connector?.imageRegistry,
        imagePullSecrets: cluster.connector?.imagePullSecrets,
        allowFrom: { namespace: fluxNamespace, podLabels: { ...NOTIFICATION_CONTROLLER_POD_LABELS } },
      }),
    ]),
  );
}
