import { Construct } from 'constructs';
import { azureDevOpsOrganizationUrl } from '../azure-devops/urls';
import type { AzureDevOpsRepository } from '../constructs/azure-devops-repository';
import type { Entry } from './sources';

/*
 * Required when used: every synth pays for what it loads, and most stacks need no Azure DevOps lookup
 * (see bench/README.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const lookupModules = () => ({
  ...(require('../.gen/providers/azuredevops/provider') as typeof import('../.gen/providers/azuredevops/provider')),
  ...(require('../constructs/azure-devops-repository') as typeof import('../constructs/azure-devops-repository')),
});
/* eslint-enable @typescript-eslint/no-require-imports */

/** Repositories read from Azure DevOps, by config name: one azuredevops provider per organisation, then the lookups. */
export function lookUpRepositories(scope: Construct, named: readonly Entry[]): Map<string, AzureDevOpsRepository> {
  if (named.length === 0) return new Map();
  const { AzuredevopsProvider, AzureDevOpsRepository } = lookupModules();
  const organizations = [...new Set(named.map((e) => e.source.azureDevOps!.organization))];
  const providers = new Map(
    organizations.map((org) => [
      org,
      // The organisation URL is not a secret and comes from the config; credentials come only from
      // the deploy's environment (AZDO_PERSONAL_ACCESS_TOKEN, or the provider's Entra/OIDC/MSI settings).
      new AzuredevopsProvider(scope, `azuredevops-${org}`, {
        orgServiceUrl: azureDevOpsOrganizationUrl(org),
        alias: organizations.length > 1 ? org : undefined,
      }),
    ]),
  );
  return new Map(
    named.map(({ repo, source }) => {
      const { organization, project, repository } = source.azureDevOps!;
      return [
        repo.name,
        new AzureDevOpsRepository(scope, `azure-repos-${repo.name}`, {
          organization,
          project,
          repository,
          create: repo.azureDevOps?.create,
          provider: organizations.length > 1 ? providers.get(organization) : undefined,
        }),
      ];
    }),
  );
}
