/**
 * The join: the expected fleet (expected.ts), what Azure DevOps keeps (ado-reader.ts) and what the
 * clusters say (ClusterReading), into one FleetSnapshot (snapshot.ts).
 *
 * Azure DevOps: only statuses of the contract count (name `fleet/<ring>/<cluster>/kustomization/<ns>/<name>`,
 * flux/commit-status.ts; genre `fluxcd` or `fluxcd:<summary>`), in the two states notification-controller
 * writes, `succeeded` and `error` (../shared/reference/fleet-view-research.md §5.1). It writes a status only
 * when the state or description changes, so a commit's newest status of a name is its current state there.
 *
 * Ancestry: the commits of a repository and ref are read as the history walk from its head, newest
 * first. Within them, a commit counts as a descendant of every commit after it in that walk. That is
 * exact for a history of one line (squash or rebase merges, fast-forwards), which is what the heads
 * Flux follows move along; a revision older than the walk is compared with the head through Diffs - Get.
 */
import { parseCommitStatusName, FLUX_STATUS_GENRE } from '../flux/commit-status';
import type { AdoReading, AdoSourceReading, AdoStatus } from './ado-reader';
import type { ExpectedCluster, ExpectedFleet, ExpectedKustomization } from './expected';
import { refText, repositoryKey, sourceKey } from './expected';
import type { ClusterKustomizationReading, ClusterReading } from './readings';
import {
  ClusterStatus,
  CommitStatus,
  FleetSnapshot,
  KustomizationState,
  KustomizationStatus,
  LeadTime,
  RepositoryStatus,
  RingProgress,
  SNAPSHOT_SCHEMA,
  SourceName,
} from './snapshot';

/** What the join takes: the expected fleet and what each source brought back. */
export interface ComputeInput {
  readonly fleet: ExpectedFleet;
  /** null: Azure DevOps was not read (`--from cluster`). */
  readonly ado: AdoReading | null;
  /** null: the clusters were not read (`--from ado`). */
  readonly clusters: readonly ClusterReading[] | null;
  readonly now: Date;
}

const SHA = /([0-9a-f]{40})$/;

/** The commit SHA of a revision as Flux writes it (`main@sha1:<sha>`, `v1.2.3@sha1:<sha>`, or a bare SHA). */
export function shaOf(revision: string | null | undefined): string | null {
  return revision ? (revision.toLowerCase().match(SHA)?.[1] ?? null) : null;
}

const isFluxGenre = (genre: string | null): boolean => genre === FLUX_STATUS_GENRE || (genre ?? '').startsWith(`${FLUX_STATUS_GENRE}:`);

/** Parsed times, for the duration of one computeSnapshot (the same few thousand strings are compared over and over). */
const parsedTimes = new Map<string, number>();
function time(iso: string | null | undefined): number {
  if (!iso) return NaN;
  let t = parsedTimes.get(iso);
  if (t === undefined) parsedTimes.set(iso, (t = Date.parse(iso)));
  return t;
}

/** The newest status of a list: by creation time, then by id (Azure DevOps numbers them in order). */
function newest(statuses: readonly AdoStatus[]): AdoStatus {
  return statuses.reduce((a, b) => {
    const d = time(b.creationDate) - time(a.creationDate);
    return d > 0 || (d === 0 && (b.id ?? 0) > (a.id ?? 0)) ? b : a;
  });
}

/** One source (repository at a ref) as the join uses it: the walk's positions and the contract's statuses by name. */
interface Window {
  readonly reading: AdoSourceReading;
  readonly index: Map<string, number>;
  /** status name -> commit position -> its statuses of that name */
  readonly byName: Map<string, Map<number, AdoStatus[]>>;
  /** status name -> for each position, the first success at that commit or a newer one (a descendant), in ms; NaN for none. */
  readonly firstSuccess: Map<string, number[]>;
}

