// Prints, as JSON, the mutants Stryker's instrumenter generates in each file of the equivalent-mutant
// table (stryker.equivalent.mjs) and which of them its ignorer ignores: what a Stryker run would
// report as Ignored, without running a test. An ES module (Stryker 10 is ESM only), run by
// __tests__/stryker-equivalent.test.ts as a child process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Instrumenter } from '@stryker-mutator/instrumenter';
import { EquivalentMutantsIgnorer, equivalents } from '../../stryker.equivalent.mjs';

const quiet = { debug() {}, info() {}, warn() {}, isDebugEnabled: () => false };
const ignored = [];
for (const file of [...new Set(equivalents.map((e) => e.file))]) {
  const name = path.resolve(file);
  const options = { plugins: null, excludedMutations: [], ignorers: [new EquivalentMutantsIgnorer()] };
  const { mutants } = await new Instrumenter(quiet).instrument([{ name, content: readFileSync(name, 'utf8'), mutate: true }], options);
  for (const m of mutants) {
    if (m.statusReason !== undefined) ignored.push({ file, mutant: `${m.mutatorName} ${m.replacement}`, reason: m.statusReason });
  }
}
process.stdout.write(JSON.stringify({ equivalents, ignored }));
