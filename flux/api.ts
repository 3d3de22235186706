/**
 * Typed Flux objects, for the fields this project emits (and a few more users commonly need).
 * Versions are those served by Flux 2.8: source v1, kustomize v1, notification v1beta3 (Alert,
 * Provider; v1beta2 is deprecated and v1beta1 removed) and notification v1 (Receiver).
 */

export const GIT_REPOSITORY_API_VERSION = 'source.toolkit.fluxcd.io/v1';
/** API version of Kustomization objects. */
export const KUSTOMIZATION_API_VERSION = 'kustomize.toolkit.fluxcd.io/v1';
/** API version of Alert and Provider objects. */
export const NOTIFICATION_API_VERSION = 'notification.toolkit.fluxcd.io/v1beta3';
/** API version of Receiver objects. */
export const RECEIVER_API_VERSION = 'notification.toolkit.fluxcd.io/v1';
/** OCIRepository and Bucket are served at source v1 by source-controller v1.8 (Flux 2.8). */
export const OCI_REPOSITORY_API_VERSION = 'source.toolkit.fluxcd.io/v1';
/** API version of Bucket objects. */
export const BUCKET_API_VERSION = 'source.toolkit.fluxcd.io/v1';

/** The metadata of a Flux object. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: { readonly [key: string]: string };
  readonly annotations?: { readonly [key: string]: string };
}

/** A reference to an object of the same namespace, by name. */
export interface LocalObjectReference {
  readonly name: string;
}

/** What a GitRepository checks out: a branch, tag, semver range, ref name or commit. */
export interface GitRepositoryRef {
  readonly branch?: string;
  readonly tag?: string;
  readonly semver?: string;
  readonly name?: string;
  readonly commit?: string;
}

/** The spec of a GitRepository (source.toolkit.fluxcd.io/v1). */
export interface GitRepositorySpec {
  readonly url: string;
  readonly interval: string;
  readonly timeout?: string;
  readonly ref?: GitRepositoryRef;
  readonly secretRef?: LocalObjectReference;
  readonly provider?: 'generic' | 'azure' | 'github';
  readonly serviceAccountName?: string;
  readonly suspend?: boolean;
  readonly ignore?: string;
  readonly recurseSubmodules?: boolean;
  readonly sparseCheckout?: readonly string[];
  readonly proxySecretRef?: LocalObjectReference;
}

/** A Flux GitRepository. */
export interface GitRepository {
  readonly apiVersion: typeof GIT_REPOSITORY_API_VERSION;
  readonly kind: 'GitRepository';
  readonly metadata: ObjectMeta;
  readonly spec: GitRepositorySpec;
}

/** Kustomization `spec.deletionPolicy`; this project's default, Orphan, first. */
export const DELETION_POLICIES = ['Orphan', 'MirrorPrune', 'Delete', 'WaitForTermination'] as const;
/** What kustomize-controller does with applied objects when the Kustomization is deleted. */
export type DeletionPolicy = (typeof DELETION_POLICIES)[number];

/** Kinds a Kustomization's `sourceRef` may name. */
export const SOURCE_KINDS = ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact'] as const;

/** A reference to a source object, possibly in another namespace. */
export interface CrossNamespaceSourceReference {
  readonly kind: (typeof SOURCE_KINDS)[number];
  readonly name: string;
  readonly namespace?: string;
  readonly apiVersion?: string;
}

/** One of tag, semver or digest (digest wins over semver, semver over tag). */
export interface OCIRepositoryRef {
  readonly tag?: string;
  readonly semver?: string;
  readonly digest?: string;
}

/** OCIRepository `spec.provider`: `azure` logs in to ACR with the controller's workload identity. */
export const OCI_PROVIDERS = ['generic', 'aws', 'azure', 'gcp'] as const;

/** The spec of an OCIRepository (source.toolkit.fluxcd.io/v1). */
export interface OCIRepositorySpec {
  readonly url: string;
  readonly interval: string;
  readonly ref?: OCIRepositoryRef;
  readonly provider?: (typeof OCI_PROVIDERS)[number];
  readonly secretRef?: LocalObjectReference;
  readonly serviceAccountName?: string;
  readonly timeout?: string;
  readonly ignore?: string;
  readonly suspend?: boolean;
}

/** A Flux OCIRepository. */
export interface OCIRepository {
  readonly apiVersion: typeof OCI_REPOSITORY_API_VERSION;
  readonly kind: 'OCIRepository';
  readonly metadata: ObjectMeta;
  readonly spec: OCIRepositorySpec;
}

/** Bucket `spec.provider`: `azure` reads Azure Blob Storage with the controller's workload identity. */
export const BUCKET_PROVIDERS = ['generic', 'aws', 'gcp', 'azure'] as const;

