import { App } from 'cdktf';
import { CONFIG_CONTEXT_KEY, ConfigError, configPathFrom, loadConfig } from './config/load';
import { FluxGitOpsStack } from './stacks/flux-gitops-stack';

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
  loaded = loadConfig(configPathFrom(process.env, context));
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
for (const note of loaded.notes) process.stderr.write(`note: ${note}\n`);
const app = new App();
for (const cluster of loaded.config.clusters) {
  new FluxGitOpsStack(app, cluster.name, { cluster });
}
app.synth();
