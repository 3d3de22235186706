import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { GitPermissions } from '../.gen/providers/azuredevops/git-permissions';
import type { Group } from '../.gen/providers/azuredevops/group';
import type { ServicePrincipalEntitlement } from '../.gen/providers/azuredevops/service-principal-entitlement';
import { LiteralStrings } from './literal-strings';
import { propErrors } from './prop-errors';

/**
 * Access levels the stack offers for the identity's entitlement, as `account_license_type` values of
 * azuredevops_service_principal_entitlement (provider 1.16.0 accepts these among others): `express` is
 * Basic, which includes Azure Repos; `advanced` is Basic + Test Plans; `stakeholder` is free but, per
 * Microsoft's access-level docs, gives no Azure Repos access in private projects.
 */
export const AZURE_DEVOPS_ACCESS_LEVELS = ['express', 'advanced', 'stakeholder'] as const;
/** An Azure DevOps access level an identity can be entitled with (see AZURE_DEVOPS_ACCESS_LEVELS). */
export type AzureDevOpsAccessLevel = (typeof AZURE_DEVOPS_ACCESS_LEVELS)[number];

/** Git permissions (azuredevops_git_permissions names) Flux needs on a repository. */
export const FLUX_READ_PERMISSIONS = { GenericRead: 'Allow' } as const;
/**
 * Posting a commit status (`POST .../commits/{id}/statuses`) writes to the repository. What Azure DevOps checks for
 * it stays unsettled: the REST reference ("Statuses - Create", api-version 7.1) names only the OAuth scope
 * (vso.code_status, "read and write commit and pull request status"), and the repository permission docs
 * ("Set Git repository permissions") list no status bit; PullRequestContribute ("Contribute to pull requests") is
 * what pull request statuses are refused without (TF401027), not commit statuses. Contribute (GenericContribute)
 * is the bit that covers writing to a repository, so it is granted; it also allows pushes: keep branch policies on
 * the branches Flux follows. Narrow it only after a real organisation accepts a status without it.
 */
export const FLUX_COMMIT_STATUS_PERMISSIONS = { GenericRead: 'Allow', GenericContribute: 'Allow' } as const;

/** A repository the identity is given access to, by Terraform references to its ids. */
export interface IdentityRepositoryAccess {
  /** Project id (a Terraform reference from the project data source). */
  readonly projectId: string;
  /** Repository id. */
  readonly repositoryId: string;
  /** Project name (the group of a project is made once, whatever the spelling). */
  readonly project: string;
  /** Also grant what posting commit statuses needs. @default false */
  readonly commitStatus?: boolean;
}

/** Props of {@link AzureDevOpsIdentityAccess}. */
export interface AzureDevOpsIdentityAccessProps {
  /** The azuredevops provider of the organisation. @default - the stack's default azuredevops provider */
  readonly provider?: TerraformProvider;
  /** Object id of the identity's service principal in Entra (its `principal_id`). */
  readonly principalId: string;
  /**
   * Access level of the entitlement.
   * @default 'express' (Basic: Azure Repos needs it)
   */
  readonly accessLevel?: AzureDevOpsAccessLevel;
  /** The repositories the identity reads (keyed by a stable name, used in construct ids). */
  readonly repositories: { readonly [name: string]: IdentityRepositoryAccess };
  /**
   * Display name of the project-scoped group the identity is put in, in each project of `repositories`.
   * @default 'flux-<construct id>'
   */
  readonly groupName?: string;
}

/**
 * An Entra identity (a managed identity's service principal) made a member of an Azure DevOps organisation
 * (service principal entitlement) and of one small project-scoped group per project, the documented way to give
 * permissions (Microsoft Learn, "About permissions and security groups": manage permissions through groups); it
 * also makes the identity a project member. The group, not the identity, may read each synced repository, and
 * post commit statuses on those that report them: repository permissions, never project-wide ones, which would
 * open every repository of the project. Destroy removes the permissions (the provider's delete sets the group's
 * entries back to NotSet: resource_git_permissions.go, resourceGitPermissionsDelete), the groups, then the
 * entitlement.
 */
export class AzureDevOpsIdentityAccess extends Construct {
  public readonly entitlement: ServicePrincipalEntitlement;
  public readonly permissions: ReadonlyMap<string, GitPermissions>;
  /** The project-scoped group holding the identity, by lower-cased project name. */
  public readonly groups: ReadonlyMap<string, Group>;
  /** The identity's descriptor in the organisation. */
  public readonly descriptor: string;

  constructor(scope: Construct, id: string, props: AzureDevOpsIdentityAccessProps) {
    super(scope, id);
    // Config text reaches Terraform as literal data, whatever field it is in.
    LiteralStrings.of(this);
    const fail = propErrors(`AzureDevOpsIdentityAccess ${this.node.path}`);
    const accessLevel = props.accessLevel ?? 'express';
    if (!AZURE_DEVOPS_ACCESS_LEVELS.includes(accessLevel)) fail('accessLevel', accessLevel, `use one of ${AZURE_DEVOPS_ACCESS_LEVELS.join(', ')}`);
    if (Object.keys(props.repositories).length === 0) fail('repositories', {}, 'name at least one repository');

    /* eslint-disable @typescript-eslint/no-require-imports */
    const { ServicePrincipalEntitlement } = require('../.gen/providers/azuredevops/service-principal-entitlement') as typeof import('../.gen/providers/azuredevops/service-principal-entitlement');
    const { GitPermissions } = require('../.gen/providers/azuredevops/git-permissions') as typeof import('../.gen/providers/azuredevops/git-permissions');
    const { Group: GroupResource } = require('../.gen/providers/azuredevops/group') as typeof import('../.gen/providers/azuredevops/group');
    /* eslint-enable @typescript-eslint/no-require-imports */
    this.entitlement = new ServicePrincipalEntitlement(this, 'entitlement', {
      provider: props.provider,
      origin: 'aad',
      originId: props.principalId,
      accountLicenseType: accessLevel,
    });
    this.descriptor = this.entitlement.descriptor;
    const groupName = props.groupName ?? `flux-${id}`;
    // A conservative subset of what Azure DevOps takes in a group name (the stack's is flux-<cluster>).
    if (!/^[A-Za-z0-9][-\w. ]{0,254}[A-Za-z0-9]$/.test(groupName)) fail('groupName', groupName, 'use 2-256 letters, digits, spaces, "-", "_" and ".", starting and ending with a letter or digit');
    // One group per project (Azure DevOps compares project names case-insensitively), scoped to it.
    const groups = new Map<string, Group>();
    for (const repo of Object.values(props.repositories)) {
      const key = repo.project.toLowerCase();
      if (groups.has(key)) continue;
      groups.set(
        key,
        new GroupResource(this, `group-${key}`, {
          provider: props.provider,
          scope: repo.projectId,
          displayName: groupName,
          description: 'Flux (cdktf-flux-gitops): reads the synced repositories and posts their commit statuses',
          members: [this.descriptor],
        }),
      );
    }
    this.groups = groups;
    this.permissions = new Map(
      Object.entries(props.repositories).map(([name, repo]) => [
        name,
        new GitPermissions(this, `git-${name}`, {
          provider: props.provider,
          projectId: repo.projectId,
          repositoryId: repo.repositoryId,
          principal: groups.get(repo.project.toLowerCase())!.descriptor,
          permissions: { ...(repo.commitStatus ? FLUX_COMMIT_STATUS_PERMISSIONS : FLUX_READ_PERMISSIONS) },
          // Merge: leave whatever else the repository grants this group as it is.
          replace: false,
        }),
      ]),
    );
  }
}
