import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { ClusterConfig } from '../config/schema';
import { commitOfRevision, LIST_LIMIT, readClusters, waitMs } from '../fleet-status/cluster-reader';
import type { ClusterReading } from '../fleet-status/readings';
import { AKS_ENTRA_SERVER_ID } from '../constructs/aks-login';
import { CERTIFICATE_DNS_NAME, FakeAksCredentials, FakeKubernetes, kustomization, selfSignedCertificate, sha, writeKubeconfig } from './support/fake-kubernetes';

const TOKEN = 'kube-token-0123456789abcdef';
const env = { ...process.env, HOME: os.tmpdir() };
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-reader-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cluster = (name: string, kubeconfig: string, extra: Partial<ClusterConfig> = {}): ClusterConfig => ({ name, kubeconfig: { path: kubeconfig }, repositories: [], ...extra });

/** A fake server and a kubeconfig naming it with a token, over plain HTTP. */
async function started(setup: (fake: FakeKubernetes) => void = () => {}): Promise<{ fake: FakeKubernetes; url: string; kubeconfig: string }> {
  const fake = new FakeKubernetes({ token: TOKEN });
  setup(fake);
  const url = await fake.start();
  const kubeconfig = writeKubeconfig(dir, `${path.basename(url).replace(/[^\w]/g, '-')}-${Math.random().toString(36).slice(2)}.yaml`, { server: url }, { token: TOKEN });
  return { fake, url, kubeconfig };
}

const T0 = '2026-12-01T10:00:00Z';
const T1 = '2026-12-01T11:00:00Z';

