/**
 * The rules of the Flux CRDs (Flux 2.8.5: source-controller v1.8.2, kustomize-controller v1.8.3,
 * notification-controller v1.8.3) restated for the fields this project can emit: types, required
 * fields, patterns, enums, lengths, and the CEL rules as `rules`. Fields the CRDs accept that are
 * not listed here are rejected on purpose: an object we emit must use only fields we have checked.
 *
 * `__tests__/crd-rules.test.ts` compares every node here with the real CRD schema when
 * `../shared/reference/flux-crds` is present, so a drift between this file and Flux is caught.
 */
import {
  BUCKET_API_VERSION,
  BUCKET_PROVIDERS,
  COMMIT_STATUS_PROVIDER_TYPES,
  FLUX_API_GROUP,
  OCI_PROVIDERS,
  OCI_REPOSITORY_API_VERSION,
  DELETION_POLICIES,
  EVENT_SOURCE_KINDS,
  GIT_REPOSITORY_API_VERSION,
  KUSTOMIZATION_API_VERSION,
  NOTIFICATION_API_VERSION,
  PROVIDER_TYPES,
  RECEIVER_API_VERSION,
  RECEIVER_TYPES,
  SOURCE_KINDS,
} from './api';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, DURATION_HINT, DURATION_NO_HOURS_HINT, GO_DURATION, GO_DURATION_NO_HOURS, templateSequenceStarts } from './formats';
import { SchemaNode, ValidateOptions, Violation, validate } from './schema';

const str: SchemaNode = { type: 'string' };
const bool: SchemaNode = { type: 'boolean' };
const duration: SchemaNode = { type: 'string', pattern: GO_DURATION, format: DURATION_HINT };
const durationNoHours: SchemaNode = { type: 'string', pattern: GO_DURATION_NO_HOURS, format: DURATION_NO_HOURS_HINT };
const stringMap: SchemaNode = { type: 'object', additionalProperties: { type: 'string' } };
const localRef: SchemaNode = { type: 'object', required: ['name'], properties: { name: str } };


/** `CrossNamespaceObjectReference` of notification-controller (Alert event sources, Receiver resources). */
const crossNamespaceObjectRef: SchemaNode = {
  type: 'object',
  required: ['kind', 'name'],
  properties: {
    apiVersion: str,
    kind: { type: 'string', enum: EVENT_SOURCE_KINDS },
    matchLabels: stringMap,
    name: { type: 'string', minLength: 1, maxLength: 253 },
    namespace: { type: 'string', minLength: 1, maxLength: 253 },
  },
};

/** The CRD rules of a GitRepository spec. */
export const gitRepositorySpec: SchemaNode = {
  type: 'object',
  required: ['interval', 'url'],
  properties: {
    url: { type: 'string', pattern: '^(http|https|ssh)://.*$', format: 'an http://, https:// or ssh:// URL' },
    interval: duration,
    timeout: durationNoHours,
    ref: {
      type: 'object',
      properties: { branch: str, commit: str, name: str, semver: str, tag: str },
    },
    secretRef: localRef,
    provider: { type: 'string', enum: ['generic', 'azure', 'github'] },
    serviceAccountName: str,
    suspend: bool,
    ignore: str,
    recurseSubmodules: bool,
    sparseCheckout: { type: 'array', items: str },
    proxySecretRef: localRef,
  },
  rules: [
    {
      // CEL: !has(self.serviceAccountName) || (has(self.provider) && self.provider == 'azure')
      message: 'serviceAccountName may only be set when provider is "azure"',
      check: (s) => s.serviceAccountName === undefined || s.provider === 'azure',
    },
  ],
};

/*
 * OCIRepository and Bucket: restated from fluxcd/source-controller v1.8.2 (the release of Flux 2.8.5),
 * config/crd/bases/source.toolkit.fluxcd.io_ocirepositories.yaml and
 * config/crd/bases/source.toolkit.fluxcd.io_buckets.yaml, version v1. Those two CRDs are not in
 * ../shared/reference, so the drift test cannot read them: re-read those files when the pin moves.
 */
/** The CRD rules of an OCIRepository spec. */
export const ociRepositorySpec: SchemaNode = {
  type: 'object',
  required: ['interval', 'url'],
  properties: {
    url: { type: 'string', pattern: '^oci://.*$', format: 'an oci:// URL' },
    interval: duration,
    // default 60s in the CRD
    timeout: durationNoHours,
    // The CRD has no one-of rule here: digest wins over semver, semver over tag (OCIRepositoryRef docs).
    ref: { type: 'object', properties: { digest: str, semver: str, tag: str } },
    // default generic in the CRD
    provider: { type: 'string', enum: OCI_PROVIDERS },
    secretRef: localRef,
    serviceAccountName: str,
    ignore: str,
    suspend: bool,
  },
};

