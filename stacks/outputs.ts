import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { keysPageUrl } from '../azure-devops/names';
import type { AzureDevOpsSshKey } from '../constructs/azure-devops-ssh-key';
import type { FluxGitSync } from '../constructs/flux-git-sync';
import type { FluxWorkloadIdentity } from '../constructs/flux-workload-identity';
import type { GitIdentity } from '../constructs/git-identity';
import type { GitOpsConnector } from '../constructs/gitops-connector';
import type { Entry } from './sources';

/** What the stack's outputs report on. */
export interface OutputsInput {
  readonly fluxNamespace: string;
  readonly syncs: readonly FluxGitSync[];
  readonly workloadIdentity?: FluxWorkloadIdentity;
  readonly connectors: ReadonlyMap<string, GitOpsConnector>;
  /** The SSH key pair, its registrations, and the SSH repositories. */
  readonly identity?: GitIdentity;
  readonly sshKeys: readonly AzureDevOpsSshKey[];
  readonly ssh: readonly Entry[];
}

/** The stack's outputs: the Flux namespace, the fetched URLs, and what an operator needs of the identities and connectors. */
export function addOutputs(scope: Construct, input: OutputsInput): void {
  const { fluxNamespace, syncs, workloadIdentity, connectors, identity, sshKeys, ssh } = input;
  new TerraformOutput(scope, 'flux_namespace', { value: fluxNamespace, description: 'Namespace of the Flux controllers and objects.' });
  new TerraformOutput(scope, 'git_repository_urls', {
    value: Object.fromEntries(syncs.map((s) => [s.name, s.url])),
    description: 'URL each GitRepository fetches.',
  });
  if (workloadIdentity) {
    new TerraformOutput(scope, 'workload_identity_client_id', {
      value: workloadIdentity.clientId,
      description: 'Client id of the identity Flux reads Azure Repos (and posts commit statuses) as.',
    });
  }
  if (connectors.size > 0) {
    new TerraformOutput(scope, 'gitops_connector_addresses', {
      value: Object.fromEntries([...connectors].map(([name, c]) => [name, c.address])),
      description: 'Where Flux posts the events of each repository for its GitOps Connector.',
    });
  }
  if (!identity) return;
  new TerraformOutput(scope, 'git_public_key', {
    value: identity.publicKeyOpenssh,
    description: 'Public half of the Flux SSH key (OpenSSH form).',
  });
  new TerraformOutput(scope, 'git_public_key_fingerprint', {
    value: identity.publicKeyFingerprintSha256,
    description: 'SHA256 fingerprint of the Flux SSH key, as Azure DevOps shows it.',
  });
  // One entry per organisation, case-insensitively, under the spelling seen first (as registerSshKeys in git-credentials.ts).
  const organizations: string[] = [];
  for (const { source } of ssh) {
    const org = source.azureDevOps?.organization;
    if (org && !organizations.some((o) => o.toLowerCase() === org.toLowerCase())) organizations.push(org);
  }
  if (organizations.length === 0) return;
  new TerraformOutput(scope, 'ssh_key_pages', {
    value: Object.fromEntries(organizations.map((org) => [org, keysPageUrl(org)])),
    description:
      sshKeys.length > 0
        ? 'Where the registered key is listed, per organisation.'
        : 'Automatic registration is off: add git_public_key on these pages (User settings > SSH public keys), per organisation.',
  });
  if (sshKeys.length > 0) {
    new TerraformOutput(scope, 'ssh_key_expires_at', {
      value: Object.fromEntries(sshKeys.map((k) => [k.organization, k.expiresAt])),
      description:
        'When each key registration expires, as Azure DevOps stored it (it shortens an expiry beyond the organisation\'s maximum lifetime; keys last at most a year): rotate or re-register before. ' +
        'Read with the token in the deploy\'s environment; without one (or when Azure DevOps cannot be read) it is the requested date.',
    });
  }
}
