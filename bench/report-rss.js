// @ts-check
'use strict';
// Preloaded into every Node process of a benchmark scenario (NODE_OPTIONS=--require): appends the
// process's peak resident set (KiB) to the file the benchmark names, when the process ends.
const fs = require('fs');

const file = process.env.FLUX_GITOPS_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      fs.appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // a process that cannot write its figure must not fail the scenario
    }
  });
}
