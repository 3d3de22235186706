import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GIT_SSH_SECRET } from '../constructs/flux-git-secret';
import { CONTAINER_REGISTRY_ID, STORAGE_ACCOUNT_ID } from '../constructs/flux-workload-identity';
import { AZURE_DEVOPS_NAME_RULES, invalidAzureDevOpsName } from '../azure-devops/names';
import { AZURE_DEVOPS_SSH_HOST, azureDevOpsProviderAddressProblem, maskUrlCredentials, urlCredentialProblem } from '../azure-devops/urls';
import { ADDRESS_PROVIDER_TYPES } from '../flux/api';
import { isDnsHostName } from '../flux/formats';
import { AZURE_DEVOPS_KNOWN_HOSTS_LINE, KnownHostsEntry, knownHostsCover, parseKnownHostsLine } from '../constructs/known-hosts';
import { formatViolations, validate, ValidationMemo, Violation } from '../flux/schema';
import { dataProblems, duplicateJsonKey, isSecretName, MAX_MERGED_BYTES, maskTokenRuns, maskValue, readBounded, secretNamedProblems, urlSecretProblem } from './data';
import { EXAMPLE_CONFIG } from './example';
import { fleetProblems } from './fleet';
import { checkKustomizations } from './kustomizations';
import { refusedConfigProblems } from './refused';
import {
  COMMIT_STATUS_SECRET,
  commitStatusAlertName,
  connectorAlertName,
  connectorNamespace,
  connectorNamespacePrefix,
  azureReposDefaultAuth,
  GIT_HTTPS_SECRET,
  notificationSecretName,
  receiverSecretName,
  repositorySource,
  RepositorySource,
} from './repositories';
import { ClusterConfig, clusterSchema, configSchema, FluxGitOpsConfig } from './schema';

/** Environment variable naming the config file. */
export const CONFIG_ENV_VAR = 'FLUX_GITOPS_CONFIG';
/** cdktf context key naming the config file (cdktf.json `context`, or `CDKTF_CONTEXT_JSON`). */
export const CONFIG_CONTEXT_KEY = 'fluxGitopsConfig';

/** Placeholder for the cluster name in the strings of `defaults`. */
export const CLUSTER_PLACEHOLDER = '{cluster}';

/** Every problem of one config, reported together. */
export class ConfigError extends Error {
  /** The problems, each value masked (an error never repeats a value that may be a secret). */
  public readonly violations: readonly Violation[];

  constructor(
    public readonly source: string,
    violations: readonly Violation[],
  ) {
    // An unknown field's value is not shown at all: a file that is not a config (a kubeconfig named by
    // mistake) has its secrets under unknown keys.
    // Keys are in paths: a token used as a key is cut like a token value.
    // Nor the value of the whole file: a .env, .npmrc or /proc/self/environ reads as one YAML string.
    // Nor an object or a list: a rule on a parent object names the fields and the reason, never the
    // object, which may hold a short secret (a DB_PASSWORD of substitute) no masking would spot. Nor
    // a value whose key says it is a secret.
    const hidden = (v: Violation) =>
      v.path === '' || v.message.startsWith('is not a known field') || (typeof v.value === 'object' && v.value !== null) || isSecretName(v.path.split(/[.[\]]/).filter(Boolean).pop() ?? '');
    const masked = violations.map((v) => ({ ...v, path: maskTokenRuns(v.path), value: hidden(v) ? undefined : maskValue(v.value) }));
    super(
      `${source}: ${masked.length} problem${masked.length === 1 ? '' : 's'} in the config:\n` + formatViolations(masked).replace(/^/gm, '  '),
    );
    this.violations = masked;
    this.name = 'ConfigError';
  }
}

