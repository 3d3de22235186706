import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { isDnsHostName, isDnsLabel, isDnsSubdomain, isExactChartVersion, isGuid, isReservedNamespace } from '../flux/formats';
import { FluxStackChecks, IFluxInstallFacts } from '../flux/stack-checks';
import { affinityProblems, isQualifiedName, nodeSelectorProblems, QUALIFIED_NAME_HINT, resourcesProblems, tolerationProblems } from '../flux/pod-rules';
import { chartScalar, helmTemplateLiteral, helmTemplateLiterals, helmValuesJson, readsAsYamlText } from './helm-values';
import { LiteralStrings } from './literal-strings';
import { propErrors } from './prop-errors';

/**
 * fluxcd-community `flux2` chart 2.18.3 installs Flux 2.8.5. The one place of this pin; with it move
 * FLUX2_CHART_IMAGES below (the chart's values.yaml), the CRD rules in flux/crd-rules.ts (re-read from the
 * new controllers' CRDs), the chartVersion description in config/schema.ts (then `npm run schema` and
 * `npm run docs:config`), the mirror table in docs/production-aks.md, and the reference CRDs and chart in
 * ../shared; __tests__/versions.test.ts fails while README.md or docs/ name the old version.
 * It ships notification-controller v1.8.3: it has the Provider's commitStatusExpr (>= 1.6) and is not v1.8.0,
 * which dropped commit-status events (fluxcd/notification-controller#1246, fixed in v1.8.1 by #1247). See
 * FIRST_CHART_WITH_COMMIT_STATUS_EXPR.
 */
export const FLUX2_CHART_VERSION = '2.18.3';
/** The Helm repository of the fluxcd-community flux2 chart. */
export const FLUX2_CHART_REPOSITORY = 'https://fluxcd-community.github.io/helm-charts';

/** The pod labels of notification-controller in the flux2 chart (templates/notification-controller.yaml, spec.template.metadata.labels). */
export const NOTIFICATION_CONTROLLER_POD_LABELS = { app: 'notification-controller' } as const;

/**
 * Azure DevOps' SSH server offers only RSA host keys with SHA-2 signatures; Flux's Azure DevOps guide
 * has source-controller restrict the host key algorithms accordingly.
 */
export const AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG = '--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256';

/** A Kubernetes toleration (core/v1 Toleration), for the pods of Flux and of the connector. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

/** The Flux controllers to run. */
export interface FluxComponents {
  /** source-controller (GitRepository and the other sources). @default true */
  readonly source?: boolean;
  /** kustomize-controller (Kustomization). @default true */
  readonly kustomize?: boolean;
  /** helm-controller (HelmRelease). @default true */
  readonly helm?: boolean;
  /** notification-controller (Alert, Provider, Receiver). @default true */
  readonly notification?: boolean;
  /** image-reflector-controller and image-automation-controller. @default false */
  readonly imageAutomation?: boolean;
}

/** The Flux controllers, by the names the placement settings use. */
export const FLUX_CONTROLLERS = ['source', 'kustomize', 'helm', 'notification', 'imageReflector', 'imageAutomation'] as const;
/** One Flux controller, by the name the placement settings use. */
export type FluxController = (typeof FLUX_CONTROLLERS)[number];

/** The flux2 chart's values key of each controller. */
export const FLUX_CONTROLLER_VALUES_KEYS: { readonly [c in FluxController]: string } = {
  source: 'sourceController',
  kustomize: 'kustomizeController',
  helm: 'helmController',
  notification: 'notificationController',
  imageReflector: 'imageReflectionController',
  imageAutomation: 'imageAutomationController',
};

/**
 * The images of flux2 chart 2.18.3 (its values.yaml), path below the registry: with `imageRegistry`
 * they are pulled from `<imageRegistry>/<path>` at the chart's tags. `cli` runs the chart's
 * pre-install `flux check --pre` Job.
 */
