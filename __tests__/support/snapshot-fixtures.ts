/**
 * Deterministic fleet snapshots (fleet-status/snapshot.ts) for the page, its bench and other renderers:
 * the same options always give the same snapshot, byte for byte, so a test can state what the page
 * must show and a screenshot does not change between runs.
 *
 * The fleet rolls out ring by ring: ring 1 runs the head of each repository, ring r runs the commit r-1
 * behind it, and a few cells are in trouble at fixed places (failed, silent, missing, disagreeing,
 * progressing; in fleets of more than 12 clusters, also an unreachable cluster). The commits' ring
 * progress and the lead times are derived from those cells, so the parts of a snapshot agree.
 */
import { createHash } from 'crypto';
import { commitStatusName } from '../../flux/commit-status';
import {
  SNAPSHOT_SCHEMA,
  type ClusterStatus,
  type CommitStatus,
  type FleetSnapshot,
  type KustomizationStatus,
  type LeadTime,
  type RepositoryStatus,
  type RingProgress,
} from '../../fleet-status/snapshot';

export interface SnapshotFixtureOptions {
  /** @default 6 */
  readonly clusters?: number;
  /** Kustomizations per cluster. @default 3 */
  readonly kustomizations?: number;
  /** Commits per repository, newest first. @default 8 */
  readonly commits?: number;
  /** @default 3 (fewer when there are fewer clusters) */
  readonly rings?: number;
  /** @default 2 (fewer when there are fewer Kustomizations) */
  readonly repositories?: number;
  /**
   * Hostile strings where config and commit text reach the page: the last Kustomization is named
   * `<img src=x onerror=alert(1)>`, one status has a `javascript:` targetUrl, the failed cells' reason
   * tries to leave its attribute, and the newest commit's message tries to close the script element that
   * embeds the snapshot.
   * @default true
   */
  readonly hostile?: boolean;
}

/** The name of the hostile Kustomization (and what the page must show as text). */
export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
/** The targetUrl that must never become a link. */
export const HOSTILE_TARGET_URL = 'javascript:alert(document.domain)';
/** A reason that would leave a quoted attribute (the page puts reasons in `title`) if it were not escaped. */
export const HOSTILE_REASON = 'apply failed: " autofocus onfocus="alert(3)" x=\'';
/** A commit message that would end the embedding script element if it were not escaped (U+2028 and a character beyond the BMP included). */
export const HOSTILE_MESSAGE = 'Bump </script><script>alert(2)</script> & <!-- \u2028\u2029 \u{1f680}';

export const FIXTURE_GENERATED_AT = '2026-11-30T12:00:00.000Z';

const ORGANIZATION = 'contoso';
const PROJECT = 'fleet';
const REPOSITORY_NAMES = ['platform-config', 'apps-config', 'observability-config', 'security-config', 'data-config'];
const KUSTOMIZATION_NAMES = ['infrastructure', 'apps', 'monitoring', 'ingress', 'policies', 'cert-manager', 'logging'];
const CLUSTER_NAMES = ['dev-weu', 'test-weu', 'prod-weu', 'prod-neu', 'prod-eus', 'prod-sea'];
// Not only ASCII: the page is written in ASCII and must show these as they are.
const AUTHORS = ['Ada Okafor', 'Lin Wei', 'Zoë Müller', 'Noor Haddad'];
const MESSAGES = ['Raise the ingress replica count', 'Pin cert-manager to 1.16', 'Add the payments namespace', 'Rotate the log retention to 30 days', 'Enable network policies in ring 2', 'Roll back the API gateway image (Größe → 2 replicas)'];
const MINUTE = 60_000;
/** A commit is pushed every 45 minutes; each ring is reached 12 minutes after the one before. */
const PUSH_EVERY = 45 * MINUTE;
const RING_STEP = 12 * MINUTE;

const sha = (text: string): string => createHash('sha1').update(text).digest('hex');
const at = (ms: number): string => new Date(ms).toISOString();

/** What goes wrong, by position of the cluster in a block of 20, so every fleet size has some of each. */
function trouble(cluster: number, clusters: number, k: number, kustomizations: number): 'failed' | 'silent' | 'missing' | 'disagreeing' | 'progressing' | null {
  const slot = cluster % 20;
  const last = kustomizations - 1;
  if (slot === 1 && k === 0) return 'failed';
  if ((slot === 19 || cluster === clusters - 1) && k === Math.min(1, last) && clusters > 1) return 'silent';
  if (slot === 2 && k === last) return 'disagreeing';
  if (slot === 3 && k === last && kustomizations > 1) return 'missing';
  if (slot === 4 && k === Math.min(1, last)) return 'progressing';
  return null;
}

