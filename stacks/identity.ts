import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ClusterConfig } from '../config/schema';
import type { AzureDevOpsAccessLevel, AzureDevOpsIdentityAccess } from '../constructs/azure-devops-identity-access';
import type { AzureDevOpsRepository } from '../constructs/azure-devops-repository';
import type { ClusterAccess } from '../constructs/cluster-access';
import { MANAGED_BY_LABELS } from '../constructs/flux-git-secret';
import type { WorkloadIdentity } from '../constructs/flux-install';
import type { FluxWorkloadIdentity } from '../constructs/flux-workload-identity';
import type { Entry } from './sources';

/** Zero-secret mode: the ServiceAccount Flux's azuredevops Providers sign in as (object-level workload identity). */
export const COMMIT_STATUS_SERVICE_ACCOUNT = 'flux-azure-devops-status';
/** The ServiceAccount of source-controller in the flux2 chart (templates/source-controller-serviceaccount.yaml). */
const SOURCE_CONTROLLER_SERVICE_ACCOUNT = 'source-controller';
/** The ServiceAccount of notification-controller in the flux2 chart (templates/notification-controller-sa.yaml). */
const NOTIFICATION_CONTROLLER_SERVICE_ACCOUNT = 'notification-controller';

/*
 * Required when used: every synth pays for what it loads, and most stacks are not in the zero-secret mode
 * (see bench/README.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const zeroSecretModules = () => ({
  ...(require('../constructs/flux-workload-identity') as typeof import('../constructs/flux-workload-identity')),
  ...(require('../constructs/azure-devops-identity-access') as typeof import('../constructs/azure-devops-identity-access')),
  ...(require('@cdktf/provider-kubernetes/lib/service-account-v1') as typeof import('@cdktf/provider-kubernetes/lib/service-account-v1')),
  ...(require('@cdktf/provider-kubernetes/lib/role-v1') as typeof import('@cdktf/provider-kubernetes/lib/role-v1')),
  ...(require('@cdktf/provider-kubernetes/lib/role-binding-v1') as typeof import('@cdktf/provider-kubernetes/lib/role-binding-v1')),
});
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Zero-secret mode (`workloadIdentity.managed`, with repositories read as the identity): the identity and
 * its federated credentials, for source-controller and (with `statusByIdentity`) the commit-status
 * ServiceAccount. Undefined in every other mode.
 */
export function addWorkloadIdentity(
  scope: Construct,
  id: string,
  cluster: ClusterConfig,
  access: ClusterAccess,
  byIdentity: readonly Entry[],
  statusByIdentity: readonly Entry[],
): FluxWorkloadIdentity | undefined {
  const managed = cluster.workloadIdentity?.managed;
  const zero = byIdentity.length > 0 ? zeroSecretModules() : undefined;
  if (zero && !access.cluster) throw new Error(`FluxGitOpsStack ${id}: workloadIdentity.managed needs aks (the cluster's OIDC issuer is read from Azure)`);
  return (
    zero &&
    new zero.FluxWorkloadIdentity(scope, 'workload-identity', {
      cluster: access.cluster!,
      provider: access.azurerm,
      subscriptionId: cluster.aks!.subscriptionId,
      clusterResourceGroup: cluster.aks!.resourceGroup,
      namespace: cluster.flux?.namespace ?? 'flux-system',
      serviceAccounts: [SOURCE_CONTROLLER_SERVICE_ACCOUNT, ...(statusByIdentity.length > 0 ? [COMMIT_STATUS_SERVICE_ACCOUNT] : [])],
      identityId: managed!.identityId,
      // A given identity may be federated by other clusters' stacks too: their credential names must differ.
      credentialPrefix: managed!.identityId !== undefined ? cluster.name : undefined,
      name: managed!.identityId === undefined ? (managed!.name ?? `flux-${cluster.name}`) : undefined,
      resourceGroup: managed!.resourceGroup,
      location: managed!.location,
    })
  );
}

/**
 * The identity source-controller signs in as: the stack's own (zero-secret mode) or one prepared by hand
 * (`workloadIdentity.clientId`). Throws when a repository reads as the identity and there is none.
 */
export function sourceIdentityOf(
  id: string,
  cluster: ClusterConfig,
  entries: readonly Entry[],
  workloadIdentity: FluxWorkloadIdentity | undefined,
): WorkloadIdentity | undefined {
  const sourceIdentity: WorkloadIdentity | undefined = workloadIdentity
    ? { clientId: workloadIdentity.clientId, tenantId: workloadIdentity.tenantId }
    : cluster.workloadIdentity?.clientId !== undefined
      ? { clientId: cluster.workloadIdentity.clientId, tenantId: cluster.workloadIdentity.tenantId }
      : undefined;
  // A GitRepository with provider azure and no identity on source-controller fails only in the cluster
  // (`workloadIdentity: {}` from a library user: the config loader refuses it first).
  const unidentified = entries.find((e) => e.source.auth === 'workload-identity' && !sourceIdentity);
  if (unidentified) {
    throw new Error(
      `FluxGitOpsStack ${id}: repository ${unidentified.repo.name} uses auth workload-identity, but workloadIdentity names no identity (got ${JSON.stringify(cluster.workloadIdentity ?? null)}); give clientId (an identity prepared by hand) or managed`,
    );
  }
  return sourceIdentity;
}

