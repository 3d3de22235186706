import * as path from 'path';
import { loadConfig, validateConfig } from '../config/load';
import { ClusterConfig } from '../config/schema';
import { problems } from './support/config-problems';
import { resourceAt, resourcesOf, synthCluster } from './support/synth';

// Values in refusals are cut to 100 characters (config/data.ts): resource ids show their start.

// Zero-secret mode: source-controller reads OCI (ACR) and Bucket (Blob Storage) sources with provider azure as the
// identity the stack makes, so the stack grants it AcrPull / Storage Blob Data Reader there, or the loader refuses.
const EXAMPLE = path.join(__dirname, '..', 'examples', 'zero-secret.yaml');
const SUB = '00000000-0000-0000-0000-000000000000';
const ACR = `/subscriptions/${SUB}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/contoso`;
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg-st/providers/Microsoft.Storage/storageAccounts/stmanifests`;
const cluster = (more: Partial<ClusterConfig>): ClusterConfig => ({ ...structuredClone(loadConfig(EXAMPLE).config.clusters[0]), ...more });
const oci = { name: 'platform-oci', url: 'oci://contoso.azurecr.io/manifests/platform', provider: 'azure' as const, path: './' };
const bucket = { name: 'apps-blob', bucketName: 'manifests', endpoint: 'https://stmanifests.blob.core.windows.net', path: './' };

describe('zero-secret mode: roles for OCI and Bucket sources', () => {
  const json = synthCluster(validateConfig({ clusters: [cluster({ ociRepositories: [{ ...oci, registryId: ACR }], buckets: [{ ...bucket, storageAccountId: ACCOUNT }] })] }, 'x').clusters[0]);
  const identity = resourceAt(json, 'azurerm_user_assigned_identity', 'workload-identity/identity').address;

  it('grants the identity AcrPull on the registry and Storage Blob Data Reader on the container, and nothing else', () => {
    const assignments = resourcesOf(json, 'azurerm_role_assignment').map(([, body]) => {
      const { '//': _meta, provider, ...rest } = body;
      return rest;
    });
    expect(assignments).toEqual([
      { scope: ACR, role_definition_name: 'AcrPull', principal_id: `\${${identity}.principal_id}`, principal_type: 'ServicePrincipal' },
      {
        scope: `${ACCOUNT}/blobServices/default/containers/manifests`,
        role_definition_name: 'Storage Blob Data Reader',
        principal_id: `\${${identity}.principal_id}`,
        principal_type: 'ServicePrincipal',
      },
    ]);
  });

  it('applies the Flux objects only after the roles exist (and removes them first on destroy)', () => {
    const release = resourceAt(json, 'helm_release', 'flux-objects/release').body;
    const ids = resourcesOf(json, 'azurerm_role_assignment').map(([id]) => `azurerm_role_assignment.${id}`);
    expect(ids.filter((id) => release.depends_on.includes(id))).toEqual(ids);
    expect(ids).toHaveLength(2);
  });

  it.each([
    [
      { ociRepositories: [oci] },
      'clusters[0].ociRepositories[0].registryId: is required: source-controller pulls oci://contoso.azurecr.io/manifests/platform as the zero-secret identity, which needs the AcrPull role on that registry; give the registry\'s resource id and the stack grants it',
    ],
    [
      { buckets: [bucket] },
      'clusters[0].buckets[0].storageAccountId: is required: source-controller reads https://stmanifests.blob.core.windows.net as the zero-secret identity, which needs the Storage Blob Data Reader role on container manifests; give the storage account\'s resource id and the stack grants it',
    ],
    [
      { ociRepositories: [{ ...oci, registryId: ACR.replace('contoso', 'fabrikam') }] },
      `clusters[0].ociRepositories[0].registryId: names the registry fabrikam, but url pulls from oci://contoso.azurecr.io/manifests/platform; name the registry of url (got "${ACR.slice(0, 97)}...")`,
    ],
    [
      { buckets: [{ ...bucket, storageAccountId: ACCOUNT, provider: 'generic' as const, secretName: 'minio' }] },
      `clusters[0].buckets[0].storageAccountId: applies only with workloadIdentity.managed, provider azure and no secretName: the identity it grants Storage Blob Data Reader to is the stack's (got "${ACCOUNT.slice(0, 97)}...")`,
    ],
  ])('refuses, naming the role and where to grant it: %#', (more, message) => {
    expect(problems(() => validateConfig({ clusters: [cluster(more)] }, 'x'))).toEqual([message]);
  });
});

describe('zero-secret mode: Azure DevOps permissions through a project-scoped group', () => {
  it('makes one group per project (names compared case-insensitively) and grants each repository to its project\'s group, never to the identity', () => {
    const base = cluster({});
    const repositories = [
      { name: 'a', azureDevOps: { organization: 'contoso', project: 'fabrikam', repository: 'a' }, path: './' },
      { name: 'b', azureDevOps: { organization: 'contoso', project: 'Fabrikam', repository: 'b' }, path: './' },
      { name: 'c', azureDevOps: { organization: 'contoso', project: 'tailspin', repository: 'c' }, path: './' },
    ];
    const json = synthCluster(validateConfig({ clusters: [{ ...base, repositories }] }, 'x').clusters[0]);
    const groups = resourcesOf(json, 'azuredevops_group').map(([id, body]) => [`azuredevops_group.${id}`, body['//'].metadata.path.split('/').pop(), body.display_name]);
    expect(groups.map(([, leaf, name]) => [leaf, name])).toEqual([
      ['group-fabrikam', 'flux-prod'],
      ['group-tailspin', 'flux-prod'],
    ]);
    const principal = (repo: string) => resourceAt(json, 'azuredevops_git_permissions', `git-${repo}`).body.principal;
    expect(['a', 'b', 'c'].map(principal)).toEqual([`\${${groups[0][0]}.descriptor}`, `\${${groups[0][0]}.descriptor}`, `\${${groups[1][0]}.descriptor}`]);
  });
});