/** Line and column (1-based) of offset `pos` of `text`. */
function lineColumn(text: string, pos: number): string {
  const before = text.slice(0, pos).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * Parses config text: JSON for `.json`, YAML otherwise (YAML is a superset of JSON). A key given twice
 * is refused in both (JSON.parse would keep the last silently). Parse errors say where, never what:
 * the text may be a file holding secrets, named by mistake.
 */
export function parseConfigText(text: string, source: string): unknown {
  const fail = (message: string): never => {
    throw new ConfigError(source, [{ path: '', value: undefined, message }]);
  };
  // A byte order mark (some Windows editors write one) is not content.
  text = text.replace(/^\uFEFF/, '');
  if (source.endsWith('.json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      const message = (e as Error).message;
      const pos = message.match(/at position (\d+)/);
      return fail(`is not valid JSON${pos ? ` (${lineColumn(text, Number(pos[1]))})` : /end of JSON input/.test(message) ? ' (it ends early)' : ''}`);
    }
    const duplicate = duplicateJsonKey(text);
    if (duplicate >= 0) fail(`repeats a key (${lineColumn(text, duplicate)}); each key may appear once per object`);
    return json;
  }
  // Loaded only for YAML files: JSON files and the embedded example never pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('yaml') as typeof import('yaml');
  try {
    // uniqueKeys (the default, stated here because it is relied on): a repeated key is an error.
    return yaml.parse(text, { prettyErrors: false, uniqueKeys: true, maxAliasCount: 100 }) as unknown;
  } catch (e) {
    const err = e as { code?: string; pos?: [number, number] };
    const where = err.pos ? ` (${lineColumn(text, err.pos[0])})` : '';
    if (err.code === 'DUPLICATE_KEY') return fail(`repeats a key${where}; each key may appear once per object`);
    return fail(`is not valid YAML${where}${err.code ? `: ${err.code}` : ''}`);
  }
}

let azureDevOpsEntry: KnownHostsEntry | undefined;
/** The pinned Azure DevOps line, parsed once per process: a constant, and its fingerprint is a SHA-256 per parse. */
function azureDevOpsKnownHost(): KnownHostsEntry {
  return (azureDevOpsEntry ??= Object.freeze(parseKnownHostsLine(AZURE_DEVOPS_KNOWN_HOSTS_LINE)));
}

/** Checks that span fields: unique names, dependsOn targets, URLs, keys and host keys that fit together. */
function checkCluster(cluster: ClusterConfig, clusterAt: string): Violation[] {
  const out: Violation[] = [];
  const repos = cluster.repositories;
  const names = new Set<string>();
  repos.forEach((repo, j) => {
    if (names.has(repo.name)) {
      out.push({ path: `${clusterAt}.repositories[${j}].name`, value: repo.name, message: 'is used by another repository of this cluster; names must be unique' });
    }
    names.add(repo.name);
  });

  // Kustomizations across sources: names, dependsOn, cycles, and the identities they need.
  out.push(...checkKustomizations(cluster, clusterAt));

  const trustsAzureDevOps = cluster.knownHosts?.includeAzureDevOps ?? true;
  const entries: KnownHostsEntry[] = trustsAzureDevOps ? [azureDevOpsKnownHost()] : [];
  (cluster.knownHosts?.entries ?? []).forEach((line, k) => {
    try {
      entries.push(parseKnownHostsLine(line));
    } catch (e) {
      out.push({ path: `${clusterAt}.knownHosts.entries[${k}]`, value: line, message: (e as Error).message.replace(/^known_hosts line ".*?" /, '') });
    }
  });
  const algorithm = cluster.gitIdentity?.algorithm ?? 'RSA';

  // Each repository's URL or names understood once; undefined where the URL is unusable (reported here).
  const sources = repos.map((repo, j): RepositorySource | undefined => {
    try {
      return repositorySource(repo, azureReposDefaultAuth(cluster));
    } catch (e) {
      // A URL with a credential is shown masked: error output must not repeat a token. One the data
      // check already refused (urlSecretProblem reads every string of the file) is not said twice.
      if (repo.url !== undefined && urlSecretProblem(repo.url)) return undefined;
      out.push({ path: `${clusterAt}.repositories[${j}].url`, value: repo.url && maskUrlCredentials(repo.url), message: (e as Error).message.replace(/^".*?" /, '') });
      return undefined;
    }
  });

  repos.forEach((repo, j) => {
    const repoAt = `${clusterAt}.repositories[${j}]`;
    const source = sources[j];
    if (!source) return;
    if (source.azureDevOps && repo.url !== undefined) {
      // Names read from a URL meet the same rules as names given as names.
      const bad = invalidAzureDevOpsName(source.azureDevOps);
      if (bad) {
        const message = `names the ${bad} ${JSON.stringify(source.azureDevOps[bad])}, which is not ${AZURE_DEVOPS_NAME_RULES[bad]}`;
        out.push({ path: `${repoAt}.url`, value: maskUrlCredentials(repo.url), message });
      }
    }
    if (source.auth === 'ssh') {
      const host = source.azureDevOps ? AZURE_DEVOPS_SSH_HOST : new URL(source.url!).hostname;
      if (!knownHostsCover(entries, host)) {
        out.push({
          path: repo.url !== undefined ? `${repoAt}.url` : `${repoAt}.azureDevOps`,
          value: repo.url ?? repo.azureDevOps,
          message: `is on ${host}, which no knownHosts entry pins; add its known_hosts line to knownHosts.entries (host keys are never scanned)`,
        });
      }
      if (source.azureDevOps && algorithm !== 'RSA') {
        out.push({
          path: `${clusterAt}.gitIdentity.algorithm`,
          value: algorithm,
          message: `must be RSA: repository ${repo.name} is on Azure DevOps, whose SSH server accepts only RSA keys`,
        });
      }
    }
    if (source.auth === 'workload-identity') {
      if (!source.azureDevOps) {
        out.push({ path: `${repoAt}.auth`, value: source.auth, message: 'works only for Azure Repos (GitRepository provider azure); use ssh or https for other hosts' });
      }
      if (!cluster.workloadIdentity) {
        out.push({ path: `${clusterAt}.workloadIdentity`, value: undefined, message: `is required: repository ${repo.name} uses auth workload-identity` });
      }
    }
  });
  if (cluster.workloadIdentity?.managed) {
    if (!cluster.aks) {
      out.push({ path: `${clusterAt}.workloadIdentity.managed`, value: cluster.workloadIdentity.managed, message: 'needs aks: the stack reads the OIDC issuer of the AKS cluster named there' });
    }
    if (!sources.some((s) => s?.auth === 'workload-identity')) {
      out.push({ path: `${clusterAt}.workloadIdentity.managed`, value: cluster.workloadIdentity.managed, message: 'has no repository to serve: no Azure Repos repository uses auth workload-identity' });
    }
    const given = cluster.workloadIdentity.managed.identityId;
    const givenSubscription = given?.split('/')[2];
    if (cluster.aks && givenSubscription && givenSubscription.toLowerCase() !== cluster.aks.subscriptionId.toLowerCase()) {
      out.push({ path: `${clusterAt}.workloadIdentity.managed.identityId`, value: given, message: `must be in the cluster's subscription ${cluster.aks.subscriptionId}: its federated credentials are made there` });
    }
    if (cluster.flux?.components?.source === false) {
      out.push({ path: `${clusterAt}.flux.components.source`, value: false, message: 'must be on with workloadIdentity.managed: source-controller reads the repositories as the identity' });
    }
  }
  out.push(...identityRoleProblems(cluster, clusterAt));
  repos.forEach((repo, j) => {
    if (repo.connector?.enabled !== true || !sources[j]) return;
    if (!sources[j]!.azureDevOps) {
      out.push({ path: `${clusterAt}.repositories[${j}].connector.enabled`, value: true, message: 'needs an Azure Repos repository: the GitOps Connector posts Azure DevOps commit statuses' });
    }
  });
  repos.forEach((repo, j) => {
    const namespace = connectorNamespace(cluster, repo.name);
    if (namespace.length <= 63) return;
    // Named where it was set: the prefix when the config gives one, else the repository's name.
    if (cluster.connector?.namespacePrefix !== undefined) {
      out.push({ path: `${clusterAt}.connector.namespacePrefix`, value: connectorNamespacePrefix(cluster), message: `makes the namespace ${namespace} of repository ${repo.name} longer than 63 characters` });
    } else {
      out.push({ path: `${clusterAt}.repositories[${j}].name`, value: repo.name, message: `makes its connector namespace ${namespace} (connector.namespacePrefix-name) longer than 63 characters` });
    }
  });
  if (cluster.sops?.keyVault && cluster.flux?.components?.kustomize === false) {
    out.push({ path: `${clusterAt}.flux.components.kustomize`, value: false, message: 'must be on with sops.keyVault: the identity is for kustomize-controller' });
  }
  if (cluster.connector?.ciCdOrchestrator === 'GITHUB' && !cluster.connector.github) {
    out.push({ path: `${clusterAt}.connector.github`, value: undefined, message: 'is required with ciCdOrchestrator GITHUB (orgUrl and repository)' });
  }
  const providerNames = new Set<string>();
  (cluster.notifications?.providers ?? []).forEach((p, k) => {
    const pat = `${clusterAt}.notifications.providers[${k}]`;
    if (providerNames.has(p.name)) out.push({ path: `${pat}.name`, value: p.name, message: 'is used by another provider; names must be unique' });
    providerNames.add(p.name);
    if (repos.some((r) => p.name === connectorAlertName(r.name) || p.name === commitStatusAlertName(r.name))) {
      out.push({ path: `${pat}.name`, value: p.name, message: 'is the name of a Provider the stack makes for a repository; choose another' });
    }
    if (p.address !== undefined && p.addressFromVariable) {
      out.push({ path: `${pat}.addressFromVariable`, value: true, message: 'conflicts with address; give one of them' });
    }
    // The channel of a pagerduty Provider is its routing key (notification-controller passes it as
    // such: internal/notifier/factory.go pagerDutyNotifierFunc, pagerduty.go NewPagerDuty), and a
    // channel shaped like a key is one for any type: config values land in the state in clear.
    if (p.channel !== undefined && (p.type === 'pagerduty' || /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9+/=_-]{24,}$/.test(p.channel))) {
      out.push({
        path: `${pat}.channel`,
        value: undefined,
        message: `${p.type === 'pagerduty' ? 'is the PagerDuty routing key' : 'looks like a routing or integration key'}, a secret, and config values land in the state and the cluster in clear; make this Provider outside the config with its key in a Secret`,
      });
    }
    // The rule FluxAlert applies, first: notification-controller 1.8.3's parse of the address (azure-devops/urls.ts).
    const addressProblem = p.type === 'azuredevops' && p.address !== undefined ? azureDevOpsProviderAddressProblem(p.address) : undefined;
    if (addressProblem) out.push({ path: `${pat}.address`, value: maskUrlCredentials(p.address!), message: addressProblem });
    if (ADDRESS_PROVIDER_TYPES.includes(p.type) && p.address === undefined && !p.addressFromVariable && !p.secretName) {
      out.push({ path: `${pat}.address`, value: undefined, message: `is required for type ${p.type} (or addressFromVariable, or a secretName holding an address)` });
    }
    (p.repositories ?? []).forEach((name, m) => {
      if (!names.has(name)) out.push({ path: `${pat}.repositories[${m}]`, value: name, message: `names no repository of this cluster (known: ${[...names].join(', ')})` });
    });
  });
  const urls: [string, string | undefined][] = [
    ...Object.entries(cluster.connector?.subscribers ?? {}).map(([k, v]): [string, string] => [`${clusterAt}.connector.subscribers.${k}`, v]),
    ...(cluster.notifications?.providers ?? []).map((p, k): [string, string | undefined] => [`${clusterAt}.notifications.providers[${k}].address`, p.address]),
    [`${clusterAt}.receiver.publicUrl`, cluster.receiver?.publicUrl],
    [`${clusterAt}.connector.github.orgUrl`, cluster.connector?.github?.orgUrl],
  ];
  for (const [field, url] of urls) {
    // The data check (urlSecretProblem) reads every string of the file; said once, not again here.
    const problem = url === undefined || urlSecretProblem(url) ? undefined : urlCredentialProblem(url);
    if (problem) out.push({ path: field, value: maskUrlCredentials(url!), message: problem });
  }
  if (cluster.receiver) {
    const host = new URL(cluster.receiver.publicUrl).hostname;
    if (cluster.receiver.ingress && !isDnsHostName(host)) {
      out.push({ path: `${clusterAt}.receiver.publicUrl`, value: cluster.receiver.publicUrl, message: `has the host ${host}, which an Ingress rule cannot take; use a DNS name` });
    }
    if (cluster.flux?.components?.notification === false) {
      out.push({ path: `${clusterAt}.flux.components.notification`, value: false, message: 'must be on for receiver: notification-controller serves the webhook' });
    }
    if (!sources.some((source) => source?.azureDevOps)) out.push({ path: `${clusterAt}.receiver`, value: cluster.receiver, message: 'has no Azure Repos repository to hook: service hooks exist only in Azure DevOps' });
  }
  out.push(...collisions(cluster, clusterAt, sources));
  out.push(...refusedConfigProblems(cluster, clusterAt, sources));
  const kubeconfigPath = cluster.kubeconfig?.path;
  const kubeconfigProblem = kubeconfigPath !== undefined && (kubeconfigPath.startsWith('~') || path.isAbsolute(kubeconfigPath)) ? kubeconfigPathProblem(kubeconfigPath) : undefined;
  if (kubeconfigProblem) out.push({ path: `${clusterAt}.kubeconfig.path`, value: kubeconfigPath, message: kubeconfigProblem });
  if (cluster.gitIdentity?.rsaBits !== undefined && algorithm !== 'RSA') {
    out.push({ path: `${clusterAt}.gitIdentity.rsaBits`, value: cluster.gitIdentity.rsaBits, message: 'applies only to algorithm RSA' });
  }
  if (cluster.gitIdentity?.ecdsaCurve !== undefined && algorithm !== 'ECDSA') {
    out.push({ path: `${clusterAt}.gitIdentity.ecdsaCurve`, value: cluster.gitIdentity.ecdsaCurve, message: 'applies only to algorithm ECDSA' });
  }
  return out;
}

