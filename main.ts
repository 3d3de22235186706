import { App } from 'cdktf';
import { CONFIG_CONTEXT_KEY, CONFIG_ENV_VAR, ConfigError, configPathFrom, loadConfig } from './config/load';
import { identityAccessOwners } from './config/fleet';
import { FluxGitOpsStack } from './stacks/flux-gitops-stack';

// cdktf records a full stack trace for every token it creates (an Intrinsic or ComplexResolvable:
// about 90 per cluster), formats it at once and keeps it only for the message of a token that fails
// to resolve, which no config can cause. Formatting them was a fifth of a 100-cluster synth. Those
// traces are left empty in the app (not in the library, whose users may want them); real errors and
// annotations (whose traces are written to manifest.json) are formatted as before.
const formatStack = Error.prepareStackTrace;
const TOKEN_TRACE = /[\\/]cdktf[\\/]lib[\\/](?:tokens[\\/]private[\\/]intrinsic|complex-computed-list)\.js$/;
Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]): unknown => {
  if (!(error instanceof Error) && TOKEN_TRACE.test(frames[0]?.getFileName() ?? '')) return '';
  if (formatStack) return formatStack(error as Error, frames);
  return `${String(error)}${frames.map((f) => `\n    at ${f.toString()}`).join('')}`;
};

// The only place that reads the environment: constructs and stacks get everything through props.
// The config is loaded before the App exists: `new App()` creates the output folder, and a refused
// config must write nothing there. The cdktf CLI hands the app its context in CDKTF_CONTEXT_JSON.
let loaded: ReturnType<typeof loadConfig>;
try {
  let context: unknown;
  try {
    context = (JSON.parse(process.env.CDKTF_CONTEXT_JSON ?? '{}') as Record<string, unknown>)[CONFIG_CONTEXT_KEY];
  } catch {
    context = undefined;
  }
  const file = configPathFrom(process.env, context);
  // `npm run synth` asks (cdktf synth does not): a config silently replaced by the embedded example
  // looks like a synth of one's own.
  if (process.env.FLUX_GITOPS_SHOW_CONFIG) {
    const origin = !file
      ? `the embedded example (neither ${CONFIG_ENV_VAR} nor the context key ${CONFIG_CONTEXT_KEY} of cdktf.json is set)`
      : `${file} (from ${process.env[CONFIG_ENV_VAR] ? CONFIG_ENV_VAR : `the context key ${CONFIG_CONTEXT_KEY} of cdktf.json`})`;
    process.stderr.write(`synth: config ${origin}\n`);
  }
  loaded = loadConfig(file);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
for (const note of loaded.notes) process.stderr.write(`note: ${note}\n`);
const app = new App();
const owners = identityAccessOwners(loaded.config.clusters);
for (const cluster of loaded.config.clusters) {
  new FluxGitOpsStack(app, cluster.name, { cluster, identityAccessOwner: owners.has(cluster.name) });
}
app.synth();