export const FLUX2_CHART_IMAGES: { readonly [c in FluxController | 'cli']: { readonly path: string; readonly tag: string } } = {
  source: { path: 'fluxcd/source-controller', tag: 'v1.8.2' },
  kustomize: { path: 'fluxcd/kustomize-controller', tag: 'v1.8.3' },
  helm: { path: 'fluxcd/helm-controller', tag: 'v1.5.3' },
  notification: { path: 'fluxcd/notification-controller', tag: 'v1.8.3' },
  imageReflector: { path: 'fluxcd/image-reflector-controller', tag: 'v1.1.1' },
  imageAutomation: { path: 'fluxcd/image-automation-controller', tag: 'v1.1.1' },
  cli: { path: 'fluxcd/flux-cli', tag: 'v2.8.5' },
};
/** Where the chart pulls its images from by default. */
export const FLUX2_DEFAULT_REGISTRY = 'ghcr.io';

/**
 * The first flux2 chart whose notification-controller (v1.6.0) has the Provider's `commitStatusExpr`, which the
 * stack's commit statuses are named with (flux/commit-status.ts); an older CRD does not know the field, and the
 * API server drops unknown fields, so statuses would silently lose their cluster. The controller of each chart,
 * read from fluxcd-community/helm-charts tags (charts/flux2/values.yaml `notificationController.tag`):
 * 2.15.0 v1.5.0; 2.16.0-2.16.4 v1.6.0; 2.17.0-2.17.1 v1.7.3; 2.17.2 v1.7.5; 2.18.0 v1.8.1; 2.18.1-2.18.2 v1.8.2;
 * 2.18.3 v1.8.3 (the pin). No published chart shipped v1.8.0, which dropped commit-status events
 * (fluxcd/notification-controller#1246, fixed in v1.8.1 by #1247): only a tag override can bring it in.
 */
export const FIRST_CHART_WITH_COMMIT_STATUS_EXPR = '2.16.0';
/** What is allowed, said when a flux2 chart older than FIRST_CHART_WITH_COMMIT_STATUS_EXPR is asked for. */
export const CHART_VERSION_RULE = `must be ${FIRST_CHART_WITH_COMMIT_STATUS_EXPR} or later: older flux2 charts ship notification-controller < 1.6, whose Provider has no commitStatusExpr, so commit statuses would not name their cluster`;
/** What is allowed, said when `values` pins a notification-controller that cannot write the contract's statuses. */
export const NOTIFICATION_CONTROLLER_TAG_RULE =
  'must not pin notificationController.tag to v1.8.0, which drops commit-status events (fluxcd/notification-controller#1246, fixed in v1.8.1), nor below v1.6.0, which has no commitStatusExpr';

/* eslint-disable @typescript-eslint/no-require-imports */
const semverVersion = (text: string): string | null => (require('semver/functions/valid') as (v: string) => string | null)(text);
const semverLt = (a: string, b: string): boolean => (require('semver/functions/lt') as (a: string, b: string) => boolean)(a, b);
/* eslint-enable @typescript-eslint/no-require-imports */

/** False for an exact chart version older than FIRST_CHART_WITH_COMMIT_STATUS_EXPR (anything else is judged elsewhere). */
export function chartHasCommitStatusExpr(chartVersion: unknown): boolean {
  const version = typeof chartVersion === 'string' ? semverVersion(chartVersion) : null;
  return version === null || !semverLt(version, FIRST_CHART_WITH_COMMIT_STATUS_EXPR);
}

/**
 * False when chart `values` pin notification-controller to a tag known to break the contract: v1.8.0, or a
 * version below v1.6.0. A tag that is not a version (a digest, a custom build) cannot be judged and passes.
 */
export function notificationControllerTagFits(values: unknown): boolean {
  const tag = (values as { notificationController?: { tag?: unknown } } | undefined)?.notificationController?.tag;
  const version = typeof tag === 'string' ? semverVersion(tag) : null;
  if (version === null) return true;
  return !version.startsWith('1.8.0') && !semverLt(version, '1.6.0');
}

/** A registry host (with an optional port) and an optional path, no scheme: `myacr.azurecr.io`, `mirror.local:5000/ghcr`. */
export const IMAGE_REGISTRY = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$';
/** True when `value` is a registry host and optional path, as IMAGE_REGISTRY describes. */
export function isImageRegistry(value: string): boolean {
  return new RegExp(IMAGE_REGISTRY).test(value);
}

/**
 * AKS system node pools carry the label `kubernetes.azure.com/mode=system`, and dedicated ones the
 * taint `CriticalAddonsOnly=true:NoSchedule` (AKS docs, "Manage system node pools").
 */
