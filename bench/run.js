#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Synth and test speed, measured the way users feel them: whole processes, wall time and peak memory,
 * median of several runs after a warm-up. Run with `npm run bench` (which builds dist/ first).
 *
 *   node bench/run.js [--runs N] [--skip-test] [--skip-status] [--skip-page] [--save | --out <file>]
 *
 * Results go to bench/out/results.json (untracked); --save writes the committed bench/results.json.
 *
 * Scenarios: (a) an empty cdktf App, the floor; (s) cdktf.json's app command exactly as written there
 * (the esbuild build included), run the way `cdktf synth` runs it; (b) the default single-cluster app's
 * bundle alone; (c) fleets of 10 and 100 clusters; (d) `npm test`; (g) `status --json --from ado` against the
 * Azure DevOps double (bench/status.ts). Peak memory is the largest resident
 * set of any Node process of the scenario (each reports its own through a preloaded hook, so npm's and
 * jest's children count; esbuild is not a Node process and is not counted). Then (p) the fleet page of
 * 200 clusters in headless Chromium (bench/fleet-page.js).
 */
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const { benchOptions } = require('./options');
const { runs: RUNS, testRuns: TEST_RUNS, out: OUT, skipTest: SKIP_TEST, skipStatus: SKIP_STATUS, skipPage: SKIP_PAGE } = benchOptions(process.argv.slice(2));

const APP_COMMAND = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).app;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-gitops-bench-'));
const rssHook = path.join(__dirname, 'report-rss.js');

/** A fleet of `n` copies of the example cluster, each its own stack. @param {number} n */
function fleetFile(n) {
  const { EXAMPLE_CONFIG } = require(path.join(ROOT, 'dist', 'config', 'example.js'));
  const base = EXAMPLE_CONFIG.clusters[0];
  const clusters = Array.from({ length: n }, (_, i) => ({ ...base, name: `cluster-${String(i).padStart(3, '0')}` }));
  const file = path.join(work, `fleet-${n}.json`);
  fs.writeFileSync(file, JSON.stringify({ clusters }));
  return file;
}

/**
 * One cluster with one Azure Repos repository (looked up, so its URL is a reference in the objects) and
 * `n` Kustomizations in a dependsOn chain: the scale of issue 21 (20,000 took 7 minutes). @param {number} n
 */
function kustomizationsFile(n) {
  const kustomizations = Array.from({ length: n }, (_, i) => ({ name: `k${i}`, ...(i + 1 < n && { dependsOn: [`k${i + 1}`] }) }));
  const repositories = [{ name: 'infra', azureDevOps: { organization: 'contoso', project: 'fabrikam', repository: 'infra' }, kustomizations }];
  const file = path.join(work, `kustomizations-${n}.json`);
  fs.writeFileSync(file, JSON.stringify({ clusters: [{ name: 'big', repositories }] }));
  return file;
}

/**
 * What `cdktf synth` adds when it runs an app (@cdktf/cli-core/src/lib/synth-stack.js, cdktf-cli 0.21.0):
 * a shell (`shell: true`), NODE_OPTIONS=--max-old-space-size=4096 when it has none, and this context.
 * A command given as a string (argv null) runs that way.
 */
const AS_CDKTF_SYNTH = {
  CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true',
  CDKTF_CONTEXT_JSON: JSON.stringify({ cdktfRelativeModules: [] }),
  SYNTH_HCL_OUTPUT: 'false',
};

/**
 * One run of a command: wall milliseconds and the peak RSS (MiB) of its Node processes.
 * @param {string} command @param {string[] | null} argv null: `command` is a shell command line, run as cdktf synth runs its app
 * @param {Record<string, string>} env
 */