/**
 * Names that would make two Kubernetes objects one: the Secrets the stack makes in the Flux namespace
 * (a provider named `a-push-token` and the Receiver of a repository `flux-notification-a` both want
 * `flux-notification-a-push-token`), a provider reading one of those Secrets through secretName (it
 * would send a PAT or a key to its address), and a connector namespace that is the Flux namespace.
 */
/**
 * In zero-secret mode source-controller reads OCI (ACR) and Bucket (Blob Storage) sources with `provider: azure` as
 * the identity the stack makes, which holds no role there: each such source names the resource the stack grants
 * the role on (AcrPull, Storage Blob Data Reader), the one its URL or endpoint points at. The fields mean nothing
 * elsewhere, so they are refused there rather than ignored.
 */
function identityRoleProblems(cluster: ClusterConfig, clusterAt: string): Violation[] {
  const out: Violation[] = [];
  const managed = cluster.workloadIdentity?.managed !== undefined;
  const hostLabel = (url: string): string | undefined => /^[a-z]+:\/\/([^./:]+)/i.exec(url)?.[1]?.toLowerCase();
  (cluster.ociRepositories ?? []).forEach((oci, k) => {
    const at = `${clusterAt}.ociRepositories[${k}]`;
    const byIdentity = managed && oci.provider === 'azure' && oci.secretName === undefined;
    if (!byIdentity) {
      if (oci.registryId !== undefined) out.push({ path: `${at}.registryId`, value: oci.registryId, message: 'applies only with workloadIdentity.managed, provider azure and no secretName: the identity it grants AcrPull to is the stack\'s' });
      return;
    }
    if (oci.registryId === undefined) {
      out.push({ path: `${at}.registryId`, value: undefined, message: `is required: source-controller pulls ${oci.url} as the zero-secret identity, which needs the AcrPull role on that registry; give the registry's resource id and the stack grants it` });
      return;
    }
    const registry = new RegExp(CONTAINER_REGISTRY_ID).exec(oci.registryId)![1].toLowerCase();
    if (hostLabel(oci.url) !== registry) out.push({ path: `${at}.registryId`, value: oci.registryId, message: `names the registry ${registry}, but url pulls from ${oci.url}; name the registry of url` });
  });
  (cluster.buckets ?? []).forEach((bucket, k) => {
    const at = `${clusterAt}.buckets[${k}]`;
    const byIdentity = managed && (bucket.provider ?? 'azure') === 'azure' && bucket.secretName === undefined;
    if (!byIdentity) {
      if (bucket.storageAccountId !== undefined) out.push({ path: `${at}.storageAccountId`, value: bucket.storageAccountId, message: 'applies only with workloadIdentity.managed, provider azure and no secretName: the identity it grants Storage Blob Data Reader to is the stack\'s' });
      return;
    }
    if (bucket.storageAccountId === undefined) {
      out.push({ path: `${at}.storageAccountId`, value: undefined, message: `is required: source-controller reads ${bucket.endpoint} as the zero-secret identity, which needs the Storage Blob Data Reader role on container ${bucket.bucketName}; give the storage account's resource id and the stack grants it` });
      return;
    }
    const account = new RegExp(STORAGE_ACCOUNT_ID).exec(bucket.storageAccountId)![1];
    if (hostLabel(bucket.endpoint) !== account) out.push({ path: `${at}.storageAccountId`, value: bucket.storageAccountId, message: `names the storage account ${account}, but endpoint is ${bucket.endpoint}; name the account of endpoint` });
  });
  return out;
}

