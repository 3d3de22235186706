import { AZURE_BLOB_ENDPOINT, AZURE_CONTAINER } from '../constructs/flux-bucket';
import { celParseProblem } from '../flux/cel';
import type { Violation } from '../flux/schema';
import type { FluxKustomizationEntry } from '../constructs/flux-kustomization';
import type { BucketConfig, ClusterConfig, KustomizationConfig, OciRepositoryConfig, RepositoryConfig } from './schema';

/** The Kustomization fields of a source entry's short form, refused beside `kustomizations`. */
export const SHORT_FORM_FIELDS = [
  'path', 'timeout', 'retryInterval', 'prune', 'wait', 'force', 'suspend', 'targetNamespace', 'dependsOn',
  'healthChecks', 'healthCheckExprs', 'components', 'deletionPolicy', 'substitute', 'postBuild', 'decryption',
] as const;

type SourceEntry = RepositoryConfig | OciRepositoryConfig | BucketConfig;
type SourceList = 'repositories' | 'ociRepositories' | 'buckets';

/** One Kustomization of a cluster, where the config declares it. */
export interface KustomizationSite {
  /** The Kustomization's settings (for the short form, the source entry's own fields, named after it). */
  readonly config: KustomizationConfig;
  /** Which list and entry the source is (`repositories`, 2). */
  readonly list: SourceList;
  readonly sourceName: string;
  /** Config path of the Kustomization (`repositories[2]` or `repositories[2].kustomizations[0]`), under the cluster. */
  readonly at: string;
}

/** The Kustomizations of one source entry: its `kustomizations`, or the one named after it. */
export function kustomizationsOfSource(entry: SourceEntry): KustomizationConfig[] {
  if (entry.kustomizations) return [...entry.kustomizations];
  const fields = Object.fromEntries(SHORT_FORM_FIELDS.filter((f) => entry[f] !== undefined).map((f) => [f, entry[f]]));
  return [{ name: entry.name, ...fields }];
}

/** A Kustomization of the config as the constructs take it: `postBuild` (or its shorthand `substitute`) flattened. */
export function toKustomizationEntry(k: KustomizationConfig): FluxKustomizationEntry {
  const { postBuild, substitute, ...rest } = k;
  return { ...rest, substitute: substitute ?? postBuild?.substitute, substituteFrom: postBuild?.substituteFrom };
}

/** Every Kustomization of a cluster, in config order: repositories, then OCI repositories, then buckets. */
export function kustomizationsOf(cluster: ClusterConfig): KustomizationSite[] {
  const lists: [SourceList, readonly SourceEntry[]][] = [
    ['repositories', cluster.repositories],
    ['ociRepositories', cluster.ociRepositories ?? []],
    ['buckets', cluster.buckets ?? []],
  ];
  return lists.flatMap(([list, entries]) =>
    entries.flatMap((entry, j) =>
      kustomizationsOfSource(entry).map((config, k) => ({
        config,
        list,
        sourceName: entry.name,
        at: entry.kustomizations ? `${list}[${j}].kustomizations[${k}]` : `${list}[${j}]`,
      })),
    ),
  );
}

/**
 * A dependsOn cycle of `graph`, as the names along it ending where it started, or undefined. Iterative
 * (an explicit stack, not recursion): a chain of thousands of Kustomizations overflowed the call stack.
 */
function findCycle(graph: Map<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    // The path being walked, each node with the index of its next dependency to try.
    const path: { node: string; next: number }[] = [{ node: start, next: 0 }];
    const onPath = new Map<string, number>([[start, 0]]);
    state.set(start, 'visiting');
    while (path.length > 0) {
      const top = path[path.length - 1];
      const deps = graph.get(top.node) ?? [];
      if (top.next >= deps.length) {
        state.set(top.node, 'done');
        onPath.delete(top.node);
        path.pop();
        continue;
      }
      const dep = deps[top.next++];
      if (!graph.has(dep) || state.get(dep) === 'done') continue;
      const at = onPath.get(dep);
      if (at !== undefined) return [...path.slice(at).map((p) => p.node), dep];
      state.set(dep, 'visiting');
      onPath.set(dep, path.length);
      path.push({ node: dep, next: 0 });
    }
  }
  return undefined;
}

/**
 * The checks of a cluster's Kustomizations across sources: source names unique per list, no
 * short-form field beside `kustomizations`, Kustomization names unique in the cluster, dependsOn
 * naming one of them and not itself, no cycle, and the identities that SOPS and azure sources need.
 */
