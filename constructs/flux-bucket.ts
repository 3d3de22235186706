import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Bucket, BUCKET_API_VERSION, BUCKET_PROVIDERS, CrossNamespaceSourceReference } from '../flux/api';
import { goDurationProblem, isDnsLabel } from '../flux/formats';
import { FLUX_KUSTOMIZATION_DEFAULTS, FluxKustomization, FluxKustomizationEntry, IFluxSource } from './flux-kustomization';
import { FluxObjectsRelease } from './flux-objects-release';
import { propErrors } from './prop-errors';

/** Props of {@link FluxBucket}. */
export interface FluxBucketProps {
  /** Where the Bucket (and its Kustomizations) are delivered. */
  readonly delivery: FluxObjectsRelease;
  /**
   * Name of the Bucket object.
   * @default - the construct id
   */
  readonly name?: string;
  /** The bucket; for Azure Blob Storage, the container name. */
  readonly bucketName: string;
  /** The storage endpoint; for Azure, `https://<account>.blob.core.windows.net`. */
  readonly endpoint: string;
  /**
   * `azure` reads Azure Blob Storage with source-controller's workload identity (give it Storage Blob
   * Data Reader); `generic` is any S3-compatible store, with `secretName`.
   * @default 'azure'
   */
  readonly provider?: (typeof BUCKET_PROVIDERS)[number];
  /**
   * Only objects under this prefix are fetched.
   * @default - the whole bucket
   */
  readonly prefix?: string;
  /**
   * Secret with the store's credentials.
   * @default - none (the controller's identity with provider azure)
   */
  readonly secretName?: string;
  /**
   * How often the bucket is read.
   * @default '5m'
   */
  readonly interval?: string;
  /**
   * Timeout of bucket operations (no hours).
   * @default - Flux's default, 60s
   */
  readonly timeout?: string;
  /**
   * Kustomizations applying paths of the bucket.
   * @default []
   */
  readonly kustomizations?: readonly FluxKustomizationEntry[];
}

/** Azure Blob container names: 3-63 lower-case letters, digits and single dashes. */
export const AZURE_CONTAINER = /^(?=.{3,63}$)[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$/;
/**
 * An Azure Blob Storage endpoint, `https://<account>.blob.<suffix>`, the suffix one of Azure's clouds:
 * core.windows.net (learn.microsoft.com, "Storage account overview", Standard endpoints),
 * core.chinacloudapi.cn (Azure China 21Vianet developer guide) and core.usgovcloudapi.net (Azure
 * Government developer guide). Nothing else: source-controller sends its workload-identity token to
 * the endpoint of a Bucket with provider azure.
 */
export const AZURE_BLOB_ENDPOINT = /^https:\/\/[a-z0-9]{3,24}\.blob\.core\.(windows\.net|chinacloudapi\.cn|usgovcloudapi\.net)\/?$/;
/** What an Azure Bucket endpoint must look like, said when it does not. */
export const AZURE_BLOB_ENDPOINT_HINT =
  'use https://<account>.blob.core.windows.net (or blob.core.chinacloudapi.cn, blob.core.usgovcloudapi.net): source-controller sends its Azure token to this host';

/** A Flux Bucket source (Azure Blob Storage by default) and the Kustomizations that apply it. */
export class FluxBucket extends Construct implements IFluxSource {
  public readonly name: string;
  public readonly namespace: string;
  public readonly bucket: Bucket;
  public readonly kustomizations: readonly FluxKustomization[];

  constructor(scope: Construct, id: string, props: FluxBucketProps) {
    super(scope, id);
    const fail = propErrors(`FluxBucket ${this.node.path}`);
    this.name = props.name ?? id;
    this.namespace = props.delivery.namespace;
    if (!isDnsLabel(this.name)) fail('name', this.name, 'use an RFC 1123 label (lower-case letters, digits, "-", at most 63)');
    const provider = props.provider ?? 'azure';
    if (!BUCKET_PROVIDERS.includes(provider)) fail('provider', provider, `use one of ${BUCKET_PROVIDERS.join(', ')}`);
    if (provider === 'azure') {
      if (!Token.isUnresolved(props.bucketName) && !AZURE_CONTAINER.test(props.bucketName)) fail('bucketName', props.bucketName, 'use an Azure Blob container name (3-63 lower-case letters, digits and single "-")');
      if (!Token.isUnresolved(props.endpoint) && !AZURE_BLOB_ENDPOINT.test(props.endpoint)) fail('endpoint', props.endpoint, AZURE_BLOB_ENDPOINT_HINT);
    } else {
      if (props.bucketName.trim() === '') fail('bucketName', props.bucketName, 'use the bucket name');
      if (props.endpoint.trim() === '') fail('endpoint', props.endpoint, 'use the store host, e.g. minio.example.com:9000');
    }
    const interval = props.interval ?? FLUX_KUSTOMIZATION_DEFAULTS.interval;
    if (goDurationProblem(interval)) fail('interval', interval, goDurationProblem(interval)!);
    if (props.timeout !== undefined && goDurationProblem(props.timeout, false)) fail('timeout', props.timeout, goDurationProblem(props.timeout, false)!);

    this.bucket = {
      apiVersion: BUCKET_API_VERSION,
      kind: 'Bucket',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        bucketName: props.bucketName,
        endpoint: props.endpoint,
        interval,
        provider,
        ...(props.prefix !== undefined && { prefix: props.prefix }),
        ...(props.secretName !== undefined && { secretRef: { name: props.secretName } }),
        ...(props.timeout !== undefined && { timeout: props.timeout }),
      },
    };
    props.delivery.add(this.bucket);
    this.kustomizations = (props.kustomizations ?? []).map((k) => new FluxKustomization(this, k.name, { interval, ...k, delivery: props.delivery, source: this }));
  }

  public get sourceRef(): CrossNamespaceSourceReference {
    return { kind: 'Bucket', name: this.name };
  }
}
