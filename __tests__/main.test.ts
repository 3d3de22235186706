import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './support/synth';

/** Runs main.ts in this process the way `cdktf synth` runs the app: configured through the environment. */
function runMain(env: Record<string, string | undefined>): { outdir: string; exitCode?: number; stderr: string } {
  const outdir = tempDir('cdktf.out.');
  const saved = { ...process.env };
  const merged: Record<string, string | undefined> = { CDKTF_OUTDIR: outdir, FLUX_GITOPS_CONFIG: undefined, CDKTF_CONTEXT_JSON: undefined, ...env };
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let exitCode: number | undefined;
  let stderr = '';
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    exitCode = code;
    throw new Error('process.exit');
  }) as never);
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(((chunk: string) => {
    stderr += chunk;
    return true;
  }) as never);
  try {
    jest.isolateModules(() => {
      try {
        require('../main');
      } catch (e) {
        if ((e as Error).message !== 'process.exit') throw e;
      }
    });
  } finally {
    exit.mockRestore();
    write.mockRestore();
    process.env = saved;
  }
  return { outdir, exitCode, stderr };
}

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
});
