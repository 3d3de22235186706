import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { CrossNamespaceSourceReference, OCI_PROVIDERS, OCI_REPOSITORY_API_VERSION, OCIRepository, OCIRepositoryRef } from '../flux/api';
import { goDurationProblem, isDnsLabel, isOciRepositoryUrl, isSemverRange, OCI_TAG } from '../flux/formats';
import { FLUX_KUSTOMIZATION_DEFAULTS, FluxKustomization, FluxKustomizationEntry, IFluxSource } from './flux-kustomization';
import { FluxObjectsRelease } from './flux-objects-release';
import { propErrors } from './prop-errors';

/** Props of {@link FluxOciRepository}. */
export interface FluxOciRepositoryProps {
  /** Where the OCIRepository (and its Kustomizations) are delivered. */
  readonly delivery: FluxObjectsRelease;
  /**
   * Name of the OCIRepository.
   * @default - the construct id
   */
  readonly name?: string;
  /** The artifact's repository, `oci://<registry>/<repository>` (e.g. `oci://contoso.azurecr.io/manifests/platform`). */
  readonly url: string;
  /**
   * One of tag, semver or digest.
   * @default - Flux's default, the `latest` tag
   */
  readonly ref?: OCIRepositoryRef;
  /**
   * `azure` logs in to Azure Container Registry with source-controller's workload identity (give it
   * AcrPull on the registry); `generic` uses `secretName` or anonymous access.
   * @default 'generic'
   */
  readonly provider?: (typeof OCI_PROVIDERS)[number];
  /**
   * A docker-registry Secret with the registry credentials; not with provider azure.
   * @default - none
   */
  readonly secretName?: string;
  /**
   * How often the registry is polled.
   * @default '5m'
   */
  readonly interval?: string;
  /**
   * Timeout of registry operations (no hours).
   * @default - Flux's default, 60s
   */
  readonly timeout?: string;
  /**
   * Kustomizations applying paths of the artifact.
   * @default []
   */
  readonly kustomizations?: readonly FluxKustomizationEntry[];
}

const OCI_TAG_PATTERN = new RegExp(OCI_TAG);

/** An OCIRepository (Flux source of OCI artifacts, e.g. in ACR) and the Kustomizations that apply it. */
export class FluxOciRepository extends Construct implements IFluxSource {
  public readonly name: string;
  public readonly namespace: string;
  public readonly ociRepository: OCIRepository;
  public readonly kustomizations: readonly FluxKustomization[];

  constructor(scope: Construct, id: string, props: FluxOciRepositoryProps) {
    super(scope, id);
    const fail = propErrors(`FluxOciRepository ${this.node.path}`);
    this.name = props.name ?? id;
    this.namespace = props.delivery.namespace;
    if (!isDnsLabel(this.name)) fail('name', this.name, 'use an RFC 1123 label (lower-case letters, digits, "-", at most 63)');
    if (!Token.isUnresolved(props.url) && !isOciRepositoryUrl(props.url)) {
      fail('url', props.url, 'use oci://<registry>/<repository> as the OCI distribution spec names them (lower-case path, no tag or digest, at most 255 characters), e.g. oci://contoso.azurecr.io/manifests/platform');
    }
    const provider = props.provider ?? 'generic';
    if (!OCI_PROVIDERS.includes(provider)) fail('provider', provider, `use one of ${OCI_PROVIDERS.join(', ')}`);
    if (provider !== 'generic' && props.secretName !== undefined) fail('secretName', props.secretName, `provider "${provider}" logs in with the controller's identity; leave secretName unset`);
    const ref = props.ref ?? {};
    const refKeys = Object.keys(ref).filter((k) => (ref as Record<string, unknown>)[k] !== undefined);
    if (refKeys.some((k) => !['tag', 'semver', 'digest'].includes(k)) || refKeys.length > 1) fail('ref', ref, 'set one of tag, semver or digest');
    if (ref.tag !== undefined && !OCI_TAG_PATTERN.test(ref.tag)) fail('ref.tag', ref.tag, 'use an OCI tag: up to 128 letters, digits, "_", ".", "-", not starting with "." or "-"');
    if (ref.semver !== undefined && !isSemverRange(ref.semver)) fail('ref.semver', ref.semver, 'use a semver range such as ">=1.0.0 <2.0.0"');
    if (ref.digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(ref.digest)) fail('ref.digest', ref.digest, 'use sha256:<64 hex digits>');
    const interval = props.interval ?? FLUX_KUSTOMIZATION_DEFAULTS.interval;
    if (goDurationProblem(interval)) fail('interval', interval, goDurationProblem(interval)!);
    if (props.timeout !== undefined && goDurationProblem(props.timeout, false)) fail('timeout', props.timeout, goDurationProblem(props.timeout, false)!);

    this.ociRepository = {
      apiVersion: OCI_REPOSITORY_API_VERSION,
      kind: 'OCIRepository',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        url: props.url,
        interval,
        ...(refKeys.length > 0 && { ref: { ...ref } }),
        ...(provider !== 'generic' && { provider }),
        ...(props.secretName !== undefined && { secretRef: { name: props.secretName } }),
        ...(props.timeout !== undefined && { timeout: props.timeout }),
      },
    };
    props.delivery.add(this.ociRepository);
    this.kustomizations = (props.kustomizations ?? []).map((k) => new FluxKustomization(this, k.name, { interval, ...k, delivery: props.delivery, source: this }));
  }

  public get sourceRef(): CrossNamespaceSourceReference {
    return { kind: 'OCIRepository', name: this.name };
  }
}
