#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Synth and test speed, measured the way users feel them: whole processes, wall time and peak memory,
 * median of several runs after a warm-up. Run with `npm run bench` (which builds dist/ first).
 *
 *   node bench/run.js [--runs N] [--skip-test] [--out bench/results.json]
 *
 * Scenarios: (a) an empty cdktf App, the floor; (b) the default single-cluster app; (c) fleets of 10
 * and 100 clusters; (d) `npm test`. Peak memory is the largest resident set of any Node process of
 * the scenario (each reports its own through a preloaded hook, so npm's and jest's children count).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
/** @param {string} name @param {string} fallback */
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(option('--runs', '5'));
const TEST_RUNS = Number(option('--test-runs', '3'));
const OUT = path.resolve(ROOT, option('--out', 'bench/results.json'));
const SKIP_TEST = args.includes('--skip-test');

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
 * One run of a command: wall milliseconds and the peak RSS (MiB) of its Node processes.
 * @param {string} command @param {string[]} argv @param {Record<string, string>} env
 */
function runOnce(command, argv, env) {
  const rssFile = path.join(work, `rss-${process.hrtime.bigint()}`);
  const outdir = fs.mkdtempSync(path.join(work, 'out-'));
  const started = process.hrtime.bigint();
  const result = spawnSync(command, argv, {
    cwd: ROOT,
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      CDKTF_OUTDIR: outdir,
      FLUX_GITOPS_BENCH_RSS_FILE: rssFile,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${rssHook}`.trim(),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed (${result.status}):\n${result.stderr}`);
  const rss = fs.existsSync(rssFile) ? fs.readFileSync(rssFile, 'utf8').trim().split('\n').map(Number) : [0];
  // Outputs are removed at the end, not between runs: on a disk mounted with `discard`, deleting
  // thousands of files slows the next run's writes and made the figures drift.
  return { wallMs, peakRssMiB: Math.max(...rss) / 1024 };
}

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * @param {string} name @param {string} command @param {string[]} argv
 * @param {Record<string, string>} [env] @param {number} [runs]
 */
function measure(name, command, argv, env = {}, runs = RUNS) {
  runOnce(command, argv, env); // warm-up: file cache, lazy compilation caches
  const samples = Array.from({ length: runs }, () => runOnce(command, argv, env));
  const row = {
    name,
    runs,
    wallMs: Math.round(median(samples.map((s) => s.wallMs))),
    minWallMs: Math.round(Math.min(...samples.map((s) => s.wallMs))),
    peakRssMiB: Math.round(median(samples.map((s) => s.peakRssMiB))),
  };
  process.stderr.write(`  ${name}: ${row.wallMs} ms, ${row.peakRssMiB} MiB\n`);
  return row;
}

function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'app.js'))) throw new Error('dist/ is missing: run `npm run build` (npm run bench does)');
  process.stderr.write(`measuring on ${os.cpus().length} cores, node ${process.version}, ${RUNS} runs after a warm-up\n`);
  const node = process.execPath;
  /** @type {Record<string, ReturnType<typeof measure>>} */
  const rows = {
    emptyApp: measure('(a) empty cdktf App', node, [path.join(__dirname, 'empty-app.js')]),
    // What `npm run synth` and cdktf.json run: the app bundled into one file.
    defaultApp: measure('(b) default app, 1 cluster', node, ['dist/app.js']),
    fleet10: measure('(c) fleet of 10 clusters', node, ['dist/app.js'], { FLUX_GITOPS_CONFIG: fleetFile(10) }),
    fleet100: measure('(c) fleet of 100 clusters', node, ['dist/app.js'], { FLUX_GITOPS_CONFIG: fleetFile(100) }, Math.min(RUNS, 3)),
    // For reference: the same app from tsc's output, a module per file (as library users load it).
    defaultAppUnbundled: measure("(b') default app, unbundled", node, ['dist/main.js']),
    fleet100Unbundled: measure("(c') fleet of 100, unbundled", node, ['dist/main.js'], { FLUX_GITOPS_CONFIG: fleetFile(100) }, Math.min(RUNS, 3)),
  };
  if (!SKIP_TEST) rows.npmTest = measure('(d) npm test', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['test'], {}, TEST_RUNS);

  const ratios = {
    defaultOverEmpty: +(rows.defaultApp.wallMs / rows.emptyApp.wallMs).toFixed(2),
    fleet100OverDefault: +(rows.fleet100.wallMs / rows.defaultApp.wallMs).toFixed(2),
    perClusterMs: +((rows.fleet100.wallMs - rows.defaultApp.wallMs) / 99).toFixed(1),
    perClusterMsFrom10: +((rows.fleet100.wallMs - rows.fleet10.wallMs) / 90).toFixed(1),
    unbundledOverEmpty: +(rows.defaultAppUnbundled.wallMs / rows.emptyApp.wallMs).toFixed(2),
    unbundledFleet100OverDefault: +(rows.fleet100Unbundled.wallMs / rows.defaultAppUnbundled.wallMs).toFixed(2),
  };
  const targets = {
    'b/a <= 1.3': ratios.defaultOverEmpty <= 1.3,
    'c100/b <= 4': ratios.fleet100OverDefault <= 4,
    ...(rows.npmTest && { 'npm test <= 20 s': rows.npmTest.wallMs <= 20000 }),
  };

  const table = [
    ['scenario', 'wall (median)', 'wall (min)', 'peak RSS'],
    ...Object.values(rows).map((r) => [r.name, `${r.wallMs} ms`, `${r.minWallMs} ms`, `${r.peakRssMiB} MiB`]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const line = (/** @type {string[]} */ r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  process.stdout.write(`\n${line(table[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${table.slice(1).map(line).join('\n')}\n\n`);
  process.stdout.write(`b/a (default over empty)        ${ratios.defaultOverEmpty}\n`);
  process.stdout.write(`c100/b (100 clusters over one)  ${ratios.fleet100OverDefault}\n`);
  process.stdout.write(`per-cluster increment           ${ratios.perClusterMs} ms (${ratios.perClusterMsFrom10} ms between 10 and 100)\n`);
  process.stdout.write(`unbundled: b'/a ${ratios.unbundledOverEmpty}, c'100/b' ${ratios.unbundledFleet100OverDefault}\n\n`);
  for (const [target, met] of Object.entries(targets)) process.stdout.write(`${met ? 'met   ' : 'MISSED'} ${target}\n`);

  const result = {
    date: new Date().toISOString(),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    runs: RUNS,
    scenarios: rows,
    ratios,
    targets,
  };
  fs.writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${path.relative(ROOT, OUT)}\n`);
}

try {
  main();
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