function collisions(cluster: ClusterConfig, clusterAt: string, sources: readonly (RepositorySource | undefined)[]): Violation[] {
  const out: Violation[] = [];
  const fluxNamespace = cluster.flux?.namespace ?? 'flux-system';
  const made = new Map<string, string>();
  const make = (name: string, what: string, at: string, value: unknown): void => {
    const other = made.get(name);
    if (other) out.push({ path: at, value, message: `makes the Secret ${fluxNamespace}/${name}, which ${other} makes too; rename one` });
    else made.set(name, what);
  };
  if (sources.some((s) => s?.auth === 'ssh')) made.set(GIT_SSH_SECRET, 'the SSH key of Flux');
  if (sources.some((s) => s?.auth === 'https')) made.set(GIT_HTTPS_SECRET, 'the HTTPS PAT of Flux');
  if (sources.some((s) => s?.azureDevOps)) made.set(COMMIT_STATUS_SECRET, 'the commit-status PAT');
  const providers = cluster.notifications?.providers ?? [];
  providers.forEach((p, k) => {
    if (p.addressFromVariable) make(notificationSecretName(p.name), `provider ${p.name}`, `${clusterAt}.notifications.providers[${k}].name`, p.name);
  });
  if (cluster.receiver) {
    cluster.repositories.forEach((repo, j) => {
      if (sources[j]?.azureDevOps) make(receiverSecretName(repo.name), `the Receiver of repository ${repo.name}`, `${clusterAt}.repositories[${j}].name`, repo.name);
    });
  }
  providers.forEach((p, k) => {
    const owner = p.secretName !== undefined ? made.get(p.secretName) : undefined;
    if (owner) {
      out.push({
        path: `${clusterAt}.notifications.providers[${k}].secretName`,
        value: p.secretName,
        message: `names the Secret the stack makes for ${owner}; the provider would send those credentials to its own address`,
      });
    }
  });
  cluster.repositories.forEach((repo, j) => {
    if (connectorNamespace(cluster, repo.name) === fluxNamespace) {
      out.push({
        path: `${clusterAt}.repositories[${j}].name`,
        value: repo.name,
        message: `makes the connector namespace ${fluxNamespace}, which is the Flux namespace; rename the repository or change connector.namespacePrefix`,
      });
    }
  });
  return out;
}

