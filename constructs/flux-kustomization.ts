import { Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  CrossNamespaceSourceReference,
  CustomHealthCheck,
  Decryption,
  DELETION_POLICIES,
  DeletionPolicy,
  DependencyReference,
  HealthCheckReference,
  KUSTOMIZATION_API_VERSION,
  Kustomization,
  SOURCE_KINDS,
  SubstituteReference,
} from '../flux/api';
import { celParseProblem } from '../flux/cel';
import { goDurationProblem, isDnsLabel, isDnsSubdomain, SUBSTITUTE_NAME } from '../flux/formats';
import { FluxObjectsRelease } from './flux-objects-release';
import { propErrors } from './prop-errors';

const SUBSTITUTE_PATTERN = new RegExp(SUBSTITUTE_NAME);

/** Defaults of {@link FluxKustomizationOptions}, exported so the config schema documents the same values. */
export const FLUX_KUSTOMIZATION_DEFAULTS = {
  interval: '5m',
  path: './',
  prune: true,
  wait: false,
  deletionPolicy: 'Orphan',
} as const;

/** A source a Kustomization can apply: a FluxGitSync, FluxOciRepository, FluxBucket, or your own. */
export interface IFluxSource {
  readonly sourceRef: CrossNamespaceSourceReference;
}

/** What one Kustomization applies and how: everything but its source and delivery. */
export interface FluxKustomizationOptions {
  /**
   * Name of the Kustomization, unique among the Kustomizations of its namespace.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Path of the kustomization inside the source.
   * @default './'
   */
  readonly path?: string;
  /**
   * How often the Kustomization is re-applied.
   * @default '5m' (a FluxGitSync passes its own interval)
   */
  readonly interval?: string;
  /**
   * Timeout of apply, health checks and wait.
   * @default - Flux's default, the interval
   */
  readonly timeout?: string;
  /**
   * Retry interval after a failed reconciliation.
   * @default - the interval
   */
  readonly retryInterval?: string;
  /**
   * Delete objects that were removed from the source.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Wait for every applied object to become ready before the Kustomization reports ready.
   * @default false
   */
  readonly wait?: boolean;
  /**
   * Recreate objects whose immutable fields changed (Flux `force`).
   * @default false
   */
  readonly force?: boolean;
  /**
   * Stop reconciling (the applied objects stay as they are).
   * @default false
   */
  readonly suspend?: boolean;
  /**
   * Namespace every namespaced object of the kustomization is put into.
   * @default - the namespaces in the manifests
   */
  readonly targetNamespace?: string;
  /**
   * Kustomizations that must be ready first: a name (same namespace), a `{ name, namespace }`
   * reference, or a construct with a `name` (FluxKustomization, FluxGitSync).
   * @default []
   */
  readonly dependsOn?: readonly (string | DependencyReference)[];
  /**
   * What happens to the applied workloads when the Kustomization is deleted (for instance by
   * destroying the stack). `Orphan` leaves them running; `MirrorPrune` (Flux's default) deletes them
   * when prune is on; `Delete` always deletes them.
   * @default 'Orphan'
   */
  readonly deletionPolicy?: DeletionPolicy;
  /**
   * Objects whose readiness decides the Kustomization's health.
   * @default []
   */
  readonly healthChecks?: readonly HealthCheckReference[];
  /**
   * CEL health checks for kinds kstatus does not understand (Flux 2.8 needs `kind` in each).
   * @default []
   */
  readonly healthCheckExprs?: readonly CustomHealthCheck[];
  /**
   * Kustomize components to include, relative to `path`.
   * @default []
   */
  readonly components?: readonly string[];
  /**
   * Variables substituted into the manifests (`${var}`), e.g. the cluster name.
   * @default - no substitution
   */
  readonly substitute?: { readonly [name: string]: string };
  /**
   * ConfigMaps and Secrets (in the Kustomization's namespace) whose keys are substituted too;
   * `substitute` wins over them. `optional` ones may be missing.
   * @default []
   */
  readonly substituteFrom?: readonly SubstituteReference[];
  /**
   * Decrypt SOPS-encrypted manifests: with `secretRef`, the keys in that Secret (age, PGP, or cloud
   * credentials); without it, kustomize-controller's own workload identity (Azure Key Vault).
   * @default - no decryption
   */
  readonly decryption?: Decryption;
  /**
   * Service account kustomize-controller impersonates to apply (needed under Flux's multi-tenancy
   * lockdown, where the default is the namespace's rights-less default service account).
   * @default - kustomize-controller's own
   */
  readonly serviceAccountName?: string;
}

