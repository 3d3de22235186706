/**
 * The config file: its schema, and its TypeScript types inferred from it. Each field is declared once,
 * as a property of its node: the node is what config/load.ts validates, what `npm run schema` publishes
 * (config/flux-gitops.schema.json, checked by a test) and, through `Infer` (flux/schema-infer.ts), the
 * type at the end of this file. How to add a field: docs/design.md, "Adding a config field".
 */
import {
  COMPONENTS_RULE,
  componentsFit,
  ControllerPlacement,
  FLUX2_CHART_REPOSITORY,
  FLUX2_CHART_VERSION,
  CHART_VERSION_RULE,
  chartHasCommitStatusExpr,
  FLUX_CONTROLLERS,
  IMAGE_REGISTRY,
  NOTIFICATION_CONTROLLER_TAG_RULE,
  notificationControllerTagFits,
  Multitenancy,
  MULTITENANCY_ARGS_RULE,
  multitenancyArgOverrides,
  type FluxComponents,
  type Placement,
  type Toleration,
} from '../constructs/flux-install';
import { FLUX_GIT_SYNC_DEFAULTS } from '../constructs/flux-git-sync';
import {
  CustomHealthCheck,
  Decryption,
  DELETION_POLICIES,
  GitRepositoryRef,
  HealthCheckReference,
  OCIRepositoryRef,
  PROVIDER_TYPES,
  SubstituteReference,
} from '../flux/api';
import { GITOPS_CONNECTOR_CHART_REPOSITORY } from '../constructs/gitops-connector';
import { readsAsYamlText } from '../constructs/helm-values';
import {
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  DURATION_HINT,
  DURATION_NO_HOURS_HINT,
  GO_DURATION,
  GO_DURATION_NO_HOURS,
  CONFIGMAP_KEY,
  EXACT_CHART_VERSION,
  goDurationNanoseconds,
  GUID,
  HTTP_URL,
  isExactChartVersion,
  isReservedNamespace,
  MIN_DURATION,
  OCI_REPOSITORY_URL,
  OCI_TAG,
  isOciRepositoryUrl,
  RESERVED_NAMESPACE_RULE,
  HTTPS_BASE_URL,
  isGitRefName,
  LABEL_HINT,
  SUBSTITUTE_NAME,
} from '../flux/formats';
import { SchemaNode, SchemaRule } from '../flux/schema';
import { declares, Infer, node, properties } from '../flux/schema-infer';
import { isQualifiedName } from '../flux/pod-rules';
import { isReservedProjectName, isReservedRepositoryName, ORGANIZATION_NAME, PROJECT_NAME, REPOSITORY_NAME } from '../azure-devops/names';
import { MAX_KEY_VALIDITY_DAYS } from '../constructs/azure-devops-ssh-key';
import { AKS_CLUSTER_NAME, AKS_LOGIN_MODES, AksClusterAccess, AZURE_CLOUDS, AZURE_RESOURCE_GROUP, type AzureCloud } from '../constructs/aks-login';
import { AZURE_DEVOPS_ACCESS_LEVELS } from '../constructs/azure-devops-identity-access';
import { CONTAINER_REGISTRY_ID, STORAGE_ACCOUNT_ID, USER_ASSIGNED_IDENTITY_ID, USER_ASSIGNED_IDENTITY_NAME } from '../constructs/flux-workload-identity';
import { isSemverRange } from './semver';

/** Each connector runs in <prefix>-<repository name> unless the config says otherwise. */
export const DEFAULT_CONNECTOR_NAMESPACE_PREFIX = 'gitops-connector';

/** The fields of a backend that belong to another backend type than its own. */
function foreignBackendSettings(b: BackendConfig): string[] {
  const azurerm = ['resourceGroupName', 'storageAccountName', 'containerName', 'keyPrefix', 'subscriptionId', 'tenantId', 'useAzureadAuth', 'useOidc'];
  const cloud = ['organization', 'hostname', 'workspacePrefix', 'project'];
  const foreign = b.type === 'azurerm' ? cloud : b.type === 'cloud' ? azurerm : [...azurerm, ...cloud];
  return foreign.filter((k) => (b as unknown as Record<string, unknown>)[k] !== undefined);
}

// The helpers take the description as a literal type: TypeDoc shows it as the field's doc (docs/typedoc-schema.js).
const label = <const D extends string>(description: D) => node({
  type: 'string',
  pattern: DNS1123_LABEL,
  maxLength: 63,
  format: LABEL_HINT,
  description,
});
/** The limits a duration the CRD pattern admits must also meet (flux/formats goDurationProblem). */
// A text the pattern already refuses is reported once, by the pattern.
const DURATION_RULES: readonly SchemaRule[] = [
  {
    message: "must fit Go's time.Duration, which Flux decodes it into: at most 2562047h (int64 nanoseconds)",
    check: (v: string) => !new RegExp(GO_DURATION).test(v) || goDurationNanoseconds(v) !== undefined,
  },
  {
    message: `must be at least ${MIN_DURATION}: a shorter interval or timeout makes the controller loop or fail at once`,
    check: (v: string) => (goDurationNanoseconds(v) ?? MIN_DURATION_NS) >= MIN_DURATION_NS,
  },
];
const duration = <const D extends string>(description: D, dflt?: string) => node({
  type: 'string',
  pattern: GO_DURATION,
  format: DURATION_HINT,
  description,
  rules: DURATION_RULES,
  ...(dflt !== undefined && { default: dflt }),
});
const MIN_DURATION_NS = goDurationNanoseconds(MIN_DURATION)!;
const nonEmpty = <const D extends string>(description: D) => node({ type: 'string', minLength: 1, description });

const gitRef = <const D extends string>(description: D) => node({
  type: 'string',
  minLength: 1,
  description,
  rules: [{ message: 'must be a git reference name (see git check-ref-format: no spaces, "..", ~ ^ : ? * [ \\, no trailing / . or .lock)', check: isGitRefName }],
});

