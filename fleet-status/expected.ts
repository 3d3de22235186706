/**
 * The expected fleet: what the config (the same one synth reads) says should run where. Clusters in
 * ring order, the Azure Repos repositories and refs they follow, and the Kustomizations each cluster
 * runs from each, as the stack derives them (config/kustomizations.ts). Readers and the join
 * (compute.ts) start from here; nothing in it is read from the network.
 */
import { createHash } from 'crypto';
import { kustomizationsOf } from '../config/kustomizations';
import { loadConfig } from '../config/load';
import { azureReposDefaultAuth, commitStatusEnabled, repositorySource } from '../config/repositories';
import type { ClusterConfig, FluxGitOpsConfig } from '../config/schema';
import { commitStatusName } from '../flux/commit-status';
import type { RepositoryRef } from './snapshot';

/**
 * What a GitRepository follows, in Flux's order of precedence (commit, name, semver, tag, branch).
 * `default`: a repository named by `azureDevOps` without a ref follows its default branch, read at deploy.
 */
export type ExpectedRef =
  | { readonly kind: 'branch' | 'tag' | 'semver' | 'name' | 'commit'; readonly value: string }
  | { readonly kind: 'default'; readonly value: null };

export interface ExpectedKustomization {
  readonly name: string;
  readonly namespace: string;
  /** The config's name of the repository entry it is built from. */
  readonly source: string;
  readonly repository: RepositoryRef;
  readonly ref: ExpectedRef;
  /** Its status name of the contract (flux/commit-status.ts). */
  readonly statusName: string;
}

export interface ExpectedCluster {
  readonly name: string;
  readonly ring: number;
  /** Whether the stack makes Flux write commit statuses for it (otherwise Azure DevOps silence says nothing). */
  readonly reportsStatus: boolean;
  readonly config: ClusterConfig;
  /** Its Kustomizations of Azure Repos repositories (the ones whose commits the fleet can follow). */
  readonly kustomizations: readonly ExpectedKustomization[];
}

/** One repository followed at one ref: what the Azure DevOps reader reads once, however many clusters follow it. */
export interface ExpectedSource {
  readonly key: string;
  readonly repository: RepositoryRef;
  readonly ref: ExpectedRef;
}

export interface ExpectedFleet {
  readonly source: string;
  readonly configHash: string;
  /** In ring order, config order within a ring. */
  readonly clusters: readonly ExpectedCluster[];
  readonly rings: readonly { readonly ring: number; readonly clusters: readonly string[] }[];
  readonly sources: readonly ExpectedSource[];
}

/** The ref in Flux's precedence: commit wins (it may sit beside branch), then name, semver, tag, branch. */
export function expectedRef(ref: { branch?: string; tag?: string; semver?: string; name?: string; commit?: string } | undefined, lookedUp: boolean): ExpectedRef {
  for (const kind of ['commit', 'name', 'semver', 'tag', 'branch'] as const) {
    const value = ref?.[kind];
    if (value !== undefined) return { kind, value };
  }
  // The stack's defaults: a looked-up repository follows its default branch, any other `main` (FLUX_GIT_SYNC_DEFAULTS).
  return lookedUp ? { kind: 'default', value: null } : { kind: 'branch', value: 'main' };
}

/** How the ref reads in a table and the snapshot's `ref`: `refs/heads/main`, `refs/tags/v1`, `semver:>=1.0.0`. */
export function refText(ref: ExpectedRef): string | null {
  switch (ref.kind) {
    case 'branch':
      return `refs/heads/${ref.value}`;
    case 'tag':
      return `refs/tags/${ref.value}`;
    case 'name':
      return ref.value;
    case 'default':
      return null;
    default:
      return `${ref.kind}:${ref.value}`;
  }
}

/** Azure DevOps compares organisation, project and repository names without regard to case. */
export function sourceKey(repository: RepositoryRef, ref: ExpectedRef): string {
  return `${repository.organization}/${repository.project}/${repository.name}`.toLowerCase() + `\u0000${ref.kind}\u0000${ref.value ?? ''}`;
}

export function repositoryKey(repository: RepositoryRef): string {
  return `${repository.organization}/${repository.project}/${repository.name}`.toLowerCase();
}

/** The expected fleet of a loaded config. */
export function expectedFleet(config: FluxGitOpsConfig, source: string): ExpectedFleet {
  const sources = new Map<string, ExpectedSource>();
  const clusters = config.clusters
    .map((cluster, index) => ({ cluster, index, ring: cluster.ring ?? 1 }))
    .sort((a, b) => a.ring - b.ring || a.index - b.index)
    .map(({ cluster, ring }): ExpectedCluster => {
      const namespace = cluster.flux?.namespace ?? 'flux-system';
      const auth = azureReposDefaultAuth(cluster);
      const kustomizations = kustomizationsOf(cluster).flatMap((site): ExpectedKustomization[] => {
        if (site.list !== 'repositories') return [];
        const repo = cluster.repositories.find((r) => r.name === site.sourceName)!;
        const ado = repositorySource(repo, auth).azureDevOps;
        if (!ado) return [];
        const repository = { organization: ado.organization, project: ado.project, name: ado.repository };
        const ref = expectedRef(repo.ref, repo.azureDevOps !== undefined);
        const key = sourceKey(repository, ref);
        if (!sources.has(key)) sources.set(key, { key, repository, ref });
        return [
          {
            name: site.config.name,
            namespace,
            source: repo.name,
            repository,
            ref,
            statusName: commitStatusName({ ring, cluster: cluster.name, kind: 'Kustomization', namespace, name: site.config.name }),
          },
        ];
      });
      return { name: cluster.name, ring, reportsStatus: commitStatusEnabled(cluster), config: cluster, kustomizations };
    });
  const ringNumbers = [...new Set(clusters.map((c) => c.ring))];
  return {
    source,
    // Of the validated config, so two files that mean the same fleet hash the same.
    configHash: `sha256:${createHash('sha256').update(JSON.stringify(config)).digest('hex')}`,
    clusters,
    rings: ringNumbers.map((ring) => ({ ring, clusters: clusters.filter((c) => c.ring === ring).map((c) => c.name) })),
    sources: [...sources.values()],
  };
}

/** The expected fleet of the config file (undefined: the embedded example), read as synth reads it. */
export function loadExpectedFleet(file: string | undefined): ExpectedFleet {
  const loaded = loadConfig(file);
  return expectedFleet(loaded.config, loaded.source);
}