export function checkKustomizations(cluster: ClusterConfig, clusterAt: string): Violation[] {
  const out: Violation[] = [];
  const lists: [SourceList, readonly SourceEntry[]][] = [
    ['repositories', cluster.repositories],
    ['ociRepositories', cluster.ociRepositories ?? []],
    ['buckets', cluster.buckets ?? []],
  ];
  for (const [list, entries] of lists) {
    const names = new Set<string>();
    entries.forEach((entry, j) => {
      const at = `${clusterAt}.${list}[${j}]`;
      // Repository names are checked with the repositories (config/load.ts).
      if (names.has(entry.name) && list !== 'repositories') out.push({ path: `${at}.name`, value: entry.name, message: `is used by another entry of ${list} in this cluster; names must be unique` });
      names.add(entry.name);
      if (!entry.kustomizations) return;
      for (const field of SHORT_FORM_FIELDS) {
        if (entry[field] !== undefined) {
          out.push({ path: `${at}.${field}`, value: entry[field], message: 'cannot be set beside kustomizations; give it per Kustomization' });
        }
      }
    });
  }

  const sites = kustomizationsOf(cluster);
  const names = new Set<string>();
  const sourceKeys = lists.flatMap(([list, entries]) => entries.map((e) => `${list}/${e.name}`));
  const sharedSources = new Set(sourceKeys.filter((k, i) => sourceKeys.indexOf(k) !== i));
  for (const site of sites) {
    // A short form is named after its source: two sources of one name are reported once, as sources.
    const shortForm = !site.at.includes('.kustomizations[');
    if (names.has(site.config.name) && !(shortForm && sharedSources.has(`${site.list}/${site.sourceName}`))) {
      out.push({ path: `${clusterAt}.${site.at}.name`, value: site.config.name, message: 'is the name of another Kustomization of this cluster; names must be unique' });
    }
    names.add(site.config.name);
  }
  for (const site of sites) {
    (site.config.dependsOn ?? []).forEach((dep, k) => {
      const path = `${clusterAt}.${site.at}.dependsOn[${k}]`;
      if (dep === site.config.name) out.push({ path, value: dep, message: 'is the Kustomization itself; a Kustomization cannot depend on itself' });
      else if (!names.has(dep)) out.push({ path, value: dep, message: `names no Kustomization of this cluster (known: ${[...names].join(', ')})` });
    });
  }
  const graph = new Map<string, string[]>();
  for (const s of sites) graph.set(s.config.name, [...(graph.get(s.config.name) ?? []), ...(s.config.dependsOn ?? []).filter((d) => d !== s.config.name)]);
  const cycle = findCycle(graph);
  if (cycle) {
    // Named at the dependsOn entry that closes the loop from its first Kustomization.
    const site = sites.find((s) => s.config.name === cycle[0] && (s.config.dependsOn ?? []).includes(cycle[1]))!;
    const k = site.config.dependsOn!.indexOf(cycle[1]);
    out.push({ path: `${clusterAt}.${site.at}.dependsOn[${k}]`, value: cycle.join(' -> '), message: 'closes a dependsOn cycle; Flux would wait forever' });
  }

  for (const site of sites) {
    // Parsed as kustomize-controller parses them (flux/cel.ts); the CEL library loads only when one is present.
    (site.config.healthCheckExprs ?? []).forEach((check, i) => {
      for (const field of ['current', 'inProgress', 'failed'] as const) {
        const expr = check[field];
        const problem = typeof expr === 'string' ? celParseProblem(expr) : undefined;
        if (problem) out.push({ path: `${clusterAt}.${site.at}.healthCheckExprs[${i}].${field}`, value: expr, message: `is not CEL that parses: ${problem}` });
      }
    });
    if (site.config.substitute !== undefined && site.config.postBuild?.substitute !== undefined) {
      out.push({ path: `${clusterAt}.${site.at}.substitute`, value: site.config.substitute, message: 'conflicts with postBuild.substitute; give one of them (substitute is its shorthand)' });
    }
    const decryption = site.config.decryption;
    if (decryption && !decryption.secretRef && !cluster.sops?.keyVault) {
      out.push({
        path: `${clusterAt}.${site.at}.decryption`,
        value: decryption,
        message: 'has no secretRef, so kustomize-controller decrypts with its own identity: set sops.keyVault (Azure Key Vault), or name a Secret (sops-age with sops.ageKey)',
      });
    }
  }
  for (const [list, entries] of [['ociRepositories', cluster.ociRepositories ?? []], ['buckets', cluster.buckets ?? []]] as const) {
    entries.forEach((entry: OciRepositoryConfig | BucketConfig, j: number) => {
      const provider = entry.provider ?? (list === 'buckets' ? 'azure' : 'generic');
      const at = `${clusterAt}.${list}[${j}]`;
      if (provider === 'azure' && !cluster.workloadIdentity) {
        out.push({ path: `${clusterAt}.workloadIdentity`, value: undefined, message: `is required: ${list}[${j}] (${entry.name}) has provider azure, which logs in as source-controller` });
      }
      if (provider === 'azure' && list === 'buckets') {
        const bucket = entry as BucketConfig;
        if (!AZURE_CONTAINER.test(bucket.bucketName)) out.push({ path: `${at}.bucketName`, value: bucket.bucketName, message: 'must be an Azure Blob container name (3-63 lower-case letters, digits and single "-") with provider azure' });
        if (!AZURE_BLOB_ENDPOINT.test(bucket.endpoint)) out.push({ path: `${at}.endpoint`, value: bucket.endpoint, message: 'must be https://<account>.blob.core.windows.net (or a sovereign cloud\'s blob.core.chinacloudapi.cn, blob.core.usgovcloudapi.net) with provider azure: source-controller sends its Azure token to this host' });
      }
      if (provider === 'azure' && entry.secretName !== undefined) {
        out.push({ path: `${at}.secretName`, value: entry.secretName, message: 'cannot be used with provider azure, which logs in with the workload identity; use provider generic' });
      }
    });
  }
  return out;
}