/**
 * A cluster on top of the defaults: objects merge key by key, lists and scalars of the cluster replace.
 * The merged objects have no prototype and only own keys are read, so no key of the file can reach
 * Object.prototype (the keys that could are refused before, by dataProblems).
 */
export function mergeDefaults<T>(defaults: unknown, own: T): T {
  if (own === undefined) return structuredClone(defaults) as T;
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(defaults) || !isMap(own)) return own;
  const out: Record<string, unknown> = Object.assign(Object.create(null), structuredClone(defaults));
  for (const [k, v] of Object.entries(own)) out[k] = mergeDefaults(Object.hasOwn(defaults, k) ? defaults[k] : undefined, v);
  return out as T;
}

/** `{cluster}` in a string of the defaults stands for the cluster's name (`./clusters/{cluster}`). */
function withClusterName<T>(value: T, name: string): T {
  if (typeof value === 'string') return value.split(CLUSTER_PLACEHOLDER).join(name) as T;
  if (Array.isArray(value)) return value.map((v) => withClusterName(v, name)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withClusterName(v, name)])) as T;
  }
  return value;
}

/** The value at a violation path such as `repositories[0].url` (undefined when absent). */
function valueAt(root: unknown, path: string): unknown {
  let v: any = root;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (typeof v !== 'object' || v === null) return undefined;
    const key = /^\d+$/.test(part) ? Number(part) : part;
    if (!Object.hasOwn(v, key)) return undefined;
    v = v[key];
  }
  return v;
}