/** One of several Kustomizations of a source; its name is required. */
export interface FluxKustomizationEntry extends FluxKustomizationOptions {
  readonly name: string;
}

/** Props of {@link FluxKustomization}: where it is delivered, what it applies, and its settings. */
export interface FluxKustomizationProps extends FluxKustomizationOptions {
  /** Where the Kustomization is delivered (and with it, its namespace). */
  readonly delivery: FluxObjectsRelease;
  /** What it applies: a source construct or a reference to a source object. */
  readonly source: IFluxSource | CrossNamespaceSourceReference;
}

/** Validates `options` as Kustomization settings; returns them as a spec without its source. */
function kustomizationSpec(options: FluxKustomizationOptions, name: string, namespace: string, sourceRef: CrossNamespaceSourceReference, fail: ReturnType<typeof propErrors>): Kustomization['spec'] {
  const interval = options.interval ?? FLUX_KUSTOMIZATION_DEFAULTS.interval;
  for (const [field, value] of [['interval', interval], ['timeout', options.timeout], ['retryInterval', options.retryInterval]] as const) {
    if (value !== undefined && goDurationProblem(value)) fail(field, value, goDurationProblem(value)!);
  }
  if (options.targetNamespace !== undefined && !isDnsLabel(options.targetNamespace)) fail('targetNamespace', options.targetNamespace, 'use an RFC 1123 label');
  if (options.serviceAccountName !== undefined && !isDnsSubdomain(options.serviceAccountName)) fail('serviceAccountName', options.serviceAccountName, 'name a service account (an RFC 1123 name)');
  const deletionPolicy = options.deletionPolicy ?? FLUX_KUSTOMIZATION_DEFAULTS.deletionPolicy;
  if (!DELETION_POLICIES.includes(deletionPolicy)) fail('deletionPolicy', deletionPolicy, `use one of ${DELETION_POLICIES.join(', ')}`);
  const path = options.path ?? FLUX_KUSTOMIZATION_DEFAULTS.path;
  const badPath = (p: string): boolean => p.trim() === '' || /\s/.test(p) || p.split('/').includes('..');
  if (badPath(path)) fail('path', path, 'use a path inside the source such as ./clusters/prod');
  (options.components ?? []).forEach((c, i) => {
    // Components are relative to `path` and may climb out of it, but not out of the source.
    if (c.trim() === '' || /\s/.test(c)) fail(`components[${i}]`, c, 'use a path such as ../components/monitoring');
  });
  for (const key of Object.keys(options.substitute ?? {})) {
    if (!SUBSTITUTE_PATTERN.test(key)) fail('substitute key', key, 'use a variable name: letters, digits and _, not starting with a digit');
  }
  (options.substituteFrom ?? []).forEach((s, i) => {
    if (s.kind !== 'ConfigMap' && s.kind !== 'Secret') fail(`substituteFrom[${i}].kind`, s.kind, 'use "ConfigMap" or "Secret"');
    if (!isDnsSubdomain(s.name)) fail(`substituteFrom[${i}].name`, s.name, 'name a ConfigMap or Secret (an RFC 1123 name)');
  });
  (options.healthCheckExprs ?? []).forEach((h, i) => {
    for (const field of ['apiVersion', 'kind', 'current'] as const) {
      if (typeof h[field] !== 'string' || h[field].trim() === '') fail(`healthCheckExprs[${i}].${field}`, h[field], 'use a non-empty string (Flux 2.8 requires apiVersion, kind and current)');
    }
    for (const field of ['current', 'inProgress', 'failed'] as const) {
      const problem = typeof h[field] === 'string' && !Token.isUnresolved(h[field]) ? celParseProblem(h[field]) : undefined;
      if (problem) fail(`healthCheckExprs[${i}].${field}`, h[field], `write CEL that parses (kustomize-controller parses it the same way): ${problem}`);
    }
  });
  (options.healthChecks ?? []).forEach((h, i) => {
    if (!h.kind || !h.name) fail(`healthChecks[${i}]`, h, 'give at least kind and name');
  });
  const decryption = options.decryption;
  if (decryption !== undefined) {
    if (decryption.provider !== 'sops') fail('decryption.provider', decryption.provider, 'use "sops", the only provider Flux has');
    if (decryption.secretRef !== undefined && !isDnsSubdomain(decryption.secretRef.name)) fail('decryption.secretRef.name', decryption.secretRef.name, 'name a Secret (an RFC 1123 name)');
  }
  const dependsOn: DependencyReference[] = (options.dependsOn ?? []).map((d) =>
    // A namespace is written only when it is another one: same-namespace references stay short.
    typeof d === 'string' ? { name: d } : { name: d.name, ...(d.namespace !== undefined && d.namespace !== namespace && { namespace: d.namespace }) },
  );
  dependsOn.forEach((d, i) => {
    if (!isDnsLabel(d.name)) fail(`dependsOn[${i}]`, d.name, 'name a Kustomization (an RFC 1123 label)');
    if (d.name === name && d.namespace === undefined) fail(`dependsOn[${i}]`, d.name, 'a Kustomization cannot depend on itself');
    if (d.namespace !== undefined && !isDnsLabel(d.namespace)) fail(`dependsOn[${i}].namespace`, d.namespace, 'use an RFC 1123 label');
  });
  const substitute = options.substitute && Object.keys(options.substitute).length > 0 ? { substitute: { ...options.substitute } } : {};
  const substituteFrom = options.substituteFrom?.length
    ? { substituteFrom: options.substituteFrom.map((s) => ({ kind: s.kind, name: s.name, ...(s.optional !== undefined && { optional: s.optional }) })) }
    : {};
  // The order of the fields FluxGitSync emitted before is kept: the release values are a string, and
  // reordering it would show every existing deployment a diff.
  return {
    interval,
    path,
    prune: options.prune ?? FLUX_KUSTOMIZATION_DEFAULTS.prune,
    wait: options.wait ?? FLUX_KUSTOMIZATION_DEFAULTS.wait,
    sourceRef: { ...sourceRef },
    deletionPolicy,
    ...(options.timeout !== undefined && { timeout: options.timeout }),
    ...(options.retryInterval !== undefined && { retryInterval: options.retryInterval }),
    ...(dependsOn.length > 0 && { dependsOn }),
    ...(options.targetNamespace !== undefined && { targetNamespace: options.targetNamespace }),
    ...(options.serviceAccountName !== undefined && { serviceAccountName: options.serviceAccountName }),
    ...(options.healthChecks?.length && { healthChecks: options.healthChecks.map((h) => ({ ...h })) }),
    ...((substitute.substitute || substituteFrom.substituteFrom) && { postBuild: { ...substitute, ...substituteFrom } }),
    ...(options.force !== undefined && { force: options.force }),
    ...(options.suspend !== undefined && { suspend: options.suspend }),
    ...(options.healthCheckExprs?.length && { healthCheckExprs: options.healthCheckExprs.map((h) => ({ ...h })) }),
    ...(options.components?.length && { components: [...options.components] }),
    ...(decryption !== undefined && { decryption: { provider: decryption.provider, ...(decryption.secretRef && { secretRef: { name: decryption.secretRef.name } }) } }),
  };
}

