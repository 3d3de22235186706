/**
 * Issue 21, "configs accepted that should be refused" (items 1-8): each config below was accepted before
 * and the cluster, a chart or Azure would have refused it, or it would have done harm. The loader now
 * refuses it, naming the field; the construct refuses it too (for library users), with the same shared check.
 */
import { App, TerraformStack } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { validateConfig } from '../config/load';
import { FluxInstall, FluxInstallProps } from '../constructs/flux-install';
import { GitOpsConnector, GitOpsConnectorProps } from '../constructs/gitops-connector';
import { FluxBucket } from '../constructs/flux-bucket';
import { FluxGitSync } from '../constructs/flux-git-sync';
import { FluxOciRepository, FluxOciRepositoryProps } from '../constructs/flux-oci-repository';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import { goDurationNanoseconds, isExactChartVersion, isOciRepositoryUrl } from '../flux/formats';
import { maskUrlCredentials, normaliseGitUrl } from '../azure-devops/urls';
import { problems } from './support/config-problems';
import { bareStack, tempDir } from './support/synth';

const repo = { name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/infra' };
const withCluster = (extra: object, repositories: unknown[] = [repo]) => ({ clusters: [{ name: 'dev', repositories, ...extra }] });
/** The problems of a config, each `path: message` (the value shown after it is checked apart, where it matters). */
const found = (extra: object, repositories?: unknown[]) => problems(() => validateConfig(withCluster(extra, repositories), 'x')).map((p) => p.replace(/ \(got [^]*\)$/, ''));
const accepts = (extra: object, repositories?: unknown[]) => expect(() => validateConfig(withCluster(extra, repositories), 'x')).not.toThrow();

const IDENTITY = { workloadIdentity: { clientId: '00000000-0000-0000-0000-000000000000' } };
const mt = (controller: string, values: object) => ({ flux: { multitenancy: { enabled: true }, values: { [controller]: values } } });
const args = (a: string[]) => ({ container: { additionalArgs: a } });
/** The multi-tenancy refusal, at the exact place below `flux.values` that mentions the flag. */
const MT = (at: string): string => `clusters[0].flux.values.${at}: must not mention --no-cross-namespace-refs or --default-service-account anywhere in values with multitenancy on, in any spelling or controller (multitenancy sets them)`;
const RESERVED = 'must not be default or a kube-* namespace (Kubernetes reserves them for its own objects)';
const DNS_NAME = 'must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ (an RFC 1123 name)';
const OCI_URL =
  'must match ^oci://(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]{1,5})?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$ (oci://<registry>/<repository> as the OCI distribution spec names them (lower-case path, no tag or digest))';
const TOO_LONG = "must fit Go's time.Duration, which Flux decodes it into: at most 2562047h (int64 nanoseconds)";
const TOO_SHORT = 'must be at least 1s: a shorter interval or timeout makes the controller loop or fail at once';
const BLOB =
  "must be https://<account>.blob.core.windows.net (or a sovereign cloud's blob.core.chinacloudapi.cn, blob.core.usgovcloudapi.net) with provider azure: source-controller sends its Azure token to this host";
const QUALIFIED = 'use a Kubernetes qualified name: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_", "." starting and ending with a letter or digit';
const LABEL_VALUE = 'use a label value: at most 63 letters, digits, "-", "_", "." starting and ending with a letter or digit';
const SEMVER = 'must be a SemVer 2 version, as Helm requires of charts (no leading zeros, no empty pre-release part)';
const QUERY = 'carries a credential in its query (pat=); give it through a sensitive variable (addressFromVariable) or a Secret';

/** [issue item and case, cluster fields, repositories (default: one Azure Repos repository), the exact problems]. */
const REFUSED: [string, object, unknown[] | undefined, string[]][] = [
  ['1 connector namespacePrefix kube + repository system', { connector: { namespacePrefix: 'kube' } }, [{ ...repo, name: 'system' }], [
    'clusters[0].connector.namespacePrefix: makes kube-system the connector namespace of repository system; Kubernetes reserves default, kube-system, kube-public, kube-node-lease and every kube-* namespace for its own objects',
  ]],
  ['1 flux.namespace kube-system', { flux: { namespace: 'kube-system' } }, undefined, [`clusters[0].flux.namespace: ${RESERVED}`]],
  ['1 flux.namespace default', { flux: { namespace: 'default' } }, undefined, [`clusters[0].flux.namespace: ${RESERVED}`]],
  ['1 flux.namespace kube-flux', { flux: { namespace: 'kube-flux' } }, undefined, [`clusters[0].flux.namespace: ${RESERVED}`]],
  ...['123', 'on', 'y', 'null', '1e3', '2001-12-14', '0x1f'].map((namespace): [string, object, undefined, string[]] => [
    `2 flux.namespace ${namespace}, which the flux2 chart writes unquoted`,
    { flux: { namespace } },
    undefined,
    ['clusters[0].flux.namespace: must read as text in YAML, not as a number, boolean, null or date (the flux2 chart writes it unquoted)'],
  ]),
  ['2 an ingress className that is no object name', { receiver: { publicUrl: 'https://hook.example.com', ingress: { className: 'nginx: {x}' } } }, undefined, [`clusters[0].receiver.ingress.className: ${DNS_NAME}`]],
  ['2 a tlsSecretName that is no object name', { receiver: { publicUrl: 'https://hook.example.com', ingress: { tlsSecretName: 'TLS secret' } } }, undefined, [`clusters[0].receiver.ingress.tlsSecretName: ${DNS_NAME}`]],
  ['2 an annotation key that is no qualified name', { receiver: { publicUrl: 'https://hook.example.com', ingress: { annotations: { 'x: y': 'v' } } } }, undefined, [
    'clusters[0].receiver.ingress.annotations.x: y: key must be a Kubernetes qualified name (ValidateAnnotations), e.g. nginx.ingress.kubernetes.io/ssl-redirect',
  ]],
  ['3 --no-cross-namespace-refs=false on notification-controller', mt('notificationController', args(['--no-cross-namespace-refs=false'])), undefined, [MT('notificationController.container.additionalArgs[0]')]],
  ['3 --no-cross-namespace-refs false (two arguments) on image-automation-controller', mt('imageAutomationController', args(['--no-cross-namespace-refs', 'false'])), undefined, [MT('imageAutomationController.container.additionalArgs[0]')]],
  ['3 -no-cross-namespace-refs=0 (single dash) on helm-controller', mt('helmController', args(['-no-cross-namespace-refs=0'])), undefined, [MT('helmController.container.additionalArgs[0]')]],
  ['3 --no-cross-namespace-refs=False on kustomize-controller', mt('kustomizeController', args(['--no-cross-namespace-refs=False'])), undefined, [MT('kustomizeController.container.additionalArgs[0]')]],
  ['3 the flag in extraEnv', mt('notificationController', { extraEnv: [{ name: 'ARGS', value: '--no-cross-namespace-refs=f' }] }), undefined, [MT('notificationController.extraEnv[0].value')]],
  ['3 the flag as an env name', mt('notificationController', { extraEnv: [{ name: 'NO_CROSS_NAMESPACE_REFS', value: 'false' }] }), undefined, [MT('notificationController.extraEnv[0].name')]],
  ['3 --default-service-account on image-reflector-controller', mt('imageReflectionController', args(['--default-service-account=admin'])), undefined, [MT('imageReflectionController.container.additionalArgs[0]')]],
  ['4 an Azure bucket endpoint on a foreign host', { ...IDENTITY, buckets: [{ name: 'b', bucketName: 'manifests', endpoint: 'https://acct.blob.attacker.example' }] }, undefined, [`clusters[0].buckets[0].endpoint: ${BLOB}`]],
  ['4 an Azure suffix followed by a foreign domain', { ...IDENTITY, buckets: [{ name: 'b', bucketName: 'manifests', endpoint: 'https://acct.blob.core.windows.net.attacker.example' }] }, undefined, [`clusters[0].buckets[0].endpoint: ${BLOB}`]],
  ['5 a toleration with operator Exists and a value', { flux: { placement: { all: { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] } } } }, undefined, [
    'clusters[0].flux.placement.all.tolerations[0].value: is not valid; leave it out with operator Exists (Kubernetes refuses it)',
  ]],
  ['5 tolerationSeconds without NoExecute', { flux: { placement: { source: { tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule', tolerationSeconds: 30 }] } } } }, undefined, [
    'clusters[0].flux.placement.source.tolerations[0].tolerationSeconds: is not valid; give it only with effect NoExecute (Kubernetes refuses it otherwise)',
  ]],
  ['5/8 a toleration key and value that are not Kubernetes names', { flux: { placement: { all: { tolerations: [{ key: 'bad key', operator: 'Equal', value: 'x y' }] } } } }, undefined, [
    `clusters[0].flux.placement.all.tolerations[0].key: is not valid; ${QUALIFIED}`,
    `clusters[0].flux.placement.all.tolerations[0].value: is not valid; ${LABEL_VALUE}`,
  ]],
  ['5 nodeAffinity of the wrong shape', { flux: { placement: { all: { affinity: { nodeAffinity: [] } } } } }, undefined, [
    'clusters[0].flux.placement.all.affinity.nodeAffinity: is not valid; use an object with requiredDuringSchedulingIgnoredDuringExecution, preferredDuringSchedulingIgnoredDuringExecution',
  ]],
  ['5 no nodeSelectorTerms', { flux: { placement: { all: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } } } } }, undefined, [
    'clusters[0].flux.placement.all.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: is not valid; give at least one entry',
  ]],
  ['5 a weight of 0 and no topologyKey', { flux: { placement: { helm: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: { labelSelector: {} } }] } } } } } }, undefined, [
    'clusters[0].flux.placement.helm.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: is not valid; use a whole number from 1 to 100',
    'clusters[0].flux.placement.helm.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: is not valid; give a node label key such as kubernetes.io/hostname',
  ]],
  ['5 a memory limit below the chart\'s request', { flux: { placement: { all: { resources: { limits: { memory: '32Mi' } } } } } }, undefined, [
    "clusters[0].flux.placement.all.resources.limits.memory: is not valid; use at least the memory request 64Mi (the chart's default request): Kubernetes refuses a limit below its request",
  ]],
  ['5 a quantity that does not parse and a cpu limit below its request', { flux: { placement: { all: { resources: { requests: { cpu: '500m' }, limits: { cpu: '0.2', memory: '1.5.5' } } } } } }, undefined, [
    'clusters[0].flux.placement.all.resources.limits.memory: is not valid; use a Kubernetes quantity such as 100m, 1, 256Mi or 1Gi',
    'clusters[0].flux.placement.all.resources.limits.cpu: is not valid; use at least the cpu request 500m: Kubernetes refuses a limit below its request',
  ]],
  ['5 connector tolerations and nodeSelector', { connector: { tolerations: [{ operator: 'Equal', value: 'x' }], nodeSelector: { 'bad key': 'x', ok: 'not valid!' } } }, undefined, [
    'clusters[0].connector.tolerations[0].key: is not valid; give a key, or operator Exists to tolerate every taint',
    'clusters[0].connector.nodeSelector: has a key that is not valid; use a label key such as kubernetes.azure.com/mode',
    `clusters[0].connector.nodeSelector.ok: is not valid; ${LABEL_VALUE}`,
  ]],
  ['6 3000000h overflows time.Duration', {}, [{ ...repo, interval: '3000000h' }], [`clusters[0].repositories[0].interval: ${TOO_LONG}`]],
  ['6 0s', {}, [{ ...repo, interval: '0s' }], [`clusters[0].repositories[0].interval: ${TOO_SHORT}`]],
  ['6 0.000001ms and a 0s sourceTimeout', {}, [{ ...repo, interval: '0.000001ms', sourceTimeout: '0s' }], [`clusters[0].repositories[0].interval: ${TOO_SHORT}`, `clusters[0].repositories[0].sourceTimeout: ${TOO_SHORT}`]],
  ['6 a Kustomization entry', {}, [{ ...repo, kustomizations: [{ name: 'k', interval: '2562048h', retryInterval: '999ms' }] }], [
    `clusters[0].repositories[0].kustomizations[0].interval: ${TOO_LONG}`,
    `clusters[0].repositories[0].kustomizations[0].retryInterval: ${TOO_SHORT}`,
  ]],
  ['7 an OCI path with capitals', { ociRepositories: [{ name: 'o', url: 'oci://contoso.azurecr.io/Manifests/app' }] }, undefined, [`clusters[0].ociRepositories[0].url: ${OCI_URL}`]],
  ['7 an OCI url with a tag', { ociRepositories: [{ name: 'o', url: 'oci://contoso.azurecr.io/app:1.0' }] }, undefined, [`clusters[0].ociRepositories[0].url: ${OCI_URL}`]],
  ['7 an OCI path with ".."', { ociRepositories: [{ name: 'o', url: 'oci://contoso.azurecr.io/a..b' }] }, undefined, [`clusters[0].ociRepositories[0].url: ${OCI_URL}`]],
  ['7 an OCI repository name over 255 characters', { ociRepositories: [{ name: 'o', url: `oci://contoso.azurecr.io/${'a'.repeat(240)}` }] }, undefined, [
    'clusters[0].ociRepositories[0].url: must name a repository of at most 255 characters (distribution/reference NameTotalLengthMax)',
  ]],
  ['7 an OCI tag starting with "-"', { ociRepositories: [{ name: 'o', url: 'oci://contoso.azurecr.io/app', ref: { tag: '-latest' } }] }, undefined, [
    'clusters[0].ociRepositories[0].ref.tag: must match ^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$ (an OCI tag: up to 128 letters, digits, "_", ".", "-", not starting with "." or "-")',
  ]],
  ['7 an OCI semver that is no range', { ociRepositories: [{ name: 'o', url: 'oci://contoso.azurecr.io/app', ref: { semver: 'newest' } }] }, undefined, [
    'clusters[0].ociRepositories[0].ref.semver: must be a semver range that parses (e.g. ">=1.0.0 <2.0.0", "1.2.x", "~1.2", "^1.0.0")',
  ]],
  ['7 chart version 02.18.3', { flux: { chartVersion: '02.18.3' } }, undefined, [`clusters[0].flux.chartVersion: ${SEMVER}`]],
  ['7 chart version 2.18.3-..', { flux: { chartVersion: '2.18.3-..' } }, undefined, [`clusters[0].flux.chartVersion: ${SEMVER}`]],
  ['8 notification-controller off with a connector and commit statuses', { flux: { components: { notification: false } } }, undefined, [
    'clusters[0].flux.components.notification: must be on: the stack delivers Alerts and Providers for the GitOps Connector of infra (connector.enabled), the Azure DevOps commit statuses (notifications.commitStatus), which only notification-controller serves; turn those off to run without it',
  ]],
  ['8 notification-controller off with a provider', { flux: { components: { notification: false } }, connector: { enabled: false }, notifications: { commitStatus: false, providers: [{ name: 'hook', type: 'generic', address: 'https://hook.example.com' }] } }, undefined, [
    'clusters[0].flux.components.notification: must be on: the stack delivers Alerts and Providers for notifications.providers, which only notification-controller serves; turn those off to run without it',
  ]],
  ['8 kustomize-controller off', { flux: { components: { kustomize: false } } }, undefined, [
    'clusters[0].flux.components.kustomize: must be on: every repository, OCI repository and bucket is applied by a Kustomization, which only kustomize-controller reconciles',
  ]],
  ['8 every controller but notification off', { flux: { components: { source: false, kustomize: false, helm: false } } }, undefined, [
    'clusters[0].flux.components.source: must be on: the stack delivers GitRepository objects, which only source-controller reconciles',
    'clusters[0].flux.components.kustomize: must be on: every repository, OCI repository and bucket is applied by a Kustomization, which only kustomize-controller reconciles',
  ]],
  ['8 a PAT sent to an http:// repository', {}, [{ name: 'infra', url: 'http://git.example.com/infra.git', auth: 'https' }], [
    'clusters[0].repositories[0].url: is http://, where Flux would send its PAT or token in clear; use https://',
  ]],
  ['8 ?pat= in an Azure Repos URL', {}, [{ name: 'infra', url: 'https://dev.azure.com/o/p/_git/infra?pat=s3cr3tvalue', auth: 'https' }], [`clusters[0].repositories[0].url: ${QUERY}`]],
  // config/data.ts finds this one first, by the parameter's name.
  ['8 ?access_token= in an Azure Repos URL', {}, [{ name: 'infra', url: 'https://dev.azure.com/o/p/_git/infra?x=1&access_token=abc' }], [
    'clusters[0].repositories[0].url: carries a credential in its query (access_token=); give it through a sensitive variable (addressFromVariable) or a Secret',
  ]],
];

