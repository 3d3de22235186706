/**
 * What a reader brings back from one source, before the two are joined into a snapshot (snapshot.ts).
 * The cluster reader (cluster-reader.ts) makes ClusterReading; the Azure DevOps reader makes its own.
 */

/** The Ready condition of a Kustomization, as its `.status.conditions[type=Ready]` has it. */
export interface ReadyCondition {
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string | null;
  readonly message: string | null;
  readonly lastTransitionTime: string | null;
}

/** One entry of `.status.history` (kustomize-controller >= 1.5): the newest first, at most five. */
export interface HistoryEntry {
  /** The 40-hex commit SHA of the snapshot's `metadata.revision`, or null when it names no commit. */
  readonly revision: string | null;
  readonly firstReconciled: string | null;
  readonly lastReconciled: string | null;
  /** e.g. ReconciliationSucceeded */
  readonly lastReconciledStatus: string | null;
  readonly totalReconciliations: number | null;
}

export interface ClusterKustomizationReading {
  readonly name: string;
  readonly namespace: string;
  /** The 40-hex commit SHA of `.status.lastAppliedRevision` (`main@sha1:<sha>`, `v1.2.3@sha1:<sha>`), or null. */
  readonly lastAppliedRevision: string | null;
  readonly lastAttemptedRevision: string | null;
  readonly ready: ReadyCondition | null;
  readonly suspended: boolean;
  readonly history: readonly HistoryEntry[];
}

export interface ClusterReading {
  readonly cluster: string;
  /** false when the API server could not be reached or refused the reader. */
  readonly reachable: boolean;
  /** Why the cluster could not be read (never a credential); null when it was read. */
  readonly error: string | null;
  /** Every Kustomization the cluster has (the reader lists them; the join picks the expected ones). */
  readonly kustomizations: readonly ClusterKustomizationReading[];
}
