import { Fn, ITerraformDependable, Op, TerraformOutput, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { LiteralStrings } from '../constructs/literal-strings';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { keysPageUrl } from '../azure-devops/names';
import { azureDevOpsHttpsUrl, azureDevOpsOrganizationUrl } from '../azure-devops/urls';
import {
  COMMIT_STATUS_SECRET,
  commitStatusAlertName,
  connectorAlertName,
  connectorNamespace,
  GIT_HTTPS_SECRET,
  notificationSecretName,
  receiverName,
  repositorySource,
  RepositorySource,
} from '../config/repositories';
import { ClusterConfig, RepositoryConfig } from '../config/schema';
import { CrossNamespaceObjectReference } from '../flux/api';
import type { AzureDevOpsRepository } from '../constructs/azure-devops-repository';
import { AzureDevOpsSshKey } from '../constructs/azure-devops-ssh-key';
import { FluxAlert } from '../constructs/flux-alert';
import { AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG, FluxInstall, NOTIFICATION_CONTROLLER_POD_LABELS } from '../constructs/flux-install';
import { FluxGitSecret, MANAGED_BY_LABELS } from '../constructs/flux-git-secret';
import { FluxGitSync } from '../constructs/flux-git-sync';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import type { FluxReceiver } from '../constructs/flux-receiver';
import { GitIdentity } from '../constructs/git-identity';
import { GitOpsConnector } from '../constructs/gitops-connector';
import { KnownHosts } from '../constructs/known-hosts';
import { configureBackend } from './backend';

export interface FluxGitOpsStackProps {
  /** One validated cluster of the config (config/load.ts). */
  readonly cluster: ClusterConfig;
}


/**
 * A sensitive string variable that must not be empty: an empty PAT renders no Secret and the pod that
 * needs it never starts, so the plan stops at the variable instead.
 */
function nonEmptySecretVariable(scope: Construct, name: string, description: string): TerraformVariable {
  const variable = new TerraformVariable(scope, name, { type: 'string', sensitive: true, nullable: false, description });
  variable.addValidation({
    // ">= 1", not "> 0": cdktf 0.21 renders a literal 0 operand as "undefined".
    condition: Op.gte(Fn.lengthOf(Fn.trimspace(variable.stringValue)), 1),
    errorMessage: `${name} is empty: set TF_VAR_${name} to the PAT.`,
  });
  return variable;
}

/** Two Secrets of the stack with one namespace and name: Kubernetes would hold one object for both. */
function duplicateSecrets(stack: Construct): string[] {
  const seen = new Map<string, string>();
  const errors: string[] = [];
  for (const secret of stack.node.findAll().filter((c): c is SecretV1 => c instanceof SecretV1)) {
    const { name, namespace } = secret.metadataInput ?? {};
    if (name === undefined || Token.isUnresolved(name) || (namespace !== undefined && Token.isUnresolved(namespace))) continue;
    const key = `${namespace ?? 'default'}/${name}`;
    const other = seen.get(key);
    if (other) errors.push(`Secret ${key} is made twice, by ${other} and ${secret.node.path}; Kubernetes would hold one object for both`);
    else seen.set(key, secret.node.path);
  }
  return errors;
}

/*
 * Modules only some configs need (Azure DevOps lookups, push receivers) are required when used: every
 * synth pays for what it loads, and most stacks need neither (see bench/README.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const lookupModules = () => ({
  ...(require('../.gen/providers/azuredevops/provider') as typeof import('../.gen/providers/azuredevops/provider')),
  ...(require('../constructs/azure-devops-repository') as typeof import('../constructs/azure-devops-repository')),
});
const receiverModules = () => ({
  ...(require('@cdktf/provider-random/lib/provider') as typeof import('@cdktf/provider-random/lib/provider')),
  ...(require('../constructs/flux-receiver') as typeof import('../constructs/flux-receiver')),
  ...(require('../.gen/providers/azuredevops/servicehook-webhook-tfs') as typeof import('../.gen/providers/azuredevops/servicehook-webhook-tfs')),
});
/* eslint-enable @typescript-eslint/no-require-imports */

interface Entry {
  readonly repo: RepositoryConfig;
  readonly source: RepositorySource;
}

/**
 * The Bedrock replacement for one cluster: Flux v2 installed, its git identity generated, registered
 * in Azure DevOps and wired into the Secret Flux reads, and one GitRepository + Kustomization per
 * manifest repository, all converging in one `cdktf deploy` on a fresh cluster.
 */
export class FluxGitOpsStack extends TerraformStack {
  public readonly flux: FluxInstall;
  /** The SSH key pair, when a repository uses SSH. */
  public readonly identity?: GitIdentity;
  public readonly knownHosts?: KnownHosts;
  public readonly sshSecret?: FluxGitSecret;
  public readonly httpsSecret?: FluxGitSecret;
  /** The sensitive variable holding the PAT of HTTPS repositories (`TF_VAR_flux_git_pat`). */
  public readonly gitPat?: TerraformVariable;
  /** Repositories read from (or created in) Azure DevOps, by config name. */
  public readonly azureDevOpsRepositories: ReadonlyMap<string, AzureDevOpsRepository>;
  /** One registration of the SSH key per organisation of an SSH repository. */
  public readonly sshKeys: readonly AzureDevOpsSshKey[];
  /** The sensitive variable holding the PAT of the connectors (`TF_VAR_gitops_connector_pat`). */
  public readonly connectorPat?: TerraformVariable;
  /** The sensitive variable holding the PAT of Flux's own commit statuses, scope Code (status) only (`TF_VAR_flux_commit_status_pat`). */
  public readonly commitStatusPat?: TerraformVariable;
  /** One GitOps Connector per Azure Repos repository, by config name. */
  public readonly connectors: ReadonlyMap<string, GitOpsConnector>;
  public readonly delivery: FluxObjectsRelease;
  public readonly syncs: readonly FluxGitSync[];
  /** Every Provider + Alert pair: connectors, commit statuses, and the config's own providers. */
  public readonly alerts: readonly FluxAlert[];
  /** Push-triggered reconcile: one Receiver per Azure Repos repository, by config name. */
  public readonly receivers: ReadonlyMap<string, FluxReceiver>;

  constructor(scope: Construct, id: string, props: FluxGitOpsStackProps) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const { cluster } = props;
    configureBackend(this, id, cluster.backend);

    const kubeconfig = { configPath: cluster.kubeconfig?.path ?? '~/.kube/config', configContext: cluster.kubeconfig?.context };
    new KubernetesProvider(this, 'kubernetes', kubeconfig);
    new HelmProvider(this, 'helm', { kubernetes: kubeconfig });

    const entries: Entry[] = cluster.repositories.map((repo) => ({ repo, source: repositorySource(repo) }));
    const ssh = entries.filter((e) => e.source.auth === 'ssh');
    const https = entries.filter((e) => e.source.auth === 'https');

    this.flux = new FluxInstall(this, 'flux', {
      namespace: cluster.flux?.namespace,
      chartVersion: cluster.flux?.chartVersion,
      chartRepository: cluster.flux?.chartRepository,
      components: cluster.flux?.components,
      sourceControllerArgs: ssh.some((e) => e.source.azureDevOps) ? [AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG] : [],
      sourceControllerWorkloadIdentity: cluster.workloadIdentity,
      webhookReceiverIngress: cluster.receiver?.ingress && { host: new URL(cluster.receiver.publicUrl).hostname, ...cluster.receiver.ingress },
    });
    // The namespace and CRDs come with the Flux release.
    const afterFlux = [this.flux.release];

    if (ssh.length > 0) {
      new TlsProvider(this, 'tls');
      new NullProvider(this, 'null');
      this.identity = new GitIdentity(this, 'git-identity', cluster.gitIdentity);
      this.knownHosts = new KnownHosts(this, 'known-hosts', cluster.knownHosts);
    }
    this.sshKeys = this.registerSshKeys(cluster, ssh);
    if (this.identity && this.knownHosts) {
      this.sshSecret = new FluxGitSecret(this, 'git-auth', {
        namespace: this.flux.namespace,
        ssh: { identity: this.identity, knownHosts: this.knownHosts },
        // After the registrations: on a key rotation the Secret moves to the new key only once it is
        // registered, and the old key is revoked only after the Secret has moved (create before destroy).
        dependsOn: [...afterFlux, ...this.sshKeys.map((k) => k.registration)],
      });
    }
    if (https.length > 0) {
      this.gitPat = new TerraformVariable(this, 'flux_git_pat', {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: 'PAT Flux reads HTTPS repositories with (scope Code: Read). Set TF_VAR_flux_git_pat.',
      });
      this.httpsSecret = new FluxGitSecret(this, 'git-https-auth', {
        namespace: this.flux.namespace,
        name: GIT_HTTPS_SECRET,
        https: { password: this.gitPat.stringValue },
        dependsOn: afterFlux,
      });
    }

    const onAzureDevOps = entries.filter((e) => e.source.azureDevOps);
    // Service hooks need the ids of the project and the repository: look those up too.
    this.azureDevOpsRepositories = this.lookUpRepositories(cluster.receiver ? onAzureDevOps : entries.filter((e) => e.source.lookup));

    const connected = onAzureDevOps.filter((e) => e.repo.connector?.enabled ?? cluster.connector?.enabled ?? true);
    // Flux's own commit status needs a PAT too: on by default when the connectors' PAT is there.
    const commitStatus = onAzureDevOps.length > 0 && (cluster.notifications?.commitStatus ?? connected.length > 0);
    if (connected.length > 0) {
      this.connectorPat = nonEmptySecretVariable(
        this,
        'gitops_connector_pat',
        'PAT of the GitOps Connectors (scopes Code: Read & status, Build: Read & execute). Set TF_VAR_gitops_connector_pat.',
      );
    }
    if (commitStatus) {
      // Flux's own commit status needs only Code (status): it does not get the connectors' PAT, which
      // can also complete pipeline gates.
      this.commitStatusPat = nonEmptySecretVariable(this, 'flux_commit_status_pat', 'PAT of Flux commit statuses (scope Code: Status only). Set TF_VAR_flux_commit_status_pat.');
    }
    this.connectors = new Map(
      connected.map(({ repo, source }) => [
        repo.name,
        new GitOpsConnector(this, `connector-${repo.name}`, {
          repository: source.azureDevOps!,
          pat: this.connectorPat!.stringValue,
          namespace: connectorNamespace(cluster, repo.name),
          ciCdOrchestrator: cluster.connector?.ciCdOrchestrator,
          github: cluster.connector?.github,
          prRepository: repo.connector?.prRepository,
          subscribers: cluster.connector?.subscribers,
          tolerations: cluster.connector?.tolerations,
          nodeSelector: cluster.connector?.nodeSelector,
          allowFrom: { namespace: this.flux.namespace, podLabels: { ...NOTIFICATION_CONTROLLER_POD_LABELS } },
        }),
      ]),
    );
    const tokenSecret = commitStatus
      ? this.fluxSecret('commit-status-token', COMMIT_STATUS_SECRET, { token: this.commitStatusPat!.stringValue }, afterFlux)
      : undefined;
    const addressSecrets = new Map(
      (cluster.notifications?.providers ?? [])
        .filter((p) => p.addressFromVariable)
        .map((p) => {
          const variable = new TerraformVariable(this, `notification_address_${p.name.replace(/-/g, '_')}`, {
            type: 'string',
            sensitive: true,
            nullable: false,
            description: `Address of the ${p.type} notification provider ${p.name} (it holds a token).`,
          });
          return [p.name, this.fluxSecret(`notification-${p.name}-address`, notificationSecretName(p.name), { address: variable.stringValue }, afterFlux)];
        }),
    );

    const receiving = cluster.receiver ? onAzureDevOps : [];
    const { RandomProvider, FluxReceiver, ServicehookWebhookTfs } = receiving.length > 0 ? receiverModules() : ({} as ReturnType<typeof receiverModules>);
    if (receiving.length > 0) new RandomProvider(this, 'random');
    this.receivers = new Map(
      receiving.map(({ repo }) => [
        repo.name,
        new FluxReceiver(this, `receiver-${repo.name}`, {
          namespace: this.flux.namespace,
          name: receiverName(repo.name),
          resources: [{ kind: 'GitRepository', name: repo.name }],
          publicUrl: cluster.receiver!.publicUrl,
        }),
      ]),
    );

    this.delivery = new FluxObjectsRelease(this, 'flux-objects', {
      namespace: this.flux.namespace,
      dependsOn: [
        ...afterFlux,
        ...[this.sshSecret, this.httpsSecret].flatMap((s) => (s ? [s.secret] : [])),
        ...this.sshKeys.map((k) => k.registration),
        // The Providers post to the connectors: install those first.
        ...[...this.connectors.values()].map((c) => c.release),
        ...[tokenSecret, ...addressSecrets.values(), ...[...this.receivers.values()].map((r) => r.secret)].flatMap((s) => (s ? [s] : [])),
      ],
    });
    this.syncs = entries.map(({ repo, source }) => {
      // Only repositories named by azureDevOps take their URL and branch from Azure DevOps.
      const lookup = source.lookup ? this.azureDevOpsRepositories.get(repo.name) : undefined;
      const url = lookup ? (source.auth === 'ssh' ? lookup.fluxSshUrl : lookup.httpsUrl) : source.url!;
      return new FluxGitSync(this, `repo-${repo.name}`, {
        delivery: this.delivery,
        name: repo.name,
        url,
        transport: source.transport,
        provider: source.auth === 'workload-identity' ? 'azure' : undefined,
        secretName: { ssh: this.sshSecret?.secretName, https: this.httpsSecret?.secretName, 'workload-identity': undefined }[source.auth],
        // A looked-up repository follows its default branch unless the config names a ref.
        ref: repo.ref ?? (lookup ? { name: lookup.defaultBranch } : undefined),
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
      });
    });

    const sourcesOf = (names: readonly string[], kinds: readonly ('GitRepository' | 'Kustomization')[]): CrossNamespaceObjectReference[] =>
      names.flatMap((name) => kinds.map((kind) => ({ kind, name })));
    this.alerts = [
      ...connected.map(
        ({ repo }) =>
          new FluxAlert(this, `connector-alert-${repo.name}`, {
            delivery: this.delivery,
            name: connectorAlertName(repo.name),
            type: 'generic',
            address: this.connectors.get(repo.name)!.address,
            eventSeverity: 'info',
            // Connector 1.2.1 posts every status to its one manifests repository: give it that
            // repository's events only (one connector per repository covers them all). Kustomization
            // events only: it maps their reasons, while a GitRepository event other than NewArtifact
            // (GitOperationFailed, AuthenticationFailed...) hits its fixed reason table and gets a 500
            // (Azure/gitops-connector src/operators/flux_gitops_operator.py, is_supported_message and
            // _map_reason_to_description). Source failures go to Flux's own commit status (through
            // the Kustomization that then fails) and to the config's providers.
            eventSources: sourcesOf([repo.name], ['Kustomization']),
          }),
      ),
      ...(commitStatus ? onAzureDevOps : []).map(
        ({ repo, source }) =>
          new FluxAlert(this, `commit-status-alert-${repo.name}`, {
            delivery: this.delivery,
            name: commitStatusAlertName(repo.name),
            type: 'azuredevops',
            address: azureDevOpsHttpsUrl(source.azureDevOps!),
            secretName: COMMIT_STATUS_SECRET,
            eventSeverity: 'info',
            eventSources: sourcesOf([repo.name], ['Kustomization']),
          }),
      ),
      ...(cluster.notifications?.providers ?? []).map(
        (p) =>
          new FluxAlert(this, `notification-${p.name}`, {
            delivery: this.delivery,
            name: p.name,
            type: p.type,
            address: p.address,
            channel: p.channel,
            username: p.username,
            secretName: p.secretName ?? (addressSecrets.has(p.name) ? notificationSecretName(p.name) : undefined),
            eventSeverity: p.eventSeverity,
            eventSources: p.repositories ? sourcesOf(p.repositories, ['GitRepository', 'Kustomization']) : undefined,
          }),
      ),
    ];

    for (const [name, receiver] of this.receivers) {
      this.delivery.add(receiver.receiver);
      const repo = this.azureDevOpsRepositories.get(name)!;
      // A push to the repository calls the Receiver, which makes source-controller fetch now.
      new ServicehookWebhookTfs(this, `push-hook-${name}`, {
        provider: repo.provider,
        projectId: repo.projectId,
        url: receiver.webhookUrl,
        gitPush: { repositoryId: repo.repositoryId },
        // The generic Receiver reads nothing from the body: send none of it.
        resourceDetailsToSend: 'none',
        messagesToSend: 'none',
        detailedMessagesToSend: 'none',
        dependsOn: [this.delivery.release],
      });
    }

    this.addOutputs(ssh);
    // The config check refuses names that collide (config/load.ts); this catches any Secret added
    // later in code (another construct, another field) that would be the same object as one here.
    this.node.addValidation({ validate: () => duplicateSecrets(this) });
  }

  /** A Secret in the Flux namespace, created after the namespace. */
  private fluxSecret(id: string, name: string, data: Record<string, string>, dependsOn: ITerraformDependable[]): SecretV1 {
    return new SecretV1(this, id, {
      metadata: { name, namespace: this.flux.namespace, labels: { ...MANAGED_BY_LABELS } },
      type: 'Opaque',
      data,
      dependsOn,
    });
  }

  /** Repositories read from Azure DevOps: one azuredevops provider per organisation, then the lookups. */
  private lookUpRepositories(named: readonly Entry[]): Map<string, AzureDevOpsRepository> {
    if (named.length === 0) return new Map();
    const { AzuredevopsProvider, AzureDevOpsRepository } = lookupModules();
    const organizations = [...new Set(named.map((e) => e.source.azureDevOps!.organization))];
    const providers = new Map(
      organizations.map((org) => [
        org,
        // The organisation URL is not a secret and comes from the config; credentials come only from
        // the deploy's environment (AZDO_PERSONAL_ACCESS_TOKEN, or the provider's Entra/OIDC/MSI settings).
        new AzuredevopsProvider(this, `azuredevops-${org}`, {
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
          new AzureDevOpsRepository(this, `azure-repos-${repo.name}`, {
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

  /** One key registration per organisation of an SSH repository on Azure DevOps, unless turned off. */
  private registerSshKeys(cluster: ClusterConfig, ssh: readonly Entry[]): AzureDevOpsSshKey[] {
    if (!this.identity || cluster.azureDevOps?.registerSshKey === false) return [];
    const byOrganization = new Map<string, string[]>();
    for (const { source } of ssh) {
      if (!source.azureDevOps) continue;
      const { organization, project, repository } = source.azureDevOps;
      byOrganization.set(organization, [...(byOrganization.get(organization) ?? []), `${project}/${repository}`]);
    }
    if (byOrganization.size === 0) return [];
    new TimeProvider(this, 'time');
    return [...byOrganization].map(
      ([organization, repos]) =>
        new AzureDevOpsSshKey(this, `ssh-key-${organization}`, {
          organization,
          identity: this.identity!,
          displayName: `flux-gitops ${cluster.name}: ${repos.join(', ')}`,
          validityDays: cluster.azureDevOps?.keyValidityDays,
        }),
    );
  }

  private addOutputs(ssh: readonly Entry[]): void {
    new TerraformOutput(this, 'flux_namespace', { value: this.flux.namespace, description: 'Namespace of the Flux controllers and objects.' });
    new TerraformOutput(this, 'git_repository_urls', {
      value: Object.fromEntries(this.syncs.map((s) => [s.name, s.url])),
      description: 'URL each GitRepository fetches.',
    });
    if (this.connectors.size > 0) {
      new TerraformOutput(this, 'gitops_connector_addresses', {
        value: Object.fromEntries([...this.connectors].map(([name, c]) => [name, c.address])),
        description: 'Where Flux posts the events of each repository for its GitOps Connector.',
      });
    }
    if (!this.identity) return;
    new TerraformOutput(this, 'git_public_key', {
      value: this.identity.publicKeyOpenssh,
      description: 'Public half of the Flux SSH key (OpenSSH form).',
    });
    new TerraformOutput(this, 'git_public_key_fingerprint', {
      value: this.identity.publicKeyFingerprintSha256,
      description: 'SHA256 fingerprint of the Flux SSH key, as Azure DevOps shows it.',
    });
    const organizations = [...new Set(ssh.flatMap((e) => (e.source.azureDevOps ? [e.source.azureDevOps.organization] : [])))];
    if (organizations.length === 0) return;
    new TerraformOutput(this, 'ssh_key_pages', {
      value: Object.fromEntries(organizations.map((org) => [org, keysPageUrl(org)])),
      description:
        this.sshKeys.length > 0
          ? 'Where the registered key is listed, per organisation.'
          : 'Automatic registration is off: add git_public_key on these pages (User settings > SSH public keys), per organisation.',
    });
    if (this.sshKeys.length > 0) {
      new TerraformOutput(this, 'ssh_key_expires_at', {
        value: Object.fromEntries(this.sshKeys.map((k) => [k.organization, k.expiresAt])),
        description: 'When each key registration expires (Azure DevOps keys last at most a year): rotate or re-register before.',
      });
    }
  }
}
