import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { isDnsHostName, isDnsLabel, isExactChartVersion, isGuid } from '../flux/formats';
import { helmValuesJson } from './helm-values';
import { LiteralStrings } from './literal-strings';

/** fluxcd-community `flux2` chart 2.18.3 installs Flux 2.8.5. */
export const FLUX2_CHART_VERSION = '2.18.3';
export const FLUX2_CHART_REPOSITORY = 'https://fluxcd-community.github.io/helm-charts';

/** The pod labels of notification-controller in the flux2 chart (templates/notification-controller.yaml, spec.template.metadata.labels). */
export const NOTIFICATION_CONTROLLER_POD_LABELS = { app: 'notification-controller' } as const;

/**
 * Azure DevOps' SSH server offers only RSA host keys with SHA-2 signatures; Flux's Azure DevOps guide
 * has source-controller restrict the host key algorithms accordingly.
 */
export const AZURE_DEVOPS_SSH_HOSTKEY_ALGOS_ARG = '--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256';

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
   * Helm repository of the chart (a mirror, for air-gapped clusters).
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
}

/** Why source-controller cannot be left out alone; shared with the config schema. */
export const COMPONENTS_RULE =
  'must keep source on while kustomize or helm is on: they reconcile artifacts only source-controller produces';

/** True when the selected controllers can work together. */
export function componentsFit(c: FluxComponents): boolean {
  return (c.source ?? true) || !((c.kustomize ?? true) || (c.helm ?? true));
}

/** Flux v2 controllers and CRDs, installed by `helm_release` of the fluxcd-community `flux2` chart. */
export class FluxInstall extends Construct {
  public readonly release: Release;
  public readonly namespace: string;
  public readonly chartVersion: string;
  public readonly components: Required<FluxComponents>;

  constructor(scope: Construct, id: string, props: FluxInstallProps = {}) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const where = `FluxInstall ${this.node.path}`;
    this.namespace = props.namespace ?? 'flux-system';
    this.chartVersion = props.chartVersion ?? FLUX2_CHART_VERSION;
    if (!isDnsLabel(this.namespace)) {
      throw new Error(`${where}: namespace ${JSON.stringify(this.namespace)} is not an RFC 1123 label (lower-case letters, digits, "-", at most 63)`);
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
      if (value !== undefined && !isGuid(value)) {
        throw new Error(`${where}: sourceControllerWorkloadIdentity.${field} ${JSON.stringify(value)} is not a GUID`);
      }
    }

    const ingress = props.webhookReceiverIngress;
    if (ingress && !isDnsHostName(ingress.host)) {
      throw new Error(`${where}: webhookReceiverIngress.host ${JSON.stringify(ingress.host)} is not a DNS host name`);
    }
    if (ingress && !this.components.notification) {
      throw new Error(`${where}: webhookReceiverIngress needs components.notification, which serves the webhook receiver`);
    }

    const values = {
      installCRDs: true,
      crds: { annotations: (props.keepCrds ?? true) ? { 'helm.sh/resource-policy': 'keep' } : {} },
      sourceController: {
        create: this.components.source,
        container: { additionalArgs: [...(props.sourceControllerArgs ?? [])] },
        ...(identity && {
          labels: { 'azure.workload.identity/use': 'true' },
          serviceAccount: {
            annotations: {
              'azure.workload.identity/client-id': identity.clientId,
              ...(identity.tenantId && { 'azure.workload.identity/tenant-id': identity.tenantId }),
            },
          },
        }),
      },
      kustomizeController: { create: this.components.kustomize },
      helmController: { create: this.components.helm },
      notificationController: {
        create: this.components.notification,
        ...(ingress && {
          webhookReceiver: {
            ingress: {
              create: true,
              ...(ingress.className && { ingressClassName: ingress.className }),
              annotations: { ...(ingress.annotations ?? {}) },
              hosts: [{ host: ingress.host, paths: [{ path: '/hook/', pathType: 'Prefix' }] }],
              tls: ingress.tlsSecretName ? [{ secretName: ingress.tlsSecretName, hosts: [ingress.host] }] : [],
            },
          },
        }),
      },
      imageAutomationController: { create: this.components.imageAutomation },
      imageReflectionController: { create: this.components.imageAutomation },
    };

    this.release = new Release(this, 'release', {
      name: props.releaseName ?? 'flux2',
      namespace: this.namespace,
      createNamespace: true,
      repository: props.chartRepository ?? FLUX2_CHART_REPOSITORY,
      chart: 'flux2',
      version: this.chartVersion,
      values: [helmValuesJson(values)],
      wait: true,
      timeout,
      // A failed upgrade must not leave half-upgraded controllers behind.
      atomic: true,
    });
  }
}
