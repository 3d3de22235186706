import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { LiteralStrings } from './literal-strings';
import { GitTransport, normaliseGitUrl } from '../azure-devops/urls';
import {
  DELETION_POLICIES,
  DeletionPolicy,
  GIT_REPOSITORY_API_VERSION,
  GitRepository,
  GitRepositoryRef,
  HealthCheckReference,
  KUSTOMIZATION_API_VERSION,
  Kustomization,
} from '../flux/api';
import { DURATION_HINT, DURATION_NO_HOURS_HINT, isDnsLabel, isGitRefName, isGoDuration, isGoDurationWithoutHours, SUBSTITUTE_NAME } from '../flux/formats';
import { FluxObjectsRelease } from './flux-objects-release';
import { propErrors } from './prop-errors';

const REF_KEYS = ['branch', 'tag', 'semver', 'name', 'commit'] as const;
const SUBSTITUTE_PATTERN = new RegExp(SUBSTITUTE_NAME);

/** Defaults of {@link FluxGitSyncProps}, exported so the config schema documents the same values. */
export const FLUX_GIT_SYNC_DEFAULTS = {
  ref: { branch: 'main' },
  interval: '5m',
  path: './',
  prune: true,
  wait: false,
  deletionPolicy: 'Orphan',
} as const;

export interface FluxGitSyncProps {
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
   * Name of both the GitRepository and the Kustomization.
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
   * How often Flux fetches the repository and re-applies the Kustomization.
   * @default '5m'
   */
  readonly interval?: string;
  /**
   * Timeout of git operations (no hours: the GitRepository CRD rejects them).
   * @default - Flux's default, 60s
   */
  readonly sourceTimeout?: string;
  /**
   * Path of the kustomization inside the repository.
   * @default './'
   */
  readonly path?: string;
  /**
   * Delete objects that were removed from git.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Wait for every applied object to become ready before the Kustomization reports ready.
   * @default false
   */
  readonly wait?: boolean;
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
   * Kustomizations (names in the same namespace, or syncs) that must be ready first.
   * @default []
   */
  readonly dependsOn?: readonly (string | FluxGitSync)[];
  /**
   * Namespace every namespaced object of the kustomization is put into.
   * @default - the namespaces in the manifests
   */
  readonly targetNamespace?: string;
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
   * Variables substituted into the manifests (`${var}`), e.g. the cluster name.
   * @default - no substitution
   */
  readonly substitute?: { readonly [name: string]: string };
}

/**
 * A GitRepository and the Kustomization that applies a path of it: one manifest repository synced
 * into the cluster. Several can share one delivery release and one git Secret.
 */
export class FluxGitSync extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** The URL Flux fetches, after normalisation. */
  public readonly url: string;
  public readonly gitRepository: GitRepository;
  public readonly kustomization: Kustomization;

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
    for (const [field, value] of [['interval', interval], ['timeout', props.timeout], ['retryInterval', props.retryInterval]] as const) {
      if (value !== undefined && !isGoDuration(value)) fail(field, value, `use ${DURATION_HINT}`);
    }
    if (props.sourceTimeout !== undefined && !isGoDurationWithoutHours(props.sourceTimeout)) {
      fail('sourceTimeout', props.sourceTimeout, `use ${DURATION_NO_HOURS_HINT}`);
    }
    if (props.targetNamespace !== undefined && !isDnsLabel(props.targetNamespace)) {
      fail('targetNamespace', props.targetNamespace, 'use an RFC 1123 label');
    }
    const deletionPolicy = props.deletionPolicy ?? FLUX_GIT_SYNC_DEFAULTS.deletionPolicy;
    if (!DELETION_POLICIES.includes(deletionPolicy)) fail('deletionPolicy', deletionPolicy, `use one of ${DELETION_POLICIES.join(', ')}`);
    const path = props.path ?? FLUX_GIT_SYNC_DEFAULTS.path;
    if (path.trim() === '' || /\s/.test(path) || path.split('/').includes('..')) fail('path', path, 'use a path inside the repository such as ./clusters/prod');
    for (const name of Object.keys(props.substitute ?? {})) {
      if (!SUBSTITUTE_PATTERN.test(name)) fail('substitute key', name, 'use a variable name: letters, digits and _, not starting with a digit');
    }
    const dependsOn = (props.dependsOn ?? []).map((d) => (typeof d === 'string' ? d : d.name));
    for (const d of dependsOn) {
      if (!isDnsLabel(d)) fail('dependsOn', d, 'name a Kustomization (an RFC 1123 label)');
      if (d === this.name) fail('dependsOn', d, 'a Kustomization cannot depend on itself');
    }

    const metadata = { name: this.name, namespace: this.namespace };
    this.gitRepository = {
      apiVersion: GIT_REPOSITORY_API_VERSION,
      kind: 'GitRepository',
      metadata,
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
    this.kustomization = {
      apiVersion: KUSTOMIZATION_API_VERSION,
      kind: 'Kustomization',
      metadata,
      spec: {
        interval,
        path,
        prune: props.prune ?? FLUX_GIT_SYNC_DEFAULTS.prune,
        wait: props.wait ?? FLUX_GIT_SYNC_DEFAULTS.wait,
        sourceRef: { kind: 'GitRepository', name: this.name },
        deletionPolicy,
        ...(props.timeout !== undefined && { timeout: props.timeout }),
        ...(props.retryInterval !== undefined && { retryInterval: props.retryInterval }),
        ...(dependsOn.length > 0 && { dependsOn: dependsOn.map((name) => ({ name })) }),
        ...(props.targetNamespace !== undefined && { targetNamespace: props.targetNamespace }),
        ...(props.healthChecks && props.healthChecks.length > 0 && { healthChecks: [...props.healthChecks] }),
        ...(props.substitute && { postBuild: { substitute: { ...props.substitute } } }),
      },
    };
    props.delivery.add(this.gitRepository, this.kustomization);
  }
}
