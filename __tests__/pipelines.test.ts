import * as path from 'path';
import { ciOutputs, fleetCommand, Fleet, legOf, stackOfLeg } from '../cli/fleet';
import { exampleCluster, synthClusters } from './support/synth';
import { loadConfig } from '../config/load';

const ROOT = path.join(__dirname, '..');

/** Runs `fleet` as the command line does; resolves to its exit code and what it wrote. */
async function fleet(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await fleetCommand(args, env, (t) => (out += t), (t) => (err += `${t}\n`));
  return { code, out, err };
}

describe('matrix legs named after stacks', () => {
  // Azure: letters, digits and "_", starting with a letter, at most 100 characters
  // (learn.microsoft.com/azure/devops/pipelines/yaml-schema/jobs-job-strategy, Remarks).
  const AZURE_LEG = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
  // GitHub artifact names refuse these (actions/toolkit path-and-artifact-name-validation.ts).
  const ARTIFACT_REFUSED = /[":<>|*?\r\n\\/]/;

  it('gives dev-weu, prod.eu and 1st legs valid on both systems', () => {
    expect(['dev-weu', 'prod.eu', '1st', 'dev'].map(legOf)).toEqual(['c_dev_2dweu', 'c_prod_2eeu', 'c_1st', 'c_dev']);
  });

  it('keeps apart names a naive mapping would join: "-" and "_", "." and "-", upper and lower case', () => {
    const names = ['dev-weu', 'dev_weu', 'dev.weu', 'Dev-weu', 'DEV-WEU', 'c_dev', '_dev', 'dev--weu', 'dev_2dweu'];
    const legs = names.map(legOf);
    expect(new Set(legs.map((l) => l.toLowerCase())).size).toBe(names.length);
    expect(legs.map((l) => stackOfLeg(l, names))).toEqual(names);
  });

  it('stays within 100 characters for any name, long ones ending in a hash of the whole name', () => {
    const long = ['a'.repeat(63), `${'a-'.repeat(31)}a`, `${'a-'.repeat(31)}b`, 'ü'.repeat(40), '🚀 launch'];
    const legs = long.map(legOf);
    for (const leg of legs) expect({ leg, valid: AZURE_LEG.test(leg) && !ARTIFACT_REFUSED.test(leg) }).toEqual({ leg, valid: true });
    expect(legs[0]).toBe(`c_${'a'.repeat(63)}`);
    expect(legs[1]).toMatch(/^c_(a_2d)+a?_h[0-9a-f]{32}$/);
    expect(legs[1]).not.toBe(legs[2]);
    expect(legs.map((l) => stackOfLeg(l, long))).toEqual(long);
  });

  it('writes them into both systems\' outputs, each leg carrying its stack', () => {
    const f: Fleet = { stacks: ['dev-weu', 'prod.eu', '1st'], rings: [{ ring: 1, stacks: ['dev-weu', '1st'] }, { ring: 3, stacks: ['prod.eu'] }] };
    expect(ciOutputs('github', f, 3)).toEqual([
      'stacks=[{"stack":"dev-weu","leg":"c_dev_2dweu"},{"stack":"prod.eu","leg":"c_prod_2eeu"},{"stack":"1st","leg":"c_1st"}]',
      'ring1=[{"stack":"dev-weu","leg":"c_dev_2dweu"},{"stack":"1st","leg":"c_1st"}]',
      'ring2=[]',
      'ring3=[{"stack":"prod.eu","leg":"c_prod_2eeu"}]',
    ]);
    expect(ciOutputs('azure', f, 3)).toEqual([
      '##vso[task.setvariable variable=stacks;isOutput=true]{"c_dev_2dweu":{"stack":"dev-weu","leg":"c_dev_2dweu"},"c_prod_2eeu":{"stack":"prod.eu","leg":"c_prod_2eeu"},"c_1st":{"stack":"1st","leg":"c_1st"}}',
      '##vso[task.setvariable variable=ring1;isOutput=true]{"c_dev_2dweu":{"stack":"dev-weu","leg":"c_dev_2dweu"},"c_1st":{"stack":"1st","leg":"c_1st"}}',
      '##vso[task.setvariable variable=ring2;isOutput=true]{}',
      '##vso[task.setvariable variable=ring3;isOutput=true]{"c_prod_2eeu":{"stack":"prod.eu","leg":"c_prod_2eeu"}}',
    ]);
  });
});

describe('fleet --require-remote-backend (the check of a CI deploy)', () => {
  const { config } = loadConfig(path.join(ROOT, 'examples', 'fleet.yaml'));
  const remote = synthClusters(config.clusters).outdir;
  const mixed = synthClusters([
    exampleCluster({ name: 'lab' }),
    exampleCluster({ name: 'edge', backend: { type: 'cloud', organization: 'contoso' } }),
    exampleCluster({ name: 'core', backend: { type: 'azurerm', storageAccountName: 'stgitops', containerName: 'tfstate' } }),
  ]).outdir;

  it('passes a fleet whose every stack keeps its state in a remote backend', async () => {
    expect(await fleet(['json', '--require-remote-backend'], { CDKTF_OUTDIR: remote })).toEqual({
      code: 0,
      out: `${JSON.stringify({ stacks: ['dev', 'prod', 'stage'], rings: [{ ring: 1, stacks: ['dev'] }, { ring: 2, stacks: ['stage'] }, { ring: 3, stacks: ['prod'] }] }, null, 2)}\n`,
      err: '',
    });
  });

  it('refuses a stack with local state, naming it and the config setting, and writes no outputs', async () => {
    const result = await fleet(['azure', '3', '--require-remote-backend'], { CDKTF_OUTDIR: mixed });
    expect(result).toEqual({
      code: 1,
      out: '',
      err:
        'fleet: refusing to deploy from CI: lab would keep its state on this runner, which is thrown away with it (the Flux SSH private key included). ' +
        'Set `backend` in the config (type azurerm or cloud; see stacks/backend.ts) for every cluster, or deploy from a workstation with `cdktf deploy`.\n',
    });
  });

  it('lets the same fleet through without the flag: a plain synth or fleet listing never refuses', async () => {
    const result = await fleet(['azure', '3'], { CDKTF_OUTDIR: mixed });
    expect(result.code).toBe(0);
    expect(result.out.split('\n').filter(Boolean)).toHaveLength(4);
    expect(result.err).toBe('fleet: ring 1: core, edge, lab\n');
  });

  it('answers --help with the flag and an example, and a misplaced word with usage and exit 2', async () => {
    const help = await fleet(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--require-remote-backend');
    expect(help.out).toContain('Example: npm run --silent fleet -- github 3 --require-remote-backend');
    expect((await fleet(['json', '3', '--require-remote-backend'])).code).toBe(2);
    expect((await fleet(['--require-remote-backend'])).code).toBe(2);
  });
});
