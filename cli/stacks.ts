/** `stacks`: the stacks of the last synth, one a line, for `cdktf deploy <stack>`. */
import * as fs from 'fs';
import * as path from 'path';

export const STACKS_USAGE = `usage: cdktf-flux-gitops stacks

Lists the stacks of the last synth (CDKTF_OUTDIR, default cdktf.out), one a line.

Example: npm run synth && npm run --silent stacks`;

export async function stacksCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: (text: string) => void, err: (line: string) => void): Promise<number> {
  if (args[0] === '--help' || args[0] === '-h') {
    out(`${STACKS_USAGE}\n`);
    return 0;
  }
  if (args.length > 0) {
    err(`stacks: unexpected arguments ${JSON.stringify(args)}\n${STACKS_USAGE}`);
    return 2;
  }
  const manifestFile = path.join(env.CDKTF_OUTDIR || 'cdktf.out', 'manifest.json');
  let manifest: { stacks?: Record<string, unknown> };
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch (e) {
    err(`stacks: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? `${manifestFile} is missing: run synth first (npm run synth)` : `${manifestFile} cannot be read: ${(e as Error).message}`}`);
    return 1;
  }
  out(Object.keys(manifest.stacks ?? {}).map((s) => `${s}\n`).join(''));
  return 0;
}
