import { tempDir } from './synth';

/** Runs main.ts in this process the way `cdktf synth` runs the app: configured through the environment. */
export function runMain(env: Record<string, string | undefined>): {
  outdir: string;
  exitCode?: number;
  stderr: string;
  /** The stack trace formatter main.ts installed (restored to jest's after the run). */
  prepareStackTrace?: typeof Error.prepareStackTrace;
} {
  const outdir = tempDir('cdktf.out.');
  const saved = { ...process.env };
  const merged: Record<string, string | undefined> = { CDKTF_OUTDIR: outdir, FLUX_GITOPS_CONFIG: undefined, CDKTF_CONTEXT_JSON: undefined, ...env };
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let exitCode: number | undefined;
  let stderr = '';
  const formatStack = Error.prepareStackTrace;
  let prepareStackTrace: typeof Error.prepareStackTrace;
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
        require('../../main');
      } catch (e) {
        if ((e as Error).message !== 'process.exit') throw e;
      }
    });
  } finally {
    prepareStackTrace = Error.prepareStackTrace;
    Error.prepareStackTrace = formatStack;
    exit.mockRestore();
    write.mockRestore();
    process.env = saved;
  }
  return { outdir, exitCode, stderr, prepareStackTrace };
}