/** The spec of a Bucket (source.toolkit.fluxcd.io/v1). */
export interface BucketSpec {
  readonly bucketName: string;
  readonly endpoint: string;
  readonly interval: string;
  readonly provider?: (typeof BUCKET_PROVIDERS)[number];
  readonly prefix?: string;
  readonly region?: string;
  readonly secretRef?: LocalObjectReference;
  readonly serviceAccountName?: string;
  readonly timeout?: string;
  readonly ignore?: string;
  readonly suspend?: boolean;
}

/** A Flux Bucket. */
export interface Bucket {
  readonly apiVersion: typeof BUCKET_API_VERSION;
  readonly kind: 'Bucket';
  readonly metadata: ObjectMeta;
  readonly spec: BucketSpec;
}

/** A Kustomization this one waits for, by name and optional namespace. */
export interface DependencyReference {
  readonly name: string;
  readonly namespace?: string;
}

/** An object whose readiness counts for the Kustomization's health. */
export interface HealthCheckReference {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly apiVersion?: string;
}

/** A CEL health check for a kind kstatus does not understand (Flux 2.8 requires `kind`). */
export interface CustomHealthCheck {
  readonly apiVersion: string;
  readonly kind: string;
  readonly current: string;
  readonly inProgress?: string;
  readonly failed?: string;
}

/** Kustomization `spec.decryption`. */
export interface Decryption {
  readonly provider: 'sops';
  /** Secret with the keys (age, PGP, or Azure/AWS/GCP credentials); without it, the controller's own identity. */
  readonly secretRef?: LocalObjectReference;
}

/** A ConfigMap or Secret whose keys are substituted into the manifests. */
export interface SubstituteReference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  /** Go on when the object is missing. @default false */
  readonly optional?: boolean;
}

/** Variable substitution after kustomize build. */
export interface PostBuild {
  readonly substitute?: { readonly [key: string]: string };
  readonly substituteFrom?: readonly SubstituteReference[];
}

/** The spec of a Kustomization (kustomize.toolkit.fluxcd.io/v1). */
export interface KustomizationSpec {
  readonly interval: string;
  readonly retryInterval?: string;
  readonly timeout?: string;
  readonly path?: string;
  readonly prune: boolean;
  readonly wait?: boolean;
  readonly force?: boolean;
  readonly suspend?: boolean;
  readonly targetNamespace?: string;
  readonly serviceAccountName?: string;
  readonly deletionPolicy?: DeletionPolicy;
  readonly dependsOn?: readonly DependencyReference[];
  readonly sourceRef: CrossNamespaceSourceReference;
  readonly healthChecks?: readonly HealthCheckReference[];
  readonly healthCheckExprs?: readonly CustomHealthCheck[];
  readonly components?: readonly string[];
  readonly decryption?: Decryption;
  readonly postBuild?: PostBuild;
}

/** A Flux Kustomization. */
export interface Kustomization {
  readonly apiVersion: typeof KUSTOMIZATION_API_VERSION;
  readonly kind: 'Kustomization';
  readonly metadata: ObjectMeta;
  readonly spec: KustomizationSpec;
}

/** Kinds that emit events an Alert can select (notification v1beta3 `eventSources[].kind`). */
export const EVENT_SOURCE_KINDS = [
  'Bucket', 'GitRepository', 'Kustomization', 'HelmRelease', 'HelmChart', 'HelmRepository', 'ImageRepository',
  'ImagePolicy', 'ImageUpdateAutomation', 'OCIRepository', 'ArtifactGenerator', 'ExternalArtifact',
] as const;
/** A kind of object an Alert can take events from. */
export type EventSourceKind = (typeof EVENT_SOURCE_KINDS)[number];

/** An event source of an Alert: kind, name (or `*`) and optional namespace. */
export interface CrossNamespaceObjectReference {
  readonly kind: EventSourceKind;
  /** An object name, or `*` for every object of the kind in the namespace. */
  readonly name: string;
  readonly namespace?: string;
  readonly apiVersion?: string;
  readonly matchLabels?: { readonly [key: string]: string };
}

/** The spec of an Alert (notification.toolkit.fluxcd.io/v1beta3). */
export interface AlertSpec {
  readonly providerRef: LocalObjectReference;
  readonly eventSources: readonly CrossNamespaceObjectReference[];
  readonly eventSeverity?: 'info' | 'error';
  readonly eventMetadata?: { readonly [key: string]: string };
  readonly inclusionList?: readonly string[];
  readonly exclusionList?: readonly string[];
  readonly summary?: string;
  readonly suspend?: boolean;
}

