/**
 * Configs the schema's field-by-field keywords let through but the cluster, a chart or Azure would
 * refuse (or regret): each problem names the exact field. The constructs make the same checks with the
 * same functions (flux/pod-rules, flux/formats), for library users.
 */
import { Violation } from '../flux/schema';
import { isReservedNamespace, RESERVED_NAMESPACES } from '../flux/formats';
import { placementProblems } from '../constructs/flux-install';
import { nodeSelectorProblems, Problem, tolerationProblems } from '../flux/pod-rules';
import { connectorNamespace, connectorNamespacePrefix, RepositorySource } from './repositories';
import type { ClusterConfig } from './schema';

/** Problems of one object as violations below `at`; a `<map> key` field names the map, the key in the message. */
function violations(problems: readonly Problem[], at: string): Violation[] {
  return problems.map(([field, value, allowed]) =>
    field.endsWith(' key')
      ? { path: `${at}.${field.slice(0, -' key'.length)}`, value, message: `has a key that is not valid; ${allowed}` }
      : { path: `${at}.${field}`, value, message: `is not valid; ${allowed}` },
  );
}

export function refusedConfigProblems(cluster: ClusterConfig, clusterAt: string, sources: readonly (RepositorySource | undefined)[]): Violation[] {
  const out: Violation[] = [];

  // Reserved namespaces, by composition: a connector's deny-by-default NetworkPolicy in kube-system cuts CoreDNS off.
  cluster.repositories.forEach((repo) => {
    const namespace = connectorNamespace(cluster, repo.name);
    if (isReservedNamespace(namespace)) {
      out.push({
        path: `${clusterAt}.connector.namespacePrefix`,
        value: connectorNamespacePrefix(cluster),
        message: `makes ${namespace} the connector namespace of repository ${repo.name}; Kubernetes reserves ${RESERVED_NAMESPACES.join(', ')} and every kube-* namespace for its own objects`,
      });
    }
  });

  // Placement, as the API server checks the pod specs it lands on.
  for (const [key, placement] of Object.entries(cluster.flux?.placement ?? {})) {
    if (placement) out.push(...violations(placementProblems(placement), `${clusterAt}.flux.placement.${key}`));
  }
  out.push(...violations([...tolerationProblems(cluster.connector?.tolerations), ...nodeSelectorProblems(cluster.connector?.nodeSelector)], `${clusterAt}.connector`));

  // Controllers turned off while the stack still delivers their objects: the objects would never reconcile.
  const components = cluster.flux?.components ?? {};
  const kinds = [
    ...(cluster.repositories.length > 0 ? ['GitRepository'] : []),
    ...((cluster.ociRepositories ?? []).length > 0 ? ['OCIRepository'] : []),
    ...((cluster.buckets ?? []).length > 0 ? ['Bucket'] : []),
  ];
  if (components.source === false) {
    out.push({ path: `${clusterAt}.flux.components.source`, value: false, message: `must be on: the stack delivers ${kinds.join(', ')} objects, which only source-controller reconciles` });
  }
  if (components.kustomize === false) {
    out.push({ path: `${clusterAt}.flux.components.kustomize`, value: false, message: 'must be on: every repository, OCI repository and bucket is applied by a Kustomization, which only kustomize-controller reconciles' });
  }
  if (components.notification === false) {
    const azure = sources.filter((s) => s?.azureDevOps);
    const connected = cluster.repositories.filter((r, j) => sources[j]?.azureDevOps && (r.connector?.enabled ?? cluster.connector?.enabled ?? true));
    const byIdentity = cluster.workloadIdentity?.managed ? azure.filter((s) => s!.auth === 'workload-identity') : [];
    const commitStatus = azure.length > 0 && (cluster.notifications?.commitStatus ?? (connected.length > 0 || byIdentity.length > 0));
    const why = [
      ...(connected.length > 0 ? [`the GitOps Connector of ${connected.map((r) => r.name).join(', ')} (connector.enabled)`] : []),
      ...(commitStatus ? ['the Azure DevOps commit statuses (notifications.commitStatus)'] : []),
      ...((cluster.notifications?.providers ?? []).length > 0 ? ['notifications.providers'] : []),
    ];
    if (why.length > 0) {
      out.push({ path: `${clusterAt}.flux.components.notification`, value: false, message: `must be on: the stack delivers Alerts and Providers for ${why.join(', ')}, which only notification-controller serves; turn those off to run without it` });
    }
  }
  return out;
}
