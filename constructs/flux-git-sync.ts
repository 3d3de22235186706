import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { LiteralStrings } from './literal-strings';
import { GitTransport, normaliseGitUrl } from '../azure-devops/urls';
import { CrossNamespaceSourceReference, GIT_REPOSITORY_API_VERSION, GitRepository, GitRepositoryRef, Kustomization } from '../flux/api';
import { goDurationProblem, isDnsLabel, isGitRefName } from '../flux/formats';
import { FLUX_KUSTOMIZATION_DEFAULTS, FluxKustomization, FluxKustomizationEntry, FluxKustomizationOptions, IFluxSource } from './flux-kustomization';
import { FluxObjectsRelease } from './flux-objects-release';
import { propErrors } from './prop-errors';

const REF_KEYS = ['branch', 'tag', 'semver', 'name', 'commit'] as const;

/** The props of the short form's one Kustomization, refused beside `kustomizations`. */
const KUSTOMIZATION_FIELDS = [
  'path', 'timeout', 'retryInterval', 'prune', 'wait', 'force', 'suspend', 'dependsOn', 'targetNamespace', 'deletionPolicy',
  'healthChecks', 'healthCheckExprs', 'components', 'substitute', 'substituteFrom', 'decryption',
] as const;

/** Defaults of {@link FluxGitSyncProps}, exported so the config schema documents the same values. */
export const FLUX_GIT_SYNC_DEFAULTS = {
  ref: { branch: 'main' },
  ...FLUX_KUSTOMIZATION_DEFAULTS,
} as const;

/** Props of {@link FluxGitSync}: the GitRepository, and its Kustomization settings (or several in `kustomizations`). */
export interface FluxGitSyncProps extends Omit<FluxKustomizationOptions, 'name' | 'dependsOn' | 'serviceAccountName'> {
  /** Where the GitRepository and Kustomization are delivered (and with it, their namespace). */
  readonly delivery: FluxObjectsRelease;
  /**
   * Repository URL. Azure Repos URLs may be given in any form Azure DevOps shows
   * (`git@ssh.dev.azure.com:v3/org/project/repo`, `https://dev.azure.com/org/project/_git/repo`,
   * `ssh://...`) and are rewritten to the form the transport needs; a Terraform reference is used as is.
   */
  readonly url: string;
  /**
   * How Flux reaches git: `ssh` with a key Secret, or `https` (a PAT Secret, or `provider: 'azure'`).
   * @default - 'https' when provider is 'azure', otherwise 'ssh'
   */
  readonly transport?: GitTransport;
  /**
   * Name of the GitRepository and, in the short form, of its one Kustomization.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The git reference to follow; set one of branch, tag, semver, name, or commit (commit may be
   * combined with branch).
   * @default { branch: 'main' }
   */
  readonly ref?: GitRepositoryRef;
  /**
   * Secret with the git credentials (`FluxGitSecret.secretName`).
   * @default - no secret (a public repository, or provider 'azure')
   */
  readonly secretName?: string;
  /**
   * `azure` authenticates with the cluster's workload identity (Flux >= 2.4), no Secret needed.
   * @default 'generic'
   */
  readonly provider?: 'generic' | 'azure';
  /**
   * Service account whose workload identity is used; only with provider 'azure'.
   * @default - the source-controller's own identity
   */
  readonly serviceAccountName?: string;
  /**
   * Service account the Kustomizations apply as (kustomize-controller impersonates it). Under
   * Flux's multi-tenancy lockdown a Kustomization without one runs as the namespace's default
   * service account, which has no rights.
   * @default - kustomize-controller's own (or, under lockdown, the default service account)
   */
  readonly kustomizationServiceAccountName?: string;
  /**
   * How often Flux fetches the repository, and the default interval of its Kustomizations.
   * @default '5m'
   */
  readonly interval?: string;
  /**
   * Timeout of git operations (no hours: the GitRepository CRD rejects them).
   * @default - Flux's default, 60s
   */
  readonly sourceTimeout?: string;
  /**
   * Kustomizations (names in the same namespace, or syncs and FluxKustomizations) that must be ready
   * first; short form only.
   * @default []
   */
  readonly dependsOn?: readonly (string | { readonly name: string; readonly namespace?: string })[];
  /**
   * Several Kustomizations of this repository, each named, instead of the short form's one named
   * after the repository. The Kustomization props of the short form (path, prune, dependsOn...) are
   * then refused here: give them per entry.
   * @default - one Kustomization named after the repository, from this construct's props
   */
  readonly kustomizations?: readonly FluxKustomizationEntry[];
}

/**
 * A GitRepository and the Kustomization that applies a path of it: one manifest repository synced
 * into the cluster. Several can share one delivery release and one git Secret.
 */
export class FluxGitSync extends Construct implements IFluxSource {
  public readonly name: string;
  public readonly namespace: string;
  /** The URL Flux fetches, after normalisation. */
  public readonly url: string;
  public readonly gitRepository: GitRepository;
  /** The short form's one Kustomization (named after the repository); undefined with `kustomizations`. */
  public readonly kustomization?: Kustomization;
  /** Every Kustomization of the repository. */
  public readonly kustomizations: readonly FluxKustomization[];

