#!/usr/bin/env node
/**
 * The package's command line: `cdktf-flux-gitops doctor [--ssh] [--config <file>]` (`npm run doctor` in
 * this repository, `npx cdktf-flux-gitops doctor` where the package is a dependency).
 */
import { runDoctor } from './doctor';

const USAGE = 'usage: cdktf-flux-gitops doctor [--ssh] [--config <file>]  (the config defaults to FLUX_GITOPS_CONFIG)';

/** Parses the arguments and runs the command; resolves to the exit code. */
export async function cli(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'doctor') {
    err(USAGE);
    return 2;
  }
  let configFile: string | undefined;
  let sshCheck = false;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--ssh') sshCheck = true;
    else if (rest[i] === '--config' && rest[i + 1]) configFile = rest[++i];
    else {
      err(`unknown argument ${JSON.stringify(rest[i])}\n${USAGE}`);
      return 2;
    }
  }
  return runDoctor({ configFile, ssh: sshCheck, env, out });
}

if (require.main === module) {
  cli(process.argv.slice(2), process.env, (l) => process.stdout.write(`${l}\n`), (l) => process.stderr.write(`${l}\n`)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: Error) => {
      process.stderr.write(`${e.stack}\n`);
      process.exitCode = 1;
    },
  );
}
