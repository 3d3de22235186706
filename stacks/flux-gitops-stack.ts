import { Fn, ITerraformDependable, Op, TerraformOutput, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { LiteralStrings } from '../constructs/literal-strings';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { keysPageUrl } from '../azure-devops/names';
import { AZURE_DEVOPS_SSH_HOST, azureDevOpsHttpsUrl, azureDevOpsOrganizationUrl } from '../azure-devops/urls';
import { kustomizationsOfSource, toKustomizationEntry } from '../config/kustomizations';
import {
  azureReposDefaultAuth,
  COMMIT_STATUS_SECRET,
  commitStatusAlertName,
  commitStatusEnabled,
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
import { ClusterAccess } from '../constructs/cluster-access';
import { FluxAlert } from '../constructs/flux-alert';
import { AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG, FluxInstall, NOTIFICATION_CONTROLLER_POD_LABELS, OBJECT_LEVEL_WORKLOAD_IDENTITY_ARG, WorkloadIdentity } from '../constructs/flux-install';
import { FluxGitSecret, MANAGED_BY_LABELS } from '../constructs/flux-git-secret';
import { FluxBucket } from '../constructs/flux-bucket';
import { FluxGitSync } from '../constructs/flux-git-sync';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import { FluxOciRepository } from '../constructs/flux-oci-repository';
import type { FluxReceiver } from '../constructs/flux-receiver';
import type { AzureDevOpsIdentityAccess } from '../constructs/azure-devops-identity-access';
import type { FluxWorkloadIdentity } from '../constructs/flux-workload-identity';
import { GitIdentity } from '../constructs/git-identity';
import { GitOpsConnector } from '../constructs/gitops-connector';
import { KnownHosts } from '../constructs/known-hosts';
import { configureBackend } from './backend';

/** Key of the stack's fleet metadata (its deploy ring) under the synthesized JSON's "//" comment. */
export const FLEET_METADATA_KEY = 'fluxGitopsFleet';

export interface FluxGitOpsStackProps {
  /** One validated cluster of the config (config/load.ts). */
  readonly cluster: ClusterConfig;
  /**
   * Whether this stack grants the zero-secret identity its Azure DevOps entitlement and repository permissions.
   * Of the clusters sharing one `workloadIdentity.managed.identityId` only one may (config/fleet.ts,
   * identityAccessOwners: the first in ring order); the others rely on its grants.
   * @default true
   */
  readonly identityAccessOwner?: boolean;
}

/** The Secret (key `age.agekey`) the stack makes from `TF_VAR_sops_age_key` with `sops.ageKey`. */
export const SOPS_AGE_SECRET = 'sops-age';
/** Zero-secret mode: the ServiceAccount Flux's azuredevops Providers sign in as (object-level workload identity). */
export const COMMIT_STATUS_SERVICE_ACCOUNT = 'flux-azure-devops-status';
/** The ServiceAccount of source-controller in the flux2 chart (templates/source-controller-serviceaccount.yaml). */
const SOURCE_CONTROLLER_SERVICE_ACCOUNT = 'source-controller';
/** The ServiceAccount of notification-controller in the flux2 chart (templates/notification-controller-sa.yaml). */
const NOTIFICATION_CONTROLLER_SERVICE_ACCOUNT = 'notification-controller';

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

function urlHost(url: string | undefined): string | undefined {
  try {
    return url === undefined ? undefined : new URL(url).hostname;
  } catch {
    return undefined;
  }
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
const zeroSecretModules = () => ({
  ...(require('../constructs/flux-workload-identity') as typeof import('../constructs/flux-workload-identity')),
  ...(require('../constructs/azure-devops-identity-access') as typeof import('../constructs/azure-devops-identity-access')),
  ...(require('@cdktf/provider-kubernetes/lib/service-account-v1') as typeof import('@cdktf/provider-kubernetes/lib/service-account-v1')),
  ...(require('@cdktf/provider-kubernetes/lib/role-v1') as typeof import('@cdktf/provider-kubernetes/lib/role-v1')),
  ...(require('@cdktf/provider-kubernetes/lib/role-binding-v1') as typeof import('@cdktf/provider-kubernetes/lib/role-binding-v1')),
});
const receiverModules = () => ({
  ...(require('@cdktf/provider-random/lib/provider') as typeof import('@cdktf/provider-random/lib/provider')),
  ...(require('../constructs/flux-receiver') as typeof import('../constructs/flux-receiver')),
  ...(require('../.gen/providers/azuredevops/servicehook-webhook-tfs') as typeof import('../.gen/providers/azuredevops/servicehook-webhook-tfs')),
});
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Construct id of a FluxAlert. The Alerts make no Terraform resource (their objects go into the
 * flux-objects release), so their ids may change without replacing anything; they had the form
 * `<prefix>-<name>`, which a repository `alert-x` (connector `connector-alert-x`) or a provider
 * `a-address` (the address Secret `notification-a-address` of provider `a`) could take too. A ":"
 * is in no config name (they are RFC 1123 labels), so these ids cannot meet another construct's.
 */
function alertId(kind: 'connector' | 'commit-status' | 'notification', name: string): string {
  return `alert:${kind}:${name}`;
}

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
  /** The kubernetes and helm providers (and, for an AKS cluster, how it is read and signed in to). */
  public readonly access: ClusterAccess;
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
  /** The config's OCI artifact sources, with their Kustomizations. */
  public readonly ociRepositories: readonly FluxOciRepository[];
  /** The config's bucket sources, with their Kustomizations. */
  public readonly buckets: readonly FluxBucket[];
  /** The sensitive variable holding the SOPS age key (`TF_VAR_sops_age_key`), with `sops.ageKey`. */
  public readonly sopsAgeKey?: TerraformVariable;
  /** Every Provider + Alert pair: connectors, commit statuses, and the config's own providers. */
  public readonly alerts: readonly FluxAlert[];
  /** Push-triggered reconcile: one Receiver per Azure Repos repository, by config name. */
  public readonly receivers: ReadonlyMap<string, FluxReceiver>;
  /** Zero-secret mode (`workloadIdentity.managed`): the identity and its federated credentials. */
  public readonly workloadIdentity?: FluxWorkloadIdentity;
  /** Zero-secret mode: the identity's entitlement and repository permissions, per organisation. */
  public readonly identityAccess: ReadonlyMap<string, AzureDevOpsIdentityAccess>;

  constructor(scope: Construct, id: string, props: FluxGitOpsStackProps) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const { cluster } = props;
    configureBackend(this, id, cluster.backend);
    // Who writes this cluster's commit statuses and events (flux/commit-status.ts): cluster names are unique
    // in the config, so no two stacks write one status name on a repository.
    const writer = { ring: cluster.ring ?? 1, cluster: cluster.name };

    this.access = new ClusterAccess(this, 'cluster', { kubeconfig: cluster.aks ? undefined : cluster.kubeconfig, aks: cluster.aks });
    // Read by the CI templates (cli/fleet.ts) from the synthesized stack: "//" is a comment to Terraform.
    this.addOverride(`//.${FLEET_METADATA_KEY}`, { ring: cluster.ring ?? 1 });

    const entries: Entry[] = cluster.repositories.map((repo) => ({ repo, source: repositorySource(repo, azureReposDefaultAuth(cluster)) }));
    const ssh = entries.filter((e) => e.source.auth === 'ssh');
    const https = entries.filter((e) => e.source.auth === 'https');

    // Zero-secret mode: every workload-identity repository is read, and reports its commit statuses, as one
    // identity the stack sets up; nothing secret in the config, the environment or the state for git.
    const managed = cluster.workloadIdentity?.managed;
    const byIdentity = managed ? entries.filter((e) => e.source.auth === 'workload-identity' && e.source.azureDevOps) : [];
    const onAzureDevOpsAll = entries.filter((e) => e.source.azureDevOps);
    const connectedAll = onAzureDevOpsAll.filter((e) => e.repo.connector?.enabled ?? cluster.connector?.enabled ?? true);
    // In the zero-secret mode Flux's own commit statuses are on by default: they need no PAT there.
    const commitStatusOn = commitStatusEnabled(cluster);
    const statusByIdentity = commitStatusOn ? byIdentity : [];
    const zero = byIdentity.length > 0 ? zeroSecretModules() : undefined;
    if (zero && !this.access.cluster) throw new Error(`FluxGitOpsStack ${id}: workloadIdentity.managed needs aks (the cluster's OIDC issuer is read from Azure)`);
    const namespace = cluster.flux?.namespace ?? 'flux-system';
    this.workloadIdentity =
      zero &&
      new zero.FluxWorkloadIdentity(this, 'workload-identity', {
        cluster: this.access.cluster!,
        provider: this.access.azurerm,
        subscriptionId: cluster.aks!.subscriptionId,
        clusterResourceGroup: cluster.aks!.resourceGroup,
        namespace,
        serviceAccounts: [SOURCE_CONTROLLER_SERVICE_ACCOUNT, ...(statusByIdentity.length > 0 ? [COMMIT_STATUS_SERVICE_ACCOUNT] : [])],
        identityId: managed!.identityId,
        // A given identity may be federated by other clusters' stacks too: their credential names must differ.
        credentialPrefix: managed!.identityId !== undefined ? cluster.name : undefined,
        name: managed!.identityId === undefined ? (managed!.name ?? `flux-${cluster.name}`) : undefined,
        resourceGroup: managed!.resourceGroup,
        location: managed!.location,
      });
    const sourceIdentity: WorkloadIdentity | undefined = this.workloadIdentity
      ? { clientId: this.workloadIdentity.clientId, tenantId: this.workloadIdentity.tenantId }
      : cluster.workloadIdentity?.clientId !== undefined
        ? { clientId: cluster.workloadIdentity.clientId, tenantId: cluster.workloadIdentity.tenantId }
        : undefined;
    // A GitRepository with provider azure and no identity on source-controller fails only in the cluster
    // (`workloadIdentity: {}` from a library user: the config loader refuses it first).
    const unidentified = entries.find((e) => e.source.auth === 'workload-identity' && !sourceIdentity);
    if (unidentified) {
      throw new Error(
        `FluxGitOpsStack ${id}: repository ${unidentified.repo.name} uses auth workload-identity, but workloadIdentity names no identity (got ${JSON.stringify(cluster.workloadIdentity ?? null)}); give clientId (an identity prepared by hand) or managed`,
      );
    }

    // Both controllers that talk SSH to Azure DevOps (source fetches, image automation pushes) must
    // offer only the host key algorithms its server has.
    // By host, as FluxStackChecks judges it: an ssh.dev.azure.com URL that names no Azure Repos
    // repository still talks to a server that offers only RSA host keys with SHA-2 signatures.
    const sshToAzureDevOps = ssh.some((e) => e.source.azureDevOps !== undefined || urlHost(e.source.url) === AZURE_DEVOPS_SSH_HOST);
    this.flux = new FluxInstall(this, 'flux', {
      namespace: cluster.flux?.namespace,
      chartVersion: cluster.flux?.chartVersion,
      chartRepository: cluster.flux?.chartRepository,
      components: cluster.flux?.components,
      sourceControllerArgs: sshToAzureDevOps ? [AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG] : [],
      imageAutomationControllerArgs: sshToAzureDevOps && cluster.flux?.components?.imageAutomation ? [AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG] : [],
      aksSystemPool: cluster.flux?.aksSystemPool,
      placement: cluster.flux?.placement,
      imageRegistry: cluster.flux?.imageRegistry,
      imagePullSecrets: cluster.flux?.imagePullSecrets,
      multitenancy: cluster.flux?.multitenancy,
      values: cluster.flux?.values,
      sourceControllerWorkloadIdentity: sourceIdentity,
      notificationControllerArgs: statusByIdentity.length > 0 ? [OBJECT_LEVEL_WORKLOAD_IDENTITY_ARG] : [],
      kustomizeControllerWorkloadIdentity: cluster.sops?.keyVault,
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

    const onAzureDevOps = onAzureDevOpsAll;
    // Service hooks and repository permissions need the ids of the project and the repository: look those up too.
    this.azureDevOpsRepositories = this.lookUpRepositories(
      cluster.receiver ? onAzureDevOps : entries.filter((e) => e.source.lookup || byIdentity.includes(e)),
    );

    const connected = connectedAll;
    // Flux's own commit status: on by default when the connectors are, and in the zero-secret mode, where
    // the identity posts it without a PAT.
    const commitStatus = commitStatusOn;
    const statusByPat = commitStatus ? onAzureDevOps.filter((e) => !statusByIdentity.includes(e)) : [];
    if (connected.length > 0) {
      this.connectorPat = nonEmptySecretVariable(
        this,
        'gitops_connector_pat',
        'PAT of the GitOps Connectors (scopes Code: Read & status, Build: Read & execute). Set TF_VAR_gitops_connector_pat.',
      );
    }
    if (statusByPat.length > 0) {
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
          writer,
          subscribers: cluster.connector?.subscribers,
          tolerations: cluster.connector?.tolerations,
          nodeSelector: cluster.connector?.nodeSelector,
          chartRepository: cluster.connector?.chartRepository,
          imageRegistry: cluster.connector?.imageRegistry,
          imagePullSecrets: cluster.connector?.imagePullSecrets,
          allowFrom: { namespace: this.flux.namespace, podLabels: { ...NOTIFICATION_CONTROLLER_POD_LABELS } },
        }),
      ]),
    );
    const tokenSecret = statusByPat.length > 0
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

    if (cluster.sops?.ageKey) {
      this.sopsAgeKey = new TerraformVariable(this, 'sops_age_key', {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: 'The age private key (AGE-SECRET-KEY-1...) kustomize-controller decrypts SOPS files with. Set TF_VAR_sops_age_key.',
      });
    }
    // kustomize-controller reads age keys from Secret keys ending in .agekey (Flux guide "Manage Kubernetes secrets with SOPS").
    const sopsSecret = this.sopsAgeKey ? this.fluxSecret('sops-age', SOPS_AGE_SECRET, { 'age.agekey': this.sopsAgeKey.stringValue }, afterFlux) : undefined;

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

    const identityObjects = this.grantIdentity(zero, namespace, byIdentity, statusByIdentity, afterFlux, managed?.accessLevel, props.identityAccessOwner ?? true);
    // The roles source-controller needs as the identity for OCI (ACR) and Bucket (Blob Storage) sources; the
    // loader requires the resource of each (config/load.ts, identityRoleProblems).
    if (this.workloadIdentity) {
      for (const oci of cluster.ociRepositories ?? []) {
        if (oci.registryId === undefined) continue;
        identityObjects.dependables.push(this.workloadIdentity.grantRole(`acr-pull-${oci.name}`, zero!.ACR_PULL_ROLE, oci.registryId));
      }
      for (const bucket of cluster.buckets ?? []) {
        if (bucket.storageAccountId === undefined) continue;
        // The container alone, the narrowest scope that lets source-controller list and read its blobs.
        const scope = `${bucket.storageAccountId}/blobServices/default/containers/${bucket.bucketName}`;
        identityObjects.dependables.push(this.workloadIdentity.grantRole(`blob-reader-${bucket.name}`, zero!.BLOB_READER_ROLE, scope));
      }
    }
    this.identityAccess = identityObjects.access;

    this.delivery = new FluxObjectsRelease(this, 'flux-objects', {
      namespace: this.flux.namespace,
      dependsOn: [
        ...afterFlux,
        ...[this.sshSecret, this.httpsSecret].flatMap((s) => (s ? [s.secret] : [])),
        ...this.sshKeys.map((k) => k.registration),
        // The Providers post to the connectors: install those first.
        ...[...this.connectors.values()].map((c) => c.release),
        ...[tokenSecret, sopsSecret, ...addressSecrets.values(), ...[...this.receivers.values()].map((r) => r.secret)].flatMap((s) => (s ? [s] : [])),
        // Zero-secret mode: Flux fetches and posts only once the identity may, and on destroy lets go of the
        // repositories (this release goes first) before the credentials, permissions and entitlement go.
        ...identityObjects.dependables,
      ],
    });
    // Under the multi-tenancy lockdown the stack's own Kustomizations keep kustomize-controller's
    // rights; without it they would run as flux-system's default service account, which has none.
    const applyAs = cluster.flux?.multitenancy?.enabled ? 'kustomize-controller' : undefined;
    const entry = (k: Parameters<typeof toKustomizationEntry>[0]) => ({ ...toKustomizationEntry(k), ...(applyAs && { serviceAccountName: applyAs }) });
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
        substitute: repo.substitute ?? repo.postBuild?.substitute,
        force: repo.force,
        suspend: repo.suspend,
        healthChecks: repo.healthChecks,
        healthCheckExprs: repo.healthCheckExprs,
        components: repo.components,
        substituteFrom: repo.postBuild?.substituteFrom,
        decryption: repo.decryption,
        kustomizationServiceAccountName: applyAs,
        kustomizations: repo.kustomizations?.map(toKustomizationEntry),
      });
    });
    this.ociRepositories = (cluster.ociRepositories ?? []).map(
      (oci) =>
        new FluxOciRepository(this, `oci-${oci.name}`, {
          delivery: this.delivery,
          name: oci.name,
          url: oci.url,
          ref: oci.ref,
          provider: oci.provider,
          secretName: oci.secretName,
          interval: oci.interval,
          timeout: oci.sourceTimeout,
          kustomizations: kustomizationsOfSource(oci).map(entry),
        }),
    );
    this.buckets = (cluster.buckets ?? []).map(
      (bucket) =>
        new FluxBucket(this, `bucket-${bucket.name}`, {
          delivery: this.delivery,
          name: bucket.name,
          bucketName: bucket.bucketName,
          endpoint: bucket.endpoint,
          provider: bucket.provider,
          prefix: bucket.prefix,
          secretName: bucket.secretName,
          interval: bucket.interval,
          timeout: bucket.sourceTimeout,
          kustomizations: kustomizationsOfSource(bucket).map(entry),
        }),
    );

    // A repository's events: its GitRepository's and its Kustomizations' (one named after it, or its list).
    const repoByName = new Map(cluster.repositories.map((r) => [r.name, r]));
    const sourcesOf = (names: readonly string[], kinds: readonly ('GitRepository' | 'Kustomization')[]): CrossNamespaceObjectReference[] =>
      names.flatMap((name) =>
        kinds.flatMap((kind): CrossNamespaceObjectReference[] =>
          kind === 'Kustomization' ? kustomizationsOfSource(repoByName.get(name) ?? { name }).map((k) => ({ kind, name: k.name })) : [{ kind, name }],
        ),
      );
    this.alerts = [
      ...connected.map(
        ({ repo }) =>
          new FluxAlert(this, alertId('connector', repo.name), {
            delivery: this.delivery,
            name: connectorAlertName(repo.name),
            type: 'generic',
            address: this.connectors.get(repo.name)!.address,
            eventSeverity: 'info',
            writer,
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
          new FluxAlert(this, alertId('commit-status', repo.name), {
            delivery: this.delivery,
            name: commitStatusAlertName(repo.name),
            type: 'azuredevops',
            address: azureDevOpsHttpsUrl(source.azureDevOps!),
            ...(statusByIdentity.some((e) => e.repo.name === repo.name) ? { serviceAccountName: COMMIT_STATUS_SERVICE_ACCOUNT } : { secretName: COMMIT_STATUS_SECRET }),
            eventSeverity: 'info',
            writer,
            eventSources: sourcesOf([repo.name], ['Kustomization']),
          }),
      ),
      ...(cluster.notifications?.providers ?? []).map(
        (p) =>
          new FluxAlert(this, alertId('notification', p.name), {
            delivery: this.delivery,
            name: p.name,
            type: p.type,
            address: p.address,
            channel: p.channel,
            username: p.username,
            secretName: p.secretName ?? (addressSecrets.has(p.name) ? notificationSecretName(p.name) : undefined),
            eventSeverity: p.eventSeverity,
            writer,
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

  /**
   * Zero-secret mode, after the Flux install: the ServiceAccount the azuredevops Providers sign in as (annotated
   * with the identity) and the right of notification-controller to create its tokens (object-level workload
   * identity needs it; the flux2 chart's crd-controller role only reads service accounts); per organisation the
   * identity's entitlement and repository permissions. Returns what the Flux objects must wait for.
   */
  private grantIdentity(
    zero: ReturnType<typeof zeroSecretModules> | undefined,
    namespace: string,
    byIdentity: readonly Entry[],
    statusByIdentity: readonly Entry[],
    afterFlux: ITerraformDependable[],
    accessLevel: import('../constructs/azure-devops-identity-access').AzureDevOpsAccessLevel | undefined,
    owner: boolean,
  ): { access: Map<string, AzureDevOpsIdentityAccess>; dependables: ITerraformDependable[] } {
    const identity = this.workloadIdentity;
    if (!zero || !identity) return { access: new Map(), dependables: [] };
    const dependables: ITerraformDependable[] = [...identity.federatedCredentials.values()];
    if (statusByIdentity.length > 0) {
      const account = new zero.ServiceAccountV1(this, 'commit-status-service-account', {
        metadata: {
          name: COMMIT_STATUS_SERVICE_ACCOUNT,
          namespace,
          labels: { ...MANAGED_BY_LABELS },
          annotations: { 'azure.workload.identity/client-id': identity.clientId, 'azure.workload.identity/tenant-id': identity.tenantId },
        },
        // It signs nothing in a pod: notification-controller requests its tokens.
        automountServiceAccountToken: false,
        dependsOn: afterFlux,
      });
      const role = new zero.RoleV1(this, 'commit-status-token-role', {
        metadata: { name: `${COMMIT_STATUS_SERVICE_ACCOUNT}-token`, namespace, labels: { ...MANAGED_BY_LABELS } },
        // Tokens of this one ServiceAccount only (fluxcd/flux2 RFC-0010: the controller creates them with the
        // TokenRequest API, serviceaccounts/token create).
        rule: [{ apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: [COMMIT_STATUS_SERVICE_ACCOUNT], verbs: ['create'] }],
        dependsOn: afterFlux,
      });
      const binding = new zero.RoleBindingV1(this, 'commit-status-token-binding', {
        metadata: { name: `${COMMIT_STATUS_SERVICE_ACCOUNT}-token`, namespace, labels: { ...MANAGED_BY_LABELS } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
        subject: [{ kind: 'ServiceAccount', name: NOTIFICATION_CONTROLLER_SERVICE_ACCOUNT, namespace }],
        dependsOn: afterFlux,
      });
      dependables.push(account, role, binding);
    }
    const byOrganization = new Map<string, Entry[]>();
    for (const e of owner ? byIdentity : []) {
      const org = e.source.azureDevOps!.organization;
      byOrganization.set(org, [...(byOrganization.get(org) ?? []), e]);
    }
    const access = new Map(
      [...byOrganization].map(([org, repos]) => {
        const looked = repos.map((e) => this.azureDevOpsRepositories.get(e.repo.name)!);
        const grant = new zero.AzureDevOpsIdentityAccess(this, `identity-access-${org}`, {
          provider: looked[0].provider,
          principalId: identity.principalId,
          accessLevel,
          // The stack's (the cluster's) name: two clusters' identities in one project get two groups.
          groupName: `flux-${this.node.id}`,
          repositories: Object.fromEntries(
            repos.map((e, i) => [
              e.repo.name,
              { projectId: looked[i].projectId, project: e.source.azureDevOps!.project, repositoryId: looked[i].repositoryId, commitStatus: statusByIdentity.includes(e) },
            ]),
          ),
        });
        dependables.push(grant.entitlement, ...grant.groups.values(), ...grant.permissions.values());
        return [org, grant];
      }),
    );
    return { access, dependables };
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
    new TimeProvider(this, 'time');
    return [...byOrganization.values()].map(
      ({ organization, repos }) =>
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
    if (this.workloadIdentity) {
      new TerraformOutput(this, 'workload_identity_client_id', {
        value: this.workloadIdentity.clientId,
        description: 'Client id of the identity Flux reads Azure Repos (and posts commit statuses) as.',
      });
    }
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
    // One entry per organisation, case-insensitively, under the spelling seen first (as registerSshKeys).
    const organizations: string[] = [];
    for (const { source } of ssh) {
      const org = source.azureDevOps?.organization;
      if (org && !organizations.some((o) => o.toLowerCase() === org.toLowerCase())) organizations.push(org);
    }
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
        description:
          'When each key registration expires, as Azure DevOps stored it (it shortens an expiry beyond the organisation\'s maximum lifetime; keys last at most a year): rotate or re-register before. ' +
          'Read with the token in the deploy\'s environment; without one (or when Azure DevOps cannot be read) it is the requested date.',
      });
    }
  }
}