describe('configs the cluster, a chart or Azure would refuse are refused by the loader, naming the field', () => {
  it.each(REFUSED)('%s', (_case, extra, repositories, expected) => {
    expect(found(extra, repositories)).toEqual(expected);
  });

  it('shows a credential of a URL query masked, never in clear', () => {
    const all = problems(() => validateConfig(withCluster({}, [{ name: 'infra', url: 'https://dev.azure.com/o/p/_git/infra?pat=s3cr3tvalue', auth: 'https' }]), 'x'));
    expect(all).toEqual([`clusters[0].repositories[0].url: ${QUERY} (got "https://dev.azure.com/o/p/_git/infra?pat=***")`]);
    expect(maskUrlCredentials('https://h.example/x?a=1&sig=abc&token=def#k')).toBe('https://h.example/x?a=1&sig=***&token=***#k');
  });

  it('still accepts what the cluster takes: sovereign blob endpoints, the longest duration, NoExecute tolerationSeconds, limits at the request, notification off with nothing to notify, web URL queries', () => {
    accepts({ ...IDENTITY, buckets: [{ name: 'b', bucketName: 'manifests', endpoint: 'https://acct.blob.core.chinacloudapi.cn' }, { name: 'c', bucketName: 'manifests', endpoint: 'https://acct.blob.core.usgovcloudapi.net/' }] });
    accepts({}, [{ ...repo, interval: '2562047h', sourceTimeout: '1s' }]);
    accepts({ flux: { placement: { all: { resources: { limits: { memory: '64Mi', cpu: '1' } }, tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, { operator: 'Exists' }] } } } });
    accepts({ flux: { components: { notification: false } }, connector: { enabled: false }, notifications: { commitStatus: false } });
    accepts({ flux: { namespace: 'flux' }, connector: { namespacePrefix: 'kubernetes' } });
    accepts({ flux: { namespace: '2024-flux' } });
    accepts({ flux: { multitenancy: { enabled: true }, values: { kustomizeController: args(['--concurrent=10']) } } });
    accepts({ ociRepositories: [{ name: 'o', url: 'oci://localhost:5000/team_a/app--x', ref: { semver: '>=1.0.0 <2.0.0' } }] });
    accepts({ flux: { chartVersion: 'v2.18.3' } });
    accepts({}, [{ name: 'infra', url: 'https://dev.azure.com/o/p/_git/infra?path=/README.md&version=GBmain', auth: 'https' }]);
    accepts({ flux: { placement: { all: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] } } } } } } });
  });
});

