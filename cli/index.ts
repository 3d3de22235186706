#!/usr/bin/env node
/**
 * The package's one command line: `cdktf-flux-gitops <command>` (`npx cdktf-flux-gitops` where the package
 * is a dependency; `npm run <command>` in this repository). Each command lives in its own file beside
 * this one and answers `--help`. Exit codes: 0 all well, 1 a finding, 2 usage, 3 a source unreachable.
 */
import { doctorCommand, DOCTOR_USAGE } from './doctor';
import { fleetCommand, FLEET_USAGE } from './fleet';
import { gateCommand, GATE_USAGE } from './gate';
import { stacksCommand, STACKS_USAGE } from './stacks';
import { statusCommand, STATUS_USAGE } from './status';

/** Writes text as given (commands end their own lines), or one message line. */
export type Out = (text: string) => void;
export type Command = (args: readonly string[], env: NodeJS.ProcessEnv, out: Out, err: Out) => Promise<number>;

/** The commands, each with the first line of its usage for the overview. */
const COMMANDS: Record<string, { run: Command; usage: string }> = {
  doctor: { run: doctorCommand, usage: DOCTOR_USAGE },
  fleet: { run: fleetCommand, usage: FLEET_USAGE },
  stacks: { run: stacksCommand, usage: STACKS_USAGE },
  status: { run: statusCommand, usage: STATUS_USAGE },
  gate: { run: gateCommand, usage: GATE_USAGE },
};

export function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage.split('\n')[0].replace(/^usage: /, '')}`);
  return `usage: cdktf-flux-gitops <command> [options]\n\n${lines.join('\n')}\n\n'cdktf-flux-gitops <command> --help' shows one command with an example.`;
}

/** Parses the arguments and runs the command; resolves to the exit code. */
export async function cli(argv: readonly string[], env: NodeJS.ProcessEnv, out: Out, err: Out): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    out(`${usage()}\n`);
    return 0;
  }
  const command = name === undefined ? undefined : Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    err(`${name === undefined ? 'no command given' : `unknown command ${JSON.stringify(name)}`}\n${usage()}`);
    return 2;
  }
  return command.run(rest, env, out, err);
}

/** Runs the command line as a process: stdout for data, stderr for messages; a closed pipe (`| head`) ends quietly. */
export function main(): void {
  const write = (stream: NodeJS.WriteStream) => (text: string) => {
    stream.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      // The reader went away (`cdktf-flux-gitops doctor | head -1`): nothing more can be said to it.
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  cli(process.argv.slice(2), process.env, write(process.stdout), write(process.stderr)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: Error) => {
      process.stderr.write(`${e.stack}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
