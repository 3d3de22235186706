/**
 * The fleet status reader, the join and the `status` and `gate` commands, against the Azure DevOps Git
 * double (support/fake-azure-devops-git.ts). One fleet: dev (ring 1) and stage-a, stage-b (ring 2) follow
 * main of cluster-apps; prod (ring 3) follows the newest tag matching ">=1.0.0".
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { cli } from '../cli/index';
import { useColor } from '../cli/status';
import { AdoCommit, AdoReading, AdoSourceReading, AdoStatus, readAzureDevOps } from '../fleet-status/ado-reader';
import { computeSnapshot, nearestRank } from '../fleet-status/compute';
import { ExpectedFleet, expectedFleet, loadExpectedFleet } from '../fleet-status/expected';
import { judgeGate } from '../fleet-status/gate';
import { SNAPSHOT_JSON_SCHEMA_FILE } from '../fleet-status/snapshot-file';
import type { ClusterKustomizationReading, ClusterReading, ReadyCondition } from '../fleet-status/readings';
import { CommitStatus, FleetSnapshot, KustomizationState, KustomizationStatus, RingProgress, SNAPSHOT_SCHEMA, SourceName } from '../fleet-status/snapshot';
import { renderTable } from '../fleet-status/table';
import { basicAuth, FakeAzureDevOpsGit } from './support/fake-azure-devops-git';

const PAT = 'fleet-reader-pat-0123456789';
const REPO: [string, string, string] = ['contoso', 'fabrikam', 'cluster-apps'];
const URL_OF = 'git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-apps';
const T0 = new Date(Date.now() - 2 * 3600 * 1000);
const at = (minutes: number): string => new Date(T0.getTime() + minutes * 60000).toISOString();
const name = (ring: number, cluster: string): string => `fleet/${ring}/${cluster}/kustomization/flux-system/apps`;

const CONFIG = `
clusters:
  - name: dev
    ring: 1
    repositories: [{ name: apps, url: "${URL_OF}", ref: { branch: main }, path: ./clusters/dev }]
  - name: stage-a
    ring: 2
    repositories: [{ name: apps, url: "${URL_OF}", ref: { branch: main }, path: ./clusters/stage }]
  - name: stage-b
    ring: 2
    repositories: [{ name: apps, url: "${URL_OF}", ref: { branch: main }, path: ./clusters/stage }]
  - name: prod
    ring: 3
    repositories: [{ name: apps, url: "${URL_OF}", ref: { semver: ">=1.0.0" }, path: ./clusters/prod }]
`;

let fake: FakeAzureDevOpsGit;
let base: string;
let dir: string;
let configFile: string;
let c: string[];

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ AZDO_DEV_URL: base, AZDO_PERSONAL_ACCESS_TOKEN: PAT, ...extra });

async function run(args: string[], e = env()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await cli(args, e, (t) => (stdout += t), (t) => (stderr += t.endsWith('\n') ? t : `${t}\n`));
  return { code, stdout, stderr };
}

const ks = (s: FleetSnapshot, cluster: string): KustomizationStatus => s.clusters.find((x) => x.name === cluster)!.kustomizations[0];
type StateFields = 'revision' | 'attemptedRevision' | 'state' | 'reason' | 'since' | 'commitsBehind' | 'from' | 'disagreement';
/** The whole snapshot row of the apps Kustomization of main of cluster-apps: every state field given, the rest overridable. */
const row = (ring: number, cluster: string, state: Pick<KustomizationStatus, StateFields>, more: Partial<KustomizationStatus> = {}): KustomizationStatus => ({
  name: 'apps',
  namespace: 'flux-system',
  repository: { organization: 'contoso', project: 'fabrikam', name: 'cluster-apps' },
  ref: 'refs/heads/main',
  statusName: name(ring, cluster),
  targetUrl: null,
  ...state,
  ...more,
});

beforeAll(async () => {
  fake = new FakeAzureDevOpsGit([basicAuth(PAT)]);
  fake.addRepository(...REPO);
  c = fake.push(REPO, 'main', 5, new Date(T0)); // c[0] oldest .. c[4] the head of main
  fake.setRef(REPO, 'refs/tags/v0.9.0', c[0]);
  fake.setRef(REPO, 'refs/tags/v1.0.0', c[1], true);
  fake.setRef(REPO, 'refs/tags/v1.1.0', c[3], true);
  fake.setRef(REPO, 'refs/tags/v2.0.0-rc.1', c[4]); // a prerelease: outside ">=1.0.0", as in Flux
  const flux = (state: 'succeeded' | 'error', ring: number, cluster: string, minutes: number, description: string) => ({
    state,
    description,
    context: { genre: 'fluxcd', name: name(ring, cluster) },
    creationDate: at(minutes),
  });
  fake.addStatus(REPO, c[2], flux('succeeded', 1, 'dev', 10, 'reconciliation succeeded'));
  // A newer attempt failed: dev stays on c[2], two commits behind main.
  fake.addStatus(REPO, c[4], flux('error', 1, 'dev', 20, 'health check failed'));
  fake.addStatus(REPO, c[4], flux('succeeded', 2, 'stage-a', 30, 'reconciliation succeeded'));
  fake.addStatus(REPO, c[1], flux('succeeded', 3, 'prod', 40, 'reconciliation succeeded'));
  // Not of the contract: the GitOps Connector's status and Flux's default name. Ignored.
  fake.addStatus(REPO, c[4], { state: 'succeeded', description: 'Status: ok', context: { genre: 'Kustomization', name: 'Status' }, creationDate: at(31) });
  fake.addStatus(REPO, c[4], { state: 'succeeded', context: { genre: 'fluxcd', name: 'kustomization/apps/0c9c2e41' }, creationDate: at(32) });
  base = await fake.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-status-'));
  configFile = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(configFile, CONFIG);
});

