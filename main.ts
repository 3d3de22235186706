import { App } from 'cdktf';
import { CONFIG_CONTEXT_KEY, ConfigError, configPathFrom, loadConfig } from './config/load';
import { FluxGitOpsStack } from './stacks/flux-gitops-stack';

// The only place that reads the environment: constructs and stacks get everything through props.
const app = new App();
try {
  const { config, notes } = loadConfig(configPathFrom(process.env, app.node.tryGetContext(CONFIG_CONTEXT_KEY)));
  for (const note of notes) process.stderr.write(`note: ${note}\n`);
  for (const cluster of config.clusters) {
    new FluxGitOpsStack(app, cluster.name, { cluster });
  }
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
app.synth();
