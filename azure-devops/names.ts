/**
 * Azure DevOps names as the service restricts them (learn.microsoft.com, "Naming restrictions and
 * conventions"), checked at synth so a typo fails before any plan or request.
 */
import type { AzureDevOpsRepositoryName } from './urls';

/** Organisation names: English letters, digits and hyphens; start and end with a letter or digit; at most 50. */
export const ORGANIZATION_NAME = '^[A-Za-z0-9]([A-Za-z0-9-]{0,48}[A-Za-z0-9])?$';
/**
 * Project names: 1 to 64 characters, none of \ / : * ? " ' < > ; # $ { } , + = [ ] | or control
 * characters, not starting with "_" or ".", not ending with ".".
 */
export const PROJECT_NAME = '^(?![_.])(?!.*\\.$)[^\\\\/:*?"\'<>;#$*{},+=\\[\\]|\\u0000-\\u001f]{1,64}$';
/** Repository names: as project names, except that "'" is allowed. */
export const REPOSITORY_NAME = '^(?![_.])(?!.*\\.$)[^\\\\/:*?"<>;#$*{},+=\\[\\]|\\u0000-\\u001f]{1,64}$';

/** Names the service reserves for projects and repositories (compared case-insensitively). */
export const RESERVED_NAMES = [
  'AUX', 'COM1', 'COM2', 'COM3', 'COM4', 'COM5', 'COM6', 'COM7', 'COM8', 'COM9', 'COM10', 'CON', 'DefaultCollection',
  'LPT1', 'LPT2', 'LPT3', 'LPT4', 'LPT5', 'LPT6', 'LPT7', 'LPT8', 'LPT9', 'NUL', 'PRN', 'SERVER', 'SignalR', 'Web',
];
/** More names reserved for projects only. */
export const RESERVED_PROJECT_NAMES = [
  ...RESERVED_NAMES, 'App_Browsers', 'App_code', 'App_Data', 'App_GlobalResources', 'App_LocalResources', 'App_Themes',
  'App_WebResources', 'bin', 'web.config',
];

const organization = new RegExp(ORGANIZATION_NAME);
const project = new RegExp(PROJECT_NAME);
const repository = new RegExp(REPOSITORY_NAME);
const reserved = (list: readonly string[], value: string): boolean => list.some((n) => n.toLowerCase() === value.toLowerCase());

/** True for a name Azure DevOps allows for an organisation. */
export function isOrganizationName(value: string): boolean {
  return organization.test(value);
}

/** True for a project name Azure DevOps reserves. */
export function isReservedProjectName(value: string): boolean {
  return reserved(RESERVED_PROJECT_NAMES, value);
}

/** True for a repository name Azure DevOps reserves. */
export function isReservedRepositoryName(value: string): boolean {
  return reserved(RESERVED_NAMES, value);
}

/** True for a name Azure DevOps allows for a project. */
export function isProjectName(value: string): boolean {
  return project.test(value) && !isReservedProjectName(value);
}

/** True for a name Azure DevOps allows for a repository. */
export function isRepositoryName(value: string): boolean {
  return repository.test(value) && !isReservedRepositoryName(value);
}

/** What each name of a repository must be, as error messages say it. */
export const AZURE_DEVOPS_NAME_RULES: Readonly<Record<keyof AzureDevOpsRepositoryName, string>> = {
  organization: `an Azure DevOps organisation name (${ORGANIZATION_NAME})`,
  project:
    'an Azure DevOps project name (1-64 characters, none of \\ / : * ? " \' < > ; # $ { } , + = [ ] |, not starting with _ or ., not ending with ., not a reserved name)',
  repository:
    'an Azure Repos repository name (1-64 characters, none of \\ / : * ? " < > ; # $ { } , + = [ ] |, not starting with _ or ., not ending with ., not a reserved name)',
};

/** The first of a repository's names that Azure DevOps does not allow, or undefined when it allows all three. */
export function invalidAzureDevOpsName(name: AzureDevOpsRepositoryName): keyof AzureDevOpsRepositoryName | undefined {
  if (!isOrganizationName(name.organization)) return 'organization';
  if (!isProjectName(name.project)) return 'project';
  if (!isRepositoryName(name.repository)) return 'repository';
  return undefined;
}

/** The page of an organisation that lists the user's SSH public keys. */
export function keysPageUrl(organization: string): string {
  return `https://dev.azure.com/${encodeURIComponent(organization)}/_usersSettings/keys`;
}