  constructor(scope: Construct, id: string, props: FluxGitSyncProps) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const where = `FluxGitSync ${this.node.path}`;
    const fail = propErrors(where);
    this.name = props.name ?? id;
    this.namespace = props.delivery.namespace;
    if (!isDnsLabel(this.name)) fail('name', this.name, 'use an RFC 1123 label (lower-case letters, digits, "-", at most 63)');

    const provider = props.provider ?? 'generic';
    if (provider !== 'generic' && provider !== 'azure') fail('provider', provider, 'use "generic" or "azure"');
    if (props.serviceAccountName !== undefined && provider !== 'azure') fail('serviceAccountName', props.serviceAccountName, 'it may only be set with provider "azure"');
    const transport = props.transport ?? (provider === 'azure' ? 'https' : 'ssh');
    if (provider === 'azure' && transport !== 'https') fail('transport', transport, 'provider "azure" works over https only');
    if (provider === 'azure' && props.secretName) fail('secretName', props.secretName, 'provider "azure" authenticates with workload identity; leave secretName unset');

    if (Token.isUnresolved(props.url)) {
      this.url = props.url;
    } else {
      try {
        this.url = normaliseGitUrl(props.url, transport);
      } catch (e) {
        throw new Error(`${where}: url: ${(e as Error).message}`);
      }
    }

    const ref: GitRepositoryRef = props.ref ?? FLUX_GIT_SYNC_DEFAULTS.ref;
    const refKeys = Object.keys(ref).filter((k) => (ref as Record<string, unknown>)[k] !== undefined);
    const unknownRef = refKeys.filter((k) => !(REF_KEYS as readonly string[]).includes(k));
    const validRefCombination = refKeys.length === 1 || (refKeys.length === 2 && refKeys.includes('commit') && refKeys.includes('branch'));
    if (unknownRef.length > 0 || !validRefCombination) {
      fail('ref', ref, `set one of ${REF_KEYS.join(', ')} (commit may be combined with branch)`);
    }
    for (const key of refKeys) {
      const value = (ref as Record<string, unknown>)[key];
      if (typeof value !== 'string' || value.trim() === '') fail(`ref.${key}`, value, 'use a non-empty string');
      if (Token.isUnresolved(value)) continue;
      if ((key === 'branch' || key === 'tag') && !isGitRefName(value as string)) {
        fail(`ref.${key}`, value, 'use a git reference name (no spaces, "..", ~ ^ : ? * [ \\, no trailing / . or .lock)');
      }
      if (key === 'name' && !/^refs\//.test(value as string)) fail('ref.name', value, 'use a full reference starting with refs/');
    }
    if (ref.commit !== undefined && !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(ref.commit)) {
      fail('ref.commit', ref.commit, 'use a full 40-character (or 64-character) lower-case hex commit SHA');
    }

    const interval = props.interval ?? FLUX_GIT_SYNC_DEFAULTS.interval;
    if (goDurationProblem(interval)) fail('interval', interval, goDurationProblem(interval)!);
    if (props.sourceTimeout !== undefined && goDurationProblem(props.sourceTimeout, false)) fail('sourceTimeout', props.sourceTimeout, goDurationProblem(props.sourceTimeout, false)!);
    if (props.kustomizations !== undefined) {
      if (props.kustomizations.length === 0) fail('kustomizations', [], 'list at least one, or leave it unset for the short form');
      for (const field of KUSTOMIZATION_FIELDS) {
        if (props[field] !== undefined) fail(field, props[field], 'give it per entry of kustomizations, which replace the short form');
      }
      const names = new Set<string>();
      for (const k of props.kustomizations) {
        if (names.has(k.name)) fail('kustomizations', k.name, 'name each Kustomization once');
        names.add(k.name);
      }
    }

    this.gitRepository = {
      apiVersion: GIT_REPOSITORY_API_VERSION,
      kind: 'GitRepository',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        url: this.url,
        interval,
        ref: { ...ref },
        ...(props.sourceTimeout !== undefined && { timeout: props.sourceTimeout }),
        ...(props.secretName !== undefined && { secretRef: { name: props.secretName } }),
        ...(provider === 'azure' && { provider }),
        ...(props.serviceAccountName !== undefined && { serviceAccountName: props.serviceAccountName }),
      },
    };
    props.delivery.add(this.gitRepository);
    if (props.kustomizations) {
      const serviceAccountName = props.kustomizationServiceAccountName;
      this.kustomizations = props.kustomizations.map(
        (k) => new FluxKustomization(this, k.name, { interval, ...(serviceAccountName !== undefined && { serviceAccountName }), ...k, delivery: props.delivery, source: this }),
      );
    } else {
      const { delivery, name: _name, url: _url, transport: _t, ref: _r, secretName: _s, provider: _p, serviceAccountName: _sa, sourceTimeout: _st, kustomizationServiceAccountName, ...options } = props;
      const single = new FluxKustomization(this, 'kustomization', {
        ...options,
        name: this.name,
        interval,
        serviceAccountName: kustomizationServiceAccountName,
        // Same-namespace references: written as names, as before.
        dependsOn: props.dependsOn?.map((d) => (typeof d === 'string' ? d : { name: d.name, namespace: d.namespace })),
        delivery,
        source: this,
      });
      this.kustomizations = [single];
      this.kustomization = single.kustomization;
    }
  }

  /** The GitRepository, as a Kustomization's source. */
  public get sourceRef(): CrossNamespaceSourceReference {
    return { kind: 'GitRepository', name: this.name };
  }
}
