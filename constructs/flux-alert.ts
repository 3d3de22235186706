import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { LiteralStrings } from './literal-strings';
import { azureDevOpsProviderAddressProblem } from '../azure-devops/urls';
import { commitStatusExpr, commitStatusWriterProblem, CommitStatusWriter } from '../flux/commit-status';
import {
  ADDRESS_PROVIDER_TYPES,
  Alert,
  COMMIT_STATUS_PROVIDER_TYPES,
  CrossNamespaceObjectReference,
  NOTIFICATION_API_VERSION,
  Provider,
  PROVIDER_TYPES,
  ProviderSpec,
  ProviderType,
} from '../flux/api';
import { isDnsSubdomain, isHttpUrl } from '../flux/formats';
import { FluxObjectsRelease } from './flux-objects-release';
import { propErrors } from './prop-errors';

/** The kinds an Alert forwards by default: every source and Kustomization of its release. */
const ALERT_DEFAULT_KINDS = ['GitRepository', 'OCIRepository', 'Bucket', 'Kustomization'] as const;
/** Provider types that take `serviceAccountName` (notification-controller v1.8.3 Provider CRD). */
export const WORKLOAD_IDENTITY_PROVIDER_TYPES: readonly string[] = ['azuredevops', 'azureeventhub', 'googlepubsub'];

/** Props of {@link FluxAlert}. */
export interface FluxAlertProps {
  /** Where the Provider and the Alert are delivered. */
  readonly delivery: FluxObjectsRelease;
  /**
   * Name of both the Provider and the Alert.
   * @default - the construct id
   */
  readonly name?: string;
  /** Provider type: `generic` for a webhook, `azuredevops` for commit statuses, `msteams`, `slack`, ... */
  readonly type: ProviderType;
  /**
   * Where events go. For `azuredevops`, the repository's HTTPS `_git` URL. Put an address that holds a
   * token (a Teams or Slack webhook) in the Secret instead (key `address`).
   * @default - from the Secret, or none
   */
  readonly address?: string;
  /** Channel, for chat providers. @default - none */
  readonly channel?: string;
  /** User name the events are posted as, for chat providers. @default - none */
  readonly username?: string;
  /** Secret with `token`, `address`, `username`/`password` or `headers` for the provider. @default - none */
  readonly secretName?: string;
  /**
   * ServiceAccount (in the Provider's namespace) whose workload identity the provider signs in as, for
   * azuredevops, azureeventhub and googlepubsub; notification-controller needs the ObjectLevelWorkloadIdentity
   * feature gate (FluxInstall notificationControllerArgs) and may create tokens for it.
   * @default - no workload identity
   */
  readonly serviceAccountName?: string;
  /**
   * `info` forwards every event, `error` only failures.
   * @default 'info'
   */
  readonly eventSeverity?: 'info' | 'error';
  /**
   * The objects whose events are forwarded.
   * @default - every GitRepository and Kustomization the delivery carries, as of synth
   */
  readonly eventSources?: readonly CrossNamespaceObjectReference[];
  /** Short text added to every event. @default - none */
  readonly summary?: string;
  /**
   * Which cluster (and ring) sends these events. The Alert carries it as `eventMetadata` (`cluster`, `ring`),
   * so every notification says where it comes from; a commit-status Provider (azuredevops, github, gitlab,
   * gitea, bitbucket, bitbucketserver) gets the `commitStatusExpr` that names each status
   * `fleet/<ring>/<cluster>/<kind>/<namespace>/<name>` (flux/commit-status.ts).
   *
   * Required for type `azuredevops`: without it the controller names a status `<kind>/<name>/<Provider UID
   * prefix>`, which says nothing of the cluster, and a construct cannot know which cluster it is deployed to;
   * no default would be right for two clusters at once. Give each cluster its own name, unique in the fleet:
   * that is what keeps two clusters from writing one status name on a repository.
   * @default - none; no eventMetadata and the controller's default status names (refused for azuredevops)
   */
  readonly writer?: CommitStatusWriter;
}

/**
 * A notification-controller Provider and the Alert that feeds it (`notification.toolkit.fluxcd.io/v1beta3`):
 * where Flux posts the events of its sources and syncs.
 */
export class FluxAlert extends Construct {
  public readonly name: string;
  public readonly provider: Provider;
  private readonly delivery: FluxObjectsRelease;
  private readonly props: FluxAlertProps;