const refSchema = declares<GitRepositoryRef>()({
  type: 'object',
  description: 'The git reference to follow: one of branch, tag, semver, name, commit (commit may be combined with branch).',
  properties: {
    branch: gitRef('Branch name, e.g. main.'),
    tag: gitRef('Tag name.'),
    semver: {
      type: 'string',
      pattern: '^[0-9A-Za-z.*^~<>=!|, +-]+$',
      format: 'a semver range such as ">=1.0.0 <2.0.0"',
      description: 'Semver range over tags.',
      rules: [{ message: 'must be a semver range that parses (e.g. ">=1.0.0 <2.0.0", "1.2.x", "~1.2", "^1.0.0")', check: isSemverRange }],
    },
    name: {
      ...gitRef('Any git reference, e.g. refs/heads/main or refs/pull/1/head.'),
      pattern: '^refs/',
      format: 'a full reference starting with refs/',
    },
    commit: { type: 'string', pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$', format: 'a full lower-case hex commit SHA', description: 'Commit SHA.' },
  },
  default: FLUX_GIT_SYNC_DEFAULTS.ref,
  rules: [
    {
      message: 'must set one of branch, tag, semver, name, commit (commit may be combined with branch)',
      check: (ref: Record<string, unknown>) => {
        const keys = Object.keys(ref).filter((k) => ref[k] !== undefined);
        return keys.length === 1 || (keys.length === 2 && keys.includes('commit') && keys.includes('branch'));
      },
      problems: (ref: Record<string, unknown>) => {
        const keys = Object.keys(ref).filter((k) => ref[k] !== undefined && !(k === 'commit' && ref.branch !== undefined));
        return keys.slice(1).map((k) => ({ path: k, message: `must not be given with ${keys[0]}: set one of branch, tag, semver, name, commit (commit may be combined with branch)` }));
      },
    },
  ],
});

/** A repository named by its Azure DevOps names; its URLs are read from Azure DevOps at deploy. */
const azureDevOpsRepositorySchema = node({
  type: 'object',
  description: 'The repository by its Azure DevOps names; its URLs and default branch are read from Azure DevOps at deploy.',
  required: ['organization', 'project', 'repository'],
  properties: {
    organization: { type: 'string', pattern: ORGANIZATION_NAME, format: 'an Azure DevOps organisation name', description: 'Organisation name.' },
    project: {
      type: 'string',
      pattern: PROJECT_NAME,
      format: 'an Azure DevOps project name',
      description: 'Project name.',
      rules: [{ message: 'must not be a name Azure DevOps reserves', check: (v: string) => !isReservedProjectName(v) }],
    },
    repository: {
      type: 'string',
      pattern: REPOSITORY_NAME,
      format: 'an Azure Repos repository name',
      description: 'Repository name.',
      rules: [{ message: 'must not be a name Azure DevOps reserves', check: (v: string) => !isReservedRepositoryName(v) }],
    },
    create: { type: 'boolean', default: false, description: 'Create the repository (protected from destroy).' },
  },
});

/** How Flux authenticates to git. */
const gitAuthSchema = node({
  type: 'string',
  enum: ['ssh', 'https', 'workload-identity'],
  description:
    'ssh: the generated key (registered in Azure DevOps); https: a PAT from the sensitive variable flux_git_pat; workload-identity: GitRepository provider azure, no secret (needs workloadIdentity). Default: ssh, or workload-identity for Azure Repos repositories when workloadIdentity.managed is set.',
});

/** The GitOps Connector of one repository. */
const repositoryConnectorSchema = node({
  type: 'object',
  description: 'The GitOps Connector of this repository (Azure Repos only).',
  properties: {
    enabled: { type: 'boolean', description: "Install it (default: the cluster's connector.enabled)." },
    prRepository: {
      type: 'string',
      pattern: REPOSITORY_NAME,
      format: 'an Azure Repos repository name',
      description: 'Repository the CD pipelines open pull requests in (default: this repository).',
      rules: [{ message: 'must not be a name Azure DevOps reserves', check: (v: string) => !isReservedRepositoryName(v) }],
    },
  },
});

const repositoryBase = node({
  type: 'object',
  description: 'A manifest repository: one GitRepository and the Kustomization that applies a path of it (or several: kustomizations).',
  required: ['name'],
  oneOf: [{ required: ['url'] }, { required: ['azureDevOps'] }],
  properties: {
    name: label('Name of the GitRepository and the Kustomization; unique in the cluster.'),
    url: nonEmpty(
      'Repository URL, as Azure DevOps shows it (git@ssh.dev.azure.com:v3/org/project/repo, https://dev.azure.com/org/project/_git/repo) or ssh://...; normalised to the form the transport needs.',
    ),
    azureDevOps: declares<AzureDevOpsRepositoryConfig>()(azureDevOpsRepositorySchema),
    auth: declares<GitAuth>()(gitAuthSchema),
    ref: refSchema,
    path: {
      type: 'string',
      pattern: '^[^\\s]+$',
      format: 'a path without spaces',
      default: FLUX_GIT_SYNC_DEFAULTS.path,
      description: 'Path of the kustomization inside the repository.',
      rules: [{ message: 'must stay inside the repository (no ".." segment)', check: (p: string) => !p.split('/').includes('..') }],
    },
    interval: duration('How often Flux fetches the repository and re-applies it.', FLUX_GIT_SYNC_DEFAULTS.interval),
    sourceTimeout: {
      type: 'string',
      pattern: GO_DURATION_NO_HOURS,
      format: DURATION_NO_HOURS_HINT,
      description: 'Timeout of git operations (default 60s).',
      rules: DURATION_RULES,
    },
    timeout: duration('Timeout of apply, health checks and wait (default: the interval).'),
    retryInterval: duration('Retry interval after a failed reconciliation (default: the interval).'),
    prune: { type: 'boolean', default: FLUX_GIT_SYNC_DEFAULTS.prune, description: 'Delete objects removed from git.' },
    wait: { type: 'boolean', default: FLUX_GIT_SYNC_DEFAULTS.wait, description: 'Wait for every applied object to be ready.' },
    dependsOn: {
      type: 'array',
      uniqueItems: true,
      items: label('Name of another repository of this cluster whose Kustomization must be ready first.'),
      description: 'Ordering between repositories.',
    },
    targetNamespace: label('Namespace every namespaced object is put into.'),
    deletionPolicy: {
      type: 'string',
      enum: DELETION_POLICIES,
      default: FLUX_GIT_SYNC_DEFAULTS.deletionPolicy,
      description: 'What happens to the applied workloads when the stack is destroyed; Orphan leaves them running.',
    },
    substitute: {
      type: 'object',
      additionalProperties: { type: 'string' },
      propertyNames: { type: 'string', pattern: SUBSTITUTE_NAME, format: 'a variable name: letters, digits and _, not starting with a digit' },
      description: 'Variables substituted into the manifests (${var}).',
    },
    connector: declares<RepositoryConnectorConfig>()(repositoryConnectorSchema),
  },
});

const httpUrl = <const D extends string>(description: D) => node({ type: 'string', pattern: HTTP_URL, format: 'an http:// or https:// URL', description });

const imageRegistrySchema = <const W extends string>(what: W) => node({
  type: 'string',
  pattern: IMAGE_REGISTRY,
  format: 'a registry host with an optional port and path, no scheme, e.g. myacr.azurecr.io',
  description: `Registry that mirrors ${what} at the same paths and tags (air-gapped or private-registry clusters).`,
});
const pullSecretsSchema = <const W extends string>(where: W) => node({
  type: 'array',
  uniqueItems: true,
  items: { type: 'string', pattern: DNS1123_SUBDOMAIN, maxLength: 253, format: 'a Secret name', description: 'A kubernetes.io/dockerconfigjson Secret.' },
  description: `Existing image pull Secrets of ${where} (create them before the first deploy).`,
});
const kubernetesObject = <const D extends string>(description: D) => node({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, description });
const stringMap = <const D extends string>(description: D) => node({ type: 'object', additionalProperties: { type: 'string' }, description });

/** A name of `pattern`, where defaults may write `{cluster}` for the cluster's name. */
const withPlaceholder = <const F extends string, const D extends string>(pattern: string, format: F, description: D) => node({
  type: 'string',
  minLength: 1,
  description: `${description} Expected: ${format}.`,
  rules: [{ message: `must be ${format} ({cluster} allowed in defaults)`, check: (v: string) => new RegExp(pattern).test(v.split('{cluster}').join('x')) }],
});

/** A Kubernetes Toleration, as the pod spec takes it. */
const tolerationSchema = declares<Toleration>()({
  type: 'object',
  properties: {
    key: { type: 'string' },
    operator: { type: 'string', enum: ['Equal', 'Exists'] },
    value: { type: 'string' },
    effect: { type: 'string', enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
    tolerationSeconds: { type: 'integer' },
  },
});

const placementSchema = declares<Placement>()({
  type: 'object',
  description: 'Where and how the controller pods run; each field lands on their pod spec.',
  properties: {
    tolerations: {
      type: 'array',
      items: tolerationSchema,
      description: 'Added to those of all (and of aksSystemPool).',
    },
    nodeSelector: stringMap('Node labels the pods must match; keys merge with those of all.'),
    affinity: kubernetesObject('A Kubernetes Affinity (nodeAffinity, podAffinity, podAntiAffinity).'),
    resources: {
      type: 'object',
      description: 'Container resources (default requests: cpu 100m, memory 64Mi).',
      properties: { requests: stringMap('e.g. cpu: 100m, memory: 64Mi'), limits: stringMap('e.g. memory: 1Gi') },
    },
    priorityClassName: { type: 'string', pattern: DNS1123_SUBDOMAIN, format: 'a PriorityClass name', description: 'e.g. system-cluster-critical.' },
  },
  // What the API server refuses in these fields is checked field by field in config/refused.ts (placementProblems).
});

const repoProps = repositoryBase.properties!;
const noSpaces = <const D extends string>(description: D) => node({ type: 'string', pattern: '^[^\\s]+$', format: 'a path without spaces', description });
const objectName = <const D extends string>(description: D) => node({ type: 'string', pattern: DNS1123_SUBDOMAIN, maxLength: 253, format: 'an RFC 1123 name', description });

/** The Kustomization fields added by several-Kustomizations support, shared by the short form and the entries. */
/** Kustomization `postBuild`, as Flux writes it. */
const postBuildSchema = node({
  type: 'object',
  description: 'Variable substitution after kustomize build, as Flux writes it (substitute at the top is its shorthand).',
  properties: {
    substitute: repoProps.substitute,
    substituteFrom: {
      type: 'array',
      description: 'ConfigMaps and Secrets of the Flux namespace whose keys are substituted too (substitute wins).',
      items: declares<SubstituteReference>()({
        type: 'object',
        required: ['kind', 'name'],
        properties: {
          kind: { type: 'string', enum: ['ConfigMap', 'Secret'] },
          name: objectName('Name of the ConfigMap or Secret.'),
          optional: { type: 'boolean', default: false, description: 'Go on when it does not exist.' },
        },
      }),
    },
  },
});

/** The Kustomization fields added by several-Kustomizations support, shared by the short form and the entries. */
const moreKustomizationFields = properties({
  force: { type: 'boolean', default: false, description: 'Recreate objects whose immutable fields changed.' },
  suspend: { type: 'boolean', default: false, description: 'Stop reconciling; the applied objects stay as they are.' },
  healthChecks: {
    type: 'array',
    description: 'Objects whose readiness decides the Kustomization\'s health.',
    items: declares<HealthCheckReference>()({
      type: 'object',
      required: ['kind', 'name'],
      properties: { apiVersion: nonEmpty('e.g. apps/v1'), kind: nonEmpty('e.g. Deployment'), name: nonEmpty('Object name.'), namespace: label('Object namespace.') },
    }),
  },
  healthCheckExprs: {
    type: 'array',
    description: 'CEL health checks for kinds kstatus does not understand (Flux 2.8 requires kind).',
    items: declares<CustomHealthCheck>()({
      type: 'object',
      required: ['apiVersion', 'kind', 'current'],
      properties: {
        apiVersion: nonEmpty('API version of the kind.'),
        kind: nonEmpty('The kind.'),
        current: nonEmpty('CEL: true when the object is ready.'),
        inProgress: nonEmpty('CEL: true while it is progressing.'),
        failed: nonEmpty('CEL: true when it has failed.'),
      },
    }),
  },
  components: { type: 'array', items: noSpaces('A kustomize component, relative to path.'), description: 'Kustomize components to include.' },
  postBuild: declares<PostBuildConfig>()(postBuildSchema),
  decryption: declares<Decryption>()({
    type: 'object',
    description: 'Decrypt SOPS files: with secretRef, the keys in that Secret (sops-age with sops.ageKey); without, Azure Key Vault through sops.keyVault.',
    required: ['provider'],
    properties: {
      provider: { type: 'string', enum: ['sops'] },
      secretRef: { type: 'object', required: ['name'], properties: { name: objectName('Secret with the keys.') } },
    },
  }),
});

/** One entry of `kustomizations`. */
export const kustomizationSchema = node({
  type: 'object',
  description: 'One Kustomization of the source.',
  required: ['name'],
  properties: {
    name: label('Name of the Kustomization; unique among the Kustomizations of the cluster.'),
    path: repoProps.path,
    interval: duration('How often it is re-applied (default: its source\'s interval).'),
    timeout: repoProps.timeout,
    retryInterval: repoProps.retryInterval,
    prune: repoProps.prune,
    wait: repoProps.wait,
    force: moreKustomizationFields.force,
    suspend: moreKustomizationFields.suspend,
    targetNamespace: repoProps.targetNamespace,
    dependsOn: {
      type: 'array',
      uniqueItems: true,
      items: label('Name of a Kustomization of this cluster, of any source.'),
      description: 'Kustomizations that must be ready first.',
    },
    healthChecks: moreKustomizationFields.healthChecks,
    healthCheckExprs: moreKustomizationFields.healthCheckExprs,
    components: moreKustomizationFields.components,
    deletionPolicy: repoProps.deletionPolicy,
    substitute: repoProps.substitute,
    postBuild: moreKustomizationFields.postBuild,
    decryption: moreKustomizationFields.decryption,
  },
});

const kustomizationsList = node({
  type: 'array',
  minItems: 1,
  items: declares<KustomizationConfig>()(kustomizationSchema),
  description: 'Several Kustomizations of this source, each named; the short-form fields (path, prune, dependsOn...) are then given per entry.',
});

/** The short form's Kustomization fields, for the OCI and bucket sources. */
const shortForm = <const S extends string>(source: S) => {
  const { name: _name, interval: _interval, ...fields } = kustomizationSchema.properties;
  // dependsOn keeps its place among the fields: the key is already there when it is given again.
  return properties({ ...fields, dependsOn: { ...fields.dependsOn, description: `Kustomizations that must be ready before the one named after this ${source}.` } });
};

/** One entry of `repositories`: the repository's own fields, then the Kustomization fields of the short form. */
export const repositorySchema = node({
  ...repositoryBase,
  properties: { ...repositoryBase.properties, ...moreKustomizationFields, kustomizations: kustomizationsList },
});

/** One entry of `ociRepositories`. */
export const ociRepositorySchema = node({
  type: 'object',
  description: 'An OCI artifact source (OCIRepository), e.g. in Azure Container Registry, applied like a repository.',
  required: ['name', 'url'],
  properties: {
    name: label('Name of the OCIRepository and, in the short form, of its Kustomization.'),
    url: {
      type: 'string',
      pattern: OCI_REPOSITORY_URL,
      format: 'oci://<registry>/<repository> as the OCI distribution spec names them (lower-case path, no tag or digest)',
      description: 'e.g. oci://contoso.azurecr.io/manifests/platform',
      rules: [{ message: 'must name a repository of at most 255 characters (distribution/reference NameTotalLengthMax)', check: (v: string) => !new RegExp(OCI_REPOSITORY_URL).test(v) || isOciRepositoryUrl(v) }],
    },
    ref: declares<OCIRepositoryRef>()({
      type: 'object',
      description: 'One of tag, semver or digest (default: the latest tag).',
      properties: {
        tag: { type: 'string', pattern: OCI_TAG, format: 'an OCI tag: up to 128 letters, digits, "_", ".", "-", not starting with "." or "-"', description: 'Tag.' },
        semver: {
          ...nonEmpty('Semver range over tags.'),
          rules: [{ message: 'must be a semver range that parses (e.g. ">=1.0.0 <2.0.0", "1.2.x", "~1.2", "^1.0.0")', check: isSemverRange }],
        },
        digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$', format: 'sha256:<64 hex digits>', description: 'Digest.' },
      },
      rules: [
        {
          message: 'must set one of tag, semver or digest',
          check: (r: Record<string, unknown>) => Object.keys(r).length === 1,
          problems: (r: Record<string, unknown>) => Object.keys(r).slice(1).map((k) => ({ path: k, message: `must not be given with ${Object.keys(r)[0]}: set one of tag, semver or digest` })),
        },
      ],
    }),
    provider: { type: 'string', enum: ['generic', 'azure'], default: 'generic', description: 'azure: ACR with source-controller\'s workload identity (needs workloadIdentity, AcrPull).' },
    registryId: {
      type: 'string',
      pattern: CONTAINER_REGISTRY_ID,
      format: 'an Azure Container Registry resource id',
      description: 'workloadIdentity.managed with provider azure: resource id of the registry; the stack grants the identity AcrPull on it.',
    },
    secretName: objectName('A docker-registry Secret of the Flux namespace (provider generic).'),
    interval: duration('How often the registry is polled.', '5m'),
    sourceTimeout: repoProps.sourceTimeout,
    ...shortForm('OCI repository'),
    kustomizations: kustomizationsList,
  },
});

/** One entry of `buckets`. */
export const bucketSchema = node({
  type: 'object',
  description: 'A bucket source (Flux Bucket), Azure Blob Storage by default, applied like a repository.',
  required: ['name', 'bucketName', 'endpoint'],
  properties: {
    name: label('Name of the Bucket and, in the short form, of its Kustomization.'),
    // \S: FluxBucket refuses a blank name or endpoint; the config refuses it first.
    bucketName: { ...nonEmpty('The bucket; for Azure, the blob container.'), pattern: '\\S', format: 'a bucket name, not blank' },
    endpoint: { ...nonEmpty('For Azure, https://<account>.blob.core.windows.net.'), pattern: '\\S', format: 'a host or URL, not blank' },
    provider: { type: 'string', enum: ['generic', 'azure'], default: 'azure', description: 'azure: Blob Storage with source-controller\'s workload identity (needs workloadIdentity, Storage Blob Data Reader).' },
    storageAccountId: {
      type: 'string',
      pattern: STORAGE_ACCOUNT_ID,
      format: 'an Azure storage account resource id',
      description: 'workloadIdentity.managed with provider azure: resource id of the storage account; the stack grants the identity Storage Blob Data Reader on the container.',
    },
    prefix: nonEmpty('Only objects under this prefix.'),
    secretName: objectName('A Secret of the Flux namespace with the credentials.'),
    interval: duration('How often the bucket is read.', '5m'),
    sourceTimeout: repoProps.sourceTimeout,
    ...shortForm('bucket'),
    kustomizations: kustomizationsList,
  },
});

/** How Terraform reaches the cluster: a kubeconfig file and context. */
const kubeconfigSchema = node({
  type: 'object',
  description: 'How Terraform reaches the cluster.',
  properties: {
    path: { ...nonEmpty('Kubeconfig file.'), default: '~/.kube/config' },
    context: nonEmpty('Kubeconfig context (default: the current context).'),
  },
});

// A rule that reads the config's own type (FluxConfig here) is declared before its node, with its type
// written out: a node's initializer cannot refer to the type inferred from that node.
const FLUX_RULES: readonly SchemaRule[] = [
  {
    message: MULTITENANCY_ARGS_RULE,
    check: (f: FluxConfig) => !f.multitenancy?.enabled || multitenancyArgOverrides(f.values).length === 0,
    problems: (f: FluxConfig) => multitenancyArgOverrides(f.values).map((at) => ({ path: `values.${at}`, message: MULTITENANCY_ARGS_RULE })),
  },
];

/** The Flux install: chart, controllers, their placement and images. */
const fluxSchema = node({
  type: 'object',
  description: 'The Flux install.',
  properties: {
    namespace: {
      ...label('Namespace of the Flux controllers and objects.'),
      default: 'flux-system',
      rules: [
        { message: RESERVED_NAMESPACE_RULE, check: (v: string) => !isReservedNamespace(v) },
        // The flux2 chart writes the release namespace unquoted (`namespace: {{ .Release.Namespace }}`).
        { message: 'must read as text in YAML, not as a number, boolean, null or date (the flux2 chart writes it unquoted)', check: readsAsYamlText },
      ],
    },
    chartVersion: {
      type: 'string',
      pattern: EXACT_CHART_VERSION,
      format: 'an exact chart version such as 2.18.3',
      rules: [
        {
          message: 'must be a SemVer 2 version, as Helm requires of charts (no leading zeros, no empty pre-release part)',
          check: (v: string) => !new RegExp(EXACT_CHART_VERSION).test(v) || isExactChartVersion(v),
        },
        { message: CHART_VERSION_RULE, check: chartHasCommitStatusExpr },
      ],
      default: FLUX2_CHART_VERSION,
      description: 'fluxcd-community flux2 chart version (2.18.3 is Flux 2.8.5).',
    },
    chartRepository: {
      type: 'string',
      // Never http://: the controllers run as cluster-admin, so a chart fetched in clear is a cluster takeover.
      pattern: '^(https|oci)://\\S+$',
      format: 'an https:// or oci:// URL',
      default: FLUX2_CHART_REPOSITORY,
      description: 'Helm repository of the flux2 chart (a mirror for air-gapped clusters).',
    },
    components: declares<FluxComponents>()({
      type: 'object',
      description: 'Controllers to run.',
      rules: [{ message: COMPONENTS_RULE, check: componentsFit, problems: () => [{ path: 'source', message: COMPONENTS_RULE }] }],
      properties: {
        source: { type: 'boolean', default: true },
        kustomize: { type: 'boolean', default: true },
        helm: { type: 'boolean', default: true },
        notification: { type: 'boolean', default: true },
        imageAutomation: { type: 'boolean', default: false },
      },
    }),
    aksSystemPool: {
      type: 'boolean',
      default: false,
      description: 'Run every controller on the AKS system node pool: nodeSelector kubernetes.azure.com/mode=system and a CriticalAddonsOnly toleration.',
    },
    placement: declares<ControllerPlacement>()({
      type: 'object',
      description: "Tolerations, nodeSelector, affinity, resources, priorityClassName: for all controllers, or per controller (a controller's own fields win).",
      properties: Object.fromEntries(['all', ...FLUX_CONTROLLERS].map((c) => [c, placementSchema])),
    }),
    imageRegistry: imageRegistrySchema('ghcr.io/fluxcd/* (source-controller ... flux-cli)'),
    imagePullSecrets: pullSecretsSchema('the Flux namespace'),
    multitenancy: declares<Multitenancy>()({
      type: 'object',
      description:
        "Flux's multi-tenancy lockdown: no cross-namespace references; Kustomizations and HelmReleases without a service account impersonate defaultServiceAccount of their namespace.",
      required: ['enabled'],
      properties: {
        enabled: { type: 'boolean', default: false },
        defaultServiceAccount: { type: 'string', pattern: DNS1123_SUBDOMAIN, maxLength: 253, format: 'a ServiceAccount name', default: 'default' },
      },
    }),
    values: {
      ...kubernetesObject('Any other flux2 chart values, deep-merged under the typed settings (the typed settings win).'),
      rules: [{ message: NOTIFICATION_CONTROLLER_TAG_RULE, check: notificationControllerTagFits }],
    },
  },
  rules: FLUX_RULES,
});

/** The SSH key Flux uses, generated by Terraform. */
const gitIdentitySchema = node({
  type: 'object',
  description: 'The SSH key Flux uses; generated by Terraform.',
  properties: {
    algorithm: { type: 'string', enum: ['RSA', 'ECDSA', 'ED25519'], default: 'RSA', description: 'Azure DevOps accepts only RSA.' },
    rsaBits: { type: 'integer', enum: [2048, 3072, 4096], default: 4096 },
    ecdsaCurve: { type: 'string', enum: ['P256', 'P384', 'P521'] },
    rotation: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Raise it to rotate the key: the new key is registered and put in the Secret before the old one is revoked.',
    },
  },
});

/** The SSH host keys Flux trusts. */
const knownHostsSchema = node({
  type: 'object',
  description: 'Pinned SSH host keys.',
  properties: {
    includeAzureDevOps: { type: 'boolean', default: true, description: 'Trust the pinned ssh.dev.azure.com RSA key.' },
    entries: { type: 'array', items: nonEmpty('A known_hosts line.'), description: 'More known_hosts lines.' },
  },
});

/** Azure DevOps integration: the registration of the Flux SSH key. */
const azureDevOpsSchema = node({
  type: 'object',
  description: 'Azure DevOps integration.',
  properties: {
    registerSshKey: {
      type: 'boolean',
      default: true,
      description: 'Register the Flux SSH key in each organisation of an SSH repository (needs AZDO_ENTRA_TOKEN or AZDO_PERSONAL_ACCESS_TOKEN at deploy).',
    },
    keyValidityDays: { type: 'integer', minimum: 1, maximum: MAX_KEY_VALIDITY_DAYS, default: MAX_KEY_VALIDITY_DAYS, description: 'Days a key registration lasts.' },
  },
});

const MANAGED_IDENTITY_RULES: readonly SchemaRule[] = [
  {
    message: 'must not give name, resourceGroup or location with identityId (they describe an identity to create)',
    check: (m: ManagedWorkloadIdentityConfig) => m.identityId === undefined || (m.name === undefined && m.resourceGroup === undefined && m.location === undefined),
    problems: (m: ManagedWorkloadIdentityConfig) =>
      (['name', 'resourceGroup', 'location'] as const).filter((k) => m[k] !== undefined).map((k) => ({ path: k, message: 'must not be given with identityId (it describes an identity to create)' })),
  },
];

const WORKLOAD_IDENTITY_RULES: readonly SchemaRule[] = [
  {
    message: 'must give either clientId (an identity prepared by hand) or managed (the stack sets it up), not both',
    check: (w: WorkloadIdentityConfig) => (w.clientId === undefined) !== (w.managed === undefined),
    problems: (w: WorkloadIdentityConfig) => (w.managed !== undefined ? [{ path: 'managed', message: 'must not be given with clientId: give clientId (an identity prepared by hand) or managed (the stack sets it up)' }] : []),
  },
  {
    message: 'must not give tenantId with managed (the tenant is the identity\'s)',
    check: (w: WorkloadIdentityConfig) => !(w.managed && w.tenantId),
    problems: () => [{ path: 'tenantId', message: 'must not be given with managed (the tenant is the identity\'s)' }],
  },
];

/** Zero-secret mode: the stack makes the identity, its federated credentials and its Azure DevOps access. */
const managedWorkloadIdentitySchema = node({
  type: 'object',
  description:
    'The stack creates (or takes) a user-assigned identity, a federated credential per Flux service account for the AKS OIDC issuer, its Azure DevOps entitlement and its read (and commit-status) permission on each repository: no PAT, no key.',
  properties: {
    identityId: {
      type: 'string',
      pattern: USER_ASSIGNED_IDENTITY_ID,
      format: 'a user-assigned identity resource id in the cluster subscription',
      description: 'Use this existing identity instead of creating one; the stack never deletes it.',
    },
    name: withPlaceholder(USER_ASSIGNED_IDENTITY_NAME, 'an identity name (3-128 letters, digits, "-", "_")', 'Name of the created identity (default flux-<cluster>), e.g. flux-{cluster} in defaults.'),
    resourceGroup: withPlaceholder(AZURE_RESOURCE_GROUP, 'an Azure resource group name', "Resource group of the created identity (default: the cluster's)."),
    location: { type: 'string', pattern: '^[a-z0-9]{2,40}$', format: 'an Azure region such as westeurope', description: "Region of the created identity (default: the cluster's)." },
    accessLevel: {
      type: 'string',
      enum: AZURE_DEVOPS_ACCESS_LEVELS,
      default: 'express',
      description: 'Azure DevOps access level of the identity: express is Basic (needed for Azure Repos in private projects), advanced Basic + Test Plans, stakeholder is free but cannot read private repositories.',
    },
  },
  rules: MANAGED_IDENTITY_RULES,
});

/** Flux's Entra workload identity: prepared by hand (clientId) or set up by the stack (managed). */
const workloadIdentitySchema = node({
  type: 'object',
  description:
    'Entra workload identity of Flux, for repositories with auth workload-identity. With managed (zero-secret mode, needs aks) it is the auth of every Azure Repos repository that names none, and Flux posts its commit statuses with it too.',
  properties: {
    clientId: { type: 'string', pattern: GUID, format: 'a GUID', description: 'Client id of a managed identity prepared by hand, with a federated credential for flux-system/source-controller.' },
    tenantId: { type: 'string', pattern: GUID, format: 'a GUID', description: 'Tenant of the identity (with clientId).' },
    managed: declares<ManagedWorkloadIdentityConfig>()(managedWorkloadIdentitySchema),
  },
  rules: WORKLOAD_IDENTITY_RULES,
});

/** The GitOps Connectors of a cluster, one per Azure Repos repository. */
const connectorSchema = node({
  type: 'object',
  description: 'GitOps Connectors (chart 1.2.1), one per Azure Repos repository: Flux events become commit statuses and pipeline callbacks.',
  properties: {
    enabled: { type: 'boolean', default: true, description: 'Install them (needs TF_VAR_gitops_connector_pat at deploy).' },
    namespacePrefix: { ...label('Each connector runs in <namespacePrefix>-<repository name>.'), default: DEFAULT_CONNECTOR_NAMESPACE_PREFIX },
    ciCdOrchestrator: { type: 'string', enum: ['AZDO', 'GITHUB'], default: 'AZDO', description: 'Where the CD pipelines wait.' },
    github: {
      type: 'object',
      description: 'Needed with ciCdOrchestrator GITHUB.',
      required: ['orgUrl', 'repository'],
      properties: {
        // The connector sends its PAT to this URL: never in clear.
        orgUrl: { type: 'string', pattern: '^https://\\S+$', format: 'an https:// URL', description: 'e.g. https://api.github.com/repos/my-org' },
        repository: nonEmpty('Repository of the workflows.'),
      },
    },
    subscribers: {
      type: 'object',
      propertyNames: { type: 'string', pattern: CONFIGMAP_KEY, format: 'a ConfigMap key: letters, digits, "-", "_", "."' },
      additionalProperties: httpUrl('Endpoint that gets a JSON copy of every status, e.g. a Spektate server /api/flux.'),
      description: 'name -> URL',
    },
    tolerations: { type: 'array', items: tolerationSchema },
    nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
    chartRepository: {
      type: 'string',
      // Never http://: Helm installs the chart with the deploy's cluster credentials, so a chart
      // fetched in clear is a cluster takeover, as for flux.chartRepository.
      pattern: '^(https|oci)://\\S+$',
      format: 'an https:// or oci:// URL',
      default: GITOPS_CONNECTOR_CHART_REPOSITORY,
      description: 'Helm repository of the gitops-connector chart 1.2.1 (a mirror for isolated deploy machines).',
    },
    imageRegistry: imageRegistrySchema('ghcr.io/azure/gitops-connector'),
    imagePullSecrets: pullSecretsSchema('each connector namespace'),
  },
});

/** A Flux notification Provider and its Alert. */
const notificationProviderSchema = node({
  type: 'object',
  required: ['name', 'type'],
  properties: {
    name: label('Names the Provider and its Alert.'),
    type: { type: 'string', enum: PROVIDER_TYPES, description: 'Flux provider type.' },
    // maxLength: the Provider CRD's (2048), so a longer text is refused here, not by a construct at synth.
    address: { ...httpUrl('Where events go (put a URL holding a token in a variable: addressFromVariable).'), maxLength: 2048 },
    addressFromVariable: { type: 'boolean', description: 'Read the address from the sensitive variable notification_address_<name>.' },
    channel: { ...nonEmpty('Channel, for chat providers.'), maxLength: 2048 },
    username: { ...nonEmpty('User name, for chat providers.'), maxLength: 2048 },
    secretName: label('Existing Secret of the Flux namespace with the provider credentials.'),
    eventSeverity: { type: 'string', enum: ['info', 'error'], default: 'info' },
    repositories: { type: 'array', minItems: 1, uniqueItems: true, items: label('A repository of this cluster.'), description: 'Whose events (default: all).' },
  },
});

/** Where Flux events go besides the connectors. */
const notificationsSchema = node({
  type: 'object',
  description: 'Where Flux events go besides the connectors.',
  properties: {
    commitStatus: { type: 'boolean', description: "Flux's own azuredevops commit status per Azure Repos repository (default: on when a connector is, and with workloadIdentity.managed, where the identity posts it without a PAT; otherwise it needs TF_VAR_flux_commit_status_pat, scope Code: Status)." },
    providers: {
      type: 'array',
      description: 'More Flux Providers (Teams, Slack, webhooks), each with an Alert.',
      items: declares<NotificationProviderConfig>()(notificationProviderSchema),
    },
  },
});

/** Push-triggered reconcile: a Flux Receiver per Azure Repos repository, called by an Azure DevOps service hook. */
const receiverSchema = node({
  type: 'object',
  description: 'Push-triggered reconcile: a Flux Receiver per Azure Repos repository and an Azure DevOps service hook on git push that calls it.',
  required: ['publicUrl'],
  properties: {
    publicUrl: {
      type: 'string',
      pattern: HTTPS_BASE_URL,
      format: 'an https:// URL without query',
      description: "Where notification-controller's webhook receiver is reachable from Azure DevOps, e.g. https://flux-webhook.example.com.",
    },
    ingress: {
      type: 'object',
      description: "Let the flux2 chart make an Ingress for publicUrl's host (otherwise expose the webhook-receiver Service yourself).",
      properties: {
        // The chart writes both unquoted (templates/notification-controller-ingress.yaml); the
        // API server wants object names (ValidateIngressSpec: IngressClassName, TLS secretName).
        className: objectName('IngressClass.'),
        tlsSecretName: objectName('Secret with the TLS certificate.'),
        annotations: {
          type: 'object',
          propertyNames: {
            type: 'string',
            format: 'an annotation key (a Kubernetes qualified name)',
            rules: [{ message: 'must be a Kubernetes qualified name (ValidateAnnotations), e.g. nginx.ingress.kubernetes.io/ssl-redirect', check: isQualifiedName }],
          },
          additionalProperties: { type: 'string' },
        },
      },
    },
  },
});

const BACKEND_RULES: readonly SchemaRule[] = [
  {
    message: 'must give storageAccountName and containerName with type azurerm',
    check: (b: BackendConfig) => b.type !== 'azurerm' || (b.storageAccountName !== undefined && b.containerName !== undefined),
    problems: (b: BackendConfig) => (['storageAccountName', 'containerName'] as const).filter((k) => b[k] === undefined).map((k) => ({ path: k, message: 'is required with type azurerm' })),
  },
  {
    message: 'must give organization with type cloud',
    check: (b: BackendConfig) => b.type !== 'cloud' || b.organization !== undefined,
    problems: () => [{ path: 'organization', message: 'is required with type cloud' }],
  },
  {
    message: 'must not carry settings of another backend type',
    check: (b: BackendConfig) => foreignBackendSettings(b).length === 0,
    problems: (b: BackendConfig) => foreignBackendSettings(b).map((k) => ({ path: k, message: `is a setting of another backend type than ${b.type}` })),
  },
];

/** Where each cluster's Terraform state lives; one state per cluster. */
const backendSchema = node({
  type: 'object',
  description: 'Where the state of this cluster lives (one state per cluster; it holds the generated private key: keep it encrypted and access-controlled).',
  required: ['type'],
  properties: {
    type: { type: 'string', enum: ['local', 'azurerm', 'cloud'], default: 'local' },
    resourceGroupName: nonEmpty('azurerm: resource group of the storage account.'),
    storageAccountName: { type: 'string', pattern: '^[a-z0-9]{3,24}$', format: '3-24 lower-case letters and digits', description: 'azurerm: storage account.' },
    // $web is the container of a storage account's static website, the one name Azure gives with a "$"
    // (learn.microsoft.com/azure/storage/blobs/storage-blob-static-website).
    containerName: { type: 'string', pattern: '^(\\$web|[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9])$', format: 'a blob container name', description: 'azurerm: blob container.' },
    keyPrefix: { type: 'string', description: 'azurerm: the state key is <keyPrefix><cluster>.tfstate.', default: 'flux-gitops/' },
    subscriptionId: { type: 'string', pattern: GUID, format: 'a GUID' },
    tenantId: { type: 'string', pattern: GUID, format: 'a GUID' },
    useAzureadAuth: { type: 'boolean', default: true, description: 'azurerm: Entra ID auth to the blobs, no account key.' },
    useOidc: { type: 'boolean', description: 'azurerm: OIDC (workload identity federation) in CI.' },
    organization: nonEmpty('cloud: Terraform Cloud organization.'),
    hostname: nonEmpty('cloud: Terraform Enterprise host (default app.terraform.io).'),
    workspacePrefix: { type: 'string', pattern: '^[A-Za-z0-9_-]*$', default: 'flux-gitops-', description: 'cloud: the workspace is <workspacePrefix><cluster>.' },
    project: nonEmpty('cloud: project of the workspaces.'),
  },
  rules: BACKEND_RULES,
});

const AKS_RULES: readonly SchemaRule[] = [
  {
    message: 'must give clientId only with login msi',
    check: (a: AksConfig) => a.clientId === undefined || a.login === 'msi',
    problems: () => [{ path: 'clientId', message: 'must be given only with login msi (it names a user-assigned managed identity)' }],
  },
];

/** An AKS cluster reached with an Entra token (kubelogin), its server and CA read from Azure. */
const aksSchema = node({
  type: 'object',
  description:
    'Instead of kubeconfig: an AKS cluster (Entra ID, local accounts may be disabled). Its API server and CA are read from Azure (azurerm data source) and the providers sign in with `kubelogin get-token`, never asking for a person.',
  required: ['subscriptionId', 'resourceGroup', 'name'],
  properties: {
    subscriptionId: { type: 'string', pattern: GUID, format: 'a GUID', description: 'Subscription of the cluster.' },
    resourceGroup: withPlaceholder(AZURE_RESOURCE_GROUP, 'an Azure resource group name', 'Resource group of the cluster.'),
    name: withPlaceholder(AKS_CLUSTER_NAME, 'an AKS cluster name', 'Name of the managed cluster, e.g. aks-{cluster} in defaults.'),
    login: {
      type: 'string',
      enum: AKS_LOGIN_MODES,
      default: 'azurecli',
      description:
        'kubelogin login: azurecli (the signed-in az CLI; what the CI templates use after their Azure login), workloadidentity (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_FEDERATED_TOKEN_FILE, a runner on AKS), spn (ARM_CLIENT_ID/ARM_CLIENT_SECRET/ARM_TENANT_ID), msi.',
    },
    tenantId: { type: 'string', pattern: GUID, format: 'a GUID', description: 'Entra tenant (default: the signed-in one).' },
    clientId: { type: 'string', pattern: GUID, format: 'a GUID', description: 'login msi: client id of a user-assigned managed identity.' },
    cloud: {
      type: 'string',
      enum: Object.keys(AZURE_CLOUDS) as AzureCloud[],
      default: 'AzurePublicCloud',
      description: "The cluster's Azure cloud: kubelogin --environment, and the azurerm provider's environment (public, usgovernment, china).",
    },
  },
  rules: AKS_RULES,
});

/** SOPS decryption keys of kustomize-controller. */
const sopsSchema = node({
  type: 'object',
  description: 'Keys kustomize-controller decrypts SOPS files with (Kustomizations with decryption).',
  properties: {
    keyVault: {
      type: 'object',
      description: 'Azure Key Vault: kustomize-controller runs under this workload identity (Key Vault Crypto User on the key; federated credential for <flux namespace>/kustomize-controller).',
      required: ['clientId'],
      properties: {
        clientId: { type: 'string', pattern: GUID, format: 'a GUID', description: 'Client id of the managed identity.' },
        tenantId: { type: 'string', pattern: GUID, format: 'a GUID', description: 'Tenant of the identity.' },
      },
    },
    ageKey: { type: 'boolean', default: false, description: 'Make the Secret sops-age (key age.agekey) from the sensitive variable sops_age_key (TF_VAR_sops_age_key).' },
  },
});

const CLUSTER_RULES: readonly SchemaRule[] = [
  {
    message: 'must give either kubeconfig or aks, not both',
    check: (c: Partial<ClusterConfig>) => c.kubeconfig === undefined || c.aks === undefined,
    problems: () => [{ path: 'aks', message: 'must not be given with kubeconfig: give either kubeconfig or aks' }],
  },
];

/** One cluster's settings, `defaults` merged in: the node {@link ClusterConfig} is inferred from. */
export const clusterSchema = node({
  type: 'object',
  description: 'One cluster: one stack, one state.',
  required: ['name', 'repositories'],
  properties: {
    name: label('Cluster name; names the stack (cdktf deploy <name>) and its state.'),
    kubeconfig: declares<KubeconfigConfig>()(kubeconfigSchema),
    flux: declares<FluxConfig>()(fluxSchema),
    gitIdentity: declares<GitIdentityConfig>()(gitIdentitySchema),
    knownHosts: declares<KnownHostsConfig>()(knownHostsSchema),
    azureDevOps: declares<AzureDevOpsConfig>()(azureDevOpsSchema),
    workloadIdentity: declares<WorkloadIdentityConfig>()(workloadIdentitySchema),
    connector: declares<ConnectorConfig>()(connectorSchema),
    notifications: declares<NotificationsConfig>()(notificationsSchema),
    receiver: declares<ReceiverConfig>()(receiverSchema),
    backend: declares<BackendConfig>()(backendSchema),
    repositories: { type: 'array', minItems: 1, items: declares<RepositoryConfig>()(repositorySchema), description: 'Manifest repositories to sync.' },
    aks: declares<AksConfig>()(aksSchema),
    ring: {
      type: 'integer',
      minimum: 1,
      maximum: 9,
      default: 1,
      description: 'Deploy ring in the CI templates: ring 1 deploys first, each next ring after the previous succeeded and its own environment approved.',
    },
    ociRepositories: { type: 'array', items: declares<OciRepositoryConfig>()(ociRepositorySchema), description: 'OCI artifact sources (e.g. ACR), each with its Kustomizations.' },
    buckets: { type: 'array', items: declares<BucketConfig>()(bucketSchema), description: 'Bucket sources (Azure Blob Storage), each with its Kustomizations.' },
    sops: declares<SopsConfig>()(sopsSchema),
  },
  rules: CLUSTER_RULES,
});

/** A cluster's fields but its name: those of `defaults`, which every cluster names for itself. */
function withoutName<P extends { readonly name: SchemaNode }>(fields: P): Omit<P, 'name'> {
  const { name: _name, ...rest } = fields;
  return rest;
}

/** The settings of `defaults`: any cluster setting, none required. */
export const defaultsSchema = node({
  ...clusterSchema,
  description: 'Settings every cluster starts from; a cluster overrides them (objects merge, lists replace).',
  required: [],
  properties: withoutName(clusterSchema.properties),
});

/** The config file: what the loader validates and `npm run schema` publishes as config/flux-gitops.schema.json. */
export const configSchema = node({
  type: 'object',
  description: 'cdktf-flux-gitops configuration: the clusters to manage, one stack and one state each.',
  required: ['clusters'],
  properties: {
    $schema: { type: 'string' },
    defaults: defaultsSchema,
    clusters: { type: 'array', minItems: 1, items: { ...clusterSchema, required: ['name'] }, description: 'The clusters (after defaults are merged in, each needs repositories).' },
  },
});

// The config's TypeScript types, each derived from its node above (flux/schema-infer.ts): a field is
// declared once, in its node, and its type, its checks and its JSON Schema all follow from there.

/** How Terraform reaches the cluster: a kubeconfig file and context. */
export interface KubeconfigConfig extends Infer<typeof kubeconfigSchema> {}

/** An AKS cluster reached with an Entra token (kubelogin), its server and CA read from Azure: the config takes ClusterAccess's own props. */
export type AksConfig = AksClusterAccess;

/** The Flux install: chart, controllers, their placement and images. */
export interface FluxConfig extends Infer<typeof fluxSchema> {}

/** The SSH key Flux uses, generated by Terraform. */
export interface GitIdentityConfig extends Infer<typeof gitIdentitySchema> {}

/** The SSH host keys Flux trusts. */
export interface KnownHostsConfig extends Infer<typeof knownHostsSchema> {}

/** A repository named by its Azure DevOps names; its URLs are read from Azure DevOps at deploy. */
export interface AzureDevOpsRepositoryConfig extends Infer<typeof azureDevOpsRepositorySchema> {}

/**
 * How Flux authenticates to git.
 * @useDeclaredType
 */
export type GitAuth = Infer<typeof gitAuthSchema>;

/** The GitOps Connector of one repository. */
export interface RepositoryConnectorConfig extends Infer<typeof repositoryConnectorSchema> {}

/**
 * A manifest repository: one GitRepository and its Kustomizations; exactly one of url and azureDevOps.
 * @useDeclaredType
 */
export type RepositoryConfig = Infer<typeof repositorySchema>;

/** One Kustomization of a source (the `kustomizations` entries). */
export interface KustomizationConfig extends Infer<typeof kustomizationSchema> {}

/** Kustomization `postBuild`, as Flux writes it. */
export interface PostBuildConfig extends Infer<typeof postBuildSchema> {}

/** The Kustomization settings a source entry may carry in the short form (one Kustomization named after it). */
export type ShortFormKustomization = Omit<KustomizationConfig, 'name' | 'interval'>;

/** An OCI artifact source (OCIRepository), e.g. in Azure Container Registry. */
export interface OciRepositoryConfig extends Infer<typeof ociRepositorySchema> {}

/** A bucket source (Flux Bucket), Azure Blob Storage by default. */
export interface BucketConfig extends Infer<typeof bucketSchema> {}

/** SOPS decryption keys of kustomize-controller. */
export interface SopsConfig extends Infer<typeof sopsSchema> {}

/** Azure DevOps integration: the registration of the Flux SSH key. */
export interface AzureDevOpsConfig extends Infer<typeof azureDevOpsSchema> {}

/** The GitOps Connectors of a cluster, one per Azure Repos repository. */
export interface ConnectorConfig extends Infer<typeof connectorSchema> {}

/** A Flux notification Provider and its Alert. */
export interface NotificationProviderConfig extends Infer<typeof notificationProviderSchema> {}

/** Where Flux events go besides the connectors. */
export interface NotificationsConfig extends Infer<typeof notificationsSchema> {}

/** Push-triggered reconcile: a Flux Receiver per Azure Repos repository, called by an Azure DevOps service hook. */
export interface ReceiverConfig extends Infer<typeof receiverSchema> {}

/** Zero-secret mode: the stack makes the identity, its federated credentials and its Azure DevOps access. */
export interface ManagedWorkloadIdentityConfig extends Infer<typeof managedWorkloadIdentitySchema> {}

/** Flux's Entra workload identity: prepared by hand (clientId) or set up by the stack (managed). */
export interface WorkloadIdentityConfig extends Infer<typeof workloadIdentitySchema> {}

/** Where each cluster's Terraform state lives; one state per cluster. */
export interface BackendConfig extends Infer<typeof backendSchema> {}

/** One cluster: one stack, one state (after `defaults` are merged in). */
export interface ClusterConfig extends Infer<typeof clusterSchema> {}

/**
 * The config: the clusters to manage and the defaults they start from. A file's cluster may leave
 * `repositories` to `defaults`; the loader's clusters have `defaults` merged in, so each is a whole
 * {@link ClusterConfig}: the one field whose type is not its node's.
 */
export interface FluxGitOpsConfig extends Omit<Infer<typeof configSchema>, 'clusters'> {
  /** The clusters, `defaults` merged in. */
  readonly clusters: readonly ClusterConfig[];
}
