import { ITerraformDependable, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { DefaultServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/default-service-account-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { AZURE_DEVOPS_NAME_RULES, invalidAzureDevOpsName, isRepositoryName } from '../azure-devops/names';
import { AzureDevOpsRepositoryName, azureDevOpsHttpsUrl, azureDevOpsProjectUrl } from '../azure-devops/urls';
import { commitStatusWriterProblem, CommitStatusWriter, connectorAppUrl } from '../flux/commit-status';
import { CONFIGMAP_KEY, isDnsLabel, isDnsSubdomain, isHttpUrl, isReservedNamespace } from '../flux/formats';
import { nodeSelectorProblems, tolerationProblems } from '../flux/pod-rules';
import { isImageRegistry, NOTIFICATION_CONTROLLER_POD_LABELS, Toleration } from './flux-install';
import { chartScalar, helmValuesJson } from './helm-values';
import { LiteralStrings } from './literal-strings';
import { propErrors } from './prop-errors';

const CONFIGMAP_KEY_PATTERN = new RegExp(CONFIGMAP_KEY);

/**
 * The newest chart in the index at https://azure.github.io/gitops-connector/ (1.2.0's archive is gone).
 * The one place of this pin (the image tag is the chart's appVersion, the same number); with it move the
 * descriptions in config/schema.ts that name it (then `npm run schema` and `npm run docs:config`), what
 * docs/observability.md says the connector does with events, and the chart in ../shared;
 * __tests__/versions.test.ts fails while README.md or docs/ name the old version.
 */
export const GITOPS_CONNECTOR_CHART_VERSION = '1.2.1';
/** The Helm repository of the gitops-connector chart. */
export const GITOPS_CONNECTOR_CHART_REPOSITORY = 'https://azure.github.io/gitops-connector/';
/** Chart 1.2.1 names its objects, whatever the release name, so one release fits in a namespace. */
export const GITOPS_CONNECTOR_SERVICE = 'gitops-connector';
/** The Secret the chart renders from the PAT (key `PAT`). */
export const GITOPS_CONNECTOR_SECRET = 'gitops-connector-secret';
/** The port of the connector's Service. */
export const GITOPS_CONNECTOR_PORT = 8080;
/** The image of chart 1.2.1 (its values.yaml `imageName`), path below the registry ghcr.io. */
export const GITOPS_CONNECTOR_IMAGE_PATH = 'azure/gitops-connector';
/** The one route of the connector (POST, no authentication). */
export const GITOPS_CONNECTOR_PATH = '/gitopsphase';

/** The GitHub repository whose workflows the connector reports to, with `ciCdOrchestrator: GITHUB`. */
export interface GitHubOrchestrator {
  /** e.g. https://api.github.com/repos/my-org */
  readonly orgUrl: string;
  /** Repository whose workflows the connector calls back. */
  readonly repository: string;
}

/** Props of {@link GitOpsConnector}. */
export interface GitOpsConnectorProps {
  /** The manifests repository whose commits get the statuses. */
  readonly repository: AzureDevOpsRepositoryName;
  /** The PAT: a Terraform reference (a sensitive variable), never a literal. Scopes: Code (Read & status), Build (Read & execute). */
  readonly pat: string;
  /**
   * Namespace of the release; chart 1.2.1's object names are fixed, so one connector per namespace.
   * @default 'gitops-connector'
   */
  readonly namespace?: string;
  /**
   * Let Helm create the namespace (Helm never deletes it). Turn off when the namespace exists, or is
   * made by a resource listed in `dependsOn`.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Where the CD pipelines wait for the deployment: Azure Pipelines (`AZDO`) or GitHub Actions (`GITHUB`).
   * @default 'AZDO'
   */
  readonly ciCdOrchestrator?: 'AZDO' | 'GITHUB';
  /** Required with `ciCdOrchestrator: 'GITHUB'`. @default - none */
  readonly github?: GitHubOrchestrator;
  /**
   * Repository the CD pipelines open their pull requests in (an HLD repository, when it is not the
   * manifests repository). Set explicitly, since later connector versions no longer fall back.
   * @default - the manifests repository
   */
  readonly prRepository?: string;
  /**
   * Link put on every commit status (connector 1.2.1 appends `?noop=<status name>` to it, so it takes no query).
   * @default - the manifests repository's web URL, with `#fleet/<ring>/<cluster>` when `writer` is given
   */
  readonly gitOpsAppUrl?: string;
  /**
   * The cluster (and ring) this connector runs on. The connector names every status `Status` on every
   * cluster, so its statuses can be told apart only by their link: the default gitOpsAppUrl then names the
   * cluster (flux/commit-status.ts connectorAppUrl).
   * @default - none: the statuses of two clusters cannot be told apart
   */
  readonly writer?: CommitStatusWriter;
  /**
   * Endpoints that get a JSON copy of every status the connector posts (name -> URL), e.g. a
   * Spektate server's `/api/flux`.
   * @default {}
   */
  readonly subscribers?: { readonly [name: string]: string };
  /** @default [] */
  readonly tolerations?: readonly Toleration[];
  /** @default {} */
  readonly nodeSelector?: { readonly [key: string]: string };
  /**
   * Chart version. The values this construct writes are the flat values of 1.2.x.
   * @default GITOPS_CONNECTOR_CHART_VERSION
   */
  readonly chartVersion?: string;
  /**
   * Helm repository of the chart (https://, or an oci:// registry path), e.g. a mirror.
   * @default GITOPS_CONNECTOR_CHART_REPOSITORY
   */
  readonly chartRepository?: string;
  /**
   * Pull the image from this registry instead of ghcr.io, at the same path and tag
   * (`<imageRegistry>/azure/gitops-connector:1.2.1`).
   * @default - ghcr.io
   */
  readonly imageRegistry?: string;
  /**
   * Secrets of the namespace (type kubernetes.io/dockerconfigjson) to pull the image with. Chart 1.2.1
   * has no imagePullSecrets value, so they are set on the namespace's `default` ServiceAccount, which
   * the connector's pod runs as; the namespace and the Secrets must exist before the deploy.
   * @default []
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * The only pods admitted to the connector: its `/gitopsphase` route takes any POST without
   * authentication, and its PAT can complete pipeline gates. A NetworkPolicy in the connector's
   * namespace admits these pods (and nothing else) to its port; `false` leaves the namespace open.
   * @default - the flux2 chart's notification-controller (`app: notification-controller`) in namespace `flux-system`
   */
  readonly allowFrom?: { readonly namespace: string; readonly podLabels: { readonly [key: string]: string } } | false;
  /**
   * Created first: at least what creates the namespace when `createNamespace` is false.
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The GitOps Connector (github.com/Azure/gitops-connector) from its published Helm chart: it turns
 * Flux events into commit statuses on the manifests repository and completes the Azure Pipelines
 * tasks that wait for a deployment.
 *
 * The published 1.2.1 values.yaml ships a non-empty default `orchestratorPAT`. This construct always
 * overrides it with the user's PAT through `set_sensitive` (a Terraform reference, so the PAT never
 * appears in the synthesized JSON, and Terraform hides it in plans); the chart then renders
 * `gitops-connector-secret` from it.
 */
export class GitOpsConnector extends Construct {
  public readonly release: Release;
  public readonly namespace: string;
  /** The URL the notification-controller posts events to (fully qualified: it runs in another namespace). */
  public readonly address: string;
  /** The NetworkPolicy that admits only `allowFrom` (absent when `allowFrom` is false). */
  public readonly networkPolicy?: NetworkPolicyV1;
  /** The chart values, as synthesized. */
  public readonly values: Readonly<Record<string, unknown>>;
  /** The namespace's default ServiceAccount, given the image pull Secrets, when there are any. */
  public readonly pullServiceAccount?: DefaultServiceAccountV1;

  constructor(scope: Construct, id: string, props: GitOpsConnectorProps) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const fail = propErrors(`GitOpsConnector ${this.node.path}`);
    this.namespace = props.namespace ?? 'gitops-connector';
    if (!isDnsLabel(this.namespace)) fail('namespace', this.namespace, 'use an RFC 1123 label (lower-case letters, digits, "-", at most 63)');
    // Its deny-by-default NetworkPolicy would cut CoreDNS off in kube-system.
    if (isReservedNamespace(this.namespace)) fail('namespace', this.namespace, 'use a namespace of its own, not default or a kube-* namespace');
    for (const [field, value, allowed] of [...tolerationProblems(props.tolerations), ...nodeSelectorProblems(props.nodeSelector)]) fail(field, value, allowed);
    const clash = TerraformStack.of(this)
      .node.findAll()
      .find((c) => c !== this && c instanceof GitOpsConnector && c.namespace === this.namespace);
    if (clash) fail('namespace', this.namespace, `${clash.node.path} already installs a connector there, and chart ${GITOPS_CONNECTOR_CHART_VERSION} names its objects the same in every release`);
    const badName = invalidAzureDevOpsName(props.repository);
    if (badName) fail(`repository.${badName}`, props.repository[badName], `use ${AZURE_DEVOPS_NAME_RULES[badName]}`);
    if (!Token.isUnresolved(props.pat)) fail('pat', '(a literal string)', 'pass a sensitive TerraformVariable so the PAT never lands in the synthesized JSON');
    const orchestrator = props.ciCdOrchestrator ?? 'AZDO';
    if (orchestrator !== 'AZDO' && orchestrator !== 'GITHUB') fail('ciCdOrchestrator', orchestrator, 'use "AZDO" or "GITHUB"');
    if (orchestrator === 'GITHUB' && !props.github) fail('github', undefined, 'give orgUrl and repository with ciCdOrchestrator "GITHUB"');
    if (props.prRepository !== undefined && !isRepositoryName(props.prRepository)) fail('prRepository', props.prRepository, `use ${AZURE_DEVOPS_NAME_RULES.repository}`);
    const version = props.chartVersion ?? GITOPS_CONNECTOR_CHART_VERSION;
    if (!/^1\.2\.\d+$/.test(version)) fail('chartVersion', version, 'use a 1.2.x chart: later charts (main branch) take another shape of values');
    for (const [name, url] of Object.entries(props.subscribers ?? {})) {
      if (!CONFIGMAP_KEY_PATTERN.test(name)) fail(`subscribers key`, name, 'use letters, digits, ".", "_" and "-" (it becomes a ConfigMap key)');
      if (!isHttpUrl(url)) fail(`subscribers.${name}`, url, 'use an http:// or https:// URL');
    }
    const writerProblem = props.writer && commitStatusWriterProblem(props.writer);
    if (writerProblem) fail('writer', props.writer, `give a positive integer ring and a cluster name that is an RFC 1123 label (${writerProblem})`);
    const repositoryUrl = azureDevOpsHttpsUrl(props.repository);
    const url = props.gitOpsAppUrl ?? (props.writer ? connectorAppUrl(repositoryUrl, props.writer) : repositoryUrl);
    if (!isHttpUrl(url)) fail('gitOpsAppUrl', url, 'use an http:// or https:// URL');
    // The connector appends "?noop=<status name>": a query of its own would make a second "?".
    if (url.includes('?')) fail('gitOpsAppUrl', url, 'leave out the query: connector 1.2.1 appends ?noop=<status name> to this URL');

    if (props.imageRegistry !== undefined && !isImageRegistry(props.imageRegistry)) {
      fail('imageRegistry', props.imageRegistry, 'use a registry host with an optional port and path, without a scheme, e.g. myacr.azurecr.io');
    }
    (props.imagePullSecrets ?? []).forEach((name, i) => {
      if (!isDnsSubdomain(name)) fail(`imagePullSecrets[${i}]`, name, 'name a Secret (an RFC 1123 subdomain)');
    });
    const chartRepository = props.chartRepository ?? GITOPS_CONNECTOR_CHART_REPOSITORY;
    // Never http://: a chart fetched in clear is installed with the deploy's cluster credentials.
    if (!/^(https|oci):\/\/\S+$/.test(chartRepository)) fail('chartRepository', chartRepository, 'use an https:// Helm repository or an oci:// registry path');

    this.address = `http://${GITOPS_CONNECTOR_SERVICE}.${this.namespace}.svc.cluster.local:${GITOPS_CONNECTOR_PORT}${GITOPS_CONNECTOR_PATH}`;
    this.values = {
      gitRepositoryType: 'AZDO',
      ciCdOrchestratorType: orchestrator,
      gitOpsOperatorType: 'FLUX',
      // Chart 1.2.1 writes these into its ConfigMap unquoted (templates/deployment.yaml): chartScalar
      // keeps a repository `2024` or `true` text and `@infra` from breaking the YAML.
      gitOpsAppURL: chartScalar(url),
      azdoGitOpsRepoName: chartScalar(props.repository.repository),
      azdoOrgUrl: chartScalar(azureDevOpsProjectUrl(props.repository)),
      azdoPrRepoName: chartScalar(props.prRepository ?? props.repository.repository),
      // The PAT comes through set_sensitive (below), which wins over values; "" here keeps these values
      // safe on their own too: the chart's shipped default token never survives either.
      orchestratorPAT: '',
      ...(props.github && { gitHubGitOpsRepoName: chartScalar(props.github.repository), gitHubOrgUrl: chartScalar(props.github.orgUrl) }),
      // Keys unquoted, values `| quote`d (templates/subscribers.yaml).
      ...(props.subscribers &&
        Object.keys(props.subscribers).length > 0 && { subscribers: Object.fromEntries(Object.entries(props.subscribers).map(([k, v]) => [chartScalar(k), v])) }),
      ...(props.tolerations && props.tolerations.length > 0 && { tolerations: props.tolerations.map((t) => ({ ...t })) }),
      ...(props.nodeSelector && Object.keys(props.nodeSelector).length > 0 && { nodeSelector: { ...props.nodeSelector } }),
      ...(props.imageRegistry !== undefined && { imageName: `${props.imageRegistry}/${GITOPS_CONNECTOR_IMAGE_PATH}` }),
    };
    if (props.imagePullSecrets?.length) {
      // A ServiceAccount's imagePullSecrets are used "for pulling any images in pods that reference this
      // ServiceAccount" (core/v1 ServiceAccount API reference); they are copied into a pod when it is
      // admitted, so they are set before the release makes the pod.
      this.pullServiceAccount = new DefaultServiceAccountV1(this, 'default-service-account', {
        metadata: { namespace: this.namespace },
        imagePullSecret: props.imagePullSecrets.map((name) => ({ name })),
        dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
      });
    }
    const before = [...(props.dependsOn ?? []), ...(this.pullServiceAccount ? [this.pullServiceAccount] : [])];

    this.release = new Release(this, 'release', {
      name: 'gitops-connector',
      namespace: this.namespace,
      createNamespace: props.createNamespace ?? true,
      // Config text: Terraform must read it as a literal, never as a template.
      repository: chartRepository,
      chart: 'gitops-connector',
      version,
      values: [helmValuesJson(this.values)],
      // Always set, so the chart's shipped default token can never be used; `string`, so Helm never
      // reads a PAT as a number.
      setSensitive: [{ name: 'orchestratorPAT', value: props.pat, type: 'string' }],
      dependsOn: before.length ? before : undefined,
      wait: true,
      atomic: true,
      timeout: 300,
    });

    const allowFrom = props.allowFrom ?? { namespace: 'flux-system', podLabels: NOTIFICATION_CONTROLLER_POD_LABELS };
    if (allowFrom !== false) {
      if (!isDnsLabel(allowFrom.namespace)) fail('allowFrom.namespace', allowFrom.namespace, 'use an RFC 1123 label');
      if (Object.keys(allowFrom.podLabels).length === 0) fail('allowFrom.podLabels', {}, 'name at least one label: an empty selector admits every pod of the namespace');
      // Every pod of the namespace (the chart's one Deployment), ingress only: the connector still
      // reaches Azure DevOps and the subscribers. After the release: Helm creates the namespace.
      this.networkPolicy = new NetworkPolicyV1(this, 'ingress', {
        metadata: { name: 'gitops-connector-ingress', namespace: this.namespace },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [
            {
              // One peer with both selectors: those pods, in that namespace (two peers would admit either).
              from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': allowFrom.namespace } }, podSelector: { matchLabels: { ...allowFrom.podLabels } } }],
              ports: [{ port: String(GITOPS_CONNECTOR_PORT), protocol: 'TCP' }],
            },
          ],
        },
        dependsOn: [this.release],
      });
    }
  }
}
