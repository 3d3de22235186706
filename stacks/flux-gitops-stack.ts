import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { parseAzureDevOpsUrl } from '../azure-devops/urls';
import { ClusterConfig } from '../config/schema';
import { AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG, FluxInstall } from '../constructs/flux-install';
import { FluxGitSecret } from '../constructs/flux-git-secret';
import { FluxGitSync } from '../constructs/flux-git-sync';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import { GitIdentity } from '../constructs/git-identity';
import { KnownHosts } from '../constructs/known-hosts';

export interface FluxGitOpsStackProps {
  /** One validated cluster of the config (config/load.ts). */
  readonly cluster: ClusterConfig;
}

/**
 * The Bedrock replacement for one cluster: Flux v2 installed, its git identity generated and wired
 * into the Secret Flux reads, and one GitRepository + Kustomization per manifest repository, all
 * converging in one `cdktf deploy` on a fresh cluster.
 */
export class FluxGitOpsStack extends TerraformStack {
  public readonly flux: FluxInstall;
  public readonly identity: GitIdentity;
  public readonly knownHosts: KnownHosts;
  public readonly gitSecret: FluxGitSecret;
  public readonly delivery: FluxObjectsRelease;
  public readonly syncs: readonly FluxGitSync[];

  constructor(scope: Construct, id: string, props: FluxGitOpsStackProps) {
    super(scope, id);
    const { cluster } = props;
    // Relative to the stack's folder (cdktf.out/stacks/<name>), where Terraform runs: the state sits at
    // the project root, outside the regenerated output, and the JSON names no machine-specific path.
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });

    const kubeconfig = { configPath: cluster.kubeconfig?.path ?? '~/.kube/config', configContext: cluster.kubeconfig?.context };
    new KubernetesProvider(this, 'kubernetes', kubeconfig);
    new HelmProvider(this, 'helm', { kubernetes: kubeconfig });
    new TlsProvider(this, 'tls');

    const usesAzureDevOpsSsh = cluster.repositories.some((r) => parseAzureDevOpsUrl(r.url) !== undefined);
    this.flux = new FluxInstall(this, 'flux', {
      namespace: cluster.flux?.namespace,
      chartVersion: cluster.flux?.chartVersion,
      chartRepository: cluster.flux?.chartRepository,
      components: cluster.flux?.components,
      sourceControllerArgs: usesAzureDevOpsSsh ? [AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG] : [],
    });

    this.identity = new GitIdentity(this, 'git-identity', cluster.gitIdentity);
    this.knownHosts = new KnownHosts(this, 'known-hosts', cluster.knownHosts);
    this.gitSecret = new FluxGitSecret(this, 'git-auth', {
      namespace: this.flux.namespace,
      ssh: { identity: this.identity, knownHosts: this.knownHosts },
      // The namespace is created by the Flux release.
      dependsOn: [this.flux.release],
    });

    this.delivery = new FluxObjectsRelease(this, 'flux-objects', {
      namespace: this.flux.namespace,
      dependsOn: [this.flux.release, this.gitSecret.secret],
    });
    this.syncs = cluster.repositories.map(
      (repo) =>
        new FluxGitSync(this, `repo-${repo.name}`, {
          delivery: this.delivery,
          name: repo.name,
          url: repo.url,
          transport: 'ssh',
          secretName: this.gitSecret.secretName,
          ref: repo.ref,
          path: repo.path,
          interval: repo.interval,
          sourceTimeout: repo.sourceTimeout,
          timeout: repo.timeout,
          retryInterval: repo.retryInterval,
          prune: repo.prune,
          wait: repo.wait,
          dependsOn: repo.dependsOn,
          targetNamespace: repo.targetNamespace,
          deletionPolicy: repo.deletionPolicy,
          substitute: repo.substitute,
        }),
    );

    new TerraformOutput(this, 'flux_namespace', { value: this.flux.namespace, description: 'Namespace of the Flux controllers and objects.' });
    new TerraformOutput(this, 'git_public_key', {
      value: this.identity.publicKeyOpenssh,
      description: 'Public half of the Flux SSH key (OpenSSH form).',
    });
    new TerraformOutput(this, 'git_public_key_fingerprint', {
      value: this.identity.publicKeyFingerprintSha256,
      description: 'SHA256 fingerprint of the Flux SSH key, as Azure DevOps shows it.',
    });
    new TerraformOutput(this, 'git_repository_urls', {
      value: Object.fromEntries(this.syncs.map((s) => [s.name, s.url])),
      description: 'URL each GitRepository fetches.',
    });
  }
}