/** What grantIdentity works from: the identity, the repositories it reads (and posts statuses to), and their lookups. */
export interface IdentityGrantInput {
  readonly workloadIdentity?: FluxWorkloadIdentity;
  /** The Flux namespace. */
  readonly namespace: string;
  readonly byIdentity: readonly Entry[];
  readonly statusByIdentity: readonly Entry[];
  readonly afterFlux: ITerraformDependable[];
  readonly azureDevOpsRepositories: ReadonlyMap<string, AzureDevOpsRepository>;
  readonly accessLevel?: AzureDevOpsAccessLevel;
  /** Whether this stack grants the identity its Azure DevOps entitlement and repository permissions. */
  readonly owner: boolean;
}

/**
 * Zero-secret mode, after the Flux install: the ServiceAccount the azuredevops Providers sign in as (annotated
 * with the identity) and the right of notification-controller to create its tokens (object-level workload
 * identity needs it; the flux2 chart's crd-controller role only reads service accounts); per organisation the
 * identity's entitlement and repository permissions; the Azure roles of the OCI and bucket sources. Returns
 * the grants by organisation and what the Flux objects must wait for.
 */
export function grantIdentity(
  scope: Construct,
  cluster: ClusterConfig,
  input: IdentityGrantInput,
): { access: Map<string, AzureDevOpsIdentityAccess>; dependables: ITerraformDependable[] } {
  const { workloadIdentity: identity, namespace, byIdentity, statusByIdentity, afterFlux, azureDevOpsRepositories, accessLevel, owner } = input;
  // The identity exists only when the modules were loaded for it (addWorkloadIdentity).
  if (!identity) return { access: new Map(), dependables: [] };
  const zero = zeroSecretModules();
  const dependables: ITerraformDependable[] = [...identity.federatedCredentials.values()];
  if (statusByIdentity.length > 0) {
    const account = new zero.ServiceAccountV1(scope, 'commit-status-service-account', {
      metadata: {
        name: COMMIT_STATUS_SERVICE_ACCOUNT,
        namespace,
        labels: { ...MANAGED_BY_LABELS },
        annotations: { 'azure.workload.identity/client-id': identity.clientId, 'azure.workload.identity/tenant-id': identity.tenantId },
      },
      // It signs nothing in a pod: notification-controller requests its tokens.
      automountServiceAccountToken: false,
      dependsOn: afterFlux,
    });
    const role = new zero.RoleV1(scope, 'commit-status-token-role', {
      metadata: { name: `${COMMIT_STATUS_SERVICE_ACCOUNT}-token`, namespace, labels: { ...MANAGED_BY_LABELS } },
      // Tokens of this one ServiceAccount only (fluxcd/flux2 RFC-0010: the controller creates them with the
      // TokenRequest API, serviceaccounts/token create).
      rule: [{ apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: [COMMIT_STATUS_SERVICE_ACCOUNT], verbs: ['create'] }],
      dependsOn: afterFlux,
    });
    const binding = new zero.RoleBindingV1(scope, 'commit-status-token-binding', {
      metadata: { name: `${COMMIT_STATUS_SERVICE_ACCOUNT}-token`, namespace, labels: { ...MANAGED_BY_LABELS } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
      subject: [{ kind: 'ServiceAccount', name: NOTIFICATION_CONTROLLER_SERVICE_ACCOUNT, namespace }],
      dependsOn: afterFlux,
    });
    dependables.push(account, role, binding);
  }
  const byOrganization = new Map<string, Entry[]>();
  for (const e of owner ? byIdentity : []) {
    const org = e.source.azureDevOps!.organization;
    byOrganization.set(org, [...(byOrganization.get(org) ?? []), e]);
  }
  const access = new Map(
    [...byOrganization].map(([org, repos]) => {
      const looked = repos.map((e) => azureDevOpsRepositories.get(e.repo.name)!);
      const grant = new zero.AzureDevOpsIdentityAccess(scope, `identity-access-${org}`, {
        provider: looked[0].provider,
        principalId: identity.principalId,
        accessLevel,
        // The stack's (the cluster's) name: two clusters' identities in one project get two groups.
        groupName: `flux-${scope.node.id}`,
        repositories: Object.fromEntries(
          repos.map((e, i) => [
            e.repo.name,
            { projectId: looked[i].projectId, project: e.source.azureDevOps!.project, repositoryId: looked[i].repositoryId, commitStatus: statusByIdentity.includes(e) },
          ]),
        ),
      });
      dependables.push(grant.entitlement, ...grant.groups.values(), ...grant.permissions.values());
      return [org, grant];
    }),
  );
  // The roles source-controller needs as the identity for OCI (ACR) and Bucket (Blob Storage) sources; the
  // loader requires the resource of each (config/load.ts, identityRoleProblems).
  for (const oci of cluster.ociRepositories ?? []) {
    if (oci.registryId === undefined) continue;
    dependables.push(identity.grantRole(`acr-pull-${oci.name}`, zero.ACR_PULL_ROLE, oci.registryId));
  }
  for (const bucket of cluster.buckets ?? []) {
    if (bucket.storageAccountId === undefined) continue;
    // The container alone, the narrowest scope that lets source-controller list and read its blobs.
    const container = `${bucket.storageAccountId}/blobServices/default/containers/${bucket.bucketName}`;
    dependables.push(identity.grantRole(`blob-reader-${bucket.name}`, zero.BLOB_READER_ROLE, container));
  }
  return { access, dependables };
}
