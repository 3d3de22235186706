// @ts-check
'use strict';
// Preloaded into the process bench/status.ts measures (NODE_OPTIONS=--require): appends its peak resident
// set (KiB) and CPU time (user and system, microseconds) as one line to the file the benchmark names. CPU
// time is what the process itself costs, whatever the load of a shared machine does to its wall time.
const fs = require('fs');

const file = process.env.FLUX_GITOPS_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    try {
      const u = process.resourceUsage();
      fs.appendFileSync(file, `${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}\n`);
    } catch {
      // a process that cannot write its figure must not fail the scenario
    }
  });
}