export const AKS_SYSTEM_POOL_PLACEMENT: Placement = {
  nodeSelector: { 'kubernetes.azure.com/mode': 'system' },
  tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
};

/** Kubernetes ResourceRequirements of a container: quantities such as `100m`, `256Mi`. */
export interface ResourceRequirements {
  readonly requests?: { readonly [resource: string]: string };
  readonly limits?: { readonly [resource: string]: string };
}

/** Where and how a controller's pod runs; every field lands on the controller's pod spec. */
export interface Placement {
  /** @default [] */
  readonly tolerations?: readonly Toleration[];
  /** @default {} */
  readonly nodeSelector?: { readonly [key: string]: string };
  /** A Kubernetes Affinity object (nodeAffinity, podAffinity, podAntiAffinity). @default {} */
  readonly affinity?: { readonly [key: string]: unknown };
  /** @default - the chart's: requests cpu 100m, memory 64Mi, no limits */
  readonly resources?: ResourceRequirements;
  /** @default - none */
  readonly priorityClassName?: string;
}

/** Placement for all controllers and per controller; a controller's own fields win over `all`'s. */
export type ControllerPlacement = { readonly all?: Placement } & { readonly [c in FluxController]?: Placement };

/** Flux's multi-tenancy lockdown (the flux2 chart's `multitenancy` values). */
export interface Multitenancy {
  /** @default false */
  readonly enabled: boolean;
  /**
   * Service account kustomize-controller and helm-controller impersonate for Kustomizations and
   * HelmReleases that name none, in the object's own namespace.
   * @default 'default'
   */
  readonly defaultServiceAccount?: string;
}

/** An Entra workload identity for source-controller (GitRepository `provider: azure`). */
export interface WorkloadIdentity {
  /** Client id of the user-assigned managed identity (or app registration) with a federated credential. */
  readonly clientId: string;
  /**
   * Tenant of the identity.
   * @default - the cluster's tenant
   */
  readonly tenantId?: string;
}

/** An Ingress for notification-controller's webhook receiver, made by the flux2 chart. */
export interface WebhookReceiverIngress {
  /** Host name the senders call. */
  readonly host: string;
  /** @default - the cluster's default IngressClass */
  readonly className?: string;
  /** Secret with the TLS certificate for `host`. @default - no TLS on the Ingress */
  readonly tlsSecretName?: string;
  /** @default {} */
  readonly annotations?: { readonly [key: string]: string };
}