/** The CRD rules of a Bucket spec. */
export const bucketSpec: SchemaNode = {
  type: 'object',
  required: ['bucketName', 'endpoint', 'interval'],
  properties: {
    bucketName: str,
    endpoint: str,
    interval: duration,
    timeout: durationNoHours,
    // default generic in the CRD
    provider: { type: 'string', enum: BUCKET_PROVIDERS },
    prefix: str,
    region: str,
    secretRef: localRef,
    serviceAccountName: str,
    ignore: str,
    suspend: bool,
  },
  rules: [
    {
      // CEL: self.provider != 'generic' || !has(self.serviceAccountName)   (provider defaults to generic)
      message: 'serviceAccountName is not supported for the "generic" Bucket provider',
      check: (s) => (s.provider ?? 'generic') !== 'generic' || s.serviceAccountName === undefined,
    },
    {
      // CEL: !has(self.secretRef) || !has(self.serviceAccountName)
      message: 'cannot set both secretRef and serviceAccountName',
      check: (s) => s.secretRef === undefined || s.serviceAccountName === undefined,
    },
    // The CRD's five other rules concern spec.sts, which is not restated and so never emitted.
  ],
};

/** The CRD rules of a Kustomization spec. */
export const kustomizationSpec: SchemaNode = {
  type: 'object',
  required: ['interval', 'prune', 'sourceRef'],
  properties: {
    interval: duration,
    retryInterval: duration,
    timeout: duration,
    path: str,
    prune: bool,
    wait: bool,
    force: bool,
    suspend: bool,
    targetNamespace: { type: 'string', minLength: 1, maxLength: 63 },
    serviceAccountName: str,
    deletionPolicy: { type: 'string', enum: DELETION_POLICIES },
    dependsOn: {
      type: 'array',
      items: { type: 'object', required: ['name'], properties: { name: str, namespace: str } },
    },
    sourceRef: {
      type: 'object',
      required: ['kind', 'name'],
      properties: {
        apiVersion: str,
        kind: { type: 'string', enum: SOURCE_KINDS },
        name: str,
        namespace: str,
      },
    },
    healthChecks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'name'],
        properties: { apiVersion: str, kind: str, name: str, namespace: str },
      },
    },
    // Flux 2.8 requires kind here; 2.9 drops it. Emitted with kind, so valid on both.
    healthCheckExprs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['apiVersion', 'current', 'kind'],
        properties: { apiVersion: str, kind: str, current: str, inProgress: str, failed: str },
      },
    },
    components: { type: 'array', items: str },
    decryption: {
      type: 'object',
      required: ['provider'],
      properties: { provider: { type: 'string', enum: ['sops'] }, secretRef: localRef },
    },
    postBuild: {
      type: 'object',
      properties: {
        substitute: stringMap,
        substituteFrom: {
          type: 'array',
          items: {
            type: 'object',
            required: ['kind', 'name'],
            properties: {
              kind: { type: 'string', enum: ['Secret', 'ConfigMap'] },
              name: { type: 'string', minLength: 1, maxLength: 253 },
              optional: bool,
            },
          },
        },
      },
    },
  },
};

/** The CRD rules of an Alert spec. */
export const alertSpec: SchemaNode = {
  type: 'object',
  required: ['eventSources', 'providerRef'],
  properties: {
    providerRef: localRef,
    eventSources: { type: 'array', items: crossNamespaceObjectRef },
    eventSeverity: { type: 'string', enum: ['info', 'error'] },
    eventMetadata: stringMap,
    inclusionList: { type: 'array', items: str },
    exclusionList: { type: 'array', items: str },
    summary: { type: 'string', maxLength: 255 },
    suspend: bool,
  },
};


/** The CRD rules of a Provider spec. */
export const providerSpec: SchemaNode = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string', enum: PROVIDER_TYPES },
    address: { type: 'string', maxLength: 2048 },
    channel: { type: 'string', maxLength: 2048 },
    username: { type: 'string', maxLength: 2048 },
    secretRef: localRef,
    certSecretRef: localRef,
    proxy: { type: 'string', pattern: '^(http|https)://.*$', maxLength: 2048 },
    timeout: durationNoHours,
    interval: duration,
    suspend: bool,
    commitStatusExpr: str,
    serviceAccountName: str,
  },
  rules: [
    {
      message: `commitStatusExpr may only be set for the commit-status types ${COMMIT_STATUS_PROVIDER_TYPES.join(', ')}`,
      check: (s) => s.commitStatusExpr === undefined || COMMIT_STATUS_PROVIDER_TYPES.includes(s.type),
    },
  ],
};


/** The CRD rules of a Receiver spec. */
export const receiverSpec: SchemaNode = {
  type: 'object',
  required: ['resources', 'type'],
  properties: {
    type: { type: 'string', enum: RECEIVER_TYPES },
    events: { type: 'array', items: str },
    resources: { type: 'array', items: crossNamespaceObjectRef },
    secretRef: localRef,
    interval: duration,
    suspend: bool,
    resourceFilter: str,
  },
  rules: [
    {
      // CEL: self.type == 'generic-oidc' || has(self.secretRef)
      message: 'secretRef is required unless type is "generic-oidc"',
      check: (s) => s.type === 'generic-oidc' || s.secretRef !== undefined,
    },
  ],
};

