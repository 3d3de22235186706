/**
 * `status --json --from ado` against the Azure DevOps Git double with 20 ms added to every answer: the
 * command as a user runs it (the CLI bundle `npm run cli` builds, in its own process), the double in this
 * one. Wall time from spawn to exit, the command's CPU time and peak resident set (bench/report-usage.js), and the calls
 * the double served. Scenarios: 100 clusters x 3 Kustomizations (3 repositories) x 50 commits (the
 * target: < 3 s, < 300 MB), and the same with 10 clusters, and with the 3 Kustomizations from 1
 * repository, to show that the calls grow with repositories, not with clusters or commits.
 *
 *   npm run bench:status [-- --runs N] [-- --json FILE]
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { basicAuth, FakeAzureDevOpsGit } from '../__tests__/support/fake-azure-devops-git';

// The bundle runs from node_modules/.cache/cdktf-flux-gitops/.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'node_modules', '.cache', 'cdktf-flux-gitops', 'cli.js');
const USAGE_HOOK = path.join(ROOT, 'bench', 'report-usage.js');
const PAT = 'bench-pat-0123456789abcdef';
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
const JSON_OUT = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const COMMITS = 50;
const LATENCY_MS = 20;

interface Scenario {
  readonly name: string;
  readonly clusters: number;
  /** Kustomizations per cluster, each from its own repository when `repositories` is 3, all from one when 1. */
  readonly repositories: 1 | 3;
}

const SCENARIOS: Scenario[] = [
  { name: '100 clusters x 3 Kustomizations (3 repositories) x 50 commits', clusters: 100, repositories: 3 },
  { name: '10 clusters x 3 Kustomizations (3 repositories) x 50 commits', clusters: 10, repositories: 3 },
  { name: '100 clusters x 3 Kustomizations (1 repository) x 50 commits', clusters: 100, repositories: 1 },
];

const KUSTOMIZATIONS = ['platform', 'apps', 'monitoring'];

/** The double and the config of one scenario: rings of 10%, 30%, 60% of the clusters; ring 1 at the head, ring 2 two behind, ring 3 five behind. */
function setUp(fake: FakeAzureDevOpsGit, s: Scenario, dir: string): string {
  const org = `bench${s.clusters}r${s.repositories}`;
  const repos = s.repositories === 3 ? KUSTOMIZATIONS.map((k) => `cluster-${k}`) : ['cluster-all'];
  const start = new Date(Date.now() - 3 * 86400000);
  const commits = new Map<string, string[]>();
  for (const r of repos) {
    fake.addRepository(org, 'fleet', r);
    commits.set(r, fake.push([org, 'fleet', r], 'main', COMMITS, start));
  }
  const ringOf = (i: number): number => (i < s.clusters * 0.1 ? 1 : i < s.clusters * 0.4 ? 2 : 3);
  const clusters = Array.from({ length: s.clusters }, (_, i) => {
    const name = `cluster-${String(i).padStart(3, '0')}`;
    const ring = ringOf(i);
    const entries = KUSTOMIZATIONS.map((k, j) => ({ k, repo: repos[s.repositories === 3 ? j : 0] }));
    for (const { k, repo } of entries) {
      const shas = commits.get(repo)!;
      const last = COMMITS - 1 - (ring === 1 ? 0 : ring === 2 ? 2 : 5);
      // Each cluster applied every commit up to where its ring is (Flux writes a status per change).
      for (let c = 0; c <= last; c++) {
        fake.addStatus([org, 'fleet', repo], shas[c], {
          state: 'succeeded',
          description: 'reconciliation succeeded',
          context: { genre: 'fluxcd', name: `fleet/${ring}/${name}/kustomization/flux-system/${k}` },
          creationDate: new Date(start.getTime() + c * 60000 + ring * 600000).toISOString(),
        });
      }
    }
    return {
      name,
      ring,
      repositories:
        s.repositories === 3
          ? entries.map(({ k, repo }) => ({ name: k, url: `https://dev.azure.com/${org}/fleet/_git/${repo}`, auth: 'https', ref: { branch: 'main' }, path: `./${name}` }))
          : [{ name: 'all', url: `https://dev.azure.com/${org}/fleet/_git/cluster-all`, auth: 'https', ref: { branch: 'main' }, kustomizations: KUSTOMIZATIONS.map((k) => ({ name: k, path: `./${name}/${k}` })) }],
    };
  });
  const file = path.join(dir, `${org}.json`);
  fs.writeFileSync(file, JSON.stringify({ clusters }));
  return file;
}

function runStatus(base: string, config: string, rssFile: string): Promise<{ wallMs: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, 'status', '--json', '--from', 'ado', '--config', config], {
      env: { ...process.env, AZDO_DEV_URL: base, AZDO_PERSONAL_ACCESS_TOKEN: PAT, FLUX_GITOPS_BENCH_USAGE_FILE: rssFile, NODE_OPTIONS: `--require ${USAGE_HOOK}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ wallMs: Number(process.hrtime.bigint() - started) / 1e6, code, stdout, stderr }));
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: npm run bench:status builds it`);
  const fake = new FakeAzureDevOpsGit([basicAuth(PAT)]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-status-'));
  const results = [];
  try {
    const base = await fake.start();
    process.stderr.write(`status --json --from ado, ${LATENCY_MS} ms added per call, ${RUNS} runs after a warm-up, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    for (const s of SCENARIOS) {
      const config = setUp(fake, s, dir);
      fake.latencyMs = LATENCY_MS;
      const samples: { wallMs: number; cpuMs: number; rssMiB: number; calls: number }[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const rssFile = path.join(dir, `rss-${i}-${s.clusters}-${s.repositories}`);
        const before = fake.requests.length;
        const r = await runStatus(base, config, rssFile);
        if (r.code !== 0) throw new Error(`status exited ${r.code}: ${r.stderr}`);
        const snapshot = JSON.parse(r.stdout);
        const states = new Set(snapshot.clusters.flatMap((c: any) => c.kustomizations.map((k: any) => k.state)));
        if (states.size !== 1 || !states.has('ready')) throw new Error(`unexpected states ${[...states].join(', ')}`);
        const [rssKiB, userUs, systemUs] = fs.readFileSync(rssFile, 'utf8').trim().split(' ').map(Number);
        if (i > 0) samples.push({ wallMs: r.wallMs, cpuMs: (userUs + systemUs) / 1000, rssMiB: rssKiB / 1024, calls: fake.requests.length - before });
      }
      const row = { name: s.name, runs: RUNS, wallMs: Math.round(median(samples.map((x) => x.wallMs))), cpuMs: Math.round(median(samples.map((x) => x.cpuMs))), peakRssMiB: Math.round(median(samples.map((x) => x.rssMiB))), calls: samples[0].calls };
      process.stderr.write(`  ${row.name}: ${row.wallMs} ms wall, ${row.cpuMs} ms CPU, ${row.peakRssMiB} MiB, ${row.calls} calls\n`);
      results.push(row);
    }
  } finally {
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const main100 = results[0];
  process.stdout.write(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  const targets = { 'wall < 3 s': main100.wallMs < 3000, 'peak RSS < 300 MB': main100.peakRssMiB * 1.048576 < 300, 'calls independent of clusters': results[0].calls === results[1].calls };
  for (const [t, met] of Object.entries(targets)) process.stdout.write(`${met ? 'met   ' : 'MISSED'} ${t}\n`);
  if (JSON_OUT) fs.writeFileSync(JSON_OUT, `${JSON.stringify({ date: new Date().toISOString(), latencyMs: LATENCY_MS, commits: COMMITS, scenarios: results, targets }, null, 2)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
});
