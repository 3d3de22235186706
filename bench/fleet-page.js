#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * The fleet page (fleet-status/html.ts) of a big fleet: its size, the time to render it in Node, and the
 * time headless Chromium takes from navigation to a painted page, opened from disk as a user opens it.
 * `npm run bench` runs it after the synth scenarios (bench/run.js); alone:
 *
 *   node bench/fleet-page.js [--runs N] [--clusters 200] [--kustomizations 5] [--commits 50] [--json]
 *
 * The snapshot is the test fixture (__tests__/support/snapshot-fixtures.ts), bundled with the renderer by
 * esbuild, so this needs neither dist/ nor a cluster. Without Chromium it reports the size and Node figures
 * and says that the browser was skipped.
 */
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
const RUNS = Number(option('--runs', '7'));
const FLEET = { clusters: Number(option('--clusters', '200')), kustomizations: Number(option('--kustomizations', '5')), commits: Number(option('--commits', '50')) };
const TARGETS = { maxBytes: 1_500_000, maxRenderedMs: 1000 };

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The renderer, the fixture and the Chromium finder in one CommonJS file beside node_modules (so playwright-core resolves). */
function load() {
  const out = path.join(ROOT, 'node_modules', '.cache', 'cdktf-flux-gitops', 'fleet-page-bench.js');
  require('esbuild').buildSync({
    stdin: {
      contents: "module.exports = { ...require('./fleet-status/html'), ...require('./__tests__/support/snapshot-fixtures'), ...require('./__tests__/support/chromium') };",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outfile: out,
    logLevel: 'warning',
  });
  return require(out);
}

async function main() {
  const m = load();
  const snapshot = m.fleetSnapshotFixture(FLEET);
  const renderMs = [];
  let page = '';
  for (let i = 0; i <= RUNS; i++) {
    const started = process.hrtime.bigint();
    page = m.renderFleetPage(snapshot);
    if (i > 0) renderMs.push(Number(process.hrtime.bigint() - started) / 1e6); // the first run warms up
  }
  const bytes = Buffer.byteLength(page);
  const snapshotBytes = Buffer.byteLength(JSON.stringify(snapshot));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-page-bench-'));
  const file = path.join(work, 'fleet.html');
  fs.writeFileSync(file, page);
  // The floor: what Chromium takes for a page with nothing in it, measured in turns with the fleet page,
  // so that a loaded machine shows in both figures alike.
  const floorFile = path.join(work, 'floor.html');
  fs.writeFileSync(floorFile, '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><p>floor</p></body></html>');

  /** @type {Record<string, unknown>} */
  let browser = { skipped: 'no Chromium (apt-get install chromium, or CHROMIUM_PATH)' };
  const executable = m.findChromium();
  if (executable) {
    const chromium = await m.launchChromium(executable);
    try {
      /** @type {{ readyMs: number, loadMs: number, renderedMs: number, restMs: number }[]} */
      const samples = [];
      /** @type {number[]} */
      const floor = [];
      for (let i = 0; i <= RUNS * 2 + 1; i++) {
        const isFloor = i % 2 === 0;
        const url = `file://${isFloor ? floorFile : file}`;
        const context = await chromium.newContext({ viewport: { width: 1280, height: 900 } });
        await context.route('**/*', (/** @type {any} */ route) => (route.request().url() === url ? route.continue() : route.abort()));
        const tab = await context.newPage();
        await tab.goto(url, { waitUntil: 'load' });
        // Milliseconds from the navigation's start: the filter script done (the whole document parsed
        // and wired), the load event, and the end of the frame after it (styled, laid out and painted:
        // what is in view; the parts below it are content-visibility: auto). Then, apart, what laying
        // out the rest costs when it is scrolled to (all of it at once here).
        const sample = await tab.evaluate(
          () =>
            new Promise((resolve) =>
              requestAnimationFrame(() =>
                requestAnimationFrame(() => {
                  const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
                  const ready = performance.getEntriesByName('fleet-page-ready')[0];
                  const renderedMs = performance.now();
                  document.querySelectorAll('.cv').forEach((e) => /** @type {HTMLElement} */ (e).style.setProperty('content-visibility', 'visible'));
                  void document.body.offsetHeight;
                  resolve({ readyMs: ready ? ready.startTime : NaN, loadMs: nav.loadEventEnd, renderedMs, restMs: performance.now() - renderedMs });
                }),
              ),
            ),
        );
        if (i > 1) (isFloor ? floor.push(sample.renderedMs) : samples.push(sample));
        await context.close();
      }
      // CPU, not wall time, of the renderer's main thread from navigation to paint (top-level tasks of
      // the thread that parsed the page, in a trace): what the page costs, whatever the machine's load.
      /** @type {number[]} */
      const cpu = [];
      for (let i = 0; i < 3; i++) {
        const url = `file://${file}`;
        const context = await chromium.newContext({ viewport: { width: 1280, height: 900 } });
        await context.route('**/*', (/** @type {any} */ route) => (route.request().url() === url ? route.continue() : route.abort()));
        const tab = await context.newPage();
        await chromium.startTracing(tab, { categories: ['devtools.timeline', 'toplevel'] });
        await tab.goto(url, { waitUntil: 'load' });
        await tab.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        /** @type {{ name: string, ph: string, tid: number, tdur?: number }[]} */
        const events = JSON.parse((await chromium.stopTracing()).toString()).traceEvents;
        const parser = events.find((e) => e.name === 'ParseHTML');
        cpu.push(events.filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.tid === parser?.tid).reduce((ms, e) => ms + (e.tdur ?? 0) / 1000, 0));
        await context.close();
      }
      /** @param {'readyMs' | 'loadMs' | 'renderedMs' | 'restMs'} k */
      const med = (k) => Math.round(median(samples.map((s) => s[k])));
      browser = { chromium: chromium.version(), floorRenderedMs: Math.round(median(floor)), mainThreadCpuMs: Math.round(median(cpu)), readyMs: med('readyMs'), loadMs: med('loadMs'), renderedMs: med('renderedMs'), restLayoutMs: med('restMs'), maxRenderedMs: Math.round(Math.max(...samples.map((s) => s.renderedMs))) };
    } finally {
      await chromium.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  const result = {
    date: new Date().toISOString(),
    machine: { loadAverage: os.loadavg().map((l) => +l.toFixed(2)), cores: os.cpus().length, node: process.version },
    fleet: FLEET,
    runs: RUNS,
    bytes,
    snapshotBytes,
    nodeRenderMs: +median(renderMs).toFixed(1),
    browser,
    targets: {
      'page < 1.5 MB': bytes < TARGETS.maxBytes,
      ...(typeof browser.renderedMs === 'number' && { 'rendered in Chromium < 1 s': browser.renderedMs < TARGETS.maxRenderedMs }),
    },
  };
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const f = FLEET;
  process.stdout.write(`fleet page of ${f.clusters} clusters x ${f.kustomizations} Kustomizations x ${f.commits} commits (median of ${RUNS})\n`);
  process.stdout.write(`  size              ${(bytes / 1e6).toFixed(2)} MB (the embedded snapshot ${(snapshotBytes / 1e6).toFixed(2)} MB)\n`);
  process.stdout.write(`  render in Node    ${result.nodeRenderMs} ms\n`);
  if ('skipped' in browser) process.stdout.write(`  Chromium          skipped: ${browser.skipped}\n`);
  else process.stdout.write(`  Chromium ${browser.chromium}: script done ${browser.readyMs} ms, load ${browser.loadMs} ms, painted ${browser.renderedMs} ms (slowest ${browser.maxRenderedMs} ms) after navigation; the rest laid out in ${browser.restLayoutMs} ms more\n`);
  if (!('skipped' in browser)) {
    process.stdout.write(`  floor             an empty page painted ${browser.floorRenderedMs} ms after navigation, in turns with it\n`);
    process.stdout.write(`  CPU               ${browser.mainThreadCpuMs} ms of the renderer's main thread from navigation to paint (median of 3 traces)\n`);
  }
  for (const [target, met] of Object.entries(result.targets)) process.stdout.write(`${met ? 'met   ' : 'MISSED'} ${target}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exitCode = 1;
});
