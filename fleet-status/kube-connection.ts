/**
 * How the reader reaches one cluster's API server: the same access the stack deploys through
 * (constructs/cluster-access.ts), turned into what node's https needs.
 *
 * Why no @kubernetes/client-node (measured 2026-12-05 on this machine, Node 20.20, jest 30, swc):
 * - 2.0.1 does not load on Node 20: its undici 8 needs Node >= 22.19 (`createZstdDecompress` is undefined).
 * - 1.4.0 is ESM only: jest (CommonJS through @swc/jest) cannot require it before Node 24.9, and letting swc
 *   transform node_modules costs 5.1 s and 370 MB per test file that loads it (0.9 s for 0.22.3);
 *   72 MB installed, 0.95 s to import.
 * - 0.22.3 (the last CommonJS line) loads in 0.75 s but ships `request` 2.88 (deprecated since 2020) and its
 *   form-data 2.3.3 into every user's install, for an HTTP client we would not use.
 * What the reader needs of a kubeconfig is small (one context, its cluster's server and CA, its user's token,
 * client certificate or exec plugin), so it is read here with `yaml`, already a dependency.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import type { ClusterConfig } from '../config/schema';
import { kubeloginExec } from '../constructs/aks-login';

/** The exec credential plugin block of a kubeconfig user (client.authentication.k8s.io). */
export interface ExecPlugin {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Where a relative command with a slash is found: the kubeconfig's folder (client-go exec.go, as kubectl). */
  readonly baseDir?: string;
}

/** Everything needed to call one API server; no secret here is ever put into a message. */
export interface KubeConnection {
  readonly server: URL;
  readonly ca?: Buffer;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  readonly token?: string;
  readonly clientCert?: Buffer;
  readonly clientKey?: Buffer;
  readonly exec?: ExecPlugin;
}

/** A reason the cluster cannot be reached that says what to fix; never holds a credential. */
export class AccessError extends Error {}

export function expandHome(file: string, env: NodeJS.ProcessEnv): string {
  return file === '~' || file.startsWith('~/') ? path.join(env.HOME || os.homedir(), file.slice(1)) : file;
}

/**
 * The kubeconfig files of one read, parsed once each: a fleet's clusters mostly share one file, and parsing
 * it was most of the reader's CPU (100 clusters, one file: 0.64 s at concurrency 1 before, profiled).
 */
export type KubeconfigFiles = Map<string, any>;

/**
 * The connection of a cluster reached through `kubeconfig:`. Like the stack, the file is `kubeconfig.path`,
 * else ~/.kube/config (ClusterAccess passes that configPath to the providers, so KUBECONFIG does not pick
 * another file for the deploy and does not here either), and the context is `kubeconfig.context`, else the
 * file's current-context.
 */