export function fleetSnapshotFixture(options: SnapshotFixtureOptions = {}): FleetSnapshot {
  const clusterCount = options.clusters ?? 6;
  const kCount = options.kustomizations ?? 3;
  const commitCount = options.commits ?? 8;
  const ringCount = Math.max(1, Math.min(options.rings ?? 3, clusterCount));
  const repoCount = Math.max(1, Math.min(options.repositories ?? 2, kCount, REPOSITORY_NAMES.length));
  const hostile = options.hostile ?? true;
  const now = Date.parse(FIXTURE_GENERATED_AT);

  const repos = Array.from({ length: repoCount }, (_, r) => REPOSITORY_NAMES[r]);
  const repoRef = (r: number) => ({ organization: ORGANIZATION, project: PROJECT, name: repos[r] });
  const repoUrl = (r: number) => `https://dev.azure.com/${ORGANIZATION}/${PROJECT}/_git/${repos[r]}`;
  // Newest first: index 0 is the head of the ref.
  const shas = repos.map((name) => Array.from({ length: commitCount }, (_, i) => sha(`${name}#${commitCount - i}`)));
  const pushedAt = (i: number) => now - (i + 1) * PUSH_EVERY;

  const clusterNames = Array.from({ length: clusterCount }, (_, c) => (clusterCount <= CLUSTER_NAMES.length ? CLUSTER_NAMES[c] : `aks-${String(c + 1).padStart(3, '0')}`));
  const ringOf = (c: number) => Math.floor((c * ringCount) / clusterCount) + 1;
  const kNames = Array.from({ length: kCount }, (_, k) => (hostile && k === kCount - 1 && kCount > 1 ? HOSTILE_NAME : KUSTOMIZATION_NAMES[k] ?? `app-${k + 1}`));
  const repoOfK = (k: number) => k % repoCount;

  /** Index (commits behind the head) of the commit a cell runs; null when it runs none known. */
  const live = new Map<string, number | null>();
  const clusters: ClusterStatus[] = clusterNames.map((cluster, c) => {
    const ring = ringOf(c);
    const unreachable = clusterCount > 12 && c % 40 === 13;
    const kustomizations = kNames.map((name, k): KustomizationStatus => {
      const r = repoOfK(k);
      const namespace = 'flux-system';
      const behind = Math.min(ring - 1 + (c % 7 === 6 ? 1 : 0), commitCount - 1);
      const statusName = commitStatusName({ ring, cluster, kind: 'kustomization', namespace, name });
      const since = at(pushedAt(behind) + ring * RING_STEP);
      const base: KustomizationStatus = {
        name, namespace, repository: repoRef(r), ref: 'refs/heads/main',
        revision: shas[r][behind], attemptedRevision: shas[r][behind], state: 'ready', reason: 'Applied revision: refs/heads/main@sha1:' + shas[r][behind],
        since, commitsBehind: behind, from: ['ado', 'cluster'], statusName,
        targetUrl: c % 5 === 0 ? `https://grafana.contoso.example/d/flux?var-cluster=${cluster}` : null, disagreement: null,
      };
      const kind = unreachable ? 'unreachable' : trouble(c, clusterCount, k, kCount);
      let status: KustomizationStatus;
      switch (kind) {
        case 'unreachable':
          status = { ...base, state: 'unknown', reason: null, from: [], revision: null, attemptedRevision: null, since: null, commitsBehind: null, targetUrl: null };
          break;
        case 'failed':
          // The attempt at the head failed; the last good revision is the one before.
          status = { ...base, state: 'failed', revision: shas[r][Math.min(behind + 1, commitCount - 1)], commitsBehind: Math.min(behind + 1, commitCount - 1), attemptedRevision: shas[r][0], reason: hostile ? HOSTILE_REASON : 'kustomize build failed: accumulating resources: accumulation err=\'accumulating resources from "./payments"\': no such file or directory', since: at(pushedAt(0) + 3 * MINUTE) };
          break;
        case 'silent':
          status = { ...base, state: 'silent', revision: null, attemptedRevision: null, reason: 'Azure DevOps has no status named ' + statusName + ' on any commit read', since: null, commitsBehind: null, from: [], targetUrl: null };
          break;
        case 'missing':
          status = { ...base, state: 'missing', revision: null, attemptedRevision: null, reason: 'the cluster has no Kustomization flux-system/' + name, since: null, commitsBehind: null, from: ['cluster'], targetUrl: null };
          break;
        case 'disagreeing':
          status = { ...base, disagreement: `the cluster runs ${shas[r][behind].slice(0, 7)} but Azure DevOps has no succeeded status for it`, from: ['cluster'] };
          break;
        case 'progressing':
          status = { ...base, state: 'progressing', attemptedRevision: shas[r][0], reason: 'Reconciliation in progress', since: at(now - 4 * MINUTE) };
          break;
        default:
          status = base;
      }
      if (hostile && c === 0 && k === 0) status = { ...status, targetUrl: HOSTILE_TARGET_URL };
      live.set(`${c}/${k}`, status.revision === null ? null : shas[r].indexOf(status.revision));
      return status;
    });
    return { name: cluster, ring, reachable: unreachable ? false : true, error: unreachable ? 'dial tcp 10.20.0.4:443: i/o timeout' : null, kustomizations };
  });

  const rings = Array.from({ length: ringCount }, (_, i) => ({ ring: i + 1, clusters: clusterNames.filter((_, c) => ringOf(c) === i + 1) }));

  /** A cluster runs commit i of repository r when each of its Kustomizations from r runs it or a descendant. */
  const runs = (c: number, r: number, i: number) => kNames.every((_, k) => repoOfK(k) !== r || (live.get(`${c}/${k}`) ?? Infinity) <= i);
  const leadSamples = new Map<number, number[]>();
  const commits: CommitStatus[] = repos.flatMap((_, r) =>
    shas[r].map((commit, i): CommitStatus => {
      const progress: Record<string, RingProgress> = {};
      for (const { ring, clusters: members } of rings) {
        const running = members.filter((m) => runs(clusterNames.indexOf(m), r, i));
        // The first cluster of a ring reaches a commit a ring step after the ring before (give or take a
        // minute or two, so p50 and p90 differ); the last, 5 minutes later.
        const reached = running.length > 0 ? pushedAt(i) + ring * RING_STEP + (i % 3) * MINUTE : null;
        if (reached !== null) leadSamples.set(ring, [...(leadSamples.get(ring) ?? []), (reached - pushedAt(i)) / 1000]);
        progress[String(ring)] = {
          reachedAt: reached === null ? null : at(reached),
          completeAt: reached !== null && running.length === members.length ? at(reached + 5 * MINUTE) : null,
          succeeded: running.length,
          expected: members.length,
          stragglers: members.filter((m) => !running.includes(m)),
        };
      }
      return {
        repository: repoRef(r), sha: commit, pushedAt: at(pushedAt(i)), author: AUTHORS[(i + r) % AUTHORS.length],
        message: hostile && r === 0 && i === 0 ? HOSTILE_MESSAGE : MESSAGES[(i + 2 * r) % MESSAGES.length],
        url: `${repoUrl(r)}/commit/${commit}`, rings: progress,
      };
    }),
  );

  const leadTime: Record<string, LeadTime> = {};
  for (const { ring } of rings) {
    const samples = [...(leadSamples.get(ring) ?? [])].sort((a, b) => a - b);
    const rank = (p: number) => (samples.length === 0 ? null : samples[Math.ceil(p * samples.length) - 1]);
    leadTime[String(ring)] = { samples: samples.length, p50Seconds: rank(0.5), p90Seconds: rank(0.9) };
  }

  const repositories: RepositoryStatus[] = repos.map((_, r) => ({ ...repoRef(r), ref: 'refs/heads/main', head: shas[r][0], url: repoUrl(r) }));
  const unreachable = clusters.filter((c) => c.reachable === false);
  return {
    schema: SNAPSHOT_SCHEMA,
    generatedAt: FIXTURE_GENERATED_AT,
    configHash: 'sha256:' + createHash('sha256').update(JSON.stringify({ clusterNames, kNames, repos })).digest('hex'),
    sources: {
      ado: { read: true, error: null },
      cluster: { read: true, error: unreachable.length === 0 ? null : `${unreachable.length} of ${clusterCount} clusters did not answer` },
    },
    rings,
    repositories,
    clusters,
    commits,
    leadTime,
  };
}
