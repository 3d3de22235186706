import { kustomizationsOfSource, toKustomizationEntry } from '../config/kustomizations';
import { azureReposDefaultAuth, commitStatusEnabled, repositorySource, RepositorySource } from '../config/repositories';
import { ClusterConfig, RepositoryConfig } from '../config/schema';
import { AZURE_DEVOPS_SSH_HOST } from '../azure-devops/urls';
import type { AzureDevOpsRepository } from '../constructs/azure-devops-repository';
import { FluxBucket } from '../constructs/flux-bucket';
import type { FluxGitSecret } from '../constructs/flux-git-secret';
import { FluxGitSync } from '../constructs/flux-git-sync';
import type { FluxObjectsRelease } from '../constructs/flux-objects-release';
import { FluxOciRepository } from '../constructs/flux-oci-repository';
import { Construct } from 'constructs';

/** One repository of the config with where and how Flux reads it. */
export interface Entry {
  readonly repo: RepositoryConfig;
  readonly source: RepositorySource;
}

/** The config's repositories, each with its source (URL, auth, Azure DevOps coordinates). */
export function repositoryEntries(cluster: ClusterConfig): Entry[] {
  return cluster.repositories.map((repo) => ({ repo, source: repositorySource(repo, azureReposDefaultAuth(cluster)) }));
}

/** The config's repositories, by what the stack does for them. */
export interface RepositoryPlan {
  readonly entries: Entry[];
  readonly ssh: Entry[];
  readonly https: Entry[];
  /** Zero-secret mode (`workloadIdentity.managed`): the Azure Repos repositories read as the stack's identity. */
  readonly byIdentity: Entry[];
  readonly onAzureDevOps: Entry[];
  /** The Azure Repos repositories with a GitOps Connector. */
  readonly connected: Entry[];
  /** The Azure Repos repositories that get Flux's own commit status. */
  readonly commitStatus: Entry[];
  /** Of those, the ones that post it as the identity, and the ones that post it with a PAT. */
  readonly statusByIdentity: Entry[];
  readonly statusByPat: Entry[];
}

/** The config's repositories, with their sources, sorted by auth and by what reports their state where. */
export function planRepositories(cluster: ClusterConfig): RepositoryPlan {
  const entries = repositoryEntries(cluster);
  // Zero-secret mode: every workload-identity repository is read, and reports its commit statuses, as one
  // identity the stack sets up; nothing secret in the config, the environment or the state for git.
  const byIdentity = cluster.workloadIdentity?.managed ? entries.filter((e) => e.source.auth === 'workload-identity' && e.source.azureDevOps) : [];
  const onAzureDevOps = entries.filter((e) => e.source.azureDevOps);
  // Flux's own commit status: on by default when the connectors are, and in the zero-secret mode, where
  // the identity posts it without a PAT.
  const statusOn = commitStatusEnabled(cluster);
  const commitStatus = statusOn ? onAzureDevOps : [];
  const statusByIdentity = statusOn ? byIdentity : [];
  return {
    entries,
    ssh: entries.filter((e) => e.source.auth === 'ssh'),
    https: entries.filter((e) => e.source.auth === 'https'),
    byIdentity,
    onAzureDevOps,
    connected: onAzureDevOps.filter((e) => e.repo.connector?.enabled ?? cluster.connector?.enabled ?? true),
    commitStatus,
    statusByIdentity,
    statusByPat: commitStatus.filter((e) => !statusByIdentity.includes(e)),
  };
}

