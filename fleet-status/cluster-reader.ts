/** Reads the Flux Kustomizations of each cluster through its access (kubeconfig context, or AKS via kubelogin). */
import type { ClusterConfig } from '../config/schema';
import type { ClusterReading } from './readings';

export interface ClusterReaderOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Per call. @default 10000 */
  readonly timeoutMs?: number;
  /** Clusters read at once. @default 8 */
  readonly concurrency?: number;
}

/** One reading per cluster, in the order given; an unreachable cluster is a reading, never a rejection. */
export async function readClusters(clusters: readonly ClusterConfig[], options: ClusterReaderOptions): Promise<ClusterReading[]> {
  void options;
  return clusters.map((c) => ({ cluster: c.name, reachable: false, error: 'the cluster reader is not built yet', kustomizations: [] }));
}
