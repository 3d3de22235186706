import * as path from 'path';
import { loadConfig, validateConfig } from '../config/load';
import { identityAccessOwners } from '../config/fleet';
import { ClusterConfig } from '../config/schema';
import { FEDERATED_CREDENTIAL_NAME, federatedCredentialName } from '../constructs/flux-workload-identity';
import { FluxGitOpsStack } from '../stacks/flux-gitops-stack';
import { problems } from './support/config-problems';
import { resourcesOf, synthApp } from './support/synth';

// Checks across the clusters of one config (config/fleet.ts): what two stacks would fight over in Azure.
const EXAMPLE = path.join(__dirname, '..', 'examples', 'zero-secret.yaml');
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const GIVEN_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/flux-shared`;
const zeroSecret = (name: string, aksName: string, more: Partial<ClusterConfig> = {}): ClusterConfig => {
  const base = structuredClone(loadConfig(EXAMPLE).config.clusters[0]);
  return { ...base, name, aks: { ...base.aks!, name: aksName }, workloadIdentity: { managed: { identityId: GIVEN_ID } }, ...more };
};

describe('fleet-wide: one AKS cluster per cluster entry', () => {
  it('refuses two clusters naming one AKS cluster, compared case-insensitively as Azure does', () => {
    const a = zeroSecret('dev', 'aks-shared');
    const b = zeroSecret('prod', 'AKS-Shared', { aks: { subscriptionId: SUBSCRIPTION.toUpperCase(), resourceGroup: 'RG-AKS', name: 'AKS-Shared' } });
    expect(problems(() => validateConfig({ clusters: [a, b] }, 'x'))).toEqual([
      `clusters[1].aks: names the AKS cluster of clusters[0] (dev; Azure compares these names case-insensitively): two stacks would install Flux into one cluster and undo each other; name each AKS cluster once`,
    ]);
  });

  it('accepts the same AKS name in another resource group', () => {
    const b = zeroSecret('prod', 'aks-x', { aks: { subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-other', name: 'aks-x' } });
    expect(() => validateConfig({ clusters: [zeroSecret('dev', 'aks-x'), b] }, 'x')).not.toThrow();
  });
});

describe('fleet-wide: a workloadIdentity.managed.identityId shared by clusters', () => {
  // prod is listed first but deploys in ring 2: dev (ring 1) owns the Azure DevOps grants.
  const clusters = validateConfig({ clusters: [zeroSecret('prod', 'aks-prod', { ring: 2 }), zeroSecret('dev', 'aks-dev', { ring: 1 }), zeroSecret('solo', 'aks-solo')].map((c, i) => (i === 2 ? { ...c, workloadIdentity: { managed: {} } } : c)) }, 'x').clusters;
  const owners = identityAccessOwners(clusters);
  const synthesized = synthApp((app) => clusters.forEach((cluster) => new FluxGitOpsStack(app, cluster.name, { cluster, identityAccessOwner: owners.has(cluster.name) })));
  const names = (stack: string) => resourcesOf(synthesized.stack(stack), 'azurerm_federated_identity_credential').map(([, c]) => c.name).sort();

  it('gives each cluster its own federated credential names, so the second create is no "requires import"', () => {
    expect(names('prod')).toEqual(['prod-flux-system-flux-azure-devops-status', 'prod-flux-system-source-controller']);
    expect(names('dev')).toEqual(['dev-flux-system-flux-azure-devops-status', 'dev-flux-system-source-controller']);
    // An identity of its own keeps the names it had.
    expect(names('solo')).toEqual(['flux-system-flux-azure-devops-status', 'flux-system-source-controller']);
  });

  it('has the first cluster in ring order own the entitlement and permissions; the other stack makes none', () => {
    expect([...owners].sort()).toEqual(['dev', 'solo']);
    const grants = (stack: string) => ['azuredevops_service_principal_entitlement', 'azuredevops_git_permissions'].map((t) => resourcesOf(synthesized.stack(stack), t).length);
    expect(grants('dev')).toEqual([1, 2]);
    expect(grants('prod')).toEqual([0, 0]);
    expect(grants('solo')).toEqual([1, 2]);
  });

  it('refuses clusters sharing the identity with different Azure DevOps grants, naming the owner', () => {
    const full = zeroSecret('prod', 'aks-prod', { ring: 2 });
    const other = { ...full, repositories: full.repositories.slice(0, 1) };
    expect(problems(() => validateConfig({ clusters: [other, zeroSecret('dev', 'aks-dev')] }, 'x'))).toEqual([
      'clusters[0].workloadIdentity.managed.identityId: is also the identity of clusters[1] (dev), whose stack owns its Azure DevOps entitlement and repository permissions ' +
        '(the first cluster in ring order owns them, so destroying another stack leaves them in place); give both clusters the same Azure Repos repositories, ' +
        `commit statuses and accessLevel, or a separate identity (got "${GIVEN_ID.slice(0, 97)}...")`,
    ]);
  });

  it('keeps long credential names within Entra\'s 120 characters and apart', () => {
    const long = 'a'.repeat(63);
    const one = federatedCredentialName(long, `${'b'.repeat(100)}.one`, 'c'.repeat(63));
    const two = federatedCredentialName(long, `${'b'.repeat(100)}.two`, 'c'.repeat(63));
    expect([one.length, two.length]).toEqual([120, 120]);
    expect(one).not.toBe(two);
    expect([one, two].filter((n) => FEDERATED_CREDENTIAL_NAME.test(n))).toEqual([one, two]);
  });
});