/** Props of {@link FluxInstall}. */
export interface FluxInstallProps {
  /**
   * Namespace of the controllers (created by the release).
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * Version of the fluxcd-community `flux2` chart; each maps to one Flux release.
   * @default FLUX2_CHART_VERSION (2.18.3, Flux 2.8.5)
   */
  readonly chartVersion?: string;
  /**
   * Helm repository of the chart: an https:// repository or an oci:// registry path (the chart is
   * then `<chartRepository>/flux2`), e.g. a mirror for air-gapped clusters.
   * @default FLUX2_CHART_REPOSITORY
   */
  readonly chartRepository?: string;
  /**
   * Helm release name.
   * @default 'flux2'
   */
  readonly releaseName?: string;
  /**
   * Controllers to run.
   * @default - source, kustomize, helm and notification on; image automation off
   */
  readonly components?: FluxComponents;
  /**
   * Extra arguments for source-controller, e.g. {@link AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG}.
   * @default []
   */
  readonly sourceControllerArgs?: readonly string[];
  /**
   * Run source-controller under this workload identity (AKS workload identity): its service account
   * gets the client-id annotation and its pods the `azure.workload.identity/use` label.
   * @default - no workload identity
   */
  readonly sourceControllerWorkloadIdentity?: WorkloadIdentity;
  /**
   * Run kustomize-controller under this workload identity, e.g. to decrypt SOPS files with Azure Key
   * Vault keys (Kustomization `decryption` without `secretRef`): its service account gets the
   * client-id annotation and its pods the `azure.workload.identity/use` label. The identity needs a
   * federated credential for `system:serviceaccount:<namespace>:kustomize-controller`.
   * @default - no workload identity
   */
  readonly kustomizeControllerWorkloadIdentity?: WorkloadIdentity;
  /**
   * Extra arguments for notification-controller, e.g. {@link OBJECT_LEVEL_WORKLOAD_IDENTITY_ARG}.
   * @default []
   */
  readonly notificationControllerArgs?: readonly string[];
  /**
   * Expose notification-controller's webhook receiver (Receivers) through an Ingress.
   * @default - not exposed
   */
  readonly webhookReceiverIngress?: WebhookReceiverIngress;
  /**
   * Annotate the CRDs with `helm.sh/resource-policy: keep`, so that removing the release does not
   * delete the CRDs and, with them, every Flux object in the cluster.
   * @default true
   */
  readonly keepCrds?: boolean;
  /**
   * Seconds Helm waits for the controllers to become ready.
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /**
   * Extra arguments for image-automation-controller (it pushes to git over SSH too), e.g.
   * {@link AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG}.
   * @default []
   */
  readonly imageAutomationControllerArgs?: readonly string[];
  /**
   * Run every controller (and the chart's pre-install check Job) on the AKS system node pool:
   * `nodeSelector kubernetes.azure.com/mode: system` and a toleration of `CriticalAddonsOnly`.
   * `placement` adds to it.
   * @default false
   */
  readonly aksSystemPool?: boolean;
  /**
   * Tolerations, nodeSelector, affinity, resources and priorityClassName, for all controllers (`all`)
   * or per controller. Per field, a controller's own setting replaces `all`'s, except tolerations
   * (added together) and nodeSelector (keys merged).
   * @default - the chart's
   */
  readonly placement?: ControllerPlacement;
  /**
   * Pull the controller images from this registry instead of ghcr.io, at the same paths and tags
   * (`<imageRegistry>/fluxcd/source-controller:v1.8.2`, see {@link FLUX2_CHART_IMAGES}).
   * @default - ghcr.io
   */
  readonly imageRegistry?: string;
  /**
   * Secrets of the Flux namespace (type kubernetes.io/dockerconfigjson) the controllers pull with.
   * They must exist before the install: create the namespace and the Secrets first.
   * @default []
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Flux's multi-tenancy lockdown: no cross-namespace references, and Kustomizations/HelmReleases
   * without a service account impersonate `defaultServiceAccount` of their namespace.
   * @default - off
   */
  readonly multitenancy?: Multitenancy;
  /**
   * Any other flux2 chart values, deep-merged under the typed settings: on a conflict the typed
   * setting wins (objects merge key by key, lists and scalars replace). Strings are literal data.
   * @default {}
   */
  readonly values?: { readonly [key: string]: unknown };
}

type Values = { [key: string]: unknown };
const isObject = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's merge of values files: objects merge key by key, anything else in `over` replaces. */
export function mergeValues(under: Values, over: Values): Values {
  const out: Values = { ...under };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isObject(value) && isObject(out[key]) ? mergeValues(out[key] as Values, value) : value;
  }
  return out;
}

/**
 * The requests flux2 chart 2.18.3 gives every controller (values.yaml, `<controller>.resources.requests`);
 * Helm merges the placement's resources over them, so a limit alone is compared with these.
 */
export const FLUX2_CHART_REQUESTS = { cpu: '100m', memory: '64Mi' } as const;

/**
 * Problems of one placement, as [field, value, allowed], checked as the API server would check the pod
 * spec they land on (flux/pod-rules); shared with the config checks.
 */
export function placementProblems(p: Placement): [string, unknown, string][] {
  return [
    ...tolerationProblems(p.tolerations),
    ...nodeSelectorProblems(p.nodeSelector),
    ...affinityProblems(p.affinity),
    ...resourcesProblems(p.resources, FLUX2_CHART_REQUESTS),
    ...(p.priorityClassName !== undefined && !isDnsSubdomain(p.priorityClassName) ? [['priorityClassName', p.priorityClassName, 'use a PriorityClass name (an RFC 1123 subdomain)'] as [string, unknown, string]] : []),
  ];
}

/** Layers placements: later tolerations are added, nodeSelector keys merged, other fields replaced. */
export function layerPlacements(...layers: readonly (Placement | undefined)[]): Placement {
  let out: Placement = {};
  for (const p of layers) {
    if (!p) continue;
    const tolerations = [...(out.tolerations ?? []), ...(p.tolerations ?? [])];
    out = {
      ...out,
      ...p,
      tolerations: tolerations.filter((t, i) => tolerations.findIndex((u) => JSON.stringify(u) === JSON.stringify(t)) === i),
      nodeSelector: { ...out.nodeSelector, ...p.nodeSelector },
    };
  }
  return out;
}

