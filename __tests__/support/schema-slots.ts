/**
 * The places of the config schema, walked from the schema itself (so a field added later is covered
 * without touching the tests that walk it), and config fixtures with every feature on, so that each
 * place has a sink: shared by the escape test (literal-strings.test.ts) and the limits test
 * (schema-limits.test.ts).
 */
import { SchemaNode, validate } from '../../flux/schema';

export type Key = string | number;
export interface Slot {
  /** Where the string goes; a map key is written as the last element `{ key: true }`. */
  readonly path: readonly Key[];
  readonly isKey: boolean;
  readonly node: SchemaNode;
}

/**
 * Every place of the schema: each node (properties, list items, map values) and each map key. Free-form
 * objects (chart values, preserved unknown fields) take any key and any value below: a key, a value and
 * a nested value stand for them.
 */
export function schemaSlots(node: SchemaNode, path: Key[] = [], out: Slot[] = []): Slot[] {
  out.push({ path, isKey: false, node });
  for (const [k, child] of Object.entries(node.properties ?? {})) schemaSlots(child, [...path, k], out);
  if (node.items) schemaSlots(node.items, [...path, 0], out);
  if (typeof node.additionalProperties === 'object') schemaSlots(node.additionalProperties, [...path, 'k1'], out);
  if (node.propertyNames || typeof node.additionalProperties === 'object') out.push({ path: [...path, 'k1'], isKey: true, node: node.propertyNames ?? {} });
  if (node.type === 'object' && (node.additionalProperties === true || node['x-kubernetes-preserve-unknown-fields'])) {
    out.push({ path: [...path, 'k1'], isKey: false, node: {} }, { path: [...path, 'k1'], isKey: true, node: {} }, { path: [...path, 'k2', 'k3'], isKey: false, node: {} });
  }
  return out;
}

/** Every place the schema takes a string (a key, a string field, or any value of a free-form object). */
export function stringSlots(node: SchemaNode): Slot[] {
  return schemaSlots(node).filter((s) => s.isKey || s.node.type === 'string' || (s.node.type === undefined && !s.node.properties && !s.node.items));
}

