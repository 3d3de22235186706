import { TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { LiteralStrings } from '../constructs/literal-strings';
import { ClusterConfig } from '../config/schema';
import type { AzureDevOpsRepository } from '../constructs/azure-devops-repository';
import { AzureDevOpsSshKey } from '../constructs/azure-devops-ssh-key';
import { ClusterAccess } from '../constructs/cluster-access';
import { FluxAlert } from '../constructs/flux-alert';
import { FluxInstall } from '../constructs/flux-install';
import { FluxGitSecret } from '../constructs/flux-git-secret';
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
import { lookUpRepositories } from './azure-devops-lookups';
import { configureBackend } from './backend';
import { addConnectors, addStatusPats } from './connectors';
import { installFlux } from './flux-controllers';
import { addGitCredentials } from './git-credentials';
import { addWorkloadIdentity, grantIdentity, sourceIdentityOf } from './identity';
import { addAlerts, addNotificationSecrets } from './notifications';
import { addOutputs } from './outputs';
import { addPushHooks, addReceivers } from './receivers';
import { addSopsAgeKey, duplicateSecrets } from './secrets';
import { addSources, planRepositories, sshToAzureDevOps } from './sources';

export { COMMIT_STATUS_SERVICE_ACCOUNT } from './identity';
export { SOPS_AGE_SECRET } from './secrets';

/** Key of the stack's fleet metadata (its deploy ring) under the synthesized JSON's "//" comment. */
export const FLEET_METADATA_KEY = 'fluxGitopsFleet';

/** The props of {@link FluxGitOpsStack}: one cluster of the config. */
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

    const plan = planRepositories(cluster);
    const { entries, ssh, byIdentity, onAzureDevOps, connected, statusByIdentity } = plan;
    this.workloadIdentity = addWorkloadIdentity(this, id, cluster, this.access, byIdentity, statusByIdentity);
    const sourceIdentity = sourceIdentityOf(id, cluster, entries, this.workloadIdentity);
    this.flux = installFlux(this, cluster, { sshToAzureDevOps: sshToAzureDevOps(ssh), sourceIdentity, statusByIdentity: statusByIdentity.length > 0 });
    // The namespace and CRDs come with the Flux release.
    const afterFlux = [this.flux.release];
    const namespace = this.flux.namespace;

    const git = addGitCredentials(this, cluster, ssh, plan.https, namespace, afterFlux);
    this.identity = git.identity;
    this.knownHosts = git.knownHosts;
    this.sshKeys = git.sshKeys;
    this.sshSecret = git.sshSecret;
    this.gitPat = git.gitPat;
    this.httpsSecret = git.httpsSecret;
    // Service hooks and repository permissions need the ids of the project and the repository: look those up too.
    this.azureDevOpsRepositories = lookUpRepositories(this, cluster.receiver ? onAzureDevOps : entries.filter((e) => e.source.lookup || byIdentity.includes(e)));

    ({ connectorPat: this.connectorPat, commitStatusPat: this.commitStatusPat } = addStatusPats(this, connected, plan.statusByPat));
    this.connectors = addConnectors(this, cluster, connected, this.connectorPat, writer, namespace);
    const { tokenSecret, addressSecrets } = addNotificationSecrets(this, cluster, namespace, this.commitStatusPat, afterFlux);
    const sops = addSopsAgeKey(this, cluster, namespace, afterFlux);
    this.sopsAgeKey = sops.variable;
    this.receivers = addReceivers(this, cluster, cluster.receiver ? onAzureDevOps : [], namespace, afterFlux);
    const identityObjects = grantIdentity(this, cluster, {
      workloadIdentity: this.workloadIdentity,
      // The Flux namespace as the config names it: the identity's objects do not wait for the install.
      namespace: cluster.flux?.namespace ?? 'flux-system',
      byIdentity,
      statusByIdentity,
      afterFlux,
      azureDevOpsRepositories: this.azureDevOpsRepositories,
      accessLevel: cluster.workloadIdentity?.managed?.accessLevel,
      owner: props.identityAccessOwner ?? true,
    });
    this.identityAccess = identityObjects.access;

    this.delivery = new FluxObjectsRelease(this, 'flux-objects', {
      namespace,
      dependsOn: [
        ...afterFlux,
        ...[this.sshSecret, this.httpsSecret].flatMap((s) => (s ? [s.secret] : [])),
        ...this.sshKeys.map((k) => k.registration),
        // The Providers post to the connectors: install those first.
        ...[...this.connectors.values()].map((c) => c.release),
        ...[tokenSecret, sops.secret, ...addressSecrets.values(), ...[...this.receivers.values()].map((r) => r.secret)].flatMap((s) => (s ? [s] : [])),
        // Zero-secret mode: Flux fetches and posts only once the identity may, and on destroy lets go of the
        // repositories (this release goes first) before the credentials, permissions and entitlement go.
        ...identityObjects.dependables,
      ],
    });
    ({ syncs: this.syncs, ociRepositories: this.ociRepositories, buckets: this.buckets } = addSources(this, cluster, entries, {
      delivery: this.delivery,
      azureDevOpsRepositories: this.azureDevOpsRepositories,
      sshSecret: this.sshSecret,
      httpsSecret: this.httpsSecret,
    }));
    this.alerts = addAlerts(this, cluster, { delivery: this.delivery, writer, connected, connectors: this.connectors, commitStatus: plan.commitStatus, statusByIdentity, addressSecrets });
    addPushHooks(this, this.receivers, this.azureDevOpsRepositories, this.delivery);

    addOutputs(this, {
      fluxNamespace: namespace,
      syncs: this.syncs,
      workloadIdentity: this.workloadIdentity,
      connectors: this.connectors,
      identity: this.identity,
      sshKeys: this.sshKeys,
      ssh,
    });
    // The config check refuses names that collide (config/load.ts); this catches any Secret added
    // later in code (another construct, another field) that would be the same object as one here.
    this.node.addValidation({ validate: () => duplicateSecrets(this) });
  }
}