/**
 * The values the flux2 chart 2.18.3 renders through `tpl` (templates/extra-manifests.yaml: every string of
 * `extraObjects`; templates/notification-controller-ingress.yaml: the webhook Ingress annotation values)
 * written so that Helm renders them as the text they are: values are data, never templates.
 */
function literalTplValues(values: Values): Values {
  const out: Values = { ...values };
  if (out.extraObjects !== undefined) out.extraObjects = helmTemplateLiterals(out.extraObjects);
  const notification = out.notificationController as Values | undefined;
  const ingress = ((notification?.webhookReceiver as Values | undefined)?.ingress as Values | undefined);
  if (isObject(ingress?.annotations)) {
    const annotations = Object.fromEntries(Object.entries(ingress.annotations).map(([k, v]) => [k, typeof v === 'string' ? helmTemplateLiteral(v) : v]));
    out.notificationController = { ...notification, webhookReceiver: { ...(notification!.webhookReceiver as Values), ingress: { ...ingress, annotations } } };
  }
  return out;
}

/** A placement as flux2 chart values (only the fields that are set). */
function placementValues(p: Placement, withPriority: boolean): Values {
  return {
    ...(p.tolerations?.length && { tolerations: p.tolerations.map((t) => ({ ...t })) }),
    ...(p.nodeSelector && Object.keys(p.nodeSelector).length > 0 && { nodeSelector: { ...p.nodeSelector } }),
    ...(p.affinity && Object.keys(p.affinity).length > 0 && { affinity: structuredClone(p.affinity) }),
    ...(p.resources && { resources: structuredClone(p.resources) }),
    ...(withPriority && p.priorityClassName !== undefined && { priorityClassName: p.priorityClassName }),
  };
}

/**
 * Lets notification-controller use a Provider's `serviceAccountName` (object-level workload identity): the
 * Provider CRD of notification-controller v1.8.3 (flux2 chart 2.18.3) says the field "requires the
 * ObjectLevelWorkloadIdentity feature gate to be enabled"; Flux controllers take gates as --feature-gates.
 */
export const OBJECT_LEVEL_WORKLOAD_IDENTITY_ARG = '--feature-gates=ObjectLevelWorkloadIdentity=true';

/**
 * The controller flags the chart renders for multi-tenancy (on kustomize-, helm-, notification-,
 * image-reflector- and image-automation-controller). Helm renders `additionalArgs` after them and the
 * controllers keep the last value of a flag, so `values` giving one of them would quietly undo the
 * lockdown the typed setting promises. The controllers parse flags with spf13/pflag, whose bool flags
 * take `--flag=false` and every strconv.ParseBool spelling (`0`, `f`, `F`, `FALSE`, `False`), as Go's
 * flag package does (golang/go src/flag/flag.go: "one or two dashes may be used; they are equivalent";
 * "-flag=false"), and the chart passes `extraEnv`, `container.args` or an `extraObjects` Deployment
 * through as well. So no spelling is looked for: the flag's name anywhere in `values` is refused.
 */
const MULTITENANCY_FLAG_NAME = /no-cross-namespace-refs|default-service-account|no[-_]?cross[-_]?namespace|default[-_]?service[-_]?account/i;
/** What is allowed, said when `values` would override the multi-tenancy flags. */
export const MULTITENANCY_ARGS_RULE =
  'must not mention --no-cross-namespace-refs or --default-service-account anywhere in values with multitenancy on, in any spelling or controller (multitenancy sets them)';

