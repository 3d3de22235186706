/** The one command line (cli/index.ts): the overview, unknown commands, and `stacks` before and after a synth. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli } from '../cli';

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await cli(args, env, (t) => (out += t), (t) => (err += `${t}\n`));
  return { code, out, err };
}

describe('cdktf-flux-gitops', () => {
  it('lists every command with its usage line on --help, and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim().split(' ')[1])).toEqual(['doctor', 'fleet', 'stacks', 'status', 'gate']);
  });

  it('answers no command or an unknown one with the overview and exit 2', async () => {
    for (const [args, first] of [
      [[], 'no command given'],
      [['deploy'], 'unknown command "deploy"'],
      [['__proto__'], 'unknown command "__proto__"'],
    ] as const) {
      const { code, err } = await run([...args]);
      expect({ code, first: err.split('\n')[0], usage: err.split('\n')[1] }).toEqual({ code: 2, first, usage: 'usage: cdktf-flux-gitops <command> [options]' });
    }
  });
});

describe('stacks', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-stacks-'));

  it('says to run synth first when there is no synth output, exit 1, nothing on stdout', async () => {
    const missing = path.join(outdir, 'none');
    expect(await run(['stacks'], { CDKTF_OUTDIR: missing })).toEqual({
      code: 1,
      out: '',
      err: `stacks: ${path.join(missing, 'manifest.json')} is missing: run synth first (npm run synth)\n`,
    });
  });

  it('prints the stacks of the manifest one a line, and refuses arguments with exit 2', async () => {
    fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify({ stacks: { dev: {}, 'prod-weu': {} } }));
    expect(await run(['stacks'], { CDKTF_OUTDIR: outdir })).toEqual({ code: 0, out: 'dev\nprod-weu\n', err: '' });
    expect((await run(['stacks', 'dev'], { CDKTF_OUTDIR: outdir })).code).toBe(2);
  });
});