describe('reading Kustomizations', () => {
  let fake: FakeKubernetes;
  let kubeconfig: string;
  beforeAll(async () => {
    ({ fake, kubeconfig } = await started((f) => {
      f.kustomizations = [
        kustomization({
          name: 'apps',
          applied: sha('c2'),
          attempted: sha('c2'),
          ready: { status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${sha('c2')}`, at: T1 },
          history: [
            { revision: sha('c2'), first: T1, last: T1, status: 'ReconciliationSucceeded', total: 3 },
            { revision: sha('c1'), first: T0, last: T0, status: 'ReconciliationSucceeded', total: 9 },
          ],
        }),
        kustomization({
          name: 'infra',
          applied: sha('c1'),
          attempted: sha('c2'),
          ready: { status: 'False', reason: 'HealthCheckFailed', message: 'timeout waiting for: [Deployment/web/web status: InProgress]', at: T1 },
        }),
        kustomization({ name: 'paused', namespace: 'team-a', ref: 'v1.2.3', applied: sha('t1'), attempted: sha('t1'), suspend: true, ready: { status: 'True', reason: 'ReconciliationSucceeded', message: 'ok', at: T0 } }),
        kustomization({ name: 'new', neverReconciled: true }),
      ];
    }));
  });
  afterAll(() => fake.stop());

  it('maps ready, a failed newer attempt, suspended and never reconciled from .status', async () => {
    const readings = await readClusters([cluster('dev', kubeconfig)], { env });
    expect(readings).toEqual<ClusterReading[]>([
      {
        cluster: 'dev',
        reachable: true,
        error: null,
        kustomizations: [
          {
            name: 'apps',
            namespace: 'flux-system',
            lastAppliedRevision: sha('c2'),
            lastAttemptedRevision: sha('c2'),
            ready: { status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${sha('c2')}`, lastTransitionTime: T1 },
            suspended: false,
            history: [
              { revision: sha('c2'), firstReconciled: T1, lastReconciled: T1, lastReconciledStatus: 'ReconciliationSucceeded', totalReconciliations: 3 },
              { revision: sha('c1'), firstReconciled: T0, lastReconciled: T0, lastReconciledStatus: 'ReconciliationSucceeded', totalReconciliations: 9 },
            ],
          },
          {
            name: 'infra',
            namespace: 'flux-system',
            lastAppliedRevision: sha('c1'),
            lastAttemptedRevision: sha('c2'),
            ready: { status: 'False', reason: 'HealthCheckFailed', message: 'timeout waiting for: [Deployment/web/web status: InProgress]', lastTransitionTime: T1 },
            suspended: false,
            history: [],
          },
          {
            name: 'paused',
            namespace: 'team-a',
            lastAppliedRevision: sha('t1'),
            lastAttemptedRevision: sha('t1'),
            ready: { status: 'True', reason: 'ReconciliationSucceeded', message: 'ok', lastTransitionTime: T0 },
            suspended: true,
            history: [],
          },
          { name: 'new', namespace: 'flux-system', lastAppliedRevision: null, lastAttemptedRevision: null, ready: null, suspended: false, history: [] },
        ],
      },
    ]);
  });

  it('lists every namespace at once, with the bearer token of the kube context', async () => {
    fake.requests.length = 0;
    await readClusters([cluster('dev', kubeconfig)], { env });
    expect(fake.requests.map(({ path: p, authorization }) => ({ path: p, authorization }))).toEqual([{ path: `/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?limit=${LIST_LIMIT}`, authorization: `Bearer ${TOKEN}` }]);
  });
});

describe('the commit of a Flux revision', () => {
  const c = 'a'.repeat(40);
  it.each([
    [`main@sha1:${c}`, c],
    [`v1.2.3@sha1:${c}`, c],
    [`refs/pull/7/head@sha1:${c}`, c],
    [`sha1:${c}`, c],
    [`main/${c}`, c],
    [`latest@sha256:${'b'.repeat(64)}`, null],
    [`sha256:${'b'.repeat(64)}`, null],
    [`main@sha1:${c.slice(1)}`, null],
    ['', null],
    [undefined, null],
  ])('%s names %s', (revision, commit) => {
    expect(commitOfRevision(revision)).toBe(commit);
  });
});

describe('paging', () => {
  it(`reads a list longer than one page (${LIST_LIMIT}) through continue, in order`, async () => {
    const { fake, kubeconfig } = await started((f) => {
      f.kustomizations = Array.from({ length: 2 * LIST_LIMIT + 7 }, (_, i) => kustomization({ name: `k${i}`, neverReconciled: true }));
    });
    try {
      const [reading] = await readClusters([cluster('dev', kubeconfig)], { env });
      expect(reading.kustomizations.map((k) => k.name)).toEqual(Array.from({ length: 2 * LIST_LIMIT + 7 }, (_, i) => `k${i}`));
      expect(fake.requests.map((r) => new URL(r.path, 'http://x').searchParams.has('continue'))).toEqual([false, true, true]);
    } finally {
      await fake.stop();
    }
  });

  it('starts the list again when its continue token expired (410), without doubling items', async () => {
    const { fake, kubeconfig } = await started((f) => {
      f.kustomizations = Array.from({ length: LIST_LIMIT + 1 }, (_, i) => kustomization({ name: `k${i}`, neverReconciled: true }));
      f.beforeAnswer = (p) => {
        if (p.includes('continue=') && f.compactedBelow === 0) f.expireContinueTokens();
      };
    });
    try {
      const [reading] = await readClusters([cluster('dev', kubeconfig)], { env });
      expect(reading.error).toBeNull();
      expect(reading.kustomizations.map((k) => k.name)).toEqual(Array.from({ length: LIST_LIMIT + 1 }, (_, i) => `k${i}`));
      expect(fake.requests.map((r) => new URL(r.path, 'http://x').searchParams.has('continue'))).toEqual([false, true, false, true]);
    } finally {
      await fake.stop();
    }
  });
});

describe('a cluster that cannot be read is a reading, never a rejection', () => {
  it('a closed port: connection refused', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const kubeconfig = writeKubeconfig(dir, 'closed.yaml', { server: `http://127.0.0.1:${port}` }, { token: TOKEN });
    expect(await readClusters([cluster('gone', kubeconfig)], { env })).toEqual([
      { cluster: 'gone', reachable: false, error: `http://127.0.0.1:${port}: connection refused`, kustomizations: [] },
    ]);
  });

  it('wrong credentials: 401, the token never shown', async () => {
    const { fake, url } = await started();
    const wrong = 'wrong-token-fedcba9876543210';
    const kubeconfig = writeKubeconfig(dir, 'wrong.yaml', { server: url }, { token: wrong });
    try {
      const [reading] = await readClusters([cluster('dev', kubeconfig)], { env });
      expect(reading).toEqual({
        cluster: 'dev',
        reachable: false,
        error: `${url}: the API server refused the credentials (HTTP 401): Unauthorized; check the user of the kube context`,
        kustomizations: [],
      });
      expect(fake.requests.map((r) => r.authorization)).toEqual([`Bearer ${wrong}`]);
    } finally {
      await fake.stop();
    }
  });

  it('a slow server: no answer within the per-call timeout', async () => {
    const { fake, url, kubeconfig } = await started((f) => (f.delayMs = 3000));
    try {
      expect(await readClusters([cluster('slow', kubeconfig)], { env, timeoutMs: 200 })).toEqual([
        { cluster: 'slow', reachable: false, error: `${url}: no answer within 200 ms`, kustomizations: [] },
      ]);
    } finally {
      await fake.stop();
    }
  });

  it('no Flux: the group/version is not served (404), the cluster answered', async () => {
    const { fake, kubeconfig } = await started((f) => (f.noFlux = true));
    try {
      expect(await readClusters([cluster('bare', kubeconfig)], { env })).toEqual([
        { cluster: 'bare', reachable: true, error: 'the API server serves no kustomize.toolkit.fluxcd.io/v1 Kustomizations: Flux 2 is not installed', kustomizations: [] },
      ]);
    } finally {
      await fake.stop();
    }
  });

  it('a token from tokenFile (relative to the kubeconfig); a username and password refused, as Kubernetes refuses them', async () => {
    const { fake, url } = await started();
    fs.writeFileSync(path.join(dir, 'token.txt'), `${TOKEN}\n`);
    try {
      const readings = await readClusters(
        [cluster('file', writeKubeconfig(dir, 'token-file.yaml', { server: url }, { tokenFile: 'token.txt' })), cluster('basic', writeKubeconfig(dir, 'basic.yaml', { server: url }, { username: 'admin', password: 'hunter2-password' }))],
        { env },
      );
      expect(readings.map((r) => [r.cluster, r.reachable, r.error])).toEqual([
        ['file', true, null],
        ['basic', false, `user fake-user of ${path.join(dir, 'basic.yaml')} signs in with a username and password, which Kubernetes no longer takes; use a token, a client certificate or an exec plugin`],
      ]);
      expect(fake.requests.map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`]);
    } finally {
      await fake.stop();
    }
  });

  it.each([
    ['an auth-provider', { server: 'https://127.0.0.1:1' }, { 'auth-provider': { name: 'azure' } }, (f: string) => `user fake-user of ${f} signs in through auth-provider azure, which the status reader does not support; use an exec plugin (\`kubelogin convert-kubeconfig\`)`],
    ['a proxy-url', { server: 'https://127.0.0.1:1', 'proxy-url': 'http://proxy:3128' }, {}, (f: string) => `cluster fake-cluster of ${f} has a proxy-url, which the status reader does not support`],
    ['a server that is no URL', { server: 'not a url' }, {}, (f: string) => `cluster fake-cluster of ${f} has a server that is not a URL`],
    ['a CA file that is missing', { server: 'https://127.0.0.1:1', 'certificate-authority': 'missing-ca.crt' }, {}, (f: string) => `cannot read certificate-authority missing-ca.crt of kubeconfig ${f}: ENOENT`],
  ])('a kubeconfig with %s says so, before any call', (_, server, user, message) => {
    const file = writeKubeconfig(dir, `refused-${Math.random().toString(36).slice(2)}.yaml`, server, user);
    return expect(readClusters([cluster('x', file)], { env })).resolves.toEqual([{ cluster: 'x', reachable: false, error: message(file), kustomizations: [] }]);
  });

  it('a kubeconfig that is missing, or lacks the context', async () => {
    const { fake, kubeconfig } = await started();
    try {
      const readings = await readClusters(
        [cluster('a', path.join(dir, 'absent.yaml')), { name: 'b', kubeconfig: { path: kubeconfig, context: 'prod' }, repositories: [] }],
        { env },
      );
      expect(readings).toEqual([
        { cluster: 'a', reachable: false, error: `cannot read kubeconfig ${path.join(dir, 'absent.yaml')}: ENOENT`, kustomizations: [] },
        { cluster: 'b', reachable: false, error: `context prod not in kubeconfig ${kubeconfig}; set kubeconfig.context`, kustomizations: [] },
      ]);
      expect(fake.requests).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it('an AKS cluster without an Azure token says what to export', async () => {
    const aks: ClusterConfig = { name: 'prod', aks: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg', name: 'aks-prod' }, repositories: [] };
    expect(await readClusters([aks], { env: { ...env, AZURE_MANAGEMENT_TOKEN: '' } })).toEqual([
      {
        cluster: 'prod',
        reachable: false,
        error: 'the API server of AKS cluster rg/aks-prod is read from Azure Resource Manager: export AZURE_MANAGEMENT_TOKEN=$(az account get-access-token --resource https://management.azure.com/ --query accessToken -o tsv)',
        kustomizations: [],
      },
    ]);
  });
});

describe('a crowded API server', () => {
  it('honours 429 with Retry-After, then reads', async () => {
    const { fake, kubeconfig } = await started((f) => {
      f.overloaded = 1;
      // more than the first back-off (1 s), so only a reader that honours the header waits this long
      f.retryAfter = '2';
      f.kustomizations = [kustomization({ name: 'apps', neverReconciled: true })];
    });
    try {
      // The waits recorded, with the requests the server had seen when each began: no real time passes.
      const waits: { ms: number; requestsBefore: number }[] = [];
      const sleep = async (ms: number) => void waits.push({ ms, requestsBefore: fake.requests.length });
      const [reading] = await readClusters([cluster('dev', kubeconfig)], { env, sleep });
      expect(reading.kustomizations.map((k) => k.name)).toEqual(['apps']);
      expect(fake.requests).toHaveLength(2);
      expect(waits).toEqual([{ ms: 2000, requestsBefore: 1 }]);
    } finally {
      await fake.stop();
    }
  });

  it('gives up after its retries with the server said', async () => {
    const { fake, url, kubeconfig } = await started((f) => {
      f.overloaded = 5;
      f.retryAfter = '0';
    });
    try {
      const waits: number[] = [];
      expect(await readClusters([cluster('dev', kubeconfig)], { env, retries: 2, sleep: async (ms) => void waits.push(ms) })).toEqual([
        { cluster: 'dev', reachable: false, error: `${url}: HTTP 429: Too many requests, please try again later.`, kustomizations: [] },
      ]);
      expect(fake.requests).toHaveLength(3);
      expect(waits).toEqual([0, 0]);
    } finally {
      await fake.stop();
    }
  });

  it('waits as Retry-After says (seconds or an HTTP date), else backs off, never beyond 30 s', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(waitMs('2', 0, now)).toBe(2000);
    expect(waitMs('Tue, 01 Dec 2026 10:00:05 GMT', 0, now)).toBe(5000);
    expect(waitMs(undefined, 0, now)).toBe(1000);
    expect(waitMs(undefined, 2, now)).toBe(4000);
    expect(waitMs('3600', 0, now)).toBe(30000);
    expect(waitMs('soon', 1, now)).toBe(2000);
  });

  it('reads clusters a few at a time, and answers in the order given', async () => {
    const { fake, kubeconfig } = await started((f) => (f.delayMs = 150));
    try {
      const names = ['c1', 'c2', 'c3', 'c4', 'c5'];
      const readings = await readClusters(names.map((n) => cluster(n, kubeconfig)), { env, concurrency: 2 });
      expect(readings.map((r) => [r.cluster, r.reachable])).toEqual(names.map((n) => [n, true]));
      expect(fake.requests).toHaveLength(5);
      expect(fake.maxInFlight).toBe(2);
    } finally {
      await fake.stop();
    }
  });

  it('lists the Flux namespace when the credentials may not list at cluster scope (403)', async () => {
    const { fake, kubeconfig } = await started((f) => {
      f.allowedNamespaces = ['flux'];
      f.kustomizations = [kustomization({ name: 'apps', namespace: 'flux', neverReconciled: true }), kustomization({ name: 'other', namespace: 'team', neverReconciled: true })];
    });
    try {
      const [reading] = await readClusters([cluster('dev', kubeconfig, { flux: { namespace: 'flux' } })], { env });
      expect(reading.kustomizations.map((k) => `${k.namespace}/${k.name}`)).toEqual(['flux/apps']);
      expect(fake.requests.map((r) => r.path.split('?')[0])).toEqual(['/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations', '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux/kustomizations']);
    } finally {
      await fake.stop();
    }
  });

  it('reports 403 with the server message when the Flux namespace is forbidden too', async () => {
    const { fake, url, kubeconfig } = await started((f) => (f.allowedNamespaces = []));
    try {
      const [reading] = await readClusters([cluster('dev', kubeconfig)], { env });
      expect(reading).toEqual({
        cluster: 'dev',
        reachable: false,
        error:
          `${url}: the credentials may not list Kustomizations (HTTP 403): kustomizations.kustomize.toolkit.fluxcd.io is forbidden: User "status-reader" cannot list resource ` +
          '"kustomizations" in API group "kustomize.toolkit.fluxcd.io" at the cluster scope; grant list on kustomizations.kustomize.toolkit.fluxcd.io',
        kustomizations: [],
      });
    } finally {
      await fake.stop();
    }
  });
});

describe('an exec credential plugin (as kubelogin is run)', () => {
  /** A plugin that prints an ExecCredential with `token`, and records its arguments and KUBERNETES_EXEC_INFO. */
  const plugin = (name: string, body: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!${process.execPath}\n${body}\n`, { mode: 0o755 });
    return file;
  };

  it('signs in with the token the plugin prints, the plugin run with its args, env and KUBERNETES_EXEC_INFO', async () => {
    const { fake, url } = await started();
    const record = path.join(dir, 'exec-record.json');
    const command = plugin(
      'fake-login',
      `require('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args: process.argv.slice(2), info: JSON.parse(process.env.KUBERNETES_EXEC_INFO), mode: process.env.LOGIN_MODE }));
       process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: ${JSON.stringify(TOKEN)} } }));`,
    );
    const kubeconfig = writeKubeconfig(dir, 'exec.yaml', { server: url }, {
      exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command, args: ['get-token', '--login', 'azurecli'], env: [{ name: 'LOGIN_MODE', value: 'x' }] },
    });
    try {
      const [reading] = await readClusters([cluster('dev', kubeconfig)], { env });
      expect(reading.error).toBeNull();
      expect(fake.requests.map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`]);
      expect(JSON.parse(fs.readFileSync(record, 'utf8'))).toEqual({
        args: ['get-token', '--login', 'azurecli'],
        info: { apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', spec: { interactive: false } },
        mode: 'x',
      });
    } finally {
      await fake.stop();
    }
  });

  it('a failing plugin: its exit code and first stderr line; a token it printed is never shown', async () => {
    const failing = plugin('failing-login', `console.error('AADSTS700016: application not found'); process.exit(1);`);
    const leaked = 'leaked-token-abcdef0123456789';
    const wrong = plugin('wrong-login', `process.stdout.write(JSON.stringify({ status: { token: ${JSON.stringify(leaked)} } }));`);
    const { fake, url } = await started();
    const spec = (command: string) => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command, args: [] } });
    const readings = await readClusters(
      [cluster('a', writeKubeconfig(dir, 'failing.yaml', { server: url }, spec(failing))), cluster('b', writeKubeconfig(dir, 'leak.yaml', { server: url }, spec(wrong))), cluster('c', writeKubeconfig(dir, 'absent-plugin.yaml', { server: url }, spec('no-such-kubelogin')))],
      { env },
    );
    await fake.stop();
    expect(readings.map((r) => r.error)).toEqual([
      'exec plugin failing-login failed (exit 1): AADSTS700016: application not found',
      `${url}: the API server refused the credentials (HTTP 401): Unauthorized; check the user of the kube context`,
      'exec plugin no-such-kubelogin is not on PATH',
    ]);
    expect(JSON.stringify(readings)).not.toContain(leaked);
  });

  it('a secret of the environment or of the plugin\'s env that a plugin echoes is masked', async () => {
    const echoing = plugin('echoing-login', `console.error('login failed for secret ' + process.env.ARM_CLIENT_SECRET + ' and ' + process.env.PLUGIN_KEY); process.exit(2);`);
    const kubeconfig = writeKubeconfig(dir, 'echo.yaml', { server: 'http://127.0.0.1:1' }, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: echoing, env: [{ name: 'PLUGIN_KEY', value: 'plugin-value-123' }] } });
    expect(await readClusters([cluster('a', kubeconfig)], { env: { ...env, ARM_CLIENT_SECRET: 'spn-secret-value' } })).toEqual([
      { cluster: 'a', reachable: false, error: 'exec plugin echoing-login failed (exit 2): login failed for secret *** and ***', kustomizations: [] },
    ]);
  });
});