/** A `{name}` placeholder in text (not Flux's or Terraform's `${name}`). */
const PLACEHOLDER = /(?<![$])\{([A-Za-z_][\w.-]*)\}/g;

/**
 * Strings of `defaults` whose `{...}` names no placeholder (`{clustr}`, `{name}`), and strings of a
 * cluster's own settings that hold `{cluster}`, which is replaced only in `defaults` (the construct
 * that got it refused it as an invalid name). Iterative, like dataProblems.
 */
function placeholderProblems(root: unknown, at: string, inDefaults: boolean): Violation[] {
  // Runs on every value of every cluster: a path is made, and the pattern run, only for text with a
  // brace (every placeholder has one) and for what can hold such text.
  const mayHold = (v: unknown): boolean => (typeof v === 'string' ? v.includes('{') : typeof v === 'object' && v !== null);
  const out: Violation[] = [];
  const stack: [unknown, string][] = [[root, at]];
  while (stack.length > 0) {
    const [value, where] = stack.pop()!;
    if (typeof value === 'string') {
      const names = [...value.matchAll(PLACEHOLDER)].map((m) => m[1]);
      const unknown = names.find((n) => n !== 'cluster');
      if (inDefaults && unknown !== undefined) {
        out.push({ path: where, value, message: `holds the placeholder {${unknown}}, which is not one; the one placeholder of defaults is {cluster}` });
      }
      if (!inDefaults && names.includes('cluster')) {
        out.push({ path: where, value, message: "holds {cluster}, which is replaced only in defaults; write the cluster's name here" });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => mayHold(v) && stack.push([v, `${where}[${i}]`]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) if (mayHold(v)) stack.push([v, where ? `${where}.${k}` : k]);
    }
  }
  return out.reverse();
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems of the data itself that make looking further unsafe (prototype keys, nesting): the rest is not read. */
const isStructural = (v: Violation): boolean => v.message.startsWith('is not allowed as a key') || v.message.startsWith('is nested deeper');

/**
 * Validates a parsed config: the schema, then the defaults merged into each cluster and the rules that
 * span fields run on the result. Throws a ConfigError listing every problem of the file in one pass,
 * cross-field rules included (a problem that comes from `defaults` is reported once, at its place
 * there); returns the clusters merged.
 */
export function validateConfig(raw: unknown, source: string): FluxGitOpsConfig {
  const out: Violation[] = [];
  const report = (found: readonly Violation[]): void => {
    for (const v of found) if (!out.some((o) => o.path === v.path && o.message === v.message)) out.push(v);
  };
  const data = dataProblems(raw);
  if (data.some(isStructural)) throw new ConfigError(source, data);
  report(data);
  // Config strings are literal: none is skipped because it looks like an expression. The memo: each
  // cluster is checked again with defaults merged in, and what it did not take from defaults is the
  // very objects of the file, checked against the very nodes (the cluster schema's fields) already.
  const memo: ValidationMemo = new WeakMap(Object.values(clusterSchema.properties).map((node) => [node, new WeakMap()]));
  const literal = { isUnresolved: () => false, memo };
  // `defaults` is checked with {cluster} standing for a name, as every cluster will read it (a
  // Kustomization named {cluster}-apps is a name); each cluster is checked again with its own name.
  const defaults = isMap(raw) && isMap(raw.defaults) ? raw.defaults : undefined;
  const forSchema = defaults ? { ...(raw as object), defaults: withClusterName(defaults, 'x') } : raw;
  // A value the data check refused (a number out of range) is not reported again by the schema.
  const unseen = (found: readonly Violation[], seen: readonly Violation[]) => found.filter((v) => !seen.some((d) => d.path === v.path));
  report(unseen(validate(configSchema, forSchema, '', literal), data).map((v) => (v.path.startsWith('defaults') && v.value !== undefined ? { ...v, value: valueAt(raw, v.path) ?? v.value } : v)));
  if (defaults) report(placeholderProblems(defaults, 'defaults', true));
  const config = raw as FluxGitOpsConfig;
  // A file whose clusters cannot be read one by one stops here, with what is known.
  if (!isMap(raw) || !Array.isArray(config.clusters) || (raw.defaults !== undefined && !defaults)) throw new ConfigError(source, out);
  const merged = JSON.stringify(config.defaults ?? {}).length * config.clusters.length;
  if (merged > MAX_MERGED_BYTES) {
    throw new ConfigError(source, [
      {
        path: 'defaults',
        value: undefined,
        message: `is copied into each of the ${config.clusters.length} clusters, ${merged} bytes in all, more than the ${MAX_MERGED_BYTES} the loader merges; keep in defaults only what every cluster shares`,
      },
    ]);
  }
  const clusterNames = new Set<string>();
  const clusters = config.clusters.map((own, i) => {
    const at = `clusters[${i}]`;
    if (!isMap(own as unknown) || typeof own.name !== 'string') return own;
    const found = placeholderProblems(own, at, false);
    const cluster = mergeDefaults(withClusterName(config.defaults ?? {}, own.name), own);
    // Again after {cluster} is replaced: "https://{cluster}.slack.com/..." is a Slack webhook for a
    // cluster named hooks, a text the check of the file as written never saw. Without defaults the
    // cluster holds the very values of the file, whose problems that check found already (the part
    // of its list under this cluster, in the same order: it walks each value's subtree in one go).
    const unsafe = config.defaults === undefined ? data.filter((v) => v.path === at || v.path.startsWith(`${at}.`) || v.path.startsWith(`${at}[`)) : dataProblems(cluster, at);
    found.push(...unsafe);
    if (!unsafe.some(isStructural)) {
      const shape = unseen(validate(clusterSchema, cluster, at, literal), unsafe);
      found.push(...shape, ...secretNamedProblems(cluster, at));
      // The rules that span fields run even where a field is wrong, so that one pass reports all; a
      // rule that cannot read a malformed part adds nothing (the schema's problem says why).
      try {
        const spanning = checkCluster(cluster, at);
        found.push(...(shape.length === 0 ? spanning : spanning.filter((v) => !shape.some((s) => v.path === s.path || v.path.startsWith(`${s.path}.`) || v.path.startsWith(`${s.path}[`)))));
      } catch (e) {
        if (shape.length === 0) throw e;
      }
    }
    if (clusterNames.has(cluster.name)) {
      found.push({ path: `${at}.name`, value: cluster.name, message: 'is used by another cluster; each cluster is one stack and needs its own name' });
    }
    clusterNames.add(cluster.name);
    report(
      found.map((v) => {
        const rest = v.path.slice(at.length).replace(/^\./, '');
        const fromDefaults = rest !== '' && valueAt(own, rest) === undefined && valueAt(config.defaults, rest) !== undefined;
        return fromDefaults ? { ...v, path: `defaults.${rest}` } : v;
      }),
    );
    return cluster;
  });
  // Across clusters only once each is valid: the fleet checks read the clusters' parsed sources.
  if (out.length === 0) out.push(...fleetProblems(clusters));
  if (out.length > 0) throw new ConfigError(source, out);
  return { clusters };
}

/** A loaded config: the validated config, where it came from, and notes for the user (e.g. from a Bedrock migration). */
export interface LoadedConfig {
  readonly config: FluxGitOpsConfig;
  /** The file it came from, or `embedded example`. */
  readonly source: string;
  /** What a migration mapped and dropped (Bedrock variable files); empty otherwise. */
  readonly notes: readonly string[];
}

/** Bedrock environments keep their variables in terraform.tfvars (or .tfvars.json). */
function isBedrockVariables(file: string): boolean {
  return /\.tfvars(\.json)?$/.test(file);
}

function loadBedrockVariables(text: string, file: string): LoadedConfig {
  // Only migrations read Bedrock variables: not loaded otherwise.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fromBedrockVariables, parseTfvars, toBedrockViolation } = require('./bedrock') as typeof import('./bedrock');
  let vars: Record<string, unknown>;
  if (file.endsWith('.json')) {
    vars = parseConfigText(text, file) as Record<string, unknown>;
  } else {
    const parsed = parseTfvars(text);
    if (parsed.errors.length > 0) throw new ConfigError(file, parsed.errors);
    vars = parsed.values;
  }
  try {
    const { config, notes } = fromBedrockVariables(vars);
    return { config: withKubeconfigResolved(validateConfig(config, file), file), source: file, notes };
  } catch (e) {
    const violations = (e as { violations?: Violation[] }).violations;
    if (violations) throw new ConfigError(file, violations.map((v) => toBedrockViolation(v, text)));
    throw e;
  }
}

/**
 * Loads the config file at `file` (JSON or YAML; or a Bedrock environment's terraform.tfvars, which
 * is migrated), or the embedded example when no file is given, so a fresh clone synthesizes without
 * credentials.
 */
export function loadConfig(file?: string): LoadedConfig {
  // The embedded example is a constant that a test validates; checking it again on every synth
  // would only cost time.
  if (!file) return { config: EXAMPLE_CONFIG, source: 'embedded example', notes: [] };
  const resolved = path.resolve(file);
  let text: string;
  try {
    text = readBounded(resolved);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [{ path: '', value: undefined, message: code ? `cannot be read: ${code}` : (e as Error).message }]);
  }
  if (isBedrockVariables(file)) return loadBedrockVariables(text, file);
  return { config: withKubeconfigResolved(validateConfig(parseConfigText(text, file), file), file), source: file, notes: [] };
}

/**
 * A relative kubeconfig.path is relative to the config file's folder, as a reader of the file
 * expects; Terraform would read it relative to cdktf.out/stacks/<cluster>/. It is written absolute
 * (so it names a file of this machine, like the relative path did). `~` paths stay as they are:
 * the providers expand them, on the machine that deploys.
 */
function withKubeconfigResolved(config: FluxGitOpsConfig, file: string): FluxGitOpsConfig {
  const dir = path.dirname(path.resolve(file));
  const problems: Violation[] = [];
  const clusters = config.clusters.map((c, i) => {
    const p = c.kubeconfig?.path;
    if (p === undefined || p.startsWith('~') || path.isAbsolute(p)) return c;
    const absolute = path.resolve(dir, p);
    const problem = kubeconfigPathProblem(absolute);
    if (problem) problems.push({ path: `clusters[${i}].kubeconfig.path`, value: p, message: problem });
    return { ...c, kubeconfig: { ...c.kubeconfig, path: absolute } };
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { clusters };
}

/**
 * Why a kubeconfig path (absolute, or starting with ~) must not be read, or undefined: it is the one
 * file of the deploy machine a config names, never a process's environment or a device.
 */
function kubeconfigPathProblem(p: string): string | undefined {
  const special = (absolute: string): boolean => /^\/(proc|sys|dev)(\/|$)/.test(path.posix.normalize(absolute.replace(/^\/+/, '/')));
  const refused = 'must be a kubeconfig file, not under /proc, /sys or /dev';
  if (p.startsWith('~')) {
    // ~user is another account's home folder, never the deploying user's kubeconfig.
    if (!/^~([\\/]|$)/.test(p)) return 'must start with ~/ (the home folder of the user who deploys), not ~user';
    // Expanded on the deploy machine, whose home depth is unknown here: `..` could climb to /proc.
    if (p.split(/[\\/]/).includes('..')) return 'must not climb out of the home folder with ".." (write the absolute path)';
    return special(realPath(path.join(os.homedir(), p.slice(1))) ?? '') ? refused : undefined;
  }
  // The text, and where its symbolic links lead on this machine (a link into /proc reads the environment).
  return special(p) || special(realPath(p) ?? '') ? refused : undefined;
}

/** Where `p` leads after every symbolic link, or undefined when it does not exist (yet) on this machine. */
function realPath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/** Where the config file is named: the environment variable wins over the cdktf context. */
export function configPathFrom(env: NodeJS.ProcessEnv, context: unknown): string | undefined {
  const fromEnv = env[CONFIG_ENV_VAR];
  if (fromEnv) return fromEnv;
  return typeof context === 'string' && context !== '' ? context : undefined;
}
