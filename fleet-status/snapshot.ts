/**
 * The fleet snapshot: what is live where, as `status --json` prints it, `status --snapshot` reads it back,
 * the page renders it and `gate` judges it. This file is the contract between the readers and every
 * renderer; its JSON Schema (fleet-status/snapshot.schema.json) is versioned by SNAPSHOT_SCHEMA, and a
 * change that a reader of v1 would misread takes a new version.
 *
 * Times are ISO 8601 (UTC) strings, revisions are full 40-hex commit SHAs, and `null` means "not known"
 * (never an empty string or zero).
 */

export const SNAPSHOT_SCHEMA = 'cdktf-flux-gitops/fleet-snapshot/v1';

/**
 * The state of one Kustomization of one cluster.
 * - `ready`: its newest attempt was applied and is healthy (`revision` === `attemptedRevision`).
 * - `progressing`: a newer revision is being attempted; no result yet.
 * - `failed`: its newest attempt failed; `reason` says why, `revision` is still the last good one.
 * - `silent`: the config expects it, but nothing was ever reported for it: a broken token, Provider or
 *   Alert, or a cluster that never reconciled. This is what operators do not notice without a reader.
 * - `missing`: the cluster answered, and has no such Kustomization.
 * - `unknown`: no source could be read for it (the cluster unreachable and Azure DevOps not read).
 */
export type KustomizationState = 'ready' | 'progressing' | 'failed' | 'silent' | 'missing' | 'unknown';

/** Every state a Kustomization can be in, for validation and filters. */
export const KUSTOMIZATION_STATES: readonly KustomizationState[] = ['ready', 'progressing', 'failed', 'silent', 'missing', 'unknown'];

/** Where a fact was read: the Azure DevOps commit statuses, or the Kustomization's `.status` in the cluster. */
export type SourceName = 'ado' | 'cluster';

/** An Azure Repos repository, by the names Azure DevOps gives it. */
export interface RepositoryRef {
  readonly organization: string;
  readonly project: string;
  readonly name: string;
}

/** One Kustomization of one cluster: what runs, what was attempted, and in which state. */
export interface KustomizationStatus {
  readonly name: string;
  readonly namespace: string;
  readonly repository: RepositoryRef;
  /** The ref the config follows (`refs/heads/main`, a tag, or a semver range), as the config gives it. */
  readonly ref: string | null;
  /** The applied revision: the newest commit with a succeeded status, or the cluster's lastAppliedRevision. */
  readonly revision: string | null;
  /** The newest revision attempted. */
  readonly attemptedRevision: string | null;
  readonly state: KustomizationState;
  /** Why it is in that state, in words (the status description or the Ready condition's message). */
  readonly reason: string | null;
  /** Since when it has been in that state. */
  readonly since: string | null;
  /** How many commits `revision` is behind the head of the ref; null when either is unknown. */
  readonly commitsBehind: number | null;
  /** The sources that said something about it; empty when none did. */
  readonly from: readonly SourceName[];
  /** The Azure DevOps status name the stack's contract gives it (fleet/<ring>/<cluster>/...). */
  readonly statusName: string | null;
  /** The status's targetUrl, where the writer gave one. */
  readonly targetUrl: string | null;
  /** Where the two sources disagree, in words (a cluster live at X that never reported X); null when they agree. */
  readonly disagreement: string | null;
}

/** One cluster of the config, with every Kustomization it is expected to run. */
export interface ClusterStatus {
  readonly name: string;
  readonly ring: number;
  /** true: the cluster answered; false: it did not (see `error`); null: the cluster was not read. */
  readonly reachable: boolean | null;
  /** Why the cluster could not be read; never a credential. */
  readonly error: string | null;
  readonly kustomizations: readonly KustomizationStatus[];
}

/** How far one commit got in one ring. */
export interface RingProgress {
  /** When the first cluster of the ring ran the commit (or a descendant) successfully. */
  readonly reachedAt: string | null;
  /** When the last cluster of the ring did; null until every one has. */
  readonly completeAt: string | null;
  /** How many of the ring's clusters run it successfully. */
  readonly succeeded: number;
  /** How many clusters the ring has in the config. */
  readonly expected: number;
  /** The ring's clusters that do not run it yet. */
  readonly stragglers: readonly string[];
}

/** One commit of a followed ref, with its progress through the rings. */
export interface CommitStatus {
  readonly repository: RepositoryRef;
  readonly sha: string;
  readonly pushedAt: string | null;
  readonly author: string | null;
  /** The first line of the commit message. */
  readonly message: string | null;
  /** The commit's page in Azure DevOps. */
  readonly url: string | null;
  /** Keyed by ring number, as a string (JSON keys). */
  readonly rings: Readonly<Record<string, RingProgress>>;
}

/** Push to live in one ring, over the commits read. */
export interface LeadTime {
  /** Commits that reached the ring, of those read. */
  readonly samples: number;
  readonly p50Seconds: number | null;
  readonly p90Seconds: number | null;
}

/** A repository the fleet follows, with the head of its ref. */
export interface RepositoryStatus extends RepositoryRef {
  readonly ref: string | null;
  /** The head of the ref (the newest matching tag for a semver range). */
  readonly head: string | null;
  /** The repository's page in Azure DevOps. */
  readonly url: string | null;
}

/** Whether one source was read, and what could not be. */
export interface SourceReport {
  /** Whether this source was asked at all (`--from`). */
  readonly read: boolean;
  /** Why it (or part of it) could not be read; null when all answered. */
  readonly error: string | null;
}

/** The whole fleet at one moment: `status --json` prints exactly this. */
export interface FleetSnapshot {
  readonly schema: typeof SNAPSHOT_SCHEMA;
  readonly generatedAt: string;
  /** A hash of the config the expected fleet was read from, so two snapshots can be told apart. */
  readonly configHash: string;
  readonly sources: Readonly<Record<SourceName, SourceReport>>;
  /** Ring numbers in order, each with its clusters in config order. */
  readonly rings: readonly { readonly ring: number; readonly clusters: readonly string[] }[];
  readonly repositories: readonly RepositoryStatus[];
  readonly clusters: readonly ClusterStatus[];
  /** Newest first, per repository. */
  readonly commits: readonly CommitStatus[];
  /** Keyed by ring number, as a string. */
  readonly leadTime: Readonly<Record<string, LeadTime>>;
}
