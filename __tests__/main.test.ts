import * as fs from 'fs';
import * as path from 'path';
import { Annotations, App, Op, TerraformStack } from 'cdktf';
import { runMain } from './support/run-main';
import { tempDir } from './support/synth';

const stacksIn = (outdir: string): string[] => fs.readdirSync(path.join(outdir, 'stacks')).sort();

describe('main.ts', () => {
  it('synthesizes the embedded example when no config is named', () => {
    const { outdir, exitCode } = runMain({ FLUX_GITOPS_CONFIG: undefined });
    expect(exitCode).toBeUndefined();
    expect(stacksIn(outdir)).toEqual(['example']);
  });

  it('takes the config file from FLUX_GITOPS_CONFIG', () => {
    const file = path.join(tempDir(), 'flux-gitops.yaml');
    fs.writeFileSync(file, 'clusters:\n  - name: dev\n    repositories: [{ name: infra, url: "git@ssh.dev.azure.com:v3/o/p/infra" }]\n');
    expect(stacksIn(runMain({ FLUX_GITOPS_CONFIG: file }).outdir)).toEqual(['dev']);
  });

  it('takes the config file from the cdktf context', () => {
    const file = path.join(tempDir(), 'flux-gitops.json');
    fs.writeFileSync(file, JSON.stringify({ clusters: [{ name: 'stage', repositories: [{ name: 'infra', url: 'git@ssh.dev.azure.com:v3/o/p/infra' }] }] }));
    expect(stacksIn(runMain({ CDKTF_CONTEXT_JSON: JSON.stringify({ fluxGitopsConfig: file }) }).outdir)).toEqual(['stage']);
  });

  it('prints every config problem and exits 1, without a stack trace', () => {
    const file = path.join(tempDir(), 'bad.yaml');
    fs.writeFileSync(file, 'clusters:\n  - name: dev\n    repositories: [{ name: infra, url: "git@ssh.dev.azure.com:v3/o/p/infra", interval: "often" }]\n');
    const { exitCode, stderr } = runMain({ FLUX_GITOPS_CONFIG: file });
    expect(exitCode).toBe(1);
    expect(stderr).toBe(
      `${file}: 1 problem in the config:\n  clusters[0].repositories[0].interval: must match ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$ (a Go duration such as 30s, 5m or 1h30m) (got "often")\n`,
    );
  });

  it("leaves cdktf's token creation traces empty, and only those: errors and annotations keep theirs", () => {
    const jestFormat = Error.prepareStackTrace;
    const useFormat = (format: typeof jestFormat | undefined) => Object.assign(Error, { prepareStackTrace: format });
    useFormat(undefined); // main.ts chains to the formatter it finds: Node's own here, not jest's setup
    let installed: typeof jestFormat | undefined;
    try {
      installed = runMain({}).prepareStackTrace;
    } finally {
      useFormat(jestFormat);
    }
    expect(installed).toBeDefined();
    useFormat(installed);
    try {
      const token = Op.gte(1, 2);
      expect(token.creationStack).toEqual([]);
      const error = new Error('boom');
      expect(error.stack).toMatch(/^Error: boom\n {4}at .*main\.test\.ts/);
      const stack = new TerraformStack(new App({ outdir: tempDir() }), 's');
      Annotations.of(stack).addWarning('look');
      const [warning] = stack.node.metadata;
      expect(warning.data).toBe('look');
      expect(warning.trace?.join('\n')).toMatch(/main\.test\.ts/);
    } finally {
      useFormat(jestFormat);
    }
  });

  it('writes nothing to the output folder when the config is refused', () => {
    const file = path.join(tempDir(), 'bad.yaml');
    fs.writeFileSync(file, 'clusters:\n  - name: dev\n    repositories: [{ name: infra, url: "git@ssh.dev.azure.com:v3/o/p/infra", interval: "often" }]\n');
    const outdir = path.join(tempDir(), 'cdktf.out');
    const { exitCode } = runMain({ FLUX_GITOPS_CONFIG: file, CDKTF_OUTDIR: outdir });
    expect(exitCode).toBe(1);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
