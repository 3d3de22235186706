import { AzureDevOpsRepositoryName, GitTransport, normaliseGitUrl, parseAzureDevOpsUrl } from '../azure-devops/urls';
import { DEFAULT_CONNECTOR_NAMESPACE_PREFIX } from './schema';
import type { ClusterConfig, GitAuth, RepositoryConfig } from './schema';

/** What a repository entry of the config means, once its URL or names are understood. */
export interface RepositorySource {
  readonly auth: GitAuth;
  readonly transport: GitTransport;
  /** Its Azure DevOps names, when it is an Azure Repos repository (by URL or by names). */
  readonly azureDevOps?: AzureDevOpsRepositoryName;
  /** True when named by `azureDevOps`: its URLs are read from Azure DevOps at deploy. */
  readonly lookup: boolean;
  /** The URL Flux fetches, when known at synth (given as `url`). */
  readonly url?: string;
}

/**
 * The auth of an Azure Repos repository that names none: workload identity in the zero-secret mode
 * (`workloadIdentity.managed`), otherwise undefined (ssh, as for every other repository).
 */
export function azureReposDefaultAuth(cluster: Pick<ClusterConfig, 'workloadIdentity'>): GitAuth | undefined {
  return cluster.workloadIdentity?.managed ? 'workload-identity' : undefined;
}

/**
 * Interprets one repository entry; throws (with the accepted forms) on a URL Flux cannot use.
 * `azureReposAuth` is the auth of an Azure Repos repository that names none (azureReposDefaultAuth).
 */
export function repositorySource(repo: RepositoryConfig, azureReposAuth?: GitAuth): RepositorySource {
  if (repo.auth === undefined && azureReposAuth !== undefined) {
    const plain = repositorySource(repo);
    if (plain.azureDevOps) return repositorySource({ ...repo, auth: azureReposAuth });
    return plain;
  }
  const auth = repo.auth ?? 'ssh';
  const transport: GitTransport = auth === 'ssh' ? 'ssh' : 'https';
  if (repo.azureDevOps) {
    const { organization, project, repository } = repo.azureDevOps;
    return { auth, transport, azureDevOps: { organization, project, repository }, lookup: true };
  }
  const url = normaliseGitUrl(repo.url ?? '', transport);
  return { auth, transport, azureDevOps: parseAzureDevOpsUrl(url), lookup: false, url };
}

/** Default of `connector.namespacePrefix`. */

export function connectorNamespacePrefix(cluster: ClusterConfig): string {
  return cluster.connector?.namespacePrefix ?? DEFAULT_CONNECTOR_NAMESPACE_PREFIX;
}

/** The namespace of the GitOps Connector of repository `repo` of `cluster`. */
export function connectorNamespace(cluster: ClusterConfig, repo: string): string {
  return `${connectorNamespacePrefix(cluster)}-${repo}`;
}

/** Name of the Provider + Alert that feed the GitOps Connector of repository `repo`. */
export function connectorAlertName(repo: string): string {
  return `gitops-connector-${repo}`;
}

/** Name of the Provider + Alert of Flux's own commit status for repository `repo`. */
export function commitStatusAlertName(repo: string): string {
  return `commit-status-${repo}`;
}

/** Secrets the stack makes in the Flux namespace, by name. */
export const GIT_HTTPS_SECRET = 'flux-git-https-auth';
/** The Secret (key `token`) of Flux's azuredevops commit-status Providers. */
export const COMMIT_STATUS_SECRET = 'flux-azure-devops-token';
/** The Secret holding the address of a provider with addressFromVariable. */
export function notificationSecretName(provider: string): string {
  return `flux-notification-${provider}`;
}
/** The Receiver of repository `repo`, and its token Secret (FluxReceiver names it `<receiver>-token`). */
export function receiverName(repo: string): string {
  return `${repo}-push`;
}
/** The Secret holding the push-hook token of the Receiver of repository `repo`. */
export function receiverSecretName(repo: string): string {
  return `${receiverName(repo)}-token`;
}

/**
 * Whether Flux posts its own Azure DevOps commit statuses for the cluster: `notifications.commitStatus`, by
 * default on when some Azure Repos repository has a connector or is read by workload identity (no PAT needed).
 */
export function commitStatusesOn(cluster: ClusterConfig): boolean {
  const onAzureDevOps = cluster.repositories.filter((repo) => repositorySource(repo, azureReposDefaultAuth(cluster)).azureDevOps);
  if (onAzureDevOps.length === 0) return false;
  const connected = onAzureDevOps.some((repo) => repo.connector?.enabled ?? cluster.connector?.enabled ?? true);
  const byIdentity = cluster.workloadIdentity?.managed !== undefined && onAzureDevOps.some((repo) => repositorySource(repo, azureReposDefaultAuth(cluster)).auth === 'workload-identity');
  return cluster.notifications?.commitStatus ?? (connected || byIdentity);
}