function windowOf(reading: AdoSourceReading): Window {
  const index = new Map(reading.commits.map((c, i) => [c.sha, i]));
  const byName = new Map<string, Map<number, AdoStatus[]>>();
  reading.commits.forEach((c, i) => {
    for (const s of c.statuses) {
      if (!isFluxGenre(s.genre) || parseCommitStatusName(s.name) === null) continue;
      if (s.state !== 'succeeded' && s.state !== 'error' && s.state !== 'failed') continue;
      const perCommit = byName.get(s.name) ?? new Map<number, AdoStatus[]>();
      byName.set(s.name, perCommit);
      perCommit.set(i, [...(perCommit.get(i) ?? []), s]);
    }
  });
  const firstSuccess = new Map<string, number[]>();
  for (const [name, perCommit] of byName) {
    const firsts: number[] = [];
    let first = NaN;
    for (let i = 0; i < reading.commits.length; i++) {
      for (const s of perCommit.get(i) ?? []) {
        const t = time(s.creationDate);
        if (s.state === 'succeeded' && !(t >= first)) first = t;
      }
      firsts.push(first);
    }
    firstSuccess.set(name, firsts);
  }
  return { reading, index, byName, firstSuccess };
}

/** What one source says of one Kustomization. */
interface View {
  readonly revision: string | null;
  readonly attemptedRevision: string | null;
  readonly state: KustomizationState;
  readonly reason: string | null;
  readonly since: string | null;
  readonly targetUrl: string | null;
}

function adoView(k: ExpectedKustomization, cluster: ExpectedCluster, w: Window): View | null {
  const perCommit = w.byName.get(k.statusName);
  // windowOf makes a name's map only with a status in it: no map, no status.
  if (!perCommit) {
    // Nothing from a cluster the stack makes report: its Provider, token or Alert is broken, or it never ran.
    return cluster.reportsStatus
      ? { revision: null, attemptedRevision: null, state: 'silent', reason: `no status ${k.statusName} on the ${w.reading.commits.length} newest commits`, since: null, targetUrl: null }
      : null;
  }
  // Ascending: windowOf adds the positions in walk order, newest first.
  const positions = [...perCommit.keys()];
  const attempted = positions[0];
  const applied = positions.find((p) => perCommit.get(p)!.some((s) => s.state === 'succeeded'));
  const latest = newest(perCommit.get(attempted)!);
  const ok = latest.state === 'succeeded';
  return {
    revision: applied === undefined ? null : w.reading.commits[applied].sha,
    attemptedRevision: w.reading.commits[attempted].sha,
    state: ok ? 'ready' : 'failed',
    reason: latest.description,
    since: latest.creationDate,
    targetUrl: latest.targetUrl,
  };
}

function clusterView(ks: ClusterKustomizationReading | undefined): View {
  if (!ks) return { revision: null, attemptedRevision: null, state: 'missing', reason: 'the cluster has no such Kustomization', since: null, targetUrl: null };
  const ready = ks.ready;
  const state: KustomizationState = ready?.status === 'True' ? 'ready' : ready?.status === 'False' ? 'failed' : 'progressing';
  return {
    revision: shaOf(ks.lastAppliedRevision),
    attemptedRevision: shaOf(ks.lastAttemptedRevision),
    state,
    reason: ks.suspended ? `suspended${ready?.message ? `; ${ready.message}` : ''}` : (ready?.message ?? ready?.reason ?? null),
    since: ready?.lastTransitionTime ?? null,
    targetUrl: null,
  };
}

const sha7 = (sha: string | null): string => (sha ? sha.slice(0, 7) : 'nothing');

function disagreement(ado: View | null, live: View): string | null {
  if (!ado || live.state === 'missing') {
    return ado && ado.revision ? `Azure DevOps has ${sha7(ado.revision)} succeeded from it, but the cluster has no such Kustomization` : null;
  }
  if (!live.revision || live.revision === ado.revision) return null;
  if (ado.state === 'silent') return `the cluster runs ${sha7(live.revision)} but never reported to Azure DevOps (check its commit-status Provider, Alert and token)`;
  return `the cluster runs ${sha7(live.revision)} but its newest succeeded status in Azure DevOps is on ${sha7(ado.revision)}`;
}

/** Nearest-rank percentile: the smallest sample with at least q of the samples at or below it. */
export function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1];
}