function urlHost(url: string | undefined): string | undefined {
  try {
    return url === undefined ? undefined : new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Whether an SSH repository talks to Azure DevOps. By host, as FluxStackChecks judges it: an
 * ssh.dev.azure.com URL that names no Azure Repos repository still talks to a server that offers only
 * RSA host keys with SHA-2 signatures.
 */
export function sshToAzureDevOps(ssh: readonly Entry[]): boolean {
  return ssh.some((e) => e.source.azureDevOps !== undefined || urlHost(e.source.url) === AZURE_DEVOPS_SSH_HOST);
}

/** What the Flux sources read with: the Flux objects release, the Azure DevOps lookups and the git Secrets. */
export interface SourcesInput {
  readonly delivery: FluxObjectsRelease;
  readonly azureDevOpsRepositories: ReadonlyMap<string, AzureDevOpsRepository>;
  readonly sshSecret?: FluxGitSecret;
  readonly httpsSecret?: FluxGitSecret;
}

/** The Flux sources of the config, each with its Kustomizations. */
export interface Sources {
  readonly syncs: FluxGitSync[];
  readonly ociRepositories: FluxOciRepository[];
  readonly buckets: FluxBucket[];
}

/** One GitRepository per repository, one OCIRepository per OCI source, one Bucket per bucket, each with its Kustomizations. */
export function addSources(scope: Construct, cluster: ClusterConfig, entries: readonly Entry[], input: SourcesInput): Sources {
  const { delivery, azureDevOpsRepositories, sshSecret, httpsSecret } = input;
  // Under the multi-tenancy lockdown the stack's own Kustomizations keep kustomize-controller's
  // rights; without it they would run as flux-system's default service account, which has none.
  const applyAs = cluster.flux?.multitenancy?.enabled ? 'kustomize-controller' : undefined;
  const entry = (k: Parameters<typeof toKustomizationEntry>[0]) => ({ ...toKustomizationEntry(k), ...(applyAs && { serviceAccountName: applyAs }) });
  const syncs = entries.map(({ repo, source }) => {
    // Only repositories named by azureDevOps take their URL and branch from Azure DevOps.
    const lookup = source.lookup ? azureDevOpsRepositories.get(repo.name) : undefined;
    const url = lookup ? (source.auth === 'ssh' ? lookup.fluxSshUrl : lookup.httpsUrl) : source.url!;
    return new FluxGitSync(scope, `repo-${repo.name}`, {
      delivery,
      name: repo.name,
      url,
      transport: source.transport,
      provider: source.auth === 'workload-identity' ? 'azure' : undefined,
      secretName: { ssh: sshSecret?.secretName, https: httpsSecret?.secretName, 'workload-identity': undefined }[source.auth],
      // A looked-up repository follows its default branch unless the config names a ref.
      ref: repo.ref ?? (lookup ? { name: lookup.defaultBranch } : undefined),
      path: repo.path,
      interval: repo.interval,
      sourceTimeout: repo.sourceTimeout,
      timeout: repo.timeout,
      retryInterval: repo.retryInterval,
      prune: repo.prune,
      wait: repo.wait,
      dependsOn: repo.dependsOn,
      targetNamespace: repo.targetNamespace,
      deletionPolicy: repo.deletionPolicy,
      substitute: repo.substitute ?? repo.postBuild?.substitute,
      force: repo.force,
      suspend: repo.suspend,
      healthChecks: repo.healthChecks,
      healthCheckExprs: repo.healthCheckExprs,
      components: repo.components,
      substituteFrom: repo.postBuild?.substituteFrom,
      decryption: repo.decryption,
      kustomizationServiceAccountName: applyAs,
      kustomizations: repo.kustomizations?.map(toKustomizationEntry),
    });
  });
  const ociRepositories = (cluster.ociRepositories ?? []).map(
    (oci) =>
      new FluxOciRepository(scope, `oci-${oci.name}`, {
        delivery,
        name: oci.name,
        url: oci.url,
        ref: oci.ref,
        provider: oci.provider,
        secretName: oci.secretName,
        interval: oci.interval,
        timeout: oci.sourceTimeout,
        kustomizations: kustomizationsOfSource(oci).map(entry),
      }),
  );
  const buckets = (cluster.buckets ?? []).map(
    (bucket) =>
      new FluxBucket(scope, `bucket-${bucket.name}`, {
        delivery,
        name: bucket.name,
        bucketName: bucket.bucketName,
        endpoint: bucket.endpoint,
        provider: bucket.provider,
        prefix: bucket.prefix,
        secretName: bucket.secretName,
        interval: bucket.interval,
        timeout: bucket.sourceTimeout,
        kustomizations: kustomizationsOfSource(bucket).map(entry),
      }),
  );
  return { syncs, ociRepositories, buckets };
}