export function kubeconfigConnection(cluster: ClusterConfig, env: NodeJS.ProcessEnv, files: KubeconfigFiles = new Map()): KubeConnection {
  const file = cluster.kubeconfig?.path ?? '~/.kube/config';
  const full = expandHome(file, env);
  if (!files.has(full)) {
    try {
      files.set(full, parseYaml(fs.readFileSync(full, 'utf8')));
    } catch (e) {
      files.set(full, new AccessError(`cannot read kubeconfig ${file}: ${(e as NodeJS.ErrnoException).code ?? 'not YAML'}`));
    }
  }
  const doc = files.get(full);
  if (doc instanceof AccessError) throw doc;
  const name: string | undefined = cluster.kubeconfig?.context ?? doc?.['current-context'];
  const named = (list: unknown, wanted: unknown) => (Array.isArray(list) ? list.find((e) => e?.name === wanted) : undefined);
  const context = named(doc?.contexts, name)?.context;
  if (!name || !context) throw new AccessError(`${name ? `context ${name}` : 'no current context'} not in kubeconfig ${file}; set kubeconfig.context`);
  const server = named(doc?.clusters, context.cluster)?.cluster;
  if (!server?.server) throw new AccessError(`context ${name} of ${file} names cluster ${context.cluster ?? '(none)'}, which the file does not define`);
  const user = context.user === undefined ? {} : named(doc?.users, context.user)?.user;
  if (user === undefined) throw new AccessError(`context ${name} of ${file} names user ${context.user}, which the file does not define`);
  if (server['proxy-url']) throw new AccessError(`cluster ${context.cluster} of ${file} has a proxy-url, which the status reader does not support`);
  // Relative file names in a kubeconfig are relative to the file itself (client-go clientcmd loader.go, ResolveLocalPaths).
  const baseDir = path.dirname(full);
  const readFile = (field: string, value: string) => {
    try {
      return fs.readFileSync(path.resolve(baseDir, expandHome(value, env)));
    } catch (e) {
      throw new AccessError(`cannot read ${field} ${value} of kubeconfig ${file}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
  };
  const data = (field: string): Buffer | undefined =>
    server[`${field}-data`] ? Buffer.from(server[`${field}-data`], 'base64') : server[field] ? readFile(field, server[field]) : undefined;
  const userData = (field: string): Buffer | undefined =>
    user[`${field}-data`] ? Buffer.from(user[`${field}-data`], 'base64') : user[field] ? readFile(field, user[field]) : undefined;

  if (user.username || user.password) {
    // Kubernetes 1.19 removed the API server's static password file: nothing takes basic auth any more.
    throw new AccessError(`user ${context.user} of ${file} signs in with a username and password, which Kubernetes no longer takes; use a token, a client certificate or an exec plugin`);
  }
  if (user['auth-provider']) {
    // kubectl dropped the in-tree azure and gcp auth providers in 1.26; kubelogin converts such a kubeconfig.
    throw new AccessError(`user ${context.user} of ${file} signs in through auth-provider ${user['auth-provider'].name ?? ''}, which the status reader does not support; use an exec plugin (\`kubelogin convert-kubeconfig\`)`);
  }
  let url: URL;
  try {
    url = new URL(server.server);
  } catch {
    throw new AccessError(`cluster ${context.cluster} of ${file} has a server that is not a URL`);
  }
  const token = typeof user.token === 'string' ? user.token : user.tokenFile ? readFile('tokenFile', user.tokenFile).toString('utf8').trim() : undefined;
  const exec = user.exec
    ? {
        apiVersion: String(user.exec.apiVersion ?? ''),
        command: String(user.exec.command ?? ''),
        args: Array.isArray(user.exec.args) ? user.exec.args.map(String) : [],
        env: Object.fromEntries((Array.isArray(user.exec.env) ? user.exec.env : []).map((e: any) => [String(e?.name), String(e?.value ?? '')])),
        baseDir,
      }
    : undefined;
  return {
    server: url,
    ca: data('certificate-authority'),
    insecureSkipTlsVerify: server['insecure-skip-tls-verify'] === true,
    tlsServerName: server['tls-server-name'],
    token,
    clientCert: userData('client-certificate'),
    clientKey: userData('client-key'),
    exec,
  };
}

/** The connection of a cluster reached through `aks:`, once its server and CA are known: the stack's kubelogin call. */
export function aksConnection(cluster: ClusterConfig, server: URL, ca: Buffer): KubeConnection {
  const plugin = kubeloginExec(cluster.aks!);
  return { server, ca, insecureSkipTlsVerify: false, exec: { ...plugin, env: {} } };
}

/** What an exec plugin printed: a bearer token or a client certificate (ExecCredential `.status`). */
export interface ExecCredential {
  readonly token?: string;
  readonly clientCert?: Buffer;
  readonly clientKey?: Buffer;
}

/**
 * Runs an exec credential plugin as client-go does (k8s.io/client-go/plugin/pkg/client/auth/exec/exec.go):
 * the kubeconfig's env on top of ours, KUBERNETES_EXEC_INFO holding an ExecCredential with
 * `spec.interactive: false` (nobody answers a prompt here), stdout an ExecCredential whose `.status` holds
 * `token` or `clientCertificateData` + `clientKeyData`. Only stderr's first line reaches a message.
 */
export function runExecPlugin(plugin: ExecPlugin, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ExecCredential> {
  const command = plugin.command.includes('/') && plugin.baseDir && !path.isAbsolute(plugin.command) ? path.resolve(plugin.baseDir, plugin.command) : plugin.command;
  const name = path.basename(plugin.command);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...plugin.args], {
      env: { ...env, ...plugin.env, KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: plugin.apiVersion, kind: 'ExecCredential', spec: { interactive: false } }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Our own timer, not spawn's `timeout`, which stays armed when the command is not found.
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new AccessError(e.code === 'ENOENT' ? `exec plugin ${name} is not on PATH` : `exec plugin ${name} could not run: ${e.code ?? 'error'}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const said = err.split('\n').map((l) => l.trim()).find(Boolean)?.slice(0, 300);
      if (signal) return reject(new AccessError(`exec plugin ${name} did not finish within ${timeoutMs} ms`));
      if (code !== 0) return reject(new AccessError(`exec plugin ${name} failed (exit ${code})${said ? `: ${said}` : ''}`));
      let status: any;
      try {
        status = JSON.parse(out)?.status;
      } catch {
        return reject(new AccessError(`exec plugin ${name} printed no ExecCredential`));
      }
      if (typeof status?.token === 'string' && status.token) return resolve({ token: status.token });
      if (typeof status?.clientCertificateData === 'string' && typeof status?.clientKeyData === 'string') {
        return resolve({ clientCert: Buffer.from(status.clientCertificateData), clientKey: Buffer.from(status.clientKeyData) });
      }
      reject(new AccessError(`exec plugin ${name} printed an ExecCredential without a token or client certificate`));
    });
  });
}
