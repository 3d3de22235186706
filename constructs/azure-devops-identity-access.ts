import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { GitPermissions } from '../.gen/providers/azuredevops/git-permissions';
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
 * Posting a commit status (`POST .../commits/{id}/statuses`) writes to the repository: the REST page names only
 * the OAuth scope (vso.code_status); the permission asked for is Contribute (GenericContribute). It allows pushes
 * too: keep branch policies on the branches Flux follows.
 */
export const FLUX_COMMIT_STATUS_PERMISSIONS = { GenericRead: 'Allow', GenericContribute: 'Allow' } as const;

/** A repository the identity is given access to, by Terraform references to its ids. */
export interface IdentityRepositoryAccess {
  /** Project id (a Terraform reference from the project data source). */
  readonly projectId: string;
  /** Repository id. */
  readonly repositoryId: string;
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
}

/**
 * An Entra identity (a managed identity's service principal) made a member of an Azure DevOps organisation
 * (service principal entitlement) and allowed to read each synced repository, and to post commit statuses on
 * those that report them, through repository permissions for the identity's own descriptor: the narrowest grant
 * (no project group, which would open every repository of the project). Destroy removes the permissions (the
 * provider's delete sets this principal's entries back to NotSet: resource_git_permissions.go,
 * resourceGitPermissionsDelete), then the entitlement.
 */
export class AzureDevOpsIdentityAccess extends Construct {
  public readonly entitlement: ServicePrincipalEntitlement;
  public readonly permissions: ReadonlyMap<string, GitPermissions>;
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
    /* eslint-enable @typescript-eslint/no-require-imports */
    this.entitlement = new ServicePrincipalEntitlement(this, 'entitlement', {
      provider: props.provider,
      origin: 'aad',
      originId: props.principalId,
      accountLicenseType: accessLevel,
    });
    this.descriptor = this.entitlement.descriptor;
    this.permissions = new Map(
      Object.entries(props.repositories).map(([name, repo]) => [
        name,
        new GitPermissions(this, `git-${name}`, {
          provider: props.provider,
          projectId: repo.projectId,
          repositoryId: repo.repositoryId,
          principal: this.descriptor,
          permissions: { ...(repo.commitStatus ? FLUX_COMMIT_STATUS_PERMISSIONS : FLUX_READ_PERMISSIONS) },
          // Merge: leave whatever else the repository grants this descriptor as it is.
          replace: false,
        }),
      ]),
    );
  }
}
