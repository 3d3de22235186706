import { Fn, TerraformLocal, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { LiteralStrings } from './literal-strings';
import { DataAzuredevopsGitRepository } from '../.gen/providers/azuredevops/data-azuredevops-git-repository';
import { DataAzuredevopsProject } from '../.gen/providers/azuredevops/data-azuredevops-project';
import { GitRepository } from '../.gen/providers/azuredevops/git-repository';
import { AZURE_DEVOPS_NAME_RULES, invalidAzureDevOpsName } from '../azure-devops/names';
import { AZURE_DEVOPS_SSH_HOST, AzureDevOpsRepositoryName, azureDevOpsHttpsUrl, azureDevOpsProjectUrl } from '../azure-devops/urls';

/** Props of {@link AzureDevOpsRepository}: the repository by its Azure DevOps names. */
export interface AzureDevOpsRepositoryProps {
  /** Organisation name (`contoso` of dev.azure.com/contoso). */
  readonly organization: string;
  /** Project name. */
  readonly project: string;
  /** Repository name. */
  readonly repository: string;
  /**
   * Create the repository (initialised with a first commit) instead of reading an existing one.
   * The created repository is protected with `prevent_destroy`: destroying the stack never deletes
   * a manifest repository.
   * @default false
   */
  readonly create?: boolean;
  /**
   * The azuredevops provider configured for `organization`.
   * @default - the stack's default azuredevops provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * An Azure Repos repository as Azure DevOps itself describes it: its SSH and HTTPS clone URLs,
 * default branch and web URL come from the azuredevops provider (data sources, or the repository
 * resource when `create` is set), so nothing is typed twice and renames are followed.
 */
export class AzureDevOpsRepository extends Construct {
  public readonly name: AzureDevOpsRepositoryName;
  public readonly projectId: string;
  public readonly repositoryId: string;
  /** SSH URL in the ssh:// form Flux needs (the API answers with the scp-like form). */
  public readonly fluxSshUrl: string;
  /** HTTPS clone URL without the user name Azure DevOps puts in it. */
  public readonly httpsUrl: string;
  public readonly webUrl: string;
  /** e.g. `refs/heads/main`. */
  public readonly defaultBranch: string;
  /** `https://dev.azure.com/org/project`, known at synth. */
  public readonly projectUrl: string;
  /** `https://dev.azure.com/org/project/_git/repo`, known at synth (for consumers that need a literal). */
  public readonly staticHttpsUrl: string;
  /** The azuredevops provider the lookups use (for more resources of the same organisation). */
  public readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: AzureDevOpsRepositoryProps) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const where = `AzureDevOpsRepository ${this.node.path}`;
    const bad = invalidAzureDevOpsName(props);
    if (bad) throw new Error(`${where}: ${bad} ${JSON.stringify(props[bad])} is not ${AZURE_DEVOPS_NAME_RULES[bad]}`);
    this.name = { organization: props.organization, project: props.project, repository: props.repository };
    this.provider = props.provider;
    this.projectUrl = azureDevOpsProjectUrl(this.name);
    this.staticHttpsUrl = azureDevOpsHttpsUrl(this.name);

    const project = new DataAzuredevopsProject(this, 'project', { name: props.project, provider: props.provider });
    this.projectId = project.id;
    let repo: DataAzuredevopsGitRepository | GitRepository;
    if (props.create) {
      repo = new GitRepository(this, 'repository', {
        provider: props.provider,
        projectId: project.id,
        name: props.repository,
        initialization: { initType: 'Clean' },
        lifecycle: { preventDestroy: true, ignoreChanges: ['initialization'] },
      });
    } else {
      repo = new DataAzuredevopsGitRepository(this, 'repository', { provider: props.provider, projectId: project.id, name: props.repository });
    }
    this.repositoryId = repo.id;
    this.webUrl = repo.webUrl;
    this.defaultBranch = repo.defaultBranch;
    // The SSH form is fixed: a plain substring replacement. The HTTPS one starts with the organisation as the
    // API spells it, which need not be the config's spelling (see remoteUrlOrganizationPrefix).
    // Locals keep the Flux objects' JSON free of function calls: it then reads `${local.x}`.
    this.fluxSshUrl = new TerraformLocal(this, 'flux_ssh_url', Fn.replace(repo.sshUrl, `git@${AZURE_DEVOPS_SSH_HOST}:`, `ssh://git@${AZURE_DEVOPS_SSH_HOST}/`)).asString;
    this.httpsUrl = new TerraformLocal(this, 'https_url', Fn.replace(repo.remoteUrl, remoteUrlOrganizationPrefix(props.organization), 'https://')).asString;
  }
}

/**
 * The pattern Terraform's `replace` strips from a repository's `remote_url` (`https://<organisation>@dev.azure.com/...`):
 * the organisation case-insensitively, since Azure DevOps treats `Contoso` and `contoso` as one organisation and
 * the API returns its own spelling. A `/.../` substring is an RE2 regular expression to `replace`, where `(?i)`
 * ignores case (developer.hashicorp.com/terraform/language/functions/replace and .../functions/regex). Organisation
 * names are letters, digits and "-" (ORGANIZATION_NAME), nothing a pattern would read as syntax.
 */
export function remoteUrlOrganizationPrefix(organization: string): string {
  return `/(?i)^https://${organization}@/`;
}