afterAll(async () => {
  await fake.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the expected fleet', () => {
  test('clusters in ring order, one source per repository and ref, status names of the contract', () => {
    const fleet = loadExpectedFleet(configFile);
    expect(fleet.rings).toEqual([
      { ring: 1, clusters: ['dev'] },
      { ring: 2, clusters: ['stage-a', 'stage-b'] },
      { ring: 3, clusters: ['prod'] },
    ]);
    expect(fleet.sources.map((s) => s.ref)).toEqual([
      { kind: 'branch', value: 'main' },
      { kind: 'semver', value: '>=1.0.0' },
    ]);
    expect(fleet.clusters.map((x) => x.kustomizations.map((k) => k.statusName))).toEqual([[name(1, 'dev')], [name(2, 'stage-a')], [name(2, 'stage-b')], [name(3, 'prod')]]);
    expect(fleet.configHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('the embedded example, as synth reads it without a config', () => {
    const fleet = loadExpectedFleet(undefined);
    expect(fleet.clusters.map((x) => [x.name, x.kustomizations.map((k) => `${k.repository.name}:${k.ref.kind}:${k.ref.value}`)])).toEqual([
      ['example', ['cluster-platform:branch:main', 'cluster-apps:branch:main']],
    ]);
  });
});

describe('status --json --from ado against the double', () => {
  let snapshot: FleetSnapshot;
  let calls: number;

  // Each test joins afresh: Stryker's per-test coverage credits what a beforeAll runs to no test of
  // this describe, so a mutant of the join would be tried against none of the tests that read it.
  beforeEach(async () => {
    fake.requests.length = 0;
    const r = await run(['status', '--json', '--from', 'ado', '--config', configFile]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    snapshot = JSON.parse(r.stdout);
    calls = fake.requests.length;
  });

  test('a failed newer attempt: failed, revision the last good commit, attempted the head, two commits behind', () => {
    expect(ks(snapshot, 'dev')).toEqual({
      name: 'apps',
      namespace: 'flux-system',
      repository: { organization: 'contoso', project: 'fabrikam', name: 'cluster-apps' },
      ref: 'refs/heads/main',
      revision: c[2],
      attemptedRevision: c[4],
      state: 'failed',
      reason: 'health check failed',
      since: at(20),
      commitsBehind: 2,
      from: ['ado'],
      statusName: name(1, 'dev'),
      targetUrl: null,
      disagreement: null,
    });
  });

  test('ready at the head; a silent Kustomization (nothing ever reported) is silent', () => {
    expect(ks(snapshot, 'stage-a')).toEqual(
      row(2, 'stage-a', { revision: c[4], attemptedRevision: c[4], state: 'ready', reason: 'reconciliation succeeded', since: at(30), commitsBehind: 0, from: ['ado'], disagreement: null }),
    );
    expect(ks(snapshot, 'stage-b')).toEqual(
      row(2, 'stage-b', {
        revision: null,
        attemptedRevision: null,
        state: 'silent',
        reason: `no status ${name(2, 'stage-b')} on the 5 newest commits`,
        since: null,
        commitsBehind: null,
        from: [],
        disagreement: null,
      }),
    );
  });

  test('a semver ref: the newest matching tag (annotated, peeled; prereleases out) is the head', () => {
    expect(snapshot.repositories).toEqual([
      { organization: 'contoso', project: 'fabrikam', name: 'cluster-apps', ref: 'refs/heads/main', head: c[4], url: `${base}/contoso/fabrikam/_git/cluster-apps` },
      { organization: 'contoso', project: 'fabrikam', name: 'cluster-apps', ref: 'semver:>=1.0.0', head: c[3], url: `${base}/contoso/fabrikam/_git/cluster-apps` },
    ]);
    expect(ks(snapshot, 'prod')).toEqual(
      row(
        3,
        'prod',
        { revision: c[1], attemptedRevision: c[1], state: 'ready', reason: 'reconciliation succeeded', since: at(40), commitsBehind: 2, from: ['ado'], disagreement: null },
        { ref: 'semver:>=1.0.0' },
      ),
    );
  });

  test('ring timeline: reached, complete, stragglers; a commit counts as live where a descendant runs', () => {
    const commit = (sha: string) => snapshot.commits.find((x) => x.sha === sha)!;
    expect(commit(c[2]).rings).toEqual({
      '1': { reachedAt: at(10), completeAt: at(10), succeeded: 1, expected: 1, stragglers: [] },
      '2': { reachedAt: at(30), completeAt: null, succeeded: 1, expected: 2, stragglers: ['stage-b'] },
      '3': { reachedAt: null, completeAt: null, succeeded: 0, expected: 1, stragglers: ['prod'] },
    });
    expect(commit(c[0]).rings['3']).toEqual({ reachedAt: at(40), completeAt: at(40), succeeded: 1, expected: 1, stragglers: [] });
    expect(commit(c[4])).toEqual({
      sha: c[4],
      repository: { organization: 'contoso', project: 'fabrikam', name: 'cluster-apps' },
      url: `https://dev.azure.com/contoso/fabrikam/_git/cluster-apps/commit/${c[4]}`,
      author: 'Dana Developer',
      pushedAt: at(4),
      message: 'change 5',
      rings: {
        '1': { reachedAt: null, completeAt: null, succeeded: 0, expected: 1, stragglers: ['dev'] },
        '2': { reachedAt: at(30), completeAt: null, succeeded: 1, expected: 2, stragglers: ['stage-b'] },
        '3': { reachedAt: null, completeAt: null, succeeded: 0, expected: 1, stragglers: ['prod'] },
      },
    });
    expect(snapshot.commits.map((x) => x.sha)).toEqual([...c].reverse());
  });

  test('lead time push to live per ring, nearest-rank p50/p90', () => {
    // ring 1: c0, c1, c2 live at minute 10, pushed at 0, 1, 2: 600, 540, 480 s.
    // ring 2: every commit live at minute 30 (c4 is a descendant of all): 1800, 1740, 1680, 1620, 1560 s.
    // ring 3: c0, c1 live at minute 40: 2400, 2340 s.
    expect(snapshot.leadTime).toEqual({
      '1': { samples: 3, p50Seconds: 540, p90Seconds: 600 },
      '2': { samples: 5, p50Seconds: 1680, p90Seconds: 1800 },
      '3': { samples: 2, p50Seconds: 2340, p90Seconds: 2400 },
    });
  });

  test('calls grow with repositories and refs: one commitsbatch per ref, no call per cluster or commit', () => {
    const routes = fake.requests.map((r) => `${r.method} ${r.path.replace(/^.*\/repositories\/[^/]+/, '')}`);
    expect(routes.sort()).toEqual(['GET /refs', 'GET /refs', 'POST /commitsbatch', 'POST /commitsbatch'].sort());
    expect(calls).toBe(4);
  });

  test('the snapshot is valid against the shipped JSON Schema', () => {
    const schema = JSON.parse(fs.readFileSync(SNAPSHOT_JSON_SCHEMA_FILE, 'utf8'));
    // Versioned with the contract: a new SNAPSHOT_SCHEMA needs a new schema file.
    expect(schema.properties.schema).toEqual({ const: SNAPSHOT_SCHEMA });
    const ajv = new Ajv({ allErrors: true, strict: true });
    // RFC 3339 date-time, as JSON Schema's format means it (ajv leaves formats to a plugin).
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    const validate = ajv.compile(schema);
    expect(validate(snapshot) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...snapshot, clusters: [{ ...snapshot.clusters[0], ring: 0 }] })).toBe(false);
    expect(validate({ ...snapshot, generatedAt: 'yesterday' })).toBe(false);
    expect(validate({ ...snapshot, commits: [{ ...snapshot.commits[0], sha: snapshot.commits[0].sha.slice(0, 7) }] })).toBe(false);
  });

  test('--fail-on failed,silent exits 1 and names each finding', async () => {
    const r = await run(['status', '--from', 'ado', '--config', configFile, '--fail-on', 'failed,silent']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('  '))).toEqual(['  dev flux-system/apps: failed (health check failed)', `  stage-b flux-system/apps: silent (no status ${name(2, 'stage-b')} on the 5 newest commits)`]);
  });

  test('the table: rings as groups, clusters as rows, sha7 mark age', () => {
    const table = renderTable(snapshot, { color: false });
    const lines = table.split('\n');
    expect(lines.slice(0, 12)).toEqual([
      `contoso/fabrikam/cluster-apps refs/heads/main: head ${c[4].slice(0, 7)}`,
      `contoso/fabrikam/cluster-apps semver:>=1.0.0: head ${c[3].slice(0, 7)}`,
      '',
      'RING 1',
      '  CLUSTER  APPS',
      `  dev      ${c[2].slice(0, 7)} ✖ 1h -2`,
      '',
      'RING 2',
      '  CLUSTER  APPS',
      `  stage-a  ${c[4].slice(0, 7)} ✔ 1h`,
      '  stage-b  silent',
      '',
    ]);
    expect(renderTable(snapshot, { color: true })).toContain(`\u001b[31m${c[2].slice(0, 7)} ✖ 1h -2\u001b[0m`);
  });

  test('--snapshot renders a saved snapshot without the network', async () => {
    const file = path.join(dir, 'saved.json');
    fs.writeFileSync(file, JSON.stringify(snapshot));
    fake.requests.length = 0;
    const r = await run(['status', '--snapshot', file, '--json'], {});
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(snapshot);
    expect(fake.requests).toEqual([]);
  });
});

describe('the Azure DevOps reader', () => {
  test('pagination past 1000 statuses: a commit with more is read through Statuses - List, top 1000 and skip', async () => {
    const many: [string, string, string] = ['contoso', 'fabrikam', 'busy'];
    fake.addRepository(...many);
    const [sha] = fake.push(many, 'main', 1, new Date(T0));
    // The contract status comes first, so that 1100 newer ones push it beyond the first 1000.
    fake.addStatus(many, sha, { state: 'succeeded', context: { genre: 'fluxcd', name: name(1, 'dev') }, creationDate: at(5), description: 'reconciliation succeeded' });
    for (let i = 0; i < 1100; i++) fake.addStatus(many, sha, { state: 'succeeded', context: { genre: 'ci', name: `build-${i}` }, creationDate: at(6) });
    const fleet = expectedFleet({ clusters: [{ name: 'dev', repositories: [{ name: 'apps', url: 'https://dev.azure.com/contoso/fabrikam/_git/busy', auth: 'https' }] }] }, 'test');
    fake.requests.length = 0;
    const reading = await readAzureDevOps(fleet, { env: env() });
    expect(fake.requests.filter((r) => r.path.endsWith('/statuses')).map((r) => `${r.query.get('top')}/${r.query.get('skip')}`)).toEqual(['1000/0', '1000/1000']);
    expect(reading.sources[0].commits[0].statuses).toHaveLength(1101);
    const snapshot = computeSnapshot({ fleet, ado: reading, clusters: null, now: new Date() });
    expect(ks(snapshot, 'dev')).toEqual(
      row(
        1,
        'dev',
        { revision: sha, attemptedRevision: sha, state: 'ready', reason: 'reconciliation succeeded', since: at(5), commitsBehind: 0, from: ['ado'], disagreement: null },
        { repository: { organization: 'contoso', project: 'fabrikam', name: 'busy' } },
      ),
    );
  });

  test('a 429 with Retry-After is waited out (the wait the server asked for) and the read goes on', async () => {
    const fleet = loadExpectedFleet(configFile);
    fake.faults.push({ status: 429, pathContains: '/commitsbatch', retryAfter: '2' });
    const waits: number[] = [];
    const reading = await readAzureDevOps(fleet, { env: env(), sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([2000]);
    expect(reading.error).toBeNull();
    expect(reading.sources.map((s) => s.head)).toEqual([c[4], c[3]]);
    expect(reading.calls).toBe(5);
  });

  test('a branch ahead by two of a revision older than the commits read: Diffs - Get counts it', async () => {
    const fleet = loadExpectedFleet(configFile);
    const reading = await readAzureDevOps(fleet, { env: env(), commits: 2, revisions: () => [c[1]] });
    expect(reading.sources[0].comparisons).toEqual({ [c[1]]: { behind: 3, ancestor: true } });
    expect(reading.sources[1].comparisons).toEqual({ [c[1]]: { behind: 2, ancestor: true } });
  });

  test.each([
    ['401', { status: 401 }],
    ['a 203 sign-in page', { status: 203, signInPage: true }],
  ])('a wrong token (%s): one clear message, exit 3, the token never shown', async (_, fault) => {
    const wrong = 'wrong-token-abcdef0123456789';
    for (let i = 0; i < 2 && fault.status === 203; i++) fake.faults.push({ ...fault });
    const r = await run(['status', '--json', '--from', 'ado', '--config', configFile], env({ AZDO_PERSONAL_ACCESS_TOKEN: wrong }));
    expect(r.code).toBe(3);
    const message = r.stderr.trim();
    expect(message).toMatch(new RegExp(`^status: Azure DevOps: Azure DevOps refused the PAT \\(AZDO_PERSONAL_ACCESS_TOKEN\\) \\(HTTP ${fault.status}\\) at GET ${base}/contoso/fabrikam/_apis/git/repositories/cluster-apps/refs: reading needs a token of this organisation with Code \\(Read\\)`));
    expect(message.split('\n')).toHaveLength(1);
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(Buffer.from(`:${wrong}`).toString('base64'));
    }
    expect(JSON.parse(r.stdout).clusters.map((x: any) => x.kustomizations[0].state)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
  });
});

describe('the token and the service root, as the key script takes them', () => {
  test('an Entra ID token (AZDO_ENTRA_TOKEN) goes as Bearer and wins over a PAT', async () => {
    const entra = 'eyJ0eXAiOiJKV1QifQ.entra-token';
    fake.addToken(`Bearer ${entra}`);
    fake.requests.length = 0;
    const reading = await readAzureDevOps(loadExpectedFleet(configFile), { env: env({ AZDO_ENTRA_TOKEN: entra, AZDO_PERSONAL_ACCESS_TOKEN: 'not-this-one-0123456789' }) });
    expect(reading.error).toBeNull();
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  test.each([
    [{ AZDO_PERSONAL_ACCESS_TOKEN: undefined }, 'no Azure DevOps token in the environment: set AZDO_PERSONAL_ACCESS_TOKEN (a PAT with Code: Read) or AZDO_ENTRA_TOKEN=$(az account get-access-token --resource 499b84ac-1321-427f-aa17-267ca6975798 --query accessToken -o tsv)'],
    [{ AZDO_DEV_URL: 'http://dev.example.com' }, 'AZDO_DEV_URL http://dev.example.com must be an https:// URL (plain http only on a loopback address, for tests)'],
  ])('%j: nothing is sent, one message, exit 3', async (extra, message) => {
    fake.requests.length = 0;
    const r = await run(['status', '--from', 'ado', '--config', configFile], env(extra));
    expect([r.code, r.stderr]).toEqual([3, `status: Azure DevOps: ${message}\n`]);
    expect(fake.requests).toEqual([]);
  });
});

describe('the join with the clusters', () => {
  let fleetReading: Awaited<ReturnType<typeof readAzureDevOps>>;
  beforeAll(async () => {
    fleetReading = await readAzureDevOps(loadExpectedFleet(configFile), { env: env() });
  });

  test('an unreachable cluster is reported and the Azure DevOps facts stay; a cluster live at X that never reported X is a disagreement', () => {
    const fleet = loadExpectedFleet(configFile);
    const snapshot = computeSnapshot({
      fleet,
      ado: fleetReading,
      now: new Date(),
      clusters: [
        { cluster: 'dev', reachable: false, error: 'connect ECONNREFUSED 10.0.0.1:443', kustomizations: [] },
        {
          cluster: 'stage-b',
          reachable: true,
          error: null,
          kustomizations: [
            {
              name: 'apps',
              namespace: 'flux-system',
              lastAppliedRevision: `main@sha1:${c[3]}`,
              lastAttemptedRevision: `main@sha1:${c[3]}`,
              ready: { status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:…', lastTransitionTime: at(50) },
              suspended: false,
              history: [
                { revision: `main@sha1:${c[3]}`, firstReconciled: at(50), lastReconciled: at(55), lastReconciledStatus: 'ReconciliationSucceeded', totalReconciliations: 2 },
                { revision: `main@sha1:${c[2]}`, firstReconciled: at(45), lastReconciled: at(46), lastReconciledStatus: 'HealthCheckFailed', totalReconciliations: 1 },
              ],
            },
          ],
        },
        { cluster: 'stage-a', reachable: true, error: null, kustomizations: [] },
        { cluster: 'prod', reachable: false, error: 'timed out', kustomizations: [] },
      ],
    });
    const dev = snapshot.clusters.find((x) => x.name === 'dev')!;
    expect([dev.reachable, dev.error]).toEqual([false, 'connect ECONNREFUSED 10.0.0.1:443']);
    expect(dev.kustomizations).toEqual([
      row(1, 'dev', { revision: c[2], attemptedRevision: c[4], state: 'failed', reason: 'health check failed', since: at(20), commitsBehind: 2, from: ['ado'], disagreement: null }),
    ]);
    expect(ks(snapshot, 'stage-b')).toEqual(
      row(2, 'stage-b', {
        revision: c[3],
        attemptedRevision: c[3],
        state: 'ready',
        reason: 'Applied revision: main@sha1:…',
        since: at(50),
        commitsBehind: 1,
        from: ['cluster'],
        disagreement: `the cluster runs ${c[3].slice(0, 7)} but never reported to Azure DevOps (check its commit-status Provider, Alert and token)`,
      }),
    );
    expect(ks(snapshot, 'stage-a')).toEqual(
      row(2, 'stage-a', {
        revision: null,
        attemptedRevision: null,
        state: 'missing',
        reason: 'the cluster has no such Kustomization',
        since: null,
        commitsBehind: null,
        from: ['ado', 'cluster'],
        disagreement: `Azure DevOps has ${c[4].slice(0, 7)} succeeded from it, but the cluster has no such Kustomization`,
      }),
    );
    expect(snapshot.sources.cluster).toEqual({ read: true, error: '2 of 4 clusters unreachable: dev, prod' });
    // The ring timeline takes the cluster's history where Azure DevOps has nothing (a failed entry does not count);
    // stage-a, which the cluster says has no such Kustomization, runs nothing.
    const ring2 = (sha: string) => snapshot.commits.find((x) => x.sha === sha)!.rings['2'];
    expect([ring2(c[3]), ring2(c[2])]).toEqual([
      { reachedAt: at(50), completeAt: null, succeeded: 1, expected: 2, stragglers: ['stage-a'] },
      { reachedAt: at(50), completeAt: null, succeeded: 1, expected: 2, stragglers: ['stage-a'] },
    ]);
  });

  test('a cluster the stack has write no commit statuses is unknown from Azure DevOps, not silent', () => {
    const fleet = expectedFleet({ clusters: [{ name: 'quiet', notifications: { commitStatus: false }, repositories: [{ name: 'apps', url: URL_OF, ref: { branch: 'main' } }] }] }, 'test');
    const snapshot = computeSnapshot({ fleet, ado: fleetReading, clusters: null, now: new Date() });
    expect(ks(snapshot, 'quiet')).toEqual(
      row(1, 'quiet', {
        revision: null,
        attemptedRevision: null,
        state: 'unknown',
        reason: 'the stack has this cluster write no commit statuses (notifications.commitStatus); the cluster not read',
        since: null,
        commitsBehind: null,
        from: [],
        disagreement: null,
      }),
    );
  });

  test('--from cluster with the cluster unreachable: unknown, saying why', () => {
    const snapshot = computeSnapshot({
      fleet: loadExpectedFleet(configFile),
      ado: null,
      now: new Date(),
      clusters: [{ cluster: 'dev', reachable: false, error: 'timed out', kustomizations: [] }],
    });
    expect(ks(snapshot, 'dev')).toEqual(
      row(1, 'dev', {
        revision: null,
        attemptedRevision: null,
        state: 'unknown',
        reason: 'Azure DevOps not read; the cluster is unreachable: timed out',
        since: null,
        commitsBehind: null,
        from: [],
        disagreement: null,
      }),
    );
  });
});

describe('gate', () => {
  let file: string;
  // Per test, as in the describe above: so that mutants of the join meet the gate's tests.
  beforeEach(async () => {
    const r = await run(['status', '--json', '--from', 'ado', '--config', configFile]);
    file = path.join(dir, 'gate.json');
    fs.writeFileSync(file, r.stdout);
  });

  test('passes when every cluster of the earlier rings runs the commit (or a descendant) for the soak time', async () => {
    const r = await run(['gate', '--commit', c[2].slice(0, 10), '--ring', '2', '--soak', '1h', '--snapshot', file], {});
    expect(r).toEqual({ code: 0, stderr: '', stdout: `pass: ${c[2]} to ring 2\n  ring 1: all 1 clusters run it since ${at(10)}\n` });
  });

  test('waits while the soak time has not passed, saying how long is left', async () => {
    const r = await run(['gate', '--commit', c[2], '--ring', '2', '--soak', '3h', '--snapshot', file], {});
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^wait: ${c[2]} to ring 2\\n  ring 1: complete at ${at(10).replace(/\./g, '\\.')}, soaked \\d+ s of 10800 s \\(\\d+ s to go\\)\\n$`));
  });

  test('fails with the reasons: stragglers and what their Kustomizations say', async () => {
    const r = await run(['gate', '--commit', c[4], '--ring', '3', '--snapshot', file], {});
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `wait: ${c[4]} to ring 3`,
      `  ring 1: 0 of 1 clusters run ${c[4].slice(0, 7)} or a descendant; not yet: dev [dev/apps failed (health check failed)]`,
      `  ring 2: 1 of 2 clusters run ${c[4].slice(0, 7)} or a descendant; not yet: stage-b [stage-b/apps silent (no status ${name(2, 'stage-b')} on the 5 newest commits)]`,
      '',
    ]);
  });

  test('a commit not read, and usage errors (exit 2)', async () => {
    const snapshot: FleetSnapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(judgeGate(snapshot, { commit: 'abcdef1', ring: 2, soakSeconds: 0, now: new Date() })).toEqual({
      pass: false,
      sha: null,
      reasons: ['commit abcdef1 is not among the commits read (5); is it pushed to a ref the fleet follows? (--commits reads more)'],
    });
    for (const args of [['--ring', '2'], ['--commit', 'xyz', '--ring', '2'], ['--commit', c[0], '--ring', '2', '--soak', 'soon']]) {
      expect((await run(['gate', ...args, '--snapshot', file], {})).code).toBe(2);
    }
  });
});

describe('status usage', () => {
  test.each([[['--from', 'git']], [['--fail-on', 'broken']], [['--commits', '0']], [['--bogus']], [['--snapshot', 'x.json', '--from', 'ado']]])('%j exits 2 with the usage', async (args) => {
    const r = await run(['status', ...args], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: cdktf-flux-gitops status');
  });

  test('colour only on a terminal and never with NO_COLOR', () => {
    expect([useColor({}, true), useColor({}, false), useColor({ NO_COLOR: '1' }, true), useColor({ NO_COLOR: '' }, true)]).toEqual([true, false, false, true]);
  });

  test('nearest rank: the smallest sample with at least q of them at or below it', () => {
    expect([nearestRank([], 0.5), nearestRank([7], 0.9), nearestRank([1, 2, 3, 4], 0.5), nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)]).toEqual([null, 7, 2, 9]);
  });
});

describe('the join on hand-made readings (what one commit status or cluster field makes of a row)', () => {
  // Made-up SHAs (hex, 40 characters); commits are given newest first, as the reader walks them.
  const sha = (n: number): string => `${n}`.repeat(40).slice(0, 40);
  const status = (cluster: string, state: string, minutes: number, description: string, more: Partial<AdoStatus> = {}): AdoStatus => ({
    id: null,
    state,
    description,
    genre: 'fluxcd',
    name: name(1, cluster),
    creationDate: at(minutes),
    targetUrl: null,
    ...more,
  });
  const commitOf = (n: number, pushedMinutes: number | null, statuses: AdoStatus[] = []): AdoCommit => ({
    sha: sha(n),
    author: 'Dana Developer',
    pushedAt: pushedMinutes === null ? null : at(pushedMinutes),
    message: `change ${n}`,
    url: null,
    statuses,
  });
  /** Every cluster named in ring 1, following main of cluster-apps. */
  const fleetOf = (clusters: string[], ring: (cluster: string) => number = () => 1): ExpectedFleet =>
    expectedFleet({ clusters: clusters.map((x) => ({ name: x, ring: ring(x), repositories: [{ name: 'apps', url: URL_OF, ref: { branch: 'main' } }] })) }, 'test');
  const adoOf = (fleet: ExpectedFleet, commits: AdoCommit[], more: Partial<AdoSourceReading> = {}): AdoReading => ({
    reachable: true,
    error: null,
    calls: 2,
    sources: [{ ...fleet.sources[0], head: commits[0]?.sha ?? null, headRef: 'refs/heads/main', repositoryUrl: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps', commits, comparisons: {}, error: null, ...more }],
  });
  const join = (fleet: ExpectedFleet, ado: AdoReading | null, clusters: ClusterReading[] | null = null): FleetSnapshot => computeSnapshot({ fleet, ado, clusters, now: new Date(T0) });
  const rowOf = (s: FleetSnapshot, cluster: string): KustomizationStatus => ks(s, cluster);
  const adoRow = (cluster: string, revision: string | null, attempted: string | null, state: KustomizationState, reason: string, since: number, behind: number | null): KustomizationStatus =>
    row(1, cluster, { revision, attemptedRevision: attempted, state, reason, since: at(since), commitsBehind: behind, from: ['ado'], disagreement: null });

  test("a commit's newest status decides, by time and then by id; only the contract's genres, names and states count", () => {
    const clusters = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const fleet = fleetOf(clusters);
    const snapshot = join(
      fleet,
      adoOf(fleet, [
        commitOf(0, 0, [
          status('a', 'succeeded', 10, 'a older', { id: 1 }),
          status('a', 'error', 11, 'a newer', { id: 2 }),
          status('b', 'error', 11, 'b newer', { id: 1 }),
          status('b', 'succeeded', 10, 'b older', { id: 2 }),
          // Created the same second: Azure DevOps numbers statuses in order, the higher id is the newer.
          status('c', 'succeeded', 12, 'c id 7', { id: 7 }),
          status('c', 'error', 12, 'c id 8', { id: 8 }),
          status('d', 'error', 12, 'd id 8', { id: 8 }),
          status('d', 'succeeded', 12, 'd id 7', { id: 7 }),
          status('e', 'succeeded', 12, 'e no id'),
          status('e', 'error', 12, 'e id 3', { id: 3 }),
          // The summary form of the genre counts; another genre, none, or a state notification-controller never writes does not.
          status('f', 'succeeded', 10, 'f summary genre', { genre: 'fluxcd:apps' }),
          status('f', 'error', 20, 'f other genre', { genre: 'Kustomization' }),
          status('f', 'error', 21, 'f no genre', { genre: null }),
          status('f', 'pending', 22, 'f pending'),
          status('f', 'error', 23, 'f genre suffix', { genre: 'apps:fluxcd' }),
          status('g', 'failed', 10, 'g failed'),
        ]),
      ]),
    );
    const h = sha(0);
    expect(clusters.map((x) => rowOf(snapshot, x))).toEqual([
      adoRow('a', h, h, 'failed', 'a newer', 11, 0),
      adoRow('b', h, h, 'failed', 'b newer', 11, 0),
      adoRow('c', h, h, 'failed', 'c id 8', 12, 0),
      adoRow('d', h, h, 'failed', 'd id 8', 12, 0),
      adoRow('e', h, h, 'failed', 'e id 3', 12, 0),
      adoRow('f', h, h, 'ready', 'f summary genre', 10, 0),
      adoRow('g', null, h, 'failed', 'g failed', 10, null),
    ]);
  });

  test('applied: the newest commit with a success; attempted: the newest with any status of the name', () => {
    const fleet = fleetOf(['a']);
    const snapshot = join(
      fleet,
      adoOf(fleet, [
        commitOf(3, 3, [status('a', 'error', 30, 'h3 failed')]),
        commitOf(2, 2),
        commitOf(1, 1, [status('a', 'error', 21, 'h1 failed later'), status('a', 'succeeded', 20, 'h1 applied')]),
        commitOf(0, 0, [status('a', 'succeeded', 10, 'h0 applied')]),
      ]),
    );
    expect(rowOf(snapshot, 'a')).toEqual(adoRow('a', sha(1), sha(3), 'failed', 'h3 failed', 30, 2));
  });
  const kustomization = (more: Partial<ClusterKustomizationReading>): ClusterKustomizationReading => ({
    name: 'apps',
    namespace: 'flux-system',
    lastAppliedRevision: null,
    lastAttemptedRevision: null,
    ready: null,
    suspended: false,
    history: [],
    ...more,
  });
  const ready = (status: ReadyCondition['status'], reason: string | null, message: string | null, minutes: number | null): ReadyCondition => ({
    status,
    reason,
    message,
    lastTransitionTime: minutes === null ? null : at(minutes),
  });
  const reachable = (cluster: string, ...kustomizations: ClusterKustomizationReading[]): ClusterReading => ({ cluster, reachable: true, error: null, kustomizations });
  const clusterRow = (cluster: string, state: Partial<KustomizationStatus>): KustomizationStatus =>
    row(1, cluster, { revision: null, attemptedRevision: null, state: 'ready', reason: null, since: null, commitsBehind: null, from: ['cluster'], disagreement: null, ...state });

  test("--from cluster: Ready's status, reason and message, suspension, and revisions as Flux writes them", () => {
    const clusters = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const upper = 'AB'.repeat(20);
    const snapshot = join(fleetOf(clusters), null, [
      reachable('a', kustomization({ lastAppliedRevision: `main@sha1:${upper}`, lastAttemptedRevision: sha(2), ready: ready('True', 'ReconciliationSucceeded', `Applied revision: main@sha1:${upper}`, 5) })),
      reachable('b', kustomization({ lastAppliedRevision: `main@sha1:${sha(1)}`, ready: ready('False', 'HealthCheckFailed', null, 6) })),
      reachable('c', kustomization({ ready: ready('Unknown', 'Progressing', 'Reconciliation in progress', 7) })),
      // No Ready condition yet, and revisions without a SHA: nothing known.
      reachable('d', kustomization({ lastAppliedRevision: 'main', lastAttemptedRevision: 'main@sha1:abc' })),
      reachable('e', kustomization({ suspended: true, ready: ready('True', 'ReconciliationSucceeded', 'Applied', 8) })),
      reachable('f', kustomization({ suspended: true })),
      // Another namespace, another name: not this Kustomization.
      reachable('g', kustomization({ namespace: 'apps', ready: ready('True', null, null, 9) }), kustomization({ name: 'infra', ready: ready('True', null, null, 9) })),
    ]);
    expect(clusters.map((x) => rowOf(snapshot, x))).toEqual([
      clusterRow('a', { revision: 'ab'.repeat(20), attemptedRevision: sha(2), reason: `Applied revision: main@sha1:${upper}`, since: at(5) }),
      clusterRow('b', { revision: sha(1), state: 'failed', reason: 'HealthCheckFailed', since: at(6) }),
      clusterRow('c', { state: 'progressing', reason: 'Reconciliation in progress', since: at(7) }),
      clusterRow('d', { state: 'progressing' }),
      clusterRow('e', { reason: 'suspended; Applied', since: at(8) }),
      clusterRow('f', { state: 'progressing', reason: 'suspended' }),
      clusterRow('g', { state: 'missing', reason: 'the cluster has no such Kustomization' }),
    ]);
    expect(snapshot.sources).toEqual({ ado: { read: false, error: null }, cluster: { read: true, error: null } });
  });

  test('both sources: agreement, a cluster behind or ahead of its statuses, missing, and since from Azure DevOps', () => {
    const clusters = ['a', 'b', 'c', 'd', 'e', 'f'];
    const fleet = fleetOf(clusters);
    const live = (cluster: string, n: number, transition: number | null = 40) =>
      reachable(cluster, kustomization({ lastAppliedRevision: `main@sha1:${sha(n)}`, lastAttemptedRevision: `main@sha1:${sha(n)}`, ready: ready('True', 'ReconciliationSucceeded', null, transition) }));
    const snapshot = join(
      fleet,
      adoOf(fleet, [
        commitOf(2, 2, [status('a', 'succeeded', 20, 'a ok'), status('b', 'succeeded', 21, 'b ok'), status('d', 'error', 22, 'd failed')]),
        commitOf(1, 1, [status('c', 'succeeded', 11, 'c ok'), status('e', 'succeeded', 12, 'e ok')]),
        commitOf(0, 0),
      ]),
      [live('a', 2, null), live('b', 1), live('c', 2), reachable('d'), reachable('e', kustomization({ ready: ready('Unknown', 'Progressing', null, 41) })), reachable('f')],
    );
    const both = (cluster: string, state: Partial<KustomizationStatus>) => clusterRow(cluster, { from: ['ado', 'cluster'], reason: 'ReconciliationSucceeded', since: at(40), ...state });
    expect(clusters.map((x) => rowOf(snapshot, x))).toEqual([
      // The cluster says nothing of since when; Azure DevOps, which agrees, does.
      both('a', { revision: sha(2), attemptedRevision: sha(2), since: at(20), commitsBehind: 0 }),
      both('b', { revision: sha(1), attemptedRevision: sha(1), commitsBehind: 1, disagreement: `the cluster runs 1111111 but its newest succeeded status in Azure DevOps is on 2222222` }),
      both('c', { revision: sha(2), attemptedRevision: sha(2), commitsBehind: 0, disagreement: `the cluster runs 2222222 but its newest succeeded status in Azure DevOps is on 1111111` }),
      // Only a failure in Azure DevOps: nothing succeeded to disagree with.
      both('d', { state: 'missing', reason: 'the cluster has no such Kustomization', since: null }),
      // Progressing, nothing applied yet: no revision to compare.
      both('e', { state: 'progressing', reason: 'Progressing', since: at(41) }),
      clusterRow('f', { state: 'missing', reason: 'the cluster has no such Kustomization', from: ['cluster'], disagreement: null }),
    ]);
  });
  test('ring timeline and lead time: first success at a commit or a descendant, from statuses and from the history', () => {
    const fleet = fleetOf(['a', 'b', 'c'], (x) => (x === 'c' ? 2 : 1));
    const history = (n: number, first: number, result: string) => ({ revision: `main@sha1:${sha(n)}`, firstReconciled: at(first), lastReconciled: at(first + 1), lastReconciledStatus: result, totalReconciliations: 1 });
    const snapshot = join(
      fleet,
      adoOf(fleet, [
        // Pushed when Azure DevOps has no date for it: it leaves the lead time and sorts last.
        commitOf(2, null, [status('b', 'succeeded', 25, 'b at h2')]),
        // An error is no success, and a success at an ancestor after one at a descendant (a roll-back) is not the first.
        commitOf(1, 9, [status('a', 'error', 14, 'a failed at h1'), status('a', 'succeeded', 15, 'a at h1')]),
        commitOf(0, 1, [status('a', 'succeeded', 20, 'a at h0'), status('b', 'succeeded', 3, 'b at h0')]),
      ]),
      [
        reachable(
          'c',
          // Another namespace's and another name's history are not this Kustomization's.
          kustomization({ namespace: 'other', history: [history(1, 2, 'ReconciliationSucceeded')] }),
          kustomization({ name: 'infra', history: [history(1, 2, 'ReconciliationSucceeded')] }),
          kustomization({
            lastAppliedRevision: `main@sha1:${sha(1)}`,
            ready: ready('True', 'ReconciliationSucceeded', null, 30),
            // A failed attempt at h2 is not a success; h0's success is of an ancestor, not of h1; h9 is not among the commits read.
            history: [history(2, 13, 'HealthCheckFailed'), history(0, 11, 'ReconciliationSucceeded'), history(1, 30, 'ReconciliationSucceeded'), history(9, 1, 'ReconciliationSucceeded')],
          }),
        ),
      ],
    );
    const commitRow = (n: number, pushed: number | null, rings: Record<string, RingProgress>): CommitStatus => ({
      repository: { organization: 'contoso', project: 'fabrikam', name: 'cluster-apps' },
      sha: sha(n),
      pushedAt: pushed === null ? null : at(pushed),
      author: 'Dana Developer',
      message: `change ${n}`,
      url: null,
      rings,
    });
    const progress = (reached: number | null, complete: number | null, succeeded: number, expected: number, stragglers: string[]): RingProgress => ({
      reachedAt: reached === null ? null : at(reached),
      completeAt: complete === null ? null : at(complete),
      succeeded,
      expected,
      stragglers,
    });
    expect(snapshot.commits).toEqual([
      commitRow(1, 9, { '1': progress(15, 25, 2, 2, []), '2': progress(30, 30, 1, 1, []) }),
      commitRow(0, 1, { '1': progress(3, 15, 2, 2, []), '2': progress(11, 11, 1, 1, []) }),
      commitRow(2, null, { '1': progress(25, null, 1, 2, ['a']), '2': progress(null, null, 0, 1, ['c']) }),
    ]);
    // Ring 1: h1 reached 6 minutes after its push, h0 2; ring 2: h1 21, h0 10.
    expect(snapshot.leadTime).toEqual({ '1': { samples: 2, p50Seconds: 120, p90Seconds: 360 }, '2': { samples: 2, p50Seconds: 600, p90Seconds: 1260 } });
  });
  test('a repository not read, clusters unreachable or not read, a revision older than the commits read', () => {
    const OTHER = 'git@ssh.dev.azure.com:v3/contoso/fabrikam/other';
    const fleet = expectedFleet(
      {
        clusters: [
          { name: 'a', ring: 1, repositories: [{ name: 'apps', url: URL_OF, ref: { branch: 'main' } }] },
          { name: 'b', ring: 1, repositories: [{ name: 'apps', url: URL_OF, ref: { branch: 'main' } }] },
          // c follows the other repository too: still one of ring 1's clusters in cluster-apps' timeline.
          { name: 'c', ring: 1, repositories: [{ name: 'apps', url: URL_OF, ref: { branch: 'main' } }, { name: 'other', url: OTHER, ref: { branch: 'main' } }] },
          { name: 'o', ring: 2, repositories: [{ name: 'apps', url: OTHER, ref: { branch: 'main' } }] },
        ],
      },
      'test',
    );
    const notRead = 'refs/heads/main is not in contoso/fabrikam/other';
    const apps = adoOf(fleet, [commitOf(1, 1, [status('a', 'succeeded', 5, 'a at h1')]), commitOf(0, 0)], { comparisons: { [sha(7)]: { behind: 7, ancestor: true } } }).sources[0];
    const other: AdoSourceReading = { ...fleet.sources[1], head: null, headRef: null, repositoryUrl: 'https://dev.azure.com/contoso/fabrikam/_git/other', commits: [], comparisons: {}, error: notRead };
    // The reading's error is its first failure; the row takes its own repository's.
    const snapshot = join(fleet, { reachable: true, error: 'the first failure', calls: 3, sources: [apps, other] }, [
      reachable('a', kustomization({ lastAppliedRevision: `main@sha1:${sha(7)}`, ready: ready('True', 'ReconciliationSucceeded', null, 50) })),
      { cluster: 'b', reachable: false, error: null, kustomizations: [] },
      { cluster: 'o', reachable: false, error: 'timed out', kustomizations: [] },
    ]);
    expect(snapshot.clusters.map((x) => [x.name, x.reachable, x.error])).toEqual([
      ['a', true, null],
      ['b', false, null],
      ['c', false, 'no reading for this cluster'],
      ['o', false, 'timed out'],
    ]);
    const silent = { revision: null, attemptedRevision: null, state: 'silent' as const, reason: `no status ${name(1, 'b')} on the 2 newest commits`, since: null, commitsBehind: null, from: [], disagreement: null };
    expect(['a', 'b', 'c', 'o'].map((x) => rowOf(snapshot, x))).toEqual([
      clusterRow('a', {
        revision: sha(7),
        reason: 'ReconciliationSucceeded',
        since: at(50),
        commitsBehind: 7,
        from: ['ado', 'cluster'],
        disagreement: 'the cluster runs 7777777 but its newest succeeded status in Azure DevOps is on 1111111',
      }),
      row(1, 'b', silent),
      row(1, 'c', { ...silent, reason: `no status ${name(1, 'c')} on the 2 newest commits` }),
      {
        ...row(2, 'o', { revision: null, attemptedRevision: null, state: 'unknown', reason: `${notRead}; the cluster is unreachable: timed out`, since: null, commitsBehind: null, from: [], disagreement: null }),
        repository: { organization: 'contoso', project: 'fabrikam', name: 'other' },
      },
    ]);
    // Ring 2 follows another repository: it has no say in cluster-apps' timeline. a runs an ancestor of both commits read.
    const none = { reachedAt: null, completeAt: null, succeeded: 0, expected: 3, stragglers: ['a', 'b', 'c'] };
    expect(snapshot.commits.map((x) => [x.sha, x.rings])).toEqual([
      [sha(1), { '1': none }],
      [sha(0), { '1': none }],
    ]);
    expect(snapshot.repositories).toEqual([
      { organization: 'contoso', project: 'fabrikam', name: 'cluster-apps', ref: 'refs/heads/main', head: sha(1), url: 'https://dev.azure.com/contoso/fabrikam/_git/cluster-apps' },
      { organization: 'contoso', project: 'fabrikam', name: 'other', ref: 'refs/heads/main', head: null, url: 'https://dev.azure.com/contoso/fabrikam/_git/other' },
    ]);
    expect(snapshot.sources).toEqual({ ado: { read: true, error: 'the first failure' }, cluster: { read: true, error: '2 of 3 clusters unreachable: b, o' } });
    expect(snapshot.leadTime).toEqual({ '1': { samples: 0, p50Seconds: null, p90Seconds: null }, '2': { samples: 0, p50Seconds: null, p90Seconds: null } });
  });

  test('nothing read of a repository and no reading of the cluster: unknown, with no reason to give', () => {
    const fleet = fleetOf(['a']);
    expect(rowOf(join(fleet, { reachable: true, error: null, calls: 0, sources: [] }, []), 'a')).toEqual(
      row(1, 'a', { revision: null, attemptedRevision: null, state: 'unknown', reason: null, since: null, commitsBehind: null, from: [], disagreement: null }),
    );
  });
  test('a cluster that runs the commit with no source saying since when: it counts, but the ring has no complete time', () => {
    const fleet = fleetOf(['a', 'b']);
    const snapshot = join(fleet, adoOf(fleet, [commitOf(0, 0, [status('b', 'succeeded', 5, 'b at h0')])]), [
      reachable('a', kustomization({ lastAppliedRevision: `main@sha1:${sha(0)}`, ready: ready('True', 'ReconciliationSucceeded', null, null) })),
    ]);
    expect(snapshot.commits[0].rings).toEqual({ '1': { reachedAt: at(5), completeAt: null, succeeded: 2, expected: 2, stragglers: [] } });
  });
  test('a cluster with two Kustomizations of the repository runs a commit since the later of their first successes, and only when both say', () => {
    const both = [
      { name: 'apps', url: URL_OF, ref: { branch: 'main' }, path: './apps' },
      { name: 'infra', url: URL_OF, ref: { branch: 'main' }, path: './infra' },
    ];
    const fleet = expectedFleet({ clusters: [{ name: 'a', ring: 1, repositories: both }, { name: 'b', ring: 1, repositories: both }] }, 'test');
    const infra = (cluster: string) => fleet.clusters.find((x) => x.name === cluster)!.kustomizations.find((k) => k.name === 'infra')!.statusName;
    const snapshot = join(
      fleet,
      adoOf(fleet, [
        commitOf(1, 1, [status('a', 'succeeded', 20, 'a apps'), status('a', 'succeeded', 10, 'a infra', { name: infra('a') }), status('b', 'succeeded', 10, 'b apps')]),
        commitOf(0, 0),
      ]),
      [
        // b's infra runs h1, but no source says since when.
        reachable(
          'b',
          kustomization({ lastAppliedRevision: `main@sha1:${sha(1)}`, ready: ready('True', 'ReconciliationSucceeded', null, null) }),
          kustomization({ name: 'infra', lastAppliedRevision: `main@sha1:${sha(1)}`, ready: ready('True', 'ReconciliationSucceeded', null, null) }),
        ),
      ],
    );
    const ring1 = { '1': { reachedAt: at(20), completeAt: null, succeeded: 2, expected: 2, stragglers: [] } };
    expect(snapshot.commits.map((x) => [x.sha, x.rings])).toEqual([
      [sha(1), ring1],
      [sha(0), ring1],
    ]);
  });
  test('a cluster ahead of statuses that are all failures, since only for the revision Azure DevOps saw, and nothing read at all', () => {
    const fleet = fleetOf(['a', 'b']);
    const runs = (cluster: string) => reachable(cluster, kustomization({ lastAppliedRevision: `main@sha1:${sha(1)}`, ready: ready('True', 'ReconciliationSucceeded', null, null) }));
    const snapshot = join(fleet, adoOf(fleet, [commitOf(1, 1, [status('a', 'error', 10, 'a failed')]), commitOf(0, 0, [status('b', 'succeeded', 5, 'b at h0')])]), [runs('a'), runs('b')]);
    const live = { revision: sha(1), reason: 'ReconciliationSucceeded', commitsBehind: 0, from: ['ado', 'cluster'] as SourceName[] };
    expect([rowOf(snapshot, 'a'), rowOf(snapshot, 'b')]).toEqual([
      clusterRow('a', { ...live, disagreement: 'the cluster runs 1111111 but its newest succeeded status in Azure DevOps is on nothing' }),
      clusterRow('b', { ...live, disagreement: 'the cluster runs 1111111 but its newest succeeded status in Azure DevOps is on 0000000' }),
    ]);

    const unknown = (reason: string) => row(1, 'a', { revision: null, attemptedRevision: null, state: 'unknown', reason, since: null, commitsBehind: null, from: [], disagreement: null });
    const nothing = join(fleetOf(['a']), null, null);
    expect([nothing.clusters[0].reachable, nothing.clusters[0].error, rowOf(nothing, 'a')]).toEqual([null, null, unknown('Azure DevOps not read; the cluster not read')]);
    expect(nothing.sources).toEqual({ ado: { read: false, error: null }, cluster: { read: false, error: null } });
    const silent = join(fleetOf(['a']), null, [{ cluster: 'a', reachable: false, error: null, kustomizations: [] }]);
    expect(rowOf(silent, 'a')).toEqual(unknown('Azure DevOps not read; the cluster is unreachable: no answer'));
  });
});