/** Where `values` mentions a multi-tenancy flag, in a key or a string, at any depth (paths below `values`). */
export function multitenancyArgOverrides(values: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown, at: string): void => {
    if (typeof v === 'string') {
      if (MULTITENANCY_FLAG_NAME.test(v)) out.push(at);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${at}[${i}]`));
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) {
        const here = at === '' ? k : `${at}.${k}`;
        if (MULTITENANCY_FLAG_NAME.test(k)) out.push(here);
        else visit(item, here);
      }
    }
  };
  visit(values, '');
  return out;
}

/** What is allowed, said when the selected controllers cannot work together. */
export const COMPONENTS_RULE =
  'must keep source on while kustomize or helm is on: they reconcile artifacts only source-controller produces';

/** True when the selected controllers can work together. */
export function componentsFit(c: FluxComponents): boolean {
  return (c.source ?? true) || !((c.kustomize ?? true) || (c.helm ?? true));
}

/** Flux v2 controllers and CRDs, installed by `helm_release` of the fluxcd-community `flux2` chart. */
export class FluxInstall extends Construct implements IFluxInstallFacts {
  public readonly release: Release;
  public readonly namespace: string;
  public readonly releaseName: string;
  public readonly chartVersion: string;
  public readonly components: Required<FluxComponents>;
  /** The chart values, as synthesized. */
  public readonly values: Readonly<Record<string, unknown>>;
  public readonly sourceControllerArgs: readonly string[];
  public readonly hasSourceControllerIdentity: boolean;
  public readonly hasKustomizeControllerIdentity: boolean;

  constructor(scope: Construct, id: string, props: FluxInstallProps = {}) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const where = `FluxInstall ${this.node.path}`;
    const fail = propErrors(where);
    this.namespace = props.namespace ?? 'flux-system';
    this.chartVersion = props.chartVersion ?? FLUX2_CHART_VERSION;
    if (!isDnsLabel(this.namespace)) {
      throw new Error(`${where}: namespace ${JSON.stringify(this.namespace)} is not an RFC 1123 label (lower-case letters, digits, "-", at most 63)`);
    }
    if (!readsAsYamlText(this.namespace)) {
      // The chart writes the release namespace unquoted: `namespace: 123` would not be a name.
      throw new Error(`${where}: namespace ${JSON.stringify(this.namespace)} is not valid; use a name YAML reads as text, not a number, boolean, null or date`);
    }
    if (isReservedNamespace(this.namespace)) {
      // The chart's NetworkPolicies (templates/policies.yaml) would then deny ingress to every pod of it, CoreDNS included.
      throw new Error(`${where}: namespace ${JSON.stringify(this.namespace)} is not valid; use a namespace of its own, not default or a kube-* namespace`);
    }
    if (!isExactChartVersion(this.chartVersion)) {
      throw new Error(`${where}: chartVersion ${JSON.stringify(this.chartVersion)} is not an exact chart version such as ${FLUX2_CHART_VERSION}; ranges are not allowed, the install must be pinned`);
    }
    const timeout = props.timeoutSeconds ?? 600;
    if (!Number.isInteger(timeout) || timeout <= 0) {
      throw new Error(`${where}: timeoutSeconds ${timeout} must be a positive integer`);
    }
    this.components = {
      source: props.components?.source ?? true,
      kustomize: props.components?.kustomize ?? true,
      helm: props.components?.helm ?? true,
      notification: props.components?.notification ?? true,
      imageAutomation: props.components?.imageAutomation ?? false,
    };
    if (!componentsFit(this.components)) throw new Error(`${where}: components ${COMPONENTS_RULE}`);

    const identity = props.sourceControllerWorkloadIdentity;
    for (const field of ['clientId', 'tenantId'] as const) {
      const value = identity?.[field];
      // A Terraform reference (the client id of an identity the stack makes) is checked by Azure.
      if (value !== undefined && !Token.isUnresolved(value) && !isGuid(value)) {
        throw new Error(`${where}: sourceControllerWorkloadIdentity.${field} ${JSON.stringify(value)} is not a GUID`);
      }
    }
    const kustomizeIdentity = props.kustomizeControllerWorkloadIdentity;
    for (const field of ['clientId', 'tenantId'] as const) {
      const value = kustomizeIdentity?.[field];
      if (value !== undefined && !isGuid(value)) {
        throw new Error(`${where}: kustomizeControllerWorkloadIdentity.${field} ${JSON.stringify(value)} is not a GUID`);
      }
    }
    if (kustomizeIdentity && !this.components.kustomize) {
      throw new Error(`${where}: kustomizeControllerWorkloadIdentity needs components.kustomize, the controller it is for`);
    }
    this.releaseName = props.releaseName ?? 'flux2';
    this.sourceControllerArgs = [...(props.sourceControllerArgs ?? [])];
    this.hasSourceControllerIdentity = identity !== undefined;
    this.hasKustomizeControllerIdentity = kustomizeIdentity !== undefined;

    const ingress = props.webhookReceiverIngress;
    if (ingress && !isDnsHostName(ingress.host)) {
      throw new Error(`${where}: webhookReceiverIngress.host ${JSON.stringify(ingress.host)} is not a DNS host name`);
    }
    if (ingress) {
      // ValidateIngressSpec: ingressClassName and a TLS secretName are object names; ValidateAnnotations: keys are qualified names.
      if (ingress.className !== undefined && !isDnsSubdomain(ingress.className)) fail('webhookReceiverIngress.className', ingress.className, 'name an IngressClass (an RFC 1123 subdomain)');
      if (ingress.tlsSecretName !== undefined && !isDnsSubdomain(ingress.tlsSecretName)) fail('webhookReceiverIngress.tlsSecretName', ingress.tlsSecretName, 'name a Secret (an RFC 1123 subdomain)');
      for (const key of Object.keys(ingress.annotations ?? {})) if (!isQualifiedName(key)) fail('webhookReceiverIngress.annotations key', key, QUALIFIED_NAME_HINT);
    }
    if (ingress && !this.components.notification) {
      throw new Error(`${where}: webhookReceiverIngress needs components.notification, which serves the webhook receiver`);
    }

    if (props.imageRegistry !== undefined && !isImageRegistry(props.imageRegistry)) {
      fail('imageRegistry', props.imageRegistry, 'use a registry host with an optional port and path, without a scheme, e.g. myacr.azurecr.io');
    }
    (props.imagePullSecrets ?? []).forEach((name, i) => {
      if (!isDnsSubdomain(name)) fail(`imagePullSecrets[${i}]`, name, 'name a Secret (an RFC 1123 subdomain)');
    });
    const tenancy = props.multitenancy;
    if (tenancy?.defaultServiceAccount !== undefined && !isDnsSubdomain(tenancy.defaultServiceAccount)) {
      fail('multitenancy.defaultServiceAccount', tenancy.defaultServiceAccount, 'name a ServiceAccount (an RFC 1123 subdomain)');
    }
    const placement = props.placement ?? {};
    for (const key of Object.keys(placement)) {
      if (key !== 'all' && !(FLUX_CONTROLLERS as readonly string[]).includes(key)) fail('placement key', key, `use all or one of ${FLUX_CONTROLLERS.join(', ')}`);
    }
    for (const [key, p] of Object.entries(placement) as [string, Placement][]) {
      for (const [field, value, allowed] of placementProblems(p)) fail(`placement.${key}.${field}`, value, allowed);
    }
    if (props.values !== undefined && !isObject(props.values)) fail('values', props.values, 'use an object of flux2 chart values');
    if (!chartHasCommitStatusExpr(this.chartVersion)) fail('chartVersion', this.chartVersion, `use ${FLUX2_CHART_VERSION}, or ${FIRST_CHART_WITH_COMMIT_STATUS_EXPR} or later (${CHART_VERSION_RULE.replace(/^must be [^:]*: /, '')})`);
    if (!notificationControllerTagFits(props.values)) {
      fail('values.notificationController.tag', (props.values as { notificationController: { tag: string } }).notificationController.tag, `use ${FLUX2_CHART_IMAGES.notification.tag} (the chart's), or v1.6.0 or later but not v1.8.0, which drops commit-status events (fluxcd/notification-controller#1246)`);
    }
    if (tenancy?.enabled) {
      for (const at of multitenancyArgOverrides(props.values)) fail(`values.${at}`, '(a multi-tenancy flag)', 'leave the multi-tenancy flags to multitenancy, which sets them');
    }
    const chartRepository = props.chartRepository ?? FLUX2_CHART_REPOSITORY;
    if (!/^(https|oci):\/\/\S+$/.test(chartRepository)) fail('chartRepository', chartRepository, 'use an https:// Helm repository or an oci:// registry path such as oci://myacr.azurecr.io/helm');
    const user = (props.values ?? {}) as Values;
    const userArgs = (key: string): unknown[] => {
      const args = ((user[key] as Values | undefined)?.container as Values | undefined)?.additionalArgs;
      return Array.isArray(args) ? args : [];
    };

    const all = layerPlacements(props.aksSystemPool ? AKS_SYSTEM_POOL_PLACEMENT : undefined, placement.all);
    const image = (c: FluxController | 'cli'): Values =>
      props.imageRegistry !== undefined ? { image: `${props.imageRegistry}/${FLUX2_CHART_IMAGES[c].path}` } : {};
    const controller = (c: FluxController, create: boolean, extra: Values = {}): Values => ({
      create,
      ...image(c),
      ...placementValues(layerPlacements(all, placement[c]), true),
      ...extra,
    });

    const typed: Values = {
      installCRDs: true,
      crds: { annotations: (props.keepCrds ?? true) ? { 'helm.sh/resource-policy': 'keep' } : {} },
      ...(props.imagePullSecrets?.length && { imagePullSecrets: props.imagePullSecrets.map((name) => ({ name })) }),
      ...(tenancy?.enabled && { multitenancy: { enabled: true, defaultServiceAccount: tenancy.defaultServiceAccount ?? 'default' } }),
      // The pre-install `flux check` Job must be schedulable where the controllers are.
      ...((props.imageRegistry !== undefined || Object.keys(placementValues(all, false)).length > 0) && { cli: { ...image('cli'), ...placementValues(all, false) } }),
      sourceController: controller('source', this.components.source, {
        // Arguments given in `values` are kept, ours added after them.
        container: { additionalArgs: [...userArgs('sourceController'), ...(props.sourceControllerArgs ?? [])] },
        ...(identity && workloadIdentityValues(identity)),
      }),
      kustomizeController: controller('kustomize', this.components.kustomize, kustomizeIdentity ? workloadIdentityValues(kustomizeIdentity) : {}),
      helmController: controller('helm', this.components.helm),
      notificationController: controller('notification', this.components.notification, {
        ...(props.notificationControllerArgs?.length && {
          container: { additionalArgs: [...userArgs('notificationController'), ...props.notificationControllerArgs] },
        }),
        ...(ingress && {
          webhookReceiver: {
            ingress: {
              create: true,
              // The chart writes the class, the TLS Secret and the annotation keys unquoted
              // (templates/notification-controller-ingress.yaml): through chartScalar, the one quoting path.
              ...(ingress.className && { ingressClassName: chartScalar(ingress.className) }),
              annotations: Object.fromEntries(Object.entries(ingress.annotations ?? {}).map(([k, v]) => [chartScalar(k), v])),
              hosts: [{ host: ingress.host, paths: [{ path: '/hook/', pathType: 'Prefix' }] }],
              tls: ingress.tlsSecretName ? [{ secretName: chartScalar(ingress.tlsSecretName), hosts: [ingress.host] }] : [],
            },
          },
        }),
      }),
      imageAutomationController: controller('imageAutomation', this.components.imageAutomation, {
        ...(props.imageAutomationControllerArgs?.length && {
          container: { additionalArgs: [...userArgs('imageAutomationController'), ...props.imageAutomationControllerArgs] },
        }),
      }),
      imageReflectionController: controller('imageReflector', this.components.imageAutomation),
    };
    /** The chart values as synthesized: `values` with the typed settings merged over them. */
    this.values = literalTplValues(mergeValues(user, typed));

    this.release = new Release(this, 'release', {
      name: this.releaseName,
      namespace: this.namespace,
      createNamespace: true,
      // Config text: Terraform must read it as a literal, never as a template.
      repository: chartRepository,
      chart: 'flux2',
      version: this.chartVersion,
      values: [helmValuesJson(this.values)],
      wait: true,
      timeout,
      // A failed upgrade must not leave half-upgraded controllers behind.
      atomic: true,
    });
    FluxStackChecks.addTo(this);
  }
}

/**
 * The flux2 chart values that run one controller under an AKS workload identity: `<controller>.labels`
 * land on the pod template and `<controller>.serviceAccount.annotations` on its ServiceAccount
 * (templates/kustomize-controller.yaml and kustomize-controller-sa.yaml of chart 2.18.3).
 */
function workloadIdentityValues(identity: WorkloadIdentity) {
  return {
    labels: { 'azure.workload.identity/use': 'true' },
    serviceAccount: {
      annotations: {
        'azure.workload.identity/client-id': identity.clientId,
        ...(identity.tenantId && { 'azure.workload.identity/tenant-id': identity.tenantId }),
      },
    },
  };
}
