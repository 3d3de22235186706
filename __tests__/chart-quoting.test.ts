/**
 * Every config value that reaches a chart template, rendered by the real charts (../shared/tools/helm-lite,
 * flux2 2.18.3 and gitops-connector 1.2.1), with YAML-breaking and `{{ }}` text: the rendered objects carry
 * exactly the strings given, and no other object appears. The connector chart writes its names unquoted
 * (templates/deployment.yaml), and the flux2 chart the Ingress class, TLS Secret and annotation keys
 * (templates/notification-controller-ingress.yaml): the constructs quote them through chartScalar.
 * Skipped without ../shared (a fresh clone). `${` and `%{` are left out of the generated text: Terraform's
 * own escaping of them is the escape test's (literal-strings.test.ts), and helm-lite would read them as
 * interpolations.
 */
import * as fc from 'fast-check';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { FluxInstall } from '../constructs/flux-install';
import { GitOpsConnector } from '../constructs/gitops-connector';
import { chartScalar } from '../constructs/helm-values';
import { isRepositoryName } from '../azure-devops/names';
import { azureDevOpsHttpsUrl, azureDevOpsProjectUrl } from '../azure-devops/urls';
import { isDnsSubdomain } from '../flux/formats';
import { isQualifiedName } from '../flux/pod-rules';
import { helmLite, Rendered, renderChart } from './support/helm-lite';
import { resourceAt, synthApp } from './support/synth';

const bin = helmLite();
const render = (chart: string, release: unknown): Rendered => renderChart(bin!, chart, release, false);
const CONNECTOR_CHART = 'gitops-connector/1.2.1';

/** What YAML would read as something else than the text: numbers, booleans, nulls, dates, indicators. */
const HOSTILE = ['2024', 'true', 'True', 'yes', 'on', 'off', 'y', 'n', 'null', '~', '1e3', '0x1f', '0o17', '1_000', '.inf', '-.5', '2001-12-14', '@infra', '&a', '*a', '!tag', '|', '>', '%x', '`x'];
const BREAKING = [': ', ' #', '\n', '\nkind: ConfigMap\n', '---\n', '- ', '"', "'", '\\', '{', '}', '[', ']', ',', '\t', '\u2028', '\u0085', '\ufeff', 'é', '😀'];
const TEMPLATES = ['{{ .Release.Namespace }}', '{{ lookup "v1" "Secret" "kube-system" "" }}', '{{', '}}'];