describe('the constructs refuse the same, with the same checks', () => {
  const delivery = () => new FluxObjectsRelease(bareStack(), 'objects', { namespace: 'flux-system' });
  const install = (props: FluxInstallProps) => () => new FluxInstall(bareStack(), 'flux', props);
  const connector = (props: Partial<GitOpsConnectorProps>) => () =>
    new GitOpsConnector(bareStack(), 'c', { repository: { organization: 'o', project: 'p', repository: 'infra' }, pat: '${TfToken[TOKEN.1]}', ...props });
  const oci = (props: Partial<FluxOciRepositoryProps>) => () => new FluxOciRepository(bareStack(), 'o', { delivery: delivery(), url: 'oci://contoso.azurecr.io/app', ...props });

  it.each<[string, () => unknown, RegExp]>([
    ['1 FluxInstall namespace kube-system', install({ namespace: 'kube-system' }), /namespace "kube-system" is not valid; use a namespace of its own/],
    ['2 FluxInstall namespace 123', install({ namespace: '123' }), /namespace "123" is not valid; use a name YAML reads as text/],
    ['1 GitOpsConnector namespace kube-system', connector({ namespace: 'kube-system' }), /namespace "kube-system" is not valid; use a namespace of its own/],
    ['1 FluxObjectsRelease namespace default', () => new FluxObjectsRelease(bareStack(), 'objects', { namespace: 'default' }), /namespace "default" is not valid; use the Flux namespace/],
    ['2 a webhook Ingress class that is no object name', install({ webhookReceiverIngress: { host: 'hook.example.com', className: 'Nginx Class' } }), /webhookReceiverIngress\.className "Nginx Class" is not valid/],
    ['2 a webhook Ingress TLS Secret that is no object name', install({ webhookReceiverIngress: { host: 'hook.example.com', tlsSecretName: 'a b' } }), /webhookReceiverIngress\.tlsSecretName "a b" is not valid/],
    ['2 a webhook Ingress annotation key that is no qualified name', install({ webhookReceiverIngress: { host: 'hook.example.com', annotations: { 'x: y': 'v' } } }), /webhookReceiverIngress\.annotations key "x: y" is not valid/],
    ['3 the flag on notification-controller', install({ multitenancy: { enabled: true }, values: { notificationController: args(['--no-cross-namespace-refs=false']) } }), /values\.notificationController\.container\.additionalArgs\[0\] "\(a multi-tenancy flag\)" is not valid/],
    ['3 the flag in env of image-automation-controller', install({ multitenancy: { enabled: true }, values: { imageAutomationController: { extraEnv: [{ name: 'X', value: '-no-cross-namespace-refs=0' }] } } }), /values\.imageAutomationController\.extraEnv\[0\]\.value "\(a multi-tenancy flag\)" is not valid/],
    ['4 FluxBucket endpoint on a foreign host', () => new FluxBucket(bareStack(), 'b', { delivery: delivery(), bucketName: 'manifests', endpoint: 'https://acct.blob.attacker.example' }), /endpoint "https:\/\/acct\.blob\.attacker\.example" is not valid; use https:\/\/<account>\.blob\.core\.windows\.net/],
    ['5 FluxInstall toleration with Exists and a value', install({ placement: { all: { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] } } }), /placement\.all\.tolerations\[0\]\.value "v" is not valid/],
    ['5 FluxInstall limit below the chart request', install({ placement: { source: { resources: { limits: { memory: '32Mi' } } } } }), /placement\.source\.resources\.limits\.memory "32Mi" is not valid; use at least the memory request 64Mi/],
    ['5 FluxInstall affinity of the wrong shape', install({ placement: { all: { affinity: { nodeAffinity: [] } } } }), /placement\.all\.affinity\.nodeAffinity \[\] is not valid/],
    ['5 GitOpsConnector toleration with Exists and a value', connector({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }), /tolerations\[0\]\.value "v" is not valid/],
    ['5 GitOpsConnector nodeSelector value', connector({ nodeSelector: { pool: 'a b' } }), /nodeSelector\.pool "a b" is not valid/],
    ['6 an OCI interval of 0s', oci({ interval: '0s' }), /interval "0s" is not valid; use at least 1s/],
    ['6 an OCI timeout of 3000000m', oci({ timeout: '3000000000m' }), /timeout "3000000000m" is not valid; use at most 2562047h/],
    ['7 an OCI url with a tag', oci({ url: 'oci://contoso.azurecr.io/app:1.0' }), /url "oci:\/\/contoso\.azurecr\.io\/app:1\.0" is not valid/],
    ['7 an OCI tag', oci({ ref: { tag: '.x' } }), /ref\.tag "\.x" is not valid/],
    ['7 an OCI semver', oci({ ref: { semver: 'newest' } }), /ref\.semver "newest" is not valid/],
    ['7 FluxInstall chart version 02.18.3', install({ chartVersion: '02.18.3' }), /chartVersion "02\.18\.3" is not an exact chart version/],
    ['8 a PAT to an http:// repository', () => normaliseGitUrl('http://git.example.com/infra.git', 'https'), /is http:\/\/, where Flux would send its PAT or token in clear/],
    ['8 ?pat= in an Azure Repos URL', () => normaliseGitUrl('https://dev.azure.com/o/p/_git/infra?pat=abc', 'https'), /carries a credential in its query/],
  ])('%s', (_case, build, error) => {
    expect(build).toThrow(error);
  });

  /** The error text of a synth of a Flux install with `props` and objects made by `build`, '' when it passes. */
  function synthError(props: FluxInstallProps, build: (stack: TerraformStack, delivery: FluxObjectsRelease) => void): string {
    const app = new App({ outdir: tempDir('cdktf.out.'), stackTraces: false });
    const stack = new TerraformStack(app, 'test');
    new HelmProvider(stack, 'helm', {});
    new FluxInstall(stack, 'flux', props);
    build(stack, new FluxObjectsRelease(stack, 'objects', { namespace: 'flux-system' }));
    try {
      app.synth();
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  }
  const gitSync = (stack: TerraformStack, delivery: FluxObjectsRelease) => new FluxGitSync(stack, 'apps', { delivery, url: 'https://github.com/stefanprodan/podinfo', transport: 'https' });
  const imagePolicy = (_stack: TerraformStack, delivery: FluxObjectsRelease) =>
    delivery.add({ apiVersion: 'image.toolkit.fluxcd.io/v1beta2', kind: 'ImagePolicy', metadata: { name: 'app', namespace: 'flux-system' }, spec: { imageRepositoryRef: { name: 'app' }, policy: { semver: { range: '1.x' } } } } as never);

  it('8 reports objects whose controller is off (FLUX-CONTROLLER-OFF): a Kustomization without kustomize-controller, an ImagePolicy without image automation', () => {
    expect(synthError({ components: { kustomize: false, helm: false } }, gitSync)).toMatch(/\[test\/apps\] \[FLUX-CONTROLLER-OFF\] Kustomization flux-system\/apps is delivered but no Flux install of the stack runs components\.kustomize/);
    expect(synthError({}, imagePolicy)).toMatch(/\[FLUX-CONTROLLER-OFF\] ImagePolicy flux-system\/app is delivered but no Flux install of the stack runs components\.imageAutomation/);
    expect(synthError({}, gitSync)).toBe('');
    expect(synthError({ components: { imageAutomation: true } }, imagePolicy)).toBe('');
  });
});

describe('the shared checks', () => {
  it('computes durations as time.ParseDuration does, to the int64 limit', () => {
    expect(['1.5h', '1h30m', '100ms', '2562047h47m16.854775807s', '2562047h47m16.854775808s', '3000000h', '5 m'].map(goDurationNanoseconds)).toEqual([
      5_400_000_000_000n,
      5_400_000_000_000n,
      100_000_000n,
      9_223_372_036_854_775_807n,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('takes SemVer 2 chart versions only, and OCI repository URLs by the distribution grammar', () => {
    expect(['2.18.3', 'v2.18.3', '2.18.3-rc.1+b.5', '02.18.3', '2.18.3-..', '2.18.03', '2.18'].map(isExactChartVersion)).toEqual([true, true, true, false, false, false, false]);
    expect(['oci://ghcr.io/o/app', 'oci://localhost:5000/a__b/c-d', 'oci://ghcr.io/O/app', 'oci://ghcr.io/app@sha256:abc', 'oci://ghcr.io/', 'oci://ghcr.io/a_'].map(isOciRepositoryUrl)).toEqual([true, true, false, false, false, false]);
  });
});
