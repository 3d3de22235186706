import { ITerraformDependable, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { azureDevOpsHttpsUrl } from '../azure-devops/urls';
import { kustomizationsOfSource } from '../config/kustomizations';
import { COMMIT_STATUS_SECRET, commitStatusAlertName, connectorAlertName, notificationSecretName } from '../config/repositories';
import { ClusterConfig } from '../config/schema';
import { FluxAlert } from '../constructs/flux-alert';
import type { FluxObjectsRelease } from '../constructs/flux-objects-release';
import type { GitOpsConnector } from '../constructs/gitops-connector';
import { CrossNamespaceObjectReference } from '../flux/api';
import type { CommitStatusWriter } from '../flux/commit-status';
import { COMMIT_STATUS_SERVICE_ACCOUNT } from './identity';
import { fluxSecret, nonEmptySecretVariable } from './secrets';
import type { Entry } from './sources';

/**
 * Construct id of a FluxAlert. The Alerts make no Terraform resource (their objects go into the
 * flux-objects release), so their ids may change without replacing anything; they had the form
 * `<prefix>-<name>`, which a repository `alert-x` (connector `connector-alert-x`) or a provider
 * `a-address` (the address Secret `notification-a-address` of provider `a`) could take too. A ":"
 * is in no config name (they are RFC 1123 labels), so these ids cannot meet another construct's.
 */
function alertId(kind: 'connector' | 'commit-status' | 'notification', name: string): string {
  return `alert:${kind}:${name}`;
}

/** The Secrets the Providers read: the commit-status token, and the address of each provider that keeps it in a variable. */
export interface NotificationSecrets {
  readonly tokenSecret?: SecretV1;
  /** By provider name. */
  readonly addressSecrets: Map<string, SecretV1>;
}

/**
 * In the Flux namespace, after `afterFlux`: the Secret of Flux's commit-status PAT (when `commitStatusPat` is
 * given), and per provider with `addressFromVariable` a sensitive variable and the Secret holding it.
 */
export function addNotificationSecrets(
  scope: Construct,
  cluster: ClusterConfig,
  namespace: string,
  commitStatusPat: TerraformVariable | undefined,
  afterFlux: ITerraformDependable[],
): NotificationSecrets {
  const tokenSecret = commitStatusPat ? fluxSecret(scope, namespace, 'commit-status-token', COMMIT_STATUS_SECRET, { token: commitStatusPat.stringValue }, afterFlux) : undefined;
  const addressSecrets = new Map(
    (cluster.notifications?.providers ?? [])
      .filter((p) => p.addressFromVariable)
      .map((p) => {
        const variable = nonEmptySecretVariable(
          scope,
          `notification_address_${p.name.replace(/-/g, '_')}`,
          `Address of the ${p.type} notification provider ${p.name} (it holds a token).`,
          'the address',
        );
        return [p.name, fluxSecret(scope, namespace, `notification-${p.name}-address`, notificationSecretName(p.name), { address: variable.stringValue }, afterFlux)];
      }),
  );
  return { tokenSecret, addressSecrets };
}

/** What the Alerts are made from: which repositories report where, and the objects they post to or through. */
export interface AlertsInput {
  readonly delivery: FluxObjectsRelease;
  /** Who writes the commit statuses and events (flux/commit-status.ts). */
  readonly writer: CommitStatusWriter;
  /** Repositories with a GitOps Connector, and the connectors by repository name. */
  readonly connected: readonly Entry[];
  readonly connectors: ReadonlyMap<string, GitOpsConnector>;
  /** Repositories that get Flux's own commit status, and of them those that post it as the identity. */
  readonly commitStatus: readonly Entry[];
  readonly statusByIdentity: readonly Entry[];
  readonly addressSecrets: ReadonlyMap<string, SecretV1>;
}

/** Every Provider + Alert pair: connectors, commit statuses, and the config's own providers. */
export function addAlerts(scope: Construct, cluster: ClusterConfig, input: AlertsInput): FluxAlert[] {
  const { delivery, writer, connected, connectors, commitStatus, statusByIdentity, addressSecrets } = input;
  // A repository's events: its GitRepository's and its Kustomizations' (one named after it, or its list).
  const repoByName = new Map(cluster.repositories.map((r) => [r.name, r]));
  // A name the config does not know (a cluster not from config/load.ts) counts as a short-form source.
  const kustomizationNames = (name: string): string[] => {
    const repo = repoByName.get(name);
    return repo ? kustomizationsOfSource(repo).map((k) => k.name) : [name];
  };
  const sourcesOf = (names: readonly string[], kinds: readonly ('GitRepository' | 'Kustomization')[]): CrossNamespaceObjectReference[] =>
    names.flatMap((name) =>
      kinds.flatMap((kind): CrossNamespaceObjectReference[] =>
        kind === 'Kustomization' ? kustomizationNames(name).map((k) => ({ kind, name: k })) : [{ kind, name }],
      ),
    );
  return [
    ...connected.map(
      ({ repo }) =>
        new FluxAlert(scope, alertId('connector', repo.name), {
          delivery,
          name: connectorAlertName(repo.name),
          type: 'generic',
          address: connectors.get(repo.name)!.address,
          eventSeverity: 'info',
          writer,
          // Connector 1.2.1 posts every status to its one manifests repository: give it that
          // repository's events only (one connector per repository covers them all). Kustomization
          // events only: it maps their reasons, while a GitRepository event other than NewArtifact
          // (GitOperationFailed, AuthenticationFailed...) hits its fixed reason table and gets a 500
          // (Azure/gitops-connector src/operators/flux_gitops_operator.py, is_supported_message and
          // _map_reason_to_description). Source failures go to Flux's own commit status (through
          // the Kustomization that then fails) and to the config's providers.
          eventSources: sourcesOf([repo.name], ['Kustomization']),
        }),
    ),
    ...commitStatus.map(
      ({ repo, source }) =>
        new FluxAlert(scope, alertId('commit-status', repo.name), {
          delivery,
          name: commitStatusAlertName(repo.name),
          type: 'azuredevops',
          address: azureDevOpsHttpsUrl(source.azureDevOps!),
          ...(statusByIdentity.some((e) => e.repo.name === repo.name) ? { serviceAccountName: COMMIT_STATUS_SERVICE_ACCOUNT } : { secretName: COMMIT_STATUS_SECRET }),
          eventSeverity: 'info',
          writer,
          eventSources: sourcesOf([repo.name], ['Kustomization']),
        }),
    ),
    ...(cluster.notifications?.providers ?? []).map(
      (p) =>
        new FluxAlert(scope, alertId('notification', p.name), {
          delivery,
          name: p.name,
          type: p.type,
          address: p.address,
          channel: p.channel,
          username: p.username,
          secretName: p.secretName ?? (addressSecrets.has(p.name) ? notificationSecretName(p.name) : undefined),
          eventSeverity: p.eventSeverity,
          writer,
          eventSources: p.repositories ? sourcesOf(p.repositories, ['GitRepository', 'Kustomization']) : undefined,
        }),
    ),
  ];
}
