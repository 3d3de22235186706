/**
 * One reading of the fleet: the expected fleet from the config, then the clusters and Azure DevOps as
 * `from` asks, joined into a snapshot. The clusters are read first, so that their revisions older than
 * the commits read from Azure DevOps are compared with the head in the same pass.
 */
import { readAzureDevOps, AdoReadOptions } from './ado-reader';
import { readClusters } from './cluster-reader';
import { computeSnapshot, shaOf } from './compute';
import { ExpectedFleet, sourceKey } from './expected';
import type { ClusterReading } from './readings';
import type { FleetSnapshot } from './snapshot';

export type FromSources = 'ado' | 'cluster' | 'both';

export interface ReadFleetOptions extends Omit<AdoReadOptions, 'revisions'> {
  readonly from: FromSources;
  readonly now?: () => Date;
}

export interface FleetReading {
  readonly snapshot: FleetSnapshot;
  /** Azure DevOps calls made (0 when not asked). */
  readonly adoCalls: number;
}

export async function readFleet(fleet: ExpectedFleet, options: ReadFleetOptions): Promise<FleetReading> {
  const clusters: ClusterReading[] | null =
    options.from === 'ado' ? null : await readClusters(fleet.clusters.map((c) => c.config), { env: options.env, timeoutMs: options.timeoutMs });
  const revisions = new Map<string, string[]>();
  for (const cluster of fleet.clusters) {
    const reading = clusters?.find((r) => r.cluster === cluster.name);
    for (const k of cluster.kustomizations) {
      const live = reading?.kustomizations.find((x) => x.name === k.name && x.namespace === k.namespace);
      const sha = shaOf(live?.lastAppliedRevision);
      const key = sourceKey(k.repository, k.ref);
      if (sha) revisions.set(key, [...(revisions.get(key) ?? []), sha]);
    }
  }
  const ado = options.from === 'cluster' ? null : await readAzureDevOps(fleet, { ...options, revisions: (key) => revisions.get(key) ?? [] });
  const snapshot = computeSnapshot({ fleet, ado, clusters, now: (options.now ?? (() => new Date()))() });
  return { snapshot, adoCalls: ado?.calls ?? 0 };
}
