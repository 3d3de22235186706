import type { Violation } from '../flux/schema';
import { parseUserAssignedIdentityId } from '../constructs/flux-workload-identity';
import { azureReposDefaultAuth, commitStatusEnabled, repositorySource } from './repositories';
import type { ClusterConfig } from './schema';

// Checks across the clusters of one config: each cluster is its own stack, and these are the things two stacks
// would fight over in Azure or Azure DevOps.

/** ARM resource ids and names are case-insensitive: `Prod-RG` and `prod-rg` are one resource group. */
const armKey = (...parts: string[]): string => parts.map((p) => p.toLowerCase()).join('/');

/** A given identity, by its resource id as Azure compares it. */
function sharedIdentityKey(cluster: ClusterConfig): string | undefined {
  const id = cluster.workloadIdentity?.managed?.identityId;
  const parsed = id !== undefined ? parseUserAssignedIdentityId(id) : undefined;
  return parsed && armKey(parsed.subscriptionId, parsed.resourceGroup, parsed.name);
}

/**
 * What the identity of a zero-secret cluster is granted in Azure DevOps: its access level and, per Azure Repos
 * repository it reads (organisation names are case-insensitive in Azure DevOps), whether it posts statuses there.
 */
function grants(cluster: ClusterConfig): string {
  const status = commitStatusEnabled(cluster);
  const repos = cluster.repositories
    .map((repo) => repositorySource(repo, azureReposDefaultAuth(cluster)))
    .filter((s) => s.auth === 'workload-identity' && s.azureDevOps)
    .map((s) => `${armKey(s.azureDevOps!.organization, s.azureDevOps!.project, s.azureDevOps!.repository)}${status ? ' (statuses)' : ''}`);
  return JSON.stringify([cluster.workloadIdentity?.managed?.accessLevel ?? 'express', [...new Set(repos)].sort()]);
}

/** Clusters in deploy order: by ring (default 1), then as listed. */
function inRingOrder(clusters: readonly ClusterConfig[]): number[] {
  return clusters.map((_, i) => i).sort((a, b) => (clusters[a].ring ?? 1) - (clusters[b].ring ?? 1) || a - b);
}

/**
 * The clusters whose stack grants a shared identity its Azure DevOps entitlement and repository permissions.
 * A service principal has one entitlement per organisation, and azuredevops deletes it when the stack that made
 * it is destroyed (microsoft/terraform-provider-azuredevops, azuredevops/internal/service/memberentitlementmanagement/
 * resource_service_principal_entitlement.go at 00970456, resourceServicePrincipalEntitlementDelete), so of the clusters sharing a
 * `workloadIdentity.managed.identityId` exactly one stack owns them: the first in ring order (the lowest ring, then
 * the first listed), which the fleet pipeline deploys first. Every cluster with its own identity owns its grants.
 */
export function identityAccessOwners(clusters: readonly ClusterConfig[]): Set<string> {
  const owners = new Set<string>();
  const seen = new Set<string>();
  for (const i of inRingOrder(clusters)) {
    const key = sharedIdentityKey(clusters[i]);
    if (key !== undefined && seen.has(key)) continue;
    if (key !== undefined) seen.add(key);
    owners.add(clusters[i].name);
  }
  return owners;
}

/** Problems between clusters (each cluster on its own is valid). */
export function fleetProblems(clusters: readonly ClusterConfig[]): Violation[] {
  const out: Violation[] = [];
  const aks = new Map<string, number>();
  clusters.forEach((cluster, i) => {
    if (!cluster.aks) return;
    const key = armKey(cluster.aks.subscriptionId, cluster.aks.resourceGroup, cluster.aks.name);
    const first = aks.get(key);
    if (first === undefined) aks.set(key, i);
    else {
      out.push({
        path: `clusters[${i}].aks`,
        value: { subscriptionId: cluster.aks.subscriptionId, resourceGroup: cluster.aks.resourceGroup, name: cluster.aks.name },
        message: `names the AKS cluster of clusters[${first}] (${clusters[first].name}; Azure compares these names case-insensitively): two stacks would install Flux into one cluster and undo each other; name each AKS cluster once`,
      });
    }
  });
  const owner = new Map<string, number>();
  for (const i of inRingOrder(clusters)) {
    const key = sharedIdentityKey(clusters[i]);
    if (key === undefined) continue;
    const first = owner.get(key);
    if (first === undefined) owner.set(key, i);
    else if (grants(clusters[i]) !== grants(clusters[first])) {
      out.push({
        path: `clusters[${i}].workloadIdentity.managed.identityId`,
        value: clusters[i].workloadIdentity!.managed!.identityId,
        message:
          `is also the identity of clusters[${first}] (${clusters[first].name}), whose stack owns its Azure DevOps entitlement and repository permissions ` +
          '(the first cluster in ring order owns them, so destroying another stack leaves them in place); give both clusters the same Azure Repos ' +
          'repositories, commit statuses and accessLevel, or a separate identity',
      });
    }
  }
  return out;
}
