import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { LiteralStrings } from './literal-strings';
import {
  ADDRESS_PROVIDER_TYPES,
  Alert,
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

/**
 * The azuredevops notifier splits the address path into exactly org/project/_git/repo; an SSH URL (or
 * one without `_git`) is split into the wrong parts and the status lands nowhere.
 */
export const AZURE_DEVOPS_GIT_URL = /^https:\/\/(dev\.azure\.com\/[^/\s]+|[^./\s]+\.visualstudio\.com)\/[^/\s]+\/_git\/[^/\s]+$/;

/** The kinds an Alert forwards by default: every source and Kustomization of its release. */
const ALERT_DEFAULT_KINDS = ['GitRepository', 'OCIRepository', 'Bucket', 'Kustomization'] as const;
/** Provider types that take `serviceAccountName` (notification-controller v1.8.3 Provider CRD). */
export const WORKLOAD_IDENTITY_PROVIDER_TYPES: readonly string[] = ['azuredevops', 'azureeventhub', 'googlepubsub'];

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
      if (props.type === 'azuredevops' && !AZURE_DEVOPS_GIT_URL.test(props.address)) {
        fail('address', props.address, "use the repository's HTTPS URL, https://dev.azure.com/org/project/_git/repo");
      }
      if (!isHttpUrl(props.address) || props.address.length > 2048) fail('address', props.address, 'use an http:// or https:// URL of at most 2048 characters');
    }
    if (props.serviceAccountName !== undefined) {
      if (!WORKLOAD_IDENTITY_PROVIDER_TYPES.includes(props.type)) fail('serviceAccountName', props.serviceAccountName, `only types ${WORKLOAD_IDENTITY_PROVIDER_TYPES.join(', ')} sign in with workload identity`);
      if (props.secretName !== undefined) fail('serviceAccountName', props.serviceAccountName, 'give secretName or serviceAccountName, not both (notification-controller refuses a Provider with both)');
      if (!isDnsSubdomain(props.serviceAccountName)) fail('serviceAccountName', props.serviceAccountName, 'name a ServiceAccount (an RFC 1123 subdomain)');
    }
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
      },
    };
  }
}
