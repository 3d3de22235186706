// @ts-check
/**
 * Mutation testing (`npm run mutate`; docs/development.md). One Stryker run per scope, each with only
 * the test files that exercise its source file: Stryker's jest runner runs every matched test file for
 * each mutant (narrowed by test name only), and a file whose describe bodies synthesize whole stacks
 * made each mutant time out on this 2-core machine. Each scope keeps its own incremental report, in
 * the repository, so a later run re-mutates only what changed there.
 * `STRYKER_SCOPE=<name> npm run mutate` runs one scope.
 */
import { ignorerName } from './stryker.equivalent.mjs';

const SCOPES = {
  'stack-checks': { mutate: ['flux/stack-checks.ts'], tests: ['stack-checks.test.ts'] },
  // literal-strings.test.ts synthesizes whole stacks in its describe bodies: too slow per mutant.
  'literal-strings': { mutate: ['constructs/literal-strings.ts'], tests: ['literal-strings-unit.test.ts'] },
  // safety.test.ts and hostile-config.test.ts cover it through the loader, at 20 minutes a run.
  'config-data': { mutate: ['config/data.ts'], tests: ['config-data.test.ts'] },
  'ssh-keys': { mutate: ['assets/ssh-keys.js'], tests: ['ssh-keys.test.ts'] },
  // constructs.test.ts and flux-gitops-stack.test.ts cover it too, through whole stacks.
  'known-hosts': { mutate: ['constructs/known-hosts.ts'], tests: ['known-hosts.test.ts'] },
  // cli.test.ts reaches it through the command line only; doctor-aks.ts and doctor-workload-identity.ts
  // have their own test files.
  doctor: { mutate: ['cli/doctor.ts'], tests: ['doctor.test.ts'] },
  // fleet-status.test.ts runs the gate through the command line, after a fake Azure DevOps read.
  gate: { mutate: ['fleet-status/gate.ts'], tests: ['gate.test.ts'] },
  // commit-status-contract.test.ts synthesizes the example fleet and evaluates CEL: slow per mutant.
  'commit-status': { mutate: ['flux/commit-status.ts'], tests: ['commit-status.test.ts'] },
  // hostile-config.test.ts and accepted-refusals.test.ts reach it through the loader.
  refused: { mutate: ['config/refused.ts'], tests: ['refused.test.ts'] },
  // The only test file that joins readings (of the Azure DevOps double), directly and through the
  // status and gate commands; the fleet page's tests render saved snapshots.
  compute: { mutate: ['fleet-status/compute.ts'], tests: ['fleet-status.test.ts'] },
};
export const scopes = Object.keys(SCOPES);

const name = process.env.STRYKER_SCOPE ?? 'stack-checks';
const scope = SCOPES[/** @type {keyof typeof SCOPES} */ (name)];
if (!scope) throw new Error(`STRYKER_SCOPE ${JSON.stringify(name)} is not valid; use one of ${scopes.join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    enableFindRelatedTests: false,
    config: { testMatch: scope.tests.map((t) => `**/__tests__/${t}`) },
  },
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: `reports/stryker-incremental/${name}.json`,
  // Module-level constants (each re-runs every test of the scope): 93% of the time in a first run. The
  // regexes among them are pinned by direct tests instead.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  mutate: scope.mutate,
  ignorePatterns: ['dist', 'reports', '.stryker-tmp', 'node_modules/.cache', 'bench/out'],
  // Equivalent mutants, each with its reason (stryker.equivalent.mjs): reported Ignored.
  appendPlugins: ['./stryker.equivalent.mjs'],
  ignorers: [ignorerName],
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: '.stryker-tmp',
};