/** A Flux Alert. */
export interface Alert {
  readonly apiVersion: typeof NOTIFICATION_API_VERSION;
  readonly kind: 'Alert';
  readonly metadata: ObjectMeta;
  readonly spec: AlertSpec;
}

/** notification v1beta3 `Provider.spec.type`. */
export const PROVIDER_TYPES = [
  'slack', 'discord', 'msteams', 'rocket', 'generic', 'generic-hmac', 'github', 'gitlab', 'gitea',
  'giteapullrequestcomment', 'bitbucketserver', 'bitbucket', 'azuredevops', 'googlechat', 'googlepubsub', 'webex',
  'sentry', 'azureeventhub', 'telegram', 'lark', 'matrix', 'opsgenie', 'alertmanager', 'grafana', 'githubdispatch',
  'githubpullrequestcomment', 'gitlabmergerequestcomment', 'pagerduty', 'datadog', 'nats', 'zulip', 'otel',
] as const;
/** A notification Provider type. */
export type ProviderType = (typeof PROVIDER_TYPES)[number];
/** Provider types that set commit statuses (the only ones that may carry `commitStatusExpr`). */
/** Provider types that post to `address` (given, or from the Secret's `address` key) and do nothing without one. */
export const ADDRESS_PROVIDER_TYPES: readonly ProviderType[] = ['generic', 'generic-hmac', 'azuredevops'];
/** The Provider types that post commit statuses (and need a revision in each event). */
export const COMMIT_STATUS_PROVIDER_TYPES: readonly ProviderType[] = ['github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops'];

/** The spec of a Provider (notification.toolkit.fluxcd.io/v1beta3). */
export interface ProviderSpec {
  readonly type: ProviderType;
  readonly address?: string;
  readonly channel?: string;
  readonly username?: string;
  readonly secretRef?: LocalObjectReference;
  readonly certSecretRef?: LocalObjectReference;
  readonly proxy?: string;
  readonly timeout?: string;
  readonly interval?: string;
  readonly suspend?: boolean;
  readonly commitStatusExpr?: string;
  readonly serviceAccountName?: string;
}

/** A Flux notification Provider. */
export interface Provider {
  readonly apiVersion: typeof NOTIFICATION_API_VERSION;
  readonly kind: 'Provider';
  readonly metadata: ObjectMeta;
  readonly spec: ProviderSpec;
}

/** notification v1 `Receiver.spec.type`. */
export const RECEIVER_TYPES = [
  'generic', 'generic-hmac', 'generic-oidc', 'github', 'gitlab', 'bitbucket', 'harbor', 'dockerhub', 'quay', 'gcr',
  'nexus', 'acr', 'cdevents',
] as const;
/** A Receiver type. */
export type ReceiverType = (typeof RECEIVER_TYPES)[number];

/** The spec of a Receiver (notification.toolkit.fluxcd.io/v1). */
export interface ReceiverSpec {
  readonly type: ReceiverType;
  readonly events?: readonly string[];
  readonly resources: readonly CrossNamespaceObjectReference[];
  readonly secretRef?: LocalObjectReference;
  readonly interval?: string;
  readonly suspend?: boolean;
  readonly resourceFilter?: string;
}

/** A Flux Receiver. */
export interface Receiver {
  readonly apiVersion: typeof RECEIVER_API_VERSION;
  readonly kind: 'Receiver';
  readonly metadata: ObjectMeta;
  readonly spec: ReceiverSpec;
}

/** Every Flux object kind the project types and checks against the CRD rules. */
export type FluxObject = GitRepository | OCIRepository | Bucket | Kustomization | Alert | Provider | Receiver;

/** The API groups of Flux's controllers: only objects of these groups go into a FluxObjectsRelease. */
export const FLUX_API_GROUP = /^[a-z]+\.toolkit\.fluxcd\.io$/;

/**
 * Any Flux object, typed by its kind and spec: HelmRepository, HelmRelease, ImageRepository,
 * ImagePolicy, ImageUpdateAutomation, or a kind of a newer Flux. Kinds this project restates the CRD
 * rules of (FluxObject) are checked against them; the others have their metadata checked only.
 *
 * ```ts
 * type HelmRelease = CustomFluxObject<'HelmRelease', { interval: string; chart: { spec: {...} } }>;
 * ```
 */
export interface CustomFluxObject<K extends string = string, S = { readonly [field: string]: unknown }> {
  /** `<group>.toolkit.fluxcd.io/<version>`. */
  readonly apiVersion: string;
  readonly kind: K;
  readonly metadata: ObjectMeta;
  readonly spec?: S;
}

/** What a FluxObjectsRelease delivers. */
export type AnyFluxObject = FluxObject | CustomFluxObject;