/** Free text made of letters and the pieces above; never `${` or `%{` (see the header). */
const text = fc
  .array(fc.oneof(fc.constantFrom('a', 'Z', '0', '9', ' ', '.', '-', '_', '/', ':'), fc.constantFrom(...HOSTILE, ...BREAKING, ...TEMPLATES)), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(''))
  .filter((t) => !/[$%]\{/.test(t) && t.trim() !== '');
const SEED = 21;
/** `count` values that pass `ok`: half the first hostile constants, half fast-check's (seeded: always the same). */
function sample(arb: fc.Arbitrary<string>, ok: (v: string) => boolean, count: number, fixed: readonly string[] = HOSTILE): string[] {
  const out = [...new Set(fixed.filter(ok))].slice(0, count / 2);
  // The longest of the generated ones: they combine the most pieces.
  const generated = [...new Set(fc.sample(arb, { seed: SEED, numRuns: count * 50 }).filter((v) => ok(v) && !out.includes(v)))];
  return [...out, ...generated.sort((x, y) => y.length - x.length || (x < y ? -1 : 1)).slice(0, count - out.length)];
}

const kindsAndNames = (r: Rendered) => r.objects.map((o) => `${o.object.kind} ${o.object.metadata.namespace ?? '-'}/${o.object.metadata.name}`).sort();
const objectOf = (r: Rendered, kind: string, name: string) => {
  const found = r.objects.filter((o) => o.object.kind === kind && o.object.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0].object;
};

(bin ? describe : describe.skip)('values reaching chart templates are carried exactly (real charts, helm-lite)', () => {
  jest.setTimeout(300_000);
  const N = 12;
  const repoNames = sample(text, (v) => isRepositoryName(v), N, ['2024', 'true', '@infra', 'a: b', '- x', ...HOSTILE.slice(3)]);
  const prNames = sample(text, (v) => isRepositoryName(v), N, ['true', 'null', '1e3', ...[...HOSTILE].reverse()]);
  const githubRepos = sample(text, (v) => v.length > 0, N, [...TEMPLATES, ...HOSTILE]);
  const subscriberKeys = sample(text.map((t) => t.replace(/[^-._a-zA-Z0-9]/g, '')), (v) => /^[-._a-zA-Z0-9]{1,253}$/.test(v), N, ['true', '1e3', 'null', '-', '.', '1_000', '0x1F', '.inf', '-.5', 'Yes', '2024']);
  const objectNames = sample(text.map((t) => t.toLowerCase().replace(/[^a-z0-9.-]/g, '')), isDnsSubdomain, N, ['true', 'null', '123', '1e3', '0x1f', 'yes', 'on', 'y', '2001-12-14', '1.5']);
  const annotationKeys = sample(text.map((t) => t.replace(/[^-._a-zA-Z0-9/]/g, '')), isQualifiedName, N, ['1e3', 'true', 'null', 'y', '0x1f', '2024', 'on', '1_000', 'a.b/1e3']);
  const annotationValues = sample(text, () => true, N, [...TEMPLATES, ...BREAKING, ...HOSTILE]);

  let baseline: { connector: string[]; github: string[]; flux: string[] };
  const rendered: { connector: Rendered[]; github: Rendered[]; flux: Rendered[] } = { connector: [], github: [], flux: [] };
  beforeAll(() => {
    // One synth for every case: each connector and Flux install in a namespace of its own.
    const out = synthApp((app) => {
      const stack = new TerraformStack(app, 'fuzz');
      new HelmProvider(stack, 'helm', {});
      const pat = new TerraformVariable(stack, 'pat', { type: 'string', sensitive: true }).stringValue;
      const connector = (id: string, props: Partial<ConstructorParameters<typeof GitOpsConnector>[2]>, repository = 'infra') =>
        new GitOpsConnector(stack, id, { repository: { organization: 'o', project: 'p', repository }, pat, namespace: id, allowFrom: false, ...props });
      connector('base', { subscribers: { s: 'http://spektate.example/api/flux' } });
      connector('base-gh', { ciCdOrchestrator: 'GITHUB', github: { orgUrl: 'https://api.github.com/repos/o', repository: 'wf' } });
      for (let i = 0; i < N; i++) {
        connector(`c${i}`, { prRepository: prNames[i], subscribers: { [subscriberKeys[i]]: 'http://spektate.example/api/flux' } }, repoNames[i]);
        connector(`g${i}`, { ciCdOrchestrator: 'GITHUB', github: { orgUrl: 'https://api.github.com/repos/o', repository: githubRepos[i] } }, repoNames[i]);
      }
      const flux = (id: string, ingress: { className?: string; tlsSecretName?: string; annotations?: Record<string, string> }) =>
        new FluxInstall(stack, id, { namespace: id, webhookReceiverIngress: { host: 'hook.example.com', ...ingress } });
      flux('flux-base', { className: 'nginx', tlsSecretName: 'tls', annotations: { 'a.example/b': 'c' } });
      for (let i = 0; i < N; i++) flux(`flux-${i}`, { className: objectNames[i], tlsSecretName: objectNames[N - 1 - i], annotations: { [annotationKeys[i]]: annotationValues[i], 'x.example/y': annotationValues[N - 1 - i] } });
    });
    const json = out.stack('fuzz');
    const release = (id: string) => resourceAt(json, 'helm_release', `fuzz/${id}/release`).body;
    baseline = {
      connector: kindsAndNames(render(CONNECTOR_CHART, release('base'))),
      github: kindsAndNames(render(CONNECTOR_CHART, release('base-gh'))),
      flux: kindsAndNames(render('flux2', release('flux-base'))),
    };
    for (let i = 0; i < N; i++) {
      rendered.connector.push(render(CONNECTOR_CHART, release(`c${i}`)));
      rendered.github.push(render(CONNECTOR_CHART, release(`g${i}`)));
      rendered.flux.push(render('flux2', release(`flux-${i}`)));
    }
  });

  it('tries the hostile texts and as many cases as planned', () => {
    expect([repoNames, prNames, githubRepos, subscriberKeys, objectNames, annotationKeys, annotationValues].map((l) => l.length)).toEqual(Array(7).fill(N));
    expect(repoNames).toEqual(expect.arrayContaining(['2024', 'true', '@infra']));
    expect(prNames).toContain('true');
  });

  it('writes repository, PR repository and URLs into the connector ConfigMap as the exact strings, and subscriber keys as given', () => {
    rendered.connector.forEach((r, i) => {
      const repository = { organization: 'o', project: 'p', repository: repoNames[i] };
      expect(objectOf(r, 'ConfigMap', 'gitops-connector-cm').data).toEqual({
        GIT_REPOSITORY_TYPE: 'AZDO',
        CICD_ORCHESTRATOR_TYPE: 'AZDO',
        GITOPS_OPERATOR_TYPE: 'FLUX',
        GITOPS_APP_URL: azureDevOpsHttpsUrl(repository),
        AZDO_GITOPS_REPO_NAME: repoNames[i],
        AZDO_PR_REPO_NAME: prNames[i],
        AZDO_ORG_URL: azureDevOpsProjectUrl(repository),
      });
      expect(objectOf(r, 'ConfigMap', 'gitops-connector-subscribers-config').data).toEqual({ [subscriberKeys[i]]: 'http://spektate.example/api/flux' });
      expect(kindsAndNames(r)).toEqual(baseline.connector);
    });
  });

  it('writes the GitHub repository of the workflows as the exact string', () => {
    rendered.github.forEach((r, i) => {
      const data = objectOf(r, 'ConfigMap', 'gitops-connector-cm').data;
      expect({ repo: data.GITHUB_GITOPS_REPO_NAME, org: data.GITHUB_ORG_URL, azdo: data.AZDO_GITOPS_REPO_NAME }).toEqual({ repo: githubRepos[i], org: 'https://api.github.com/repos/o', azdo: repoNames[i] });
      expect(kindsAndNames(r)).toEqual(baseline.github);
    });
  });

  it('writes the receiver Ingress class, TLS Secret and annotations as given, and adds no object', () => {
    rendered.flux.forEach((r, i) => {
      const ingress = objectOf(r, 'Ingress', 'webhook-receiver');
      expect({ className: ingress.spec.ingressClassName, tls: ingress.spec.tls, annotations: ingress.metadata.annotations }).toEqual({
        className: objectNames[i],
        tls: [{ secretName: objectNames[N - 1 - i], hosts: ['hook.example.com'] }],
        annotations: { [annotationKeys[i]]: annotationValues[i], 'x.example/y': annotationValues[N - 1 - i] },
      });
      // The same objects as with plain values, in the release's own namespace only: nothing in kube-system.
      expect(kindsAndNames(r)).toEqual(baseline.flux.map((o) => o.replaceAll('flux-base', `flux-${i}`)).sort());
    });
  });
});

describe('chartScalar, the one quoting path', () => {
  it('leaves plain names as they are and quotes what YAML would read as something else', () => {
    expect(['platform', 'infra-apps', 'https://dev.azure.com/o/p', 'a.b/c', 'my_repo'].map(chartScalar)).toEqual([
      'platform',
      'infra-apps',
      'https://dev.azure.com/o/p',
      'a.b/c',
      'my_repo',
    ]);
    expect(['2024', 'true', 'on', '@infra', 'a: b', 'x:', 'é', '\u2028'].map(chartScalar)).toEqual([
      '"2024"',
      '"true"',
      '"on"',
      '"@infra"',
      '"a: b"',
      '"x:"',
      '"\\u00e9"',
      '"\\u2028"',
    ]);
  });
});