function objectSchema(apiVersion: string, kind: string, spec: SchemaNode, nameMaxLength: number): SchemaNode {
  return {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { type: 'string', enum: [apiVersion] },
      kind: { type: 'string', enum: [kind] },
      metadata: {
        type: 'object',
        required: ['name', 'namespace'],
        properties: {
          // The API server checks ObjectMeta outside the CRD schema: names are RFC 1123 subdomains.
          name: { type: 'string', pattern: DNS1123_SUBDOMAIN, maxLength: nameMaxLength, format: 'an RFC 1123 name' },
          namespace: { type: 'string', pattern: DNS1123_LABEL, maxLength: 63, format: 'an RFC 1123 label' },
          labels: stringMap,
          annotations: stringMap,
        },
      },
      spec,
    },
  };
}

/** The schema of each Flux kind the project emits, keyed by `apiVersion/kind`. */
export const FLUX_OBJECT_SCHEMAS: { readonly [apiVersionKind: string]: SchemaNode } = {
  [`${GIT_REPOSITORY_API_VERSION}/GitRepository`]: objectSchema(GIT_REPOSITORY_API_VERSION, 'GitRepository', gitRepositorySpec, 253),
  [`${OCI_REPOSITORY_API_VERSION}/OCIRepository`]: objectSchema(OCI_REPOSITORY_API_VERSION, 'OCIRepository', ociRepositorySpec, 253),
  [`${BUCKET_API_VERSION}/Bucket`]: objectSchema(BUCKET_API_VERSION, 'Bucket', bucketSpec, 253),
  // kustomize-controller stamps the Kustomization name into a label of every object it applies,
  // and label values are limited to 63 characters.
  [`${KUSTOMIZATION_API_VERSION}/Kustomization`]: objectSchema(KUSTOMIZATION_API_VERSION, 'Kustomization', kustomizationSpec, 63),
  [`${NOTIFICATION_API_VERSION}/Alert`]: objectSchema(NOTIFICATION_API_VERSION, 'Alert', alertSpec, 253),
  [`${NOTIFICATION_API_VERSION}/Provider`]: objectSchema(NOTIFICATION_API_VERSION, 'Provider', providerSpec, 253),
  [`${RECEIVER_API_VERSION}/Receiver`]: objectSchema(RECEIVER_API_VERSION, 'Receiver', receiverSpec, 253),
};

/** Metadata rules of any object, for Flux kinds whose spec is not restated here. */
const anyFluxObjectSchema: SchemaNode = (() => {
  const base = objectSchema('', '', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, 253);
  return {
    ...base,
    required: ['apiVersion', 'kind', 'metadata'],
    properties: {
      ...base.properties,
      apiVersion: { type: 'string', pattern: '^[a-z]+\\.toolkit\\.fluxcd\\.io/v[0-9a-z]+$', format: 'a Flux API version such as helm.toolkit.fluxcd.io/v2' },
      kind: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$', format: 'a kind such as HelmRelease' },
    },
  };
})();

/** The kinds whose rules are restated, and the API version they are checked at. */
export const RESTATED_KINDS: { readonly [kind: string]: string } = Object.fromEntries(
  Object.keys(FLUX_OBJECT_SCHEMAS).map((key) => [key.slice(key.lastIndexOf('/') + 1), key.slice(0, key.lastIndexOf('/'))]),
);

/**
 * Checks one object against the rules of its CRD. A Flux kind whose rules are not restated here
 * (HelmRelease, ImagePolicy, ...) has its metadata and API group checked only; a restated kind at
 * another version, or an object of no Flux group, is refused. Values unknown until apply are skipped
 * by the string checks: by default cdktf tokens and, in synthesized JSON, Terraform interpolations (an
 * unescaped `${`: config text is escaped to `$${` there, so these are the project's own references).
 */
export function checkFluxObject(object: unknown, options: ValidateOptions = { isUnresolved: (s) => s.includes('${TfToken[') || templateSequenceStarts(s).length > 0 }): Violation[] {
  const o = object as { apiVersion?: unknown; kind?: unknown } | null;
  const key = `${o?.apiVersion}/${o?.kind}`;
  const schema = FLUX_OBJECT_SCHEMAS[key];
  if (schema) return validate(schema, object, '', options);
  const kind = typeof o?.kind === 'string' ? o.kind : '';
  if (Object.prototype.hasOwnProperty.call(RESTATED_KINDS, kind)) {
    return [{ path: 'apiVersion', value: o?.apiVersion, message: `must be ${RESTATED_KINDS[kind]} for ${kind}, the version Flux 2.8 serves and this project checks` }];
  }
  const group = typeof o?.apiVersion === 'string' ? o.apiVersion.split('/')[0] : '';
  if (!FLUX_API_GROUP.test(group)) {
    return [{ path: 'apiVersion', value: o?.apiVersion, message: 'is not a Flux API group (<name>.toolkit.fluxcd.io); a FluxObjectsRelease carries Flux objects only' }];
  }
  return validate(anyFluxObjectSchema, object, '', options);
}