const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
if (!hasOpenssl) console.warn('cluster-reader.test.ts: the TLS cases are skipped: no openssl command to make a test certificate with');

(hasOpenssl ? describe : describe.skip)('TLS', () => {
  let fake: FakeKubernetes;
  let url: string;
  let ownCa: string;
  let ownKey: string;
  let otherCa: string;
  beforeAll(async () => {
    const own = selfSignedCertificate()!;
    otherCa = selfSignedCertificate()!.cert;
    ownCa = own.cert;
    ownKey = own.key;
    fake = new FakeKubernetes({ token: TOKEN, tls: own });
    fake.kustomizations = [kustomization({ name: 'apps', neverReconciled: true })];
    url = await fake.start();
  });
  afterAll(() => fake?.stop());

  it('verifies the server with the CA of the kubeconfig (data or file)', async () => {
    const caFile = path.join(dir, 'ca.crt');
    fs.writeFileSync(caFile, ownCa);
    const readings = await readClusters(
      [
        cluster('data', writeKubeconfig(dir, 'tls-data.yaml', { server: url, 'certificate-authority-data': Buffer.from(ownCa).toString('base64') }, { token: TOKEN })),
        // relative to the kubeconfig's own folder, as kubectl resolves it
        cluster('file', writeKubeconfig(dir, 'tls-file.yaml', { server: url, 'certificate-authority': 'ca.crt' }, { token: TOKEN })),
      ],
      { env },
    );
    expect(readings.map((r) => [r.reachable, r.error, r.kustomizations.length])).toEqual([
      [true, null, 1],
      [true, null, 1],
    ]);
  });

  describe('an AKS cluster', () => {
    const ARM_TOKEN = 'arm-token-0123456789abcdef';
    const subscriptionId = '11111111-2222-4333-8444-555555555555';
    let arm: FakeAksCredentials;
    let armUrl: string;
    let bin: string;
    beforeAll(async () => {
      arm = new FakeAksCredentials(ARM_TOKEN);
      arm.clusters.set('rg-prod/aks-prod', { server: url, ca: ownCa });
      armUrl = await arm.start();
      // kubelogin on PATH, as the doctor checks for it: records its arguments, prints the cluster's token.
      bin = fs.mkdtempSync(path.join(dir, 'bin-'));
      fs.writeFileSync(
        path.join(bin, 'kubelogin'),
        `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(path.join(bin, 'args.json'))}, JSON.stringify(process.argv.slice(2)));\n` +
          `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: ${JSON.stringify(TOKEN)} } }));\n`,
        { mode: 0o755 },
      );
    });
    afterAll(() => arm?.stop());
    const aks = (name: string, login?: 'azurecli' | 'workloadidentity'): ClusterConfig => ({ name, aks: { subscriptionId, resourceGroup: 'rg-prod', name, ...(login && { login }) }, repositories: [] });
    const aksEnv = () => ({ ...env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, AZURE_MANAGEMENT_TOKEN: ARM_TOKEN, AZURE_MANAGEMENT_URL: armUrl });

    it('reads the server and CA from Azure and signs in with the stack\'s kubelogin call', async () => {
      const [reading] = await readClusters([aks('aks-prod', 'workloadidentity')], { env: aksEnv() });
      expect([reading.reachable, reading.error, reading.kustomizations.map((k) => k.name)]).toEqual([true, null, ['apps']]);
      expect(JSON.parse(fs.readFileSync(path.join(bin, 'args.json'), 'utf8'))).toEqual(['get-token', '--login', 'workloadidentity', '--server-id', AKS_ENTRA_SERVER_ID, '--environment', 'AzurePublicCloud']);
      expect(arm.requests).toContain(`POST /subscriptions/${subscriptionId}/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod/listClusterUserCredential?api-version=2025-10-01`);
    });

    it('a cluster Azure does not have, and a refused Azure token: Azure\'s message, never the token', async () => {
      const readings = [
        ...(await readClusters([aks('aks-gone')], { env: aksEnv() })),
        ...(await readClusters([aks('aks-prod')], { env: { ...aksEnv(), AZURE_MANAGEMENT_TOKEN: 'not-the-arm-token' } })),
      ];
      expect(readings.map((r) => [r.reachable, r.error])).toEqual([
        [false, "cannot read the user credentials of AKS cluster rg-prod/aks-gone from Azure (HTTP 404): The Resource 'Microsoft.ContainerService/managedClusters/aks-gone' under resource group 'rg-prod' was not found."],
        [false, "cannot read the user credentials of AKS cluster rg-prod/aks-prod from Azure (HTTP 401): Authentication failed. The 'Authorization' header is missing or invalid."],
      ]);
    });
  });

  it('signs in with a client certificate: the kubeconfig\'s (data or file) or an exec plugin\'s', async () => {
    const client = selfSignedCertificate()!;
    const mtls = new FakeKubernetes({ token: 'a-token-nobody-has-0123', tls: { cert: ownCa, key: ownKey }, clientCa: client.cert });
    mtls.kustomizations = [kustomization({ name: 'apps', neverReconciled: true })];
    const mtlsUrl = await mtls.start();
    fs.writeFileSync(path.join(dir, 'client.key'), client.key);
    const certPlugin = path.join(dir, 'cert-login');
    const credential = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { clientCertificateData: client.cert, clientKeyData: client.key } };
    fs.writeFileSync(certPlugin, `#!${process.execPath}\nprocess.stdout.write(${JSON.stringify(JSON.stringify(credential))});\n`, { mode: 0o755 });
    const ca = { server: mtlsUrl, 'certificate-authority-data': Buffer.from(ownCa).toString('base64') };
    try {
      const readings = await readClusters(
        [
          cluster('data', writeKubeconfig(dir, 'mtls-data.yaml', ca, { 'client-certificate-data': Buffer.from(client.cert).toString('base64'), 'client-key-data': Buffer.from(client.key).toString('base64') })),
          cluster('file', writeKubeconfig(dir, 'mtls-file.yaml', ca, { 'client-certificate-data': Buffer.from(client.cert).toString('base64'), 'client-key': 'client.key' })),
          cluster('none', writeKubeconfig(dir, 'mtls-none.yaml', ca, {})),
          // an exec plugin may print a client certificate instead of a token (ExecCredential status.clientCertificateData)
          cluster('exec', writeKubeconfig(dir, 'mtls-exec.yaml', ca, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: certPlugin } })),
        ],
        { env },
      );
      expect(readings.map((r) => [r.cluster, r.reachable, r.kustomizations.length])).toEqual([
        ['data', true, 1],
        ['file', true, 1],
        ['none', false, 0],
        ['exec', true, 1],
      ]);
      expect(mtls.requests.map((r) => r.authorization)).toEqual([undefined, undefined, undefined, undefined]);
    } finally {
      await mtls.stop();
    }
  });

  it('checks the name the kubeconfig gives in tls-server-name instead of the address', async () => {
    const ca = { server: url, 'certificate-authority-data': Buffer.from(ownCa).toString('base64') };
    const readings = await readClusters(
      [
        cluster('named', writeKubeconfig(dir, 'sni-ok.yaml', { ...ca, 'tls-server-name': CERTIFICATE_DNS_NAME }, { token: TOKEN })),
        cluster('misnamed', writeKubeconfig(dir, 'sni-bad.yaml', { ...ca, 'tls-server-name': 'other.test' }, { token: TOKEN })),
      ],
      { env },
    );
    expect(readings.map((r) => [r.cluster, r.reachable, r.error])).toEqual([
      ['named', true, null],
      ['misnamed', false, `${url}: TLS failed (ERR_TLS_CERT_ALTNAME_INVALID): the server's certificate is not trusted with the cluster's CA`],
    ]);
  });

  it('refuses a server its CA did not sign, and one with no CA given; skips the check only when the kubeconfig says so', async () => {
    const readings = await readClusters(
      [
        cluster('other', writeKubeconfig(dir, 'tls-other.yaml', { server: url, 'certificate-authority-data': Buffer.from(otherCa).toString('base64') }, { token: TOKEN })),
        cluster('none', writeKubeconfig(dir, 'tls-none.yaml', { server: url }, { token: TOKEN })),
        cluster('insecure', writeKubeconfig(dir, 'tls-insecure.yaml', { server: url, 'insecure-skip-tls-verify': true }, { token: TOKEN })),
      ],
      { env },
    );
    expect(readings.map((r) => [r.cluster, r.reachable, r.error])).toEqual([
      ['other', false, `${url}: TLS failed (DEPTH_ZERO_SELF_SIGNED_CERT): the server's certificate is not trusted with the cluster's CA`],
      ['none', false, `${url}: TLS failed (DEPTH_ZERO_SELF_SIGNED_CERT): the server's certificate is not trusted with the cluster's CA`],
      ['insecure', true, null],
    ]);
  });
});