  constructor(scope: Construct, id: string, props: FluxAlertProps) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const fail = propErrors(`FluxAlert ${this.node.path}`);
    this.name = props.name ?? id;
    this.delivery = props.delivery;
    this.props = props;
    if (!isDnsSubdomain(this.name)) fail('name', this.name, 'use an RFC 1123 name (lower-case letters, digits, "-", ".")');
    if (!PROVIDER_TYPES.includes(props.type)) fail('type', props.type, `use one of ${PROVIDER_TYPES.join(', ')}`);
    if (ADDRESS_PROVIDER_TYPES.includes(props.type) && props.address === undefined && props.secretName === undefined) {
      fail('address', undefined, `type ${props.type} posts to an address; give address or a Secret with an address key`);
    }
    if (props.address !== undefined && !Token.isUnresolved(props.address)) {
      const addressProblem = props.type === 'azuredevops' ? azureDevOpsProviderAddressProblem(props.address) : undefined;
      if (addressProblem) fail('address', props.address, addressProblem);
      if (!isHttpUrl(props.address) || props.address.length > 2048) fail('address', props.address, 'use an http:// or https:// URL of at most 2048 characters');
    }
    if (props.serviceAccountName !== undefined) {
      if (!WORKLOAD_IDENTITY_PROVIDER_TYPES.includes(props.type)) fail('serviceAccountName', props.serviceAccountName, `only types ${WORKLOAD_IDENTITY_PROVIDER_TYPES.join(', ')} sign in with workload identity`);
      if (props.secretName !== undefined) fail('serviceAccountName', props.serviceAccountName, 'give secretName or serviceAccountName, not both (notification-controller refuses a Provider with both)');
      if (!isDnsSubdomain(props.serviceAccountName)) fail('serviceAccountName', props.serviceAccountName, 'name a ServiceAccount (an RFC 1123 subdomain)');
    }
    if (props.writer === undefined && props.type === 'azuredevops') {
      fail('writer', undefined, 'give { ring, cluster } of the cluster this is deployed to: an azuredevops Provider must name its commit statuses after the cluster, or two clusters write the same status');
    }
    const writerProblem = props.writer && commitStatusWriterProblem(props.writer);
    if (writerProblem) fail('writer', props.writer, `give a positive integer ring and a cluster name that is an RFC 1123 label (${writerProblem})`);
    const severity = props.eventSeverity ?? 'info';
    if (severity !== 'info' && severity !== 'error') fail('eventSeverity', severity, 'use "info" or "error"');
    if (props.eventSources && props.eventSources.length === 0) fail('eventSources', [], 'list at least one object, or leave it unset for every source');

    const metadata = { name: this.name, namespace: props.delivery.namespace };
    const spec: ProviderSpec = {
      type: props.type,
      ...(props.address !== undefined && { address: props.address }),
      ...(props.channel !== undefined && { channel: props.channel }),
      ...(props.username !== undefined && { username: props.username }),
      ...(props.secretName !== undefined && { secretRef: { name: props.secretName } }),
      ...(props.serviceAccountName !== undefined && { serviceAccountName: props.serviceAccountName }),
      ...(props.writer && COMMIT_STATUS_PROVIDER_TYPES.includes(props.type) && { commitStatusExpr: commitStatusExpr(props.writer) }),
    };
    this.provider = { apiVersion: NOTIFICATION_API_VERSION, kind: 'Provider', metadata, spec };
    props.delivery.add(this.provider);
    // Built at synth, so the default source list includes syncs added after this construct.
    props.delivery.addDeferred(() => this.alert);
  }

  /** The objects whose events are forwarded. */
  public get eventSources(): readonly CrossNamespaceObjectReference[] {
    return (
      this.props.eventSources ??
      this.delivery.addedObjects
        .filter((o) => (ALERT_DEFAULT_KINDS as readonly string[]).includes(o.kind))
        .map((o) => ({ kind: o.kind as (typeof ALERT_DEFAULT_KINDS)[number], name: o.metadata.name }))
    );
  }

  public get alert(): Alert {
    return {
      apiVersion: NOTIFICATION_API_VERSION,
      kind: 'Alert',
      metadata: { name: this.name, namespace: this.delivery.namespace },
      spec: {
        providerRef: { name: this.name },
        eventSeverity: this.props.eventSeverity ?? 'info',
        eventSources: this.eventSources.map((s) => ({ ...s })),
        ...(this.props.summary !== undefined && { summary: this.props.summary }),
        // Every notifier sees these in event.metadata. No Flux controller emits these keys; one that did would win
        // over them (notification-controller v1.8.3 combineEventMetadata), which is why commitStatusExpr holds the
        // cluster as a literal instead of reading it from here.
        ...(this.props.writer && { eventMetadata: { cluster: this.props.writer.cluster, ring: String(this.props.writer.ring) } }),
      },
    };
  }
}
