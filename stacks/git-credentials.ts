import { ITerraformDependable, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { GIT_HTTPS_SECRET } from '../config/repositories';
import { ClusterConfig } from '../config/schema';
import { AzureDevOpsSshKey } from '../constructs/azure-devops-ssh-key';
import { FluxGitSecret } from '../constructs/flux-git-secret';
import { GitIdentity } from '../constructs/git-identity';
import { KnownHosts } from '../constructs/known-hosts';
import { nonEmptySecretVariable } from './secrets';
import type { Entry } from './sources';

/** What Flux reads git with: the SSH key pair and its registrations, the PAT of HTTPS repositories, and their Secrets. */
export interface GitCredentials {
  readonly identity?: GitIdentity;
  readonly knownHosts?: KnownHosts;
  readonly sshKeys: AzureDevOpsSshKey[];
  readonly sshSecret?: FluxGitSecret;
  readonly gitPat?: TerraformVariable;
  readonly httpsSecret?: FluxGitSecret;
}

/**
 * With SSH repositories: a key pair, the known hosts, the key's registrations in Azure DevOps and the Secret
 * holding them; with HTTPS repositories: the PAT variable and its Secret. Both Secrets go into `namespace`
 * after `afterFlux` (the Flux release, which makes the namespace).
 */
export function addGitCredentials(
  scope: Construct,
  cluster: ClusterConfig,
  ssh: readonly Entry[],
  https: readonly Entry[],
  namespace: string,
  afterFlux: ITerraformDependable[],
): GitCredentials {
  let identity: GitIdentity | undefined;
  let knownHosts: KnownHosts | undefined;
  if (ssh.length > 0) {
    new TlsProvider(scope, 'tls');
    new NullProvider(scope, 'null');
    identity = new GitIdentity(scope, 'git-identity', cluster.gitIdentity);
    knownHosts = new KnownHosts(scope, 'known-hosts', cluster.knownHosts);
  }
  const sshKeys = registerSshKeys(scope, cluster, ssh, identity);
  const sshSecret =
    identity && knownHosts
      ? new FluxGitSecret(scope, 'git-auth', {
          namespace,
          ssh: { identity, knownHosts },
          // After the registrations: on a key rotation the Secret moves to the new key only once it is
          // registered, and the old key is revoked only after the Secret has moved (create before destroy).
          dependsOn: [...afterFlux, ...sshKeys.map((k) => k.registration)],
        })
      : undefined;
  if (https.length === 0) return { identity, knownHosts, sshKeys, sshSecret };
  const gitPat = nonEmptySecretVariable(scope, 'flux_git_pat', 'PAT Flux reads HTTPS repositories with (scope Code: Read). Set TF_VAR_flux_git_pat.');
  const httpsSecret = new FluxGitSecret(scope, 'git-https-auth', {
    namespace,
    name: GIT_HTTPS_SECRET,
    https: { password: gitPat.stringValue },
    dependsOn: afterFlux,
  });
  return { identity, knownHosts, sshKeys, sshSecret, gitPat, httpsSecret };
}

/** One key registration per organisation of an SSH repository on Azure DevOps, unless turned off. */
function registerSshKeys(scope: Construct, cluster: ClusterConfig, ssh: readonly Entry[], identity: GitIdentity | undefined): AzureDevOpsSshKey[] {
  if (!identity || cluster.azureDevOps?.registerSshKey === false) return [];
  // Organisation names are case-insensitive (dev.azure.com/Contoso is dev.azure.com/contoso), and Azure
  // DevOps holds a key once per organisation: Contoso and contoso get one registration, under the
  // spelling seen first.
  const byOrganization = new Map<string, { organization: string; repos: string[] }>();
  for (const { source } of ssh) {
    if (!source.azureDevOps) continue;
    const { organization, project, repository } = source.azureDevOps;
    const group = byOrganization.get(organization.toLowerCase()) ?? { organization, repos: [] };
    group.repos.push(`${project}/${repository}`);
    byOrganization.set(organization.toLowerCase(), group);
  }
  if (byOrganization.size === 0) return [];
  new TimeProvider(scope, 'time');
  return [...byOrganization.values()].map(
    ({ organization, repos }) =>
      new AzureDevOpsSshKey(scope, `ssh-key-${organization}`, {
        organization,
        identity,
        displayName: `flux-gitops ${cluster.name}: ${repos.join(', ')}`,
        validityDays: cluster.azureDevOps?.keyValidityDays,
      }),
  );
}