/** Joins the expected fleet with the readings into the snapshot that every renderer and the gate read. */
export function computeSnapshot(input: ComputeInput): FleetSnapshot {
  const { fleet, ado, clusters: readings, now } = input;
  const windows = new Map<string, Window>();
  for (const s of ado?.sources ?? []) if (s.error === null) windows.set(s.key, windowOf(s));
  const sourceError = new Map((ado?.sources ?? []).filter((s) => s.error !== null).map((s) => [s.key, s.error!]));
  const readingOf = new Map((readings ?? []).map((r) => [r.cluster, r]));

  /** The position in a window of a revision (null when outside it). */
  const position = (w: Window | undefined, sha: string | null): number | null => (w && sha !== null ? (w.index.get(sha) ?? null) : null);

  const clusterStatuses: ClusterStatus[] = fleet.clusters.map((cluster) => {
    const reading = readingOf.get(cluster.name);
    const kustomizations = cluster.kustomizations.map((k): KustomizationStatus => {
      const w = windows.get(keyOf(k));
      const fromAdo = w ? adoView(k, cluster, w) : null;
      const live = reading?.reachable ? clusterView(reading.kustomizations.find((x) => x.name === k.name && x.namespace === k.namespace)) : null;
      const from: SourceName[] = [];
      if (fromAdo && fromAdo.state !== 'silent') from.push('ado');
      if (live) from.push('cluster');
      const unknownReason = [
        ado === null
          ? 'Azure DevOps not read'
          : (sourceError.get(keyOf(k)) ?? (w ? (cluster.reportsStatus ? null : 'the stack has this cluster write no commit statuses (notifications.commitStatus)') : ado.error)),
        readings === null ? 'the cluster not read' : reading && !reading.reachable ? `the cluster is unreachable: ${reading.error ?? 'no answer'}` : null,
      ].filter((x): x is string => !!x);
      const chosen: View = live ?? fromAdo ?? { revision: null, attemptedRevision: null, state: 'unknown', reason: unknownReason.join('; ') || null, since: null, targetUrl: null };
      const revision = chosen.revision;
      const at = position(w, revision);
      const comparison = revision && w ? w.reading.comparisons[revision] : undefined;
      return {
        name: k.name,
        namespace: k.namespace,
        repository: k.repository,
        ref: refText(k.ref),
        revision,
        attemptedRevision: chosen.attemptedRevision,
        state: chosen.state,
        reason: chosen.reason,
        // Azure DevOps tells since when only of the revision the cluster runs: not of nothing (a missing
        // Kustomization, a failure that applied nothing), where its time is of another state.
        since: chosen.since ?? (fromAdo && live?.revision && fromAdo.revision === live.revision ? fromAdo.since : null),
        commitsBehind: at !== null ? at : comparison ? comparison.behind : null,
        from,
        statusName: k.statusName,
        targetUrl: fromAdo?.targetUrl ?? null,
        disagreement: live ? disagreement(fromAdo, live) : null,
      };
    });
    return {
      name: cluster.name,
      ring: cluster.ring,
      reachable: readings === null ? null : (reading?.reachable ?? false),
      error: readings === null ? null : reading ? reading.error : 'no reading for this cluster',
      kustomizations,
    };
  });

  // Ring timelines, per repository: the union of the commits read at each ref.
  const statusOf = new Map(clusterStatuses.map((c) => [c.name, c]));
  /**
   * Per cluster and repository, what liveSince needs of each Kustomization, worked out once: its window,
   * the position of its revision there, its first successes from Azure DevOps, and its history's successes.
   */
  const followers = new Map<string, { w: Window | undefined; current: number | null; firsts: number[] | undefined; history: { p: number; at: number }[] }[]>();
  for (const cluster of fleet.clusters) {
    const status = statusOf.get(cluster.name)!;
    const reading = readingOf.get(cluster.name);
    cluster.kustomizations.forEach((k, i) => {
      const w = windows.get(keyOf(k));
      const key = `${cluster.name}\u0000${repositoryKey(k.repository)}`;
      const history = (reading?.kustomizations.find((x) => x.name === k.name && x.namespace === k.namespace)?.history ?? []).flatMap((h) => {
        const p = position(w, shaOf(h.revision));
        return p !== null && h.lastReconciledStatus === 'ReconciliationSucceeded' && h.firstReconciled ? [{ p, at: time(h.firstReconciled) }] : [];
      });
      followers.set(key, [...(followers.get(key) ?? []), { w, current: position(w, status.kustomizations[i].revision), firsts: w?.firstSuccess.get(k.statusName), history }]);
    });
  }

  const byRepository = new Map<string, { w: Window; commits: AdoSourceReading['commits'] }[]>();
  for (const w of windows.values()) {
    const key = repositoryKey(w.reading.repository);
    byRepository.set(key, [...(byRepository.get(key) ?? []), { w, commits: w.reading.commits }]);
  }
  const commits: CommitStatus[] = [];
  for (const [repoKey, ws] of byRepository) {
    // Per ring, its clusters that run something from this repository (the others have no say in its timeline).
    const followingByRing = fleet.rings.map(({ ring, clusters: names }) => ({
      ring,
      following: fleet.clusters.filter((x) => names.includes(x.name) && x.kustomizations.some((k) => repositoryKey(k.repository) === repoKey)),
    }));
    const seen = new Map<string, AdoSourceReading['commits'][number]>();
    for (const { commits: cs } of ws) for (const c of cs) if (!seen.has(c.sha)) seen.set(c.sha, c);
    const ordered = [...seen.values()].sort((a, b) => (time(b.pushedAt) || 0) - (time(a.pushedAt) || 0));
    for (const c of ordered) {
      const rings: Record<string, RingProgress> = {};
      for (const { ring, following } of followingByRing) {
        if (following.length === 0) continue;
        const live: { name: string; at: string | null }[] = [];
        for (const cluster of following) {
          const at = liveSince(cluster, repoKey, c.sha);
          if (at !== undefined) live.push({ name: cluster.name, at });
        }
        const times = live.map((l) => l.at).filter((t): t is string => t !== null).sort((a, b) => time(a) - time(b));
        const complete = live.length === following.length && times.length === live.length;
        rings[String(ring)] = {
          reachedAt: times[0] ?? null,
          completeAt: complete ? times[times.length - 1] : null,
          succeeded: live.length,
          expected: following.length,
          stragglers: following.filter((x) => !live.some((l) => l.name === x.name)).map((x) => x.name),
        };
      }
      commits.push({ repository: ws[0].w.reading.repository, sha: c.sha, pushedAt: c.pushedAt, author: c.author, message: c.message, url: c.url, rings });
    }
  }

  /**
   * When the cluster started to run `sha` or a descendant on every Kustomization it has from the repository:
   * undefined when it does not run it now, null when it does but no source says since when.
   */
  function liveSince(cluster: ExpectedCluster, repoKey: string, sha: string): string | null | undefined {
    let latest = -Infinity;
    let known = true;
    for (const f of followers.get(`${cluster.name}\u0000${repoKey}`) ?? []) {
      const target = position(f.w, sha);
      if (target === null || f.current === null || f.current > target) return undefined;
      // The first success at the commit or a descendant: from Azure DevOps, and from the cluster's history.
      let first = f.firsts?.[target] ?? NaN;
      for (const h of f.history) if (h.p <= target && !(h.at >= first)) first = h.at;
      if (Number.isNaN(first)) known = false;
      else if (first > latest) latest = first;
    }
    return known && latest !== -Infinity ? new Date(latest).toISOString() : null;
  }

  const leadTime: Record<string, LeadTime> = {};
  for (const { ring } of fleet.rings) {
    const samples = commits
      .map((c) => {
        const reached = c.rings[String(ring)]?.reachedAt ?? null;
        return reached && c.pushedAt ? Math.max(0, Math.round((time(reached) - time(c.pushedAt)) / 1000)) : null;
      })
      .filter((s): s is number => s !== null)
      .sort((a, b) => a - b);
    leadTime[String(ring)] = { samples: samples.length, p50Seconds: nearestRank(samples, 0.5), p90Seconds: nearestRank(samples, 0.9) };
  }

  const repositories: RepositoryStatus[] = fleet.sources.map((s) => {
    const r = ado?.sources.find((x) => x.key === s.key);
    return { ...s.repository, ref: refText(s.ref) ?? r?.headRef ?? null, head: r?.head ?? null, url: r?.repositoryUrl ?? null };
  });

  parsedTimes.clear();
  const clusterErrors = (readings ?? []).filter((r) => !r.reachable);
  return {
    schema: SNAPSHOT_SCHEMA,
    generatedAt: now.toISOString(),
    configHash: fleet.configHash,
    sources: {
      ado: { read: ado !== null, error: ado?.error ?? null },
      cluster: {
        read: readings !== null,
        error: clusterErrors.length === 0 ? null : `${clusterErrors.length} of ${readings!.length} clusters unreachable: ${clusterErrors.map((r) => r.cluster).join(', ')}`,
      },
    },
    rings: fleet.rings,
    repositories,
    clusters: clusterStatuses,
    commits,
    leadTime,
  };
}

const keyOf = (k: ExpectedKustomization): string => sourceKey(k.repository, k.ref);