/** Every feature on, so that every field has a sink: two backends, since their fields exclude each other. */
const base = (backend: object) => ({
  clusters: [
    {
      name: 'prod',
      kubeconfig: { path: '/etc/kube/config', context: 'prod-admin' },
      flux: { namespace: 'flux-system', chartRepository: 'https://fluxcd-community.github.io/helm-charts' },
      knownHosts: { entries: ['git.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'] },
      workloadIdentity: { clientId: '11111111-2222-3333-4444-555555555555' },
      connector: {
        subscribers: { k1: 'http://spektate.spektate.svc.cluster.local:5000/api/flux' },
        ciCdOrchestrator: 'GITHUB',
        github: { orgUrl: 'https://api.github.com/repos/contoso', repository: 'workflows' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ops', effect: 'NoSchedule' }],
        nodeSelector: { k1: 'linux' },
      },
      notifications: {
        providers: [
          { name: 'teams', type: 'msteams', addressFromVariable: true },
          { name: 'hook', type: 'generic', address: 'https://alerts.example.com/flux', channel: 'ops', username: 'flux' },
          { name: 'chat', type: 'slack', secretName: 'slack-token', channel: 'ops', username: 'flux' },
        ],
      },
      receiver: { publicUrl: 'https://flux-webhook.example.com/hooks', ingress: { className: 'nginx', tlsSecretName: 'webhook-tls', annotations: { k1: 'letsencrypt' } } },
      backend,
      repositories: [
        { name: 'platform', url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/platform', path: './clusters/prod', ref: { branch: 'main' }, substitute: { k1: 'prod' }, connector: { prRepository: 'hld' } },
        { name: 'apps', azureDevOps: { organization: 'contoso', project: 'fabrikam', repository: 'apps' }, auth: 'https', dependsOn: ['platform'], targetNamespace: 'apps', ref: { tag: 'v1.0.0' } },
        { name: 'other', url: 'ssh://git@git.example.com/team/other.git', ref: { semver: '>=1.0.0' }, interval: '5m', timeout: '2m', retryInterval: '1m', sourceTimeout: '30s' },
        { name: 'refs', url: 'https://git.example.com/team/refs.git', auth: 'https', ref: { name: 'refs/heads/main' } },
        { name: 'pinned', url: 'https://dev.azure.com/contoso/fabrikam/_git/pinned', auth: 'workload-identity', ref: { branch: 'main', commit: 'a'.repeat(40) } },
      ],
    },
  ],
});
/** The free-text Kustomization fields, so that each has a sink in the short form and in kustomizations entries. */
const kustomizationText = {
  healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }],
  // CEL must parse (flux/cel.ts): each starts with a string literal, where a payload placed after the first character is text.
  healthCheckExprs: [{ apiVersion: 'example.com/v1', kind: 'Widget', current: "'True' == status.ready", inProgress: "'Pending' == status.phase", failed: "'Failed' == status.phase" }],
  components: ['./components/a'],
  postBuild: { substitute: { k1: 'prod' }, substituteFrom: [{ kind: 'ConfigMap', name: 'vars' }] },
  decryption: { provider: 'sops', secretRef: { name: 'sops-keys' } },
};
/** The sources and settings added by issues 10-14 (AKS access, zero-secret identity, SOPS, OCI, buckets, placement, several Kustomizations). */
const later = (form: 'short' | 'entries') => {
  const kustomizations = (name: string) => ({ kustomizations: [{ name, path: './apps', interval: '5m', timeout: '2m', retryInterval: '1m', targetNamespace: 'apps', ...kustomizationText }] });
  const toleration = { key: 'dedicated', operator: 'Equal', value: 'flux', effect: 'NoSchedule' };
  const placement = { tolerations: [toleration], nodeSelector: { k1: 'linux' }, resources: { requests: { k1: '100m' }, limits: { k1: '1Gi' } }, priorityClassName: 'system-cluster-critical' };
  return {
    clusters: [
      {
        name: 'prod',
        aks: { subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-aks', name: 'aks-prod' },
        workloadIdentity: { managed: { name: 'flux-prod', resourceGroup: 'rg-id', location: 'westeurope', accessLevel: 'express' } },
        sops: { keyVault: { clientId: '11111111-2222-3333-4444-555555555555' }, ageKey: true },
        flux: { imageRegistry: 'myacr.azurecr.io', imagePullSecrets: ['pull'], multitenancy: { enabled: true, defaultServiceAccount: 'tenant' }, placement: Object.fromEntries(['all', 'source', 'kustomize', 'helm', 'notification', 'imageReflector', 'imageAutomation'].map((c) => [c, placement])) },
        connector: { imageRegistry: 'myacr.azurecr.io', imagePullSecrets: ['pull'], tolerations: [toleration] },
        repositories: [
          form === 'short'
            ? { name: 'platform', azureDevOps: { organization: 'contoso', project: 'fabrikam', repository: 'platform' }, path: './clusters/prod', ...kustomizationText }
            : { name: 'platform', azureDevOps: { organization: 'contoso', project: 'fabrikam', repository: 'platform' }, ...kustomizations('platform-apps') },
        ],
        ociRepositories: [
          form === 'short'
            ? { name: 'oci', url: 'oci://myacr.azurecr.io/manifests/platform', provider: 'azure', registryId: '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/myacr', ref: { tag: 'v1' }, interval: '5m', sourceTimeout: '30s', path: './', timeout: '2m', retryInterval: '1m', targetNamespace: 'apps', ...kustomizationText }
            : { name: 'oci', url: 'oci://myacr.azurecr.io/manifests/platform', secretName: 'acr-pull', ref: { semver: '>=1.0.0' }, ...kustomizations('oci-apps') },
        ],
        buckets: [
          form === 'short'
            ? { name: 'bk', bucketName: 'manifests', endpoint: 'https://acct.blob.core.windows.net', storageAccountId: '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-st/providers/Microsoft.Storage/storageAccounts/acct', prefix: 'prod/', interval: '5m', sourceTimeout: '30s', path: './', timeout: '2m', retryInterval: '1m', targetNamespace: 'apps', ...kustomizationText }
            : { name: 'bk', bucketName: 'manifests', endpoint: 'minio.example.com:9000', provider: 'generic', secretName: 'minio', prefix: 'prod/', ...kustomizations('bucket-apps') },
        ],
      },
    ],
  };
};
/** `value` and everything below it frozen: a fixture shared by every copy made from it must not change. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

// Each field its own value (a JSON copy: the literals above share objects, one placement for seven
// controllers, one kustomizationText for three sources, where a value put at one field would land at
// all of them). Frozen: withValue's copies share every part of a base they do not change, so a loader or
// construct that wrote into its config would throw here rather than change the base under later tests.
export const BASES: any[] = deepFreeze(JSON.parse(JSON.stringify([
  base({ type: 'azurerm', resourceGroupName: 'rg-state', storageAccountName: 'stgitops', containerName: 'tfstate', keyPrefix: 'flux/', subscriptionId: '11111111-2222-3333-4444-555555555555', tenantId: '11111111-2222-3333-4444-555555555555' }),
  base({ type: 'cloud', organization: 'contoso', hostname: 'tfe.example.com', workspacePrefix: 'flux-', project: 'gitops' }),
  later('short'),
  later('entries'),
])));

/**
 * The schema node the loader's schema check visits at `path` (through properties, list items and map
 * values); undefined where the schema declares none there or stops checking (preserved unknown fields).
 */
export function nodeAt(schema: SchemaNode, path: readonly Key[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const k of path) {
    if (node === undefined || node['x-kubernetes-preserve-unknown-fields']) return undefined;
    if (typeof k === 'number') node = node.items;
    else if (node.properties && Object.hasOwn(node.properties, k)) node = node.properties[k];
    else node = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
  }
  return node;
}

/**
 * True when the schema refuses an object or list that holds `slot` in `config` (`schema` is the config
 * schema), from the one holding it up to a section of a cluster or of defaults (`clusters[0].flux`,
 * `defaults.flux`): the loader checks the whole config against the schema first, visiting each of these
 * nodes with its value there, so the config is refused. A cheap verdict where the slot's own node cannot
 * see the problem: rules of an object (placement values, map keys such as nodeSelector's). Not used where
 * a holder has {cluster} in it: the loader checks defaults with a cluster name put in.
 */
export function holderRefused(schema: SchemaNode, config: unknown, slot: Slot): boolean {
  const section = slot.path[0] === 'clusters' ? 3 : 2;
  for (let depth = slot.path.length - 1; depth >= section; depth--) {
    const at = slot.path.slice(0, depth);
    const node = nodeAt(schema, at);
    const holder = getAt(config, at);
    if (node === undefined || holder === undefined || JSON.stringify(holder).includes('{cluster}')) continue;
    if (validate(node, holder, '', { isUnresolved: () => false }).length > 0) return true;
  }
  return false;
}

export function getAt(root: any, path: readonly Key[]): unknown {
  return path.reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), root);
}

/** A copy of `root` with the string at `path` (or the key, for a key slot) replaced. */
export function withString(root: unknown, slot: Slot, text: string): any {
  return withValue(root, slot, text);
}

/** A copy of the object or list `v` (its entries shared), or `v` itself. */
const shallowCopy = (v: unknown): any => (Array.isArray(v) ? [...v] : typeof v === 'object' && v !== null ? { ...v } : v);

/**
 * A copy of `root` with the value at `path` (or the key, for a key slot: then `value` is its text)
 * replaced. Only the objects and lists on the path are copied; the rest is shared with `root` (the
 * loader and the stacks never write into a config: the bases are frozen to hold them to it).
 */
export function withValue(root: unknown, slot: Slot, value: unknown): any {
  const text = value as string;
  const copy = shallowCopy(root);
  let parent = copy;
  for (const k of slot.path.slice(0, -1)) {
    parent[k] = parent[k] === undefined ? (typeof k === 'number' ? [] : {}) : shallowCopy(parent[k]);
    parent = parent[k];
  }
  const last = slot.path[slot.path.length - 1];
  if (slot.isKey) {
    const value = parent[last] ?? 'v';
    delete parent[last];
    parent[text] = value;
  } else {
    parent[last] = value;
  }
  return copy;
}

