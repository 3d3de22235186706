/**
 * Azure Repos URLs in every form Azure DevOps shows them, and the forms each consumer needs:
 * Flux wants `ssh://git@ssh.dev.azure.com/v3/org/project/repo` (the CRD requires a scheme, so the
 * scp-like `git@ssh.dev.azure.com:v3/...` that the web UI offers is rejected by the API server),
 * or `https://dev.azure.com/org/project/_git/repo` for HTTPS and workload identity.
 */

/** An Azure Repos repository, names as Azure DevOps shows them (not URL-encoded). */
export interface AzureDevOpsRepositoryName {
  readonly organization: string;
  readonly project: string;
  readonly repository: string;
}

/** How Flux fetches a repository. */
export type GitTransport = 'ssh' | 'https';

/** The SSH host of Azure Repos. */
export const AZURE_DEVOPS_SSH_HOST = 'ssh.dev.azure.com';

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function repo(organization: string, project: string, repository: string): AzureDevOpsRepositoryName {
  return { organization: decode(organization), project: decode(project), repository: decode(repository.replace(/\.git$/, '')) };
}

const patterns: readonly [RegExp, (m: RegExpMatchArray) => AzureDevOpsRepositoryName][] = [
  // git@ssh.dev.azure.com:v3/org/project/repo and ssh://git@ssh.dev.azure.com[:22]/v3/org/project/repo
  [/^(?:ssh:\/\/)?[^@/\s]+@ssh\.dev\.azure\.com(?::22)?[:/]v3\/([^/\s]+)\/([^/\s]+)\/([^/\s]+?)\/?$/i, (m) => repo(m[1], m[2], m[3])],
  // the legacy host: org@vs-ssh.visualstudio.com:v3/org/project/repo
  [/^(?:ssh:\/\/)?[^@/\s]+@vs-ssh\.visualstudio\.com(?::22)?[:/]v3\/([^/\s]+)\/([^/\s]+)\/([^/\s]+?)\/?$/i, (m) => repo(m[1], m[2], m[3])],
  // https://[user@]dev.azure.com/org/project/_git/repo
  [/^https:\/\/(?:[^@/\s]+@)?dev\.azure\.com\/([^/\s]+)\/([^/\s]+)\/_git\/([^/?#\s]+?)\/?(?:[?#].*)?$/i, (m) => repo(m[1], m[2], m[3])],
  // https://org.visualstudio.com[/DefaultCollection]/project/_git/repo
  [
    /^https:\/\/(?:[^@/\s]+@)?([^./\s]+)\.visualstudio\.com\/(?:DefaultCollection\/)?([^/\s]+)\/_git\/([^/?#\s]+?)\/?(?:[?#].*)?$/i,
    (m) => repo(m[1], m[2], m[3]),
  ],
];

/** Recognises an Azure Repos URL in any of its forms; `undefined` for anything else. */
export function parseAzureDevOpsUrl(url: string): AzureDevOpsRepositoryName | undefined {
  for (const [pattern, build] of patterns) {
    const m = url.trim().match(pattern);
    if (m) return build(m);
  }
  return undefined;
}

// Azure DevOps percent-encodes spaces and other reserved characters of project and repository names
// in both its SSH and HTTPS URLs.
const enc = encodeURIComponent;

/** The `ssh://` URL of a repository, the form the GitRepository CRD accepts. */
export function azureDevOpsSshUrl(r: AzureDevOpsRepositoryName): string {
  return `ssh://git@${AZURE_DEVOPS_SSH_HOST}/v3/${enc(r.organization)}/${enc(r.project)}/${enc(r.repository)}`;
}

/** The https:// URL of a repository. */
export function azureDevOpsHttpsUrl(r: AzureDevOpsRepositoryName): string {
  return `https://dev.azure.com/${enc(r.organization)}/${enc(r.project)}/_git/${enc(r.repository)}`;
}

/** `https://dev.azure.com/org/project`: what the GitOps Connector calls the organisation URL. */
export function azureDevOpsProjectUrl(r: Pick<AzureDevOpsRepositoryName, 'organization' | 'project'>): string {
  return `https://dev.azure.com/${enc(r.organization)}/${enc(r.project)}`;
}

/** The URL of an organisation (https://dev.azure.com/<org>). */
export function azureDevOpsOrganizationUrl(organization: string): string {
  return `https://dev.azure.com/${enc(organization)}`;
}

/**
 * Query parameters that carry a credential: a PAT or token (`?pat=`, `access_token=`), a key or secret,
 * an Azure SAS signature (`sig=`), an Azure Functions key (`code=`). Azure DevOps never reads a PAT from
 * a query; one there is only a secret written into config files, state and the cluster in clear.
 */
const CREDENTIAL_PARAMETERS = 'pat|token|access_token|accesstoken|api[-_]?key|key|secret|client_secret|password|passwd|pwd|sig|signature|code|auth|authorization|credential|credentials';
const CREDENTIAL_QUERY = new RegExp(`[?&#;](${CREDENTIAL_PARAMETERS})=`, 'i');
const CREDENTIAL_QUERY_VALUE = new RegExp(`([?&#;](?:${CREDENTIAL_PARAMETERS})=)[^&#;]*`, 'gi');

/** `url` with its user information and credential query values replaced by `***`, safe to print. */
export function maskUrlCredentials(url: string): string {
  return url
    .replace(/^(\s*https?:\/\/)[^@/\s]*@/i, '$1***@')
    .replace(CREDENTIAL_QUERY_VALUE, '$1***');
}

/**
 * Why `url` must not be used because it carries a credential, or undefined. An http(s) URL with a
 * password, or with a user name other than the organisation Azure DevOps itself puts there, holds
 * (or may hold) a token: it would end up in config files, state and the cluster in clear text.
 */
export function urlCredentialProblem(url: string): string | undefined {
  const param = CREDENTIAL_QUERY.exec(url)?.[1];
  if (param !== undefined) return `carries a credential in its query (${param}=); give it through a sensitive variable (addressFromVariable) or a Secret`;
  const m = url.trim().match(/^https?:\/\/([^@/\s]*)@/i);
  if (!m) return undefined;
  const [user, password] = m[1].split(':');
  if (password !== undefined) return 'carries a password; give secrets through the sensitive variables, never in a URL';
  const ado = parseAzureDevOpsUrl(url);
  if (ado && decode(user).toLowerCase() === ado.organization.toLowerCase()) return undefined;
  return 'carries a user name that may be a token; drop the "user@" part (credentials go through the sensitive variables)';
}

/**
 * Returns the URL Flux should fetch: Azure Repos URLs in their canonical form for the transport,
 * scp-like `user@host:path` turned into `ssh://user@host/path`, other http(s)/ssh URLs unchanged.
 * Throws on anything else, with the forms that are accepted.
 */
export function normaliseGitUrl(url: string, transport: GitTransport): string {
  const credential = urlCredentialProblem(url);
  if (credential) throw new Error(`${JSON.stringify(maskUrlCredentials(url))} ${credential}`);
  const ado = parseAzureDevOpsUrl(url);
  if (ado) return transport === 'ssh' ? azureDevOpsSshUrl(ado) : azureDevOpsHttpsUrl(ado);
  const trimmed = url.trim();
  if (/^(ssh|https?):\/\/[^\s/]+\/\S*$/.test(trimmed)) {
    if (transport === 'https' && trimmed.startsWith('ssh://')) throw new Error(`${JSON.stringify(url)} is an SSH URL but the transport is https`);
    if (transport === 'ssh' && !trimmed.startsWith('ssh://')) throw new Error(`${JSON.stringify(url)} is an HTTP(S) URL but the transport is ssh`);
    // The https transport carries a PAT or an Entra token (auth https, workload-identity): never in clear.
    if (/^http:\/\//i.test(trimmed)) throw new Error(`${JSON.stringify(maskUrlCredentials(url))} is http://, where Flux would send its PAT or token in clear; use https://`);
    return trimmed;
  }
  const scp = trimmed.match(/^([^@\s/:]+)@([^\s/:]+):(?!\/)(\S+)$/);
  if (scp && transport === 'ssh') return `ssh://${scp[1]}@${scp[2]}/${scp[3]}`;
  throw new Error(
    `${JSON.stringify(url)} is not a git URL Flux can use over ${transport}; give an Azure Repos URL ` +
      '(git@ssh.dev.azure.com:v3/org/project/repo, https://dev.azure.com/org/project/_git/repo or ' +
      'ssh://git@ssh.dev.azure.com/v3/org/project/repo) or an ssh:// / https:// URL',
  );
}

/**
 * Why notification-controller's `azuredevops` Provider cannot post commit statuses to `address`, or
 * undefined. notification-controller v1.8.3 (internal/notifier/util.go parseGitAddress, then
 * internal/notifier/azure_devops.go NewAzureDevOps) trims the leading "/" and a trailing ".git" off the
 * URL's path and requires exactly four "/"-separated parts, read as org/project/<ignored>/repo, and posts
 * to `<scheme>://<host>/<org>`. So `https://org.visualstudio.com/project/_git/repo` (three parts) is refused
 * there, and `https://org.visualstudio.com/DefaultCollection/project/_git/repo` or
 * `https://dev.azure.com/org/project/_git/repo` are taken. Stricter than the controller on purpose, where it
 * would post somewhere else or in clear: https only (it keeps http, and turns ssh into https with the SSH
 * path's parts), Azure DevOps Services hosts only (the token, or the Entra token of workload identity, goes to
 * that host), the third part `_git` (the controller ignores it; any other text is not a repository's URL),
 * no empty part, no user, port, query or fragment.
 */
export function azureDevOpsProviderAddressProblem(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'is not a URL';
  }
  const form = "use the repository's HTTPS URL, https://dev.azure.com/<org>/<project>/_git/<repo> (or https://<org>.visualstudio.com/DefaultCollection/<project>/_git/<repo>)";
  if (url.protocol !== 'https:') return `must be https: the token would travel in clear or to the wrong path; ${form}`;
  if (url.username || url.password) return `must not carry a user or password; ${form}`;
  if (url.port) return `must not name a port; ${form}`;
  if (url.search || url.hash || /[?#]/.test(address)) return `must not have a query or fragment; ${form}`;
  const host = url.hostname.toLowerCase();
  if (host !== 'dev.azure.com' && !/^[a-z0-9][a-z0-9-]*\.visualstudio\.com$/.test(host)) return `must be on dev.azure.com or <org>.visualstudio.com; ${form}`;
  const parts = url.pathname.replace(/^\/+/, '').replace(/\.git$/, '').split('/');
  if (parts.length !== 4) {
    return `has ${parts.length} path part${parts.length === 1 ? '' : 's'}; notification-controller needs exactly four, <org>/<project>/_git/<repo>; ${form}`;
  }
  if (parts.some((p) => p === '')) return `has an empty path part; ${form}`;
  if (parts[2] !== '_git') return `must have _git as its third path part; ${form}`;
  return undefined;
}