function runOnce(command, argv, env) {
  const rssFile = path.join(work, `rss-${process.hrtime.bigint()}`);
  const outdir = fs.mkdtempSync(path.join(work, 'out-'));
  const started = process.hrtime.bigint();
  const asSynth = argv === null;
  const nodeOptions = `${process.env.NODE_OPTIONS ?? (asSynth ? '--max-old-space-size=4096' : '')} --require ${rssHook}`.trim();
  const result = spawnSync(command, argv ?? [], {
    cwd: ROOT,
    shell: asSynth,
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      ...(asSynth && AS_CDKTF_SYNTH),
      CDKTF_OUTDIR: outdir,
      FLUX_GITOPS_BENCH_RSS_FILE: rssFile,
      NODE_OPTIONS: nodeOptions,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${(argv ?? []).join(' ')} failed (${result.status}):\n${result.stderr}`);
  const rss = fs.existsSync(rssFile) ? fs.readFileSync(rssFile, 'utf8').trim().split('\n').map(Number) : [0];
  // Outputs are removed at the end, not between runs: on a disk mounted with `discard`, deleting
  // thousands of files slows the next run's writes and made the figures drift.
  return { wallMs, peakRssMiB: Math.max(...rss) / 1024 };
}

/** A path as one shell word. @param {string} p */
const sh = (p) => `"${p.replace(/(["\\$`])/g, '\\$1')}"`;

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * @param {string} name @param {string} command @param {string[] | null} argv
 * @param {Record<string, string>} [env] @param {number} [runs]
 */
function measure(name, command, argv, env = {}, runs = RUNS) {
  runOnce(command, argv, env); // warm-up: file cache, lazy compilation caches
  return row(name, runs, Array.from({ length: runs }, () => runOnce(command, argv, env)));
}

/**
 * Several scenarios measured in turns (one run of each per round), so that a change in the machine's
 * load during the measurement (other jobs on a shared machine) hits all of them alike and their
 * ratios hold.
 * @param {Record<string, { name: string, command: string, argv: string[] | null }>} scenarios
 */
function measureInTurns(scenarios, runs = RUNS) {
  const specs = Object.entries(scenarios);
  for (const [, s] of specs) runOnce(s.command, s.argv, {}); // warm-up
  /** @type {Record<string, ReturnType<typeof runOnce>[]>} */
  const samples = Object.fromEntries(specs.map(([key]) => [key, []]));
  for (let i = 0; i < runs; i++) for (const [key, s] of specs) samples[key].push(runOnce(s.command, s.argv, {}));
  return Object.fromEntries(specs.map(([key, s]) => [key, row(s.name, runs, samples[key])]));
}

/** @param {string} name @param {number} runs @param {ReturnType<typeof runOnce>[]} samples */
function row(name, runs, samples) {
  const r = {
    name,
    runs,
    wallMs: Math.round(median(samples.map((s) => s.wallMs))),
    minWallMs: Math.round(Math.min(...samples.map((s) => s.wallMs))),
    peakRssMiB: Math.round(median(samples.map((s) => s.peakRssMiB))),
  };
  process.stderr.write(`  ${name}: ${r.wallMs} ms, ${r.peakRssMiB} MiB\n`);
  return r;
}

/** Median ms of loadConfig on a config file of `n` clusters, in a process that has loaded the checker. */
function configCheckInProcess(/** @type {number} */ n) {
  const script = `const { loadConfig } = require(${JSON.stringify(path.join(ROOT, 'dist', 'config', 'load.js'))});
const f = ${JSON.stringify(fleetFile(n))}, t = [];
for (let i = 0; i < ${RUNS + 1}; i++) { const s = process.hrtime.bigint(); loadConfig(f); t.push(Number(process.hrtime.bigint() - s) / 1e6); }
t.shift(); t.sort((a, b) => a - b); process.stdout.write(String(t[t.length >> 1]));`;
  return +(+execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toFixed(1);
}

function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm run bench does)');
  process.stderr.write(`measuring on ${os.cpus().length} cores (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}), node ${process.version}, ${RUNS} runs after a warm-up\n`);
  process.stderr.write(`cdktf.json's app: ${APP_COMMAND}\n`);
  const node = process.execPath;
  /** @type {Record<string, ReturnType<typeof measure>>} */
  const rows = {
    ...measureInTurns({
      // Every synth scenario runs through a shell, as cdktf synth runs an app, so the ratios compare like with like.
      emptyApp: { name: '(a) empty cdktf App', command: `${sh(node)} bench/empty-app.js`, argv: null },
      // What `cdktf synth`, `cdktf diff`, `cdktf deploy` and `npm run synth` wait for: build and run.
      // Its warm-up run writes the bundle (dist/app.js) that (b) and (c) run.
      appCommand: { name: "(s) cdktf.json's app: esbuild, then the bundle", command: APP_COMMAND, argv: null },
      // The build alone: the app command up to its first `&&`.
      appBuild: { name: "(s') its build step alone", command: APP_COMMAND.split(' && ')[0], argv: null },
      // The bundle alone, 1 cluster: the synth without the build.
      defaultApp: { name: '(b) default app, 1 cluster', command: `${sh(node)} dist/app.js`, argv: null },
      // The same cluster from a config file: read, parsed and checked (the embedded example is not
      // checked again at synth), so (f) - (b) is what the config check costs a synth.
      fromFile: { name: '(f) the same cluster from a config file', command: `FLUX_GITOPS_CONFIG=${sh(fleetFile(1))} ${sh(node)} dist/app.js`, argv: null },
    }),
    fleet10: measure('(c) fleet of 10 clusters', `${sh(node)} dist/app.js`, null, { FLUX_GITOPS_CONFIG: fleetFile(10) }),
    fleet100: measure('(c) fleet of 100 clusters', `${sh(node)} dist/app.js`, null, { FLUX_GITOPS_CONFIG: fleetFile(100) }, Math.min(RUNS, 3)),
    // Loader and synth of one cluster at the scale a 1 MiB config file allows.
    kustomizations20k: measure('(k) 20,000 Kustomizations, 1 cluster', `${sh(node)} dist/app.js`, null, { FLUX_GITOPS_CONFIG: kustomizationsFile(20000) }, Math.min(RUNS, 3)),
    // For reference: the same app from tsc's output, a module per file (as library users load it).
    defaultAppUnbundled: measure("(b') default app, unbundled", `${sh(node)} dist/main.js`, null),
    fleet100Unbundled: measure("(c') fleet of 100, unbundled", `${sh(node)} dist/main.js`, null, { FLUX_GITOPS_CONFIG: fleetFile(100) }, Math.min(RUNS, 3)),
  };
  if (!SKIP_TEST) rows.npmTest = measure('(d) npm test', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['test'], {}, TEST_RUNS);

  const ratios = {
    appCommandOverEmpty: +(rows.appCommand.wallMs / rows.emptyApp.wallMs).toFixed(2),
    defaultOverEmpty: +(rows.defaultApp.wallMs / rows.emptyApp.wallMs).toFixed(2),
    fleet100OverDefault: +(rows.fleet100.wallMs / rows.defaultApp.wallMs).toFixed(2),
    perClusterMs: +((rows.fleet100.wallMs - rows.defaultApp.wallMs) / 99).toFixed(1),
    perClusterMsFrom10: +((rows.fleet100.wallMs - rows.fleet10.wallMs) / 90).toFixed(1),
    unbundledOverEmpty: +(rows.defaultAppUnbundled.wallMs / rows.emptyApp.wallMs).toFixed(2),
    unbundledFleet100OverDefault: +(rows.fleet100Unbundled.wallMs / rows.defaultAppUnbundled.wallMs).toFixed(2),
    configCheckMs: rows.fromFile.wallMs - rows.defaultApp.wallMs,
    configCheckMs100: configCheckInProcess(100),
  };
  // (p) The fleet page: its own script, in its own process (it drives a browser).
  const fleetPage = SKIP_PAGE ? null : JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'fleet-page.js'), '--json', '--runs', String(RUNS)], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  const targets = {
    's/a <= 1.6': ratios.appCommandOverEmpty <= 1.6,
    'b/a <= 1.3': ratios.defaultOverEmpty <= 1.3,
    'c100/b <= 4': ratios.fleet100OverDefault <= 4,
    'k 20,000 Kustomizations <= 30 s': rows.kustomizations20k.wallMs <= 30000,
    ...(rows.npmTest && { 'npm test <= 20 s': rows.npmTest.wallMs <= 20000 }),
    ...fleetPage?.targets,
  };

  const table = [
    ['scenario', 'wall (median)', 'wall (min)', 'peak RSS'],
    ...Object.values(rows).map((r) => [r.name, `${r.wallMs} ms`, `${r.minWallMs} ms`, r.peakRssMiB ? `${r.peakRssMiB} MiB` : 'no Node']),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const line = (/** @type {string[]} */ r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  process.stdout.write(`\n${line(table[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${table.slice(1).map(line).join('\n')}\n\n`);
  process.stdout.write(`s/a (cdktf.json's app over empty) ${ratios.appCommandOverEmpty} (its build step alone: ${rows.appBuild.wallMs} ms)\n`);
  process.stdout.write(`b/a (default over empty)        ${ratios.defaultOverEmpty}\n`);
  process.stdout.write(`c100/b (100 clusters over one)  ${ratios.fleet100OverDefault}\n`);
  process.stdout.write(`per-cluster increment           ${ratios.perClusterMs} ms (${ratios.perClusterMsFrom10} ms between 10 and 100)\n`);
  process.stdout.write(`unbundled: b'/a ${ratios.unbundledOverEmpty}, c'100/b' ${ratios.unbundledFleet100OverDefault}\n`);
  process.stdout.write(`config check                    ${ratios.configCheckMs} ms for 1 cluster (f - b), ${ratios.configCheckMs100} ms for 100 (in process, median)\n`);
  if (fleetPage) {
    const b = fleetPage.browser;
    process.stdout.write(`(p) fleet page, 200 clusters    ${(fleetPage.bytes / 1e6).toFixed(2)} MB, ${fleetPage.nodeRenderMs} ms in Node, ${b.skipped ? `Chromium skipped: ${b.skipped}` : `painted ${b.renderedMs} ms after navigation in Chromium`}\n`);
  }
  process.stdout.write('\n');
  for (const [target, met] of Object.entries(targets)) process.stdout.write(`${met ? 'met   ' : 'MISSED'} ${target}\n`);

  // (g) `status --json --from ado` against the Azure DevOps double (bench/status.ts, its own figures and targets).
  let status;
  if (!SKIP_STATUS) {
    const file = path.join(work, 'status.json');
    const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'bench:status', '--', '--runs', String(Math.min(RUNS, 3)), '--json', file], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`bench:status failed (${r.status})`);
    status = JSON.parse(fs.readFileSync(file, 'utf8'));
  }

  const result = {
    date: new Date().toISOString(),
    appCommand: APP_COMMAND,
    machine: { loadAverage: os.loadavg().map((l) => +l.toFixed(2)), cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    runs: RUNS,
    scenarios: rows,
    ratios,
    ...(fleetPage && { fleetPage }),
    targets,
    ...(status && { status }),
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${path.relative(ROOT, OUT)}\n`);
}

try {
  main();
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