/**
 * One Flux Kustomization: applies a path of a source (git repository, OCI artifact, bucket). A source
 * may have several, each with its own path, interval, dependencies, health checks and decryption.
 */
export class FluxKustomization extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly kustomization: Kustomization;

  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id);
    const fail = propErrors(`FluxKustomization ${this.node.path}`);
    this.name = props.name ?? id;
    this.namespace = props.delivery.namespace;
    if (!isDnsLabel(this.name)) fail('name', this.name, 'use an RFC 1123 label (lower-case letters, digits, "-", at most 63)');
    const sourceRef = 'sourceRef' in props.source ? props.source.sourceRef : props.source;
    if (!SOURCE_KINDS.includes(sourceRef.kind)) fail('source.kind', sourceRef.kind, `use one of ${SOURCE_KINDS.join(', ')}`);
    if (!Token.isUnresolved(sourceRef.name) && !isDnsSubdomain(sourceRef.name)) fail('source.name', sourceRef.name, 'name a source object (an RFC 1123 name)');
    this.kustomization = {
      apiVersion: KUSTOMIZATION_API_VERSION,
      kind: 'Kustomization',
      metadata: { name: this.name, namespace: this.namespace },
      spec: kustomizationSpec(props, this.name, this.namespace, sourceRef, fail),
    };
    props.delivery.add(this.kustomization);
  }
}
