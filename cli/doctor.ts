/**
 * `doctor`: what a first deploy needs, checked before it runs, one line per check. For the config in
 * use: each cluster's kube context exists and its API server answers (for a cluster reached through `aks:`,
 * doctor-aks.ts checks what its sign-in needs instead); each Azure DevOps organisation
 * answers the token in the environment, and the token is a user's (only users may register SSH keys);
 * each repository named by `azureDevOps:` exists; and with `--ssh`, a throwaway key is registered, read
 * back and revoked, the real end-to-end check of the key registration (only where the config registers one). For clusters in the zero-secret mode
 * (workloadIdentity.managed), doctor-workload-identity.ts adds: OIDC issuer and webhook on, identity
 * reachable, organisation entitlement in place.
 */
import { generateKeyPairSync, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { parse as parseYaml } from 'yaml';
import * as ssh from '../assets/ssh-keys';
import { ConfigError, configPathFrom, loadConfig } from '../config/load';
import { azureReposDefaultAuth, repositorySource } from '../config/repositories';
import type { ClusterConfig } from '../config/schema';
import { expandHome } from '../fleet-status/kube-connection';
import { checkAksAccess } from './doctor-aks';
import { checkWorkloadIdentity } from './doctor-workload-identity';

export type CheckStatus = 'ok' | 'FAIL' | 'skip';

export interface CheckLine {
  readonly status: CheckStatus;
  readonly check: string;
  readonly detail: string;
}

export interface DoctorOptions {
  /** The config file; @default - FLUX_GITOPS_CONFIG, else the embedded example */
  readonly configFile?: string;
  /** Register, read back and revoke a throwaway key in each organisation that registers the Flux key. @default false */
  readonly ssh?: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  /** How long an API server may take to answer. @default 5000 */
  readonly kubeTimeoutMs?: number;
}

export const DOCTOR_USAGE = `usage: cdktf-flux-gitops doctor [--ssh] [--config <file>]

Checks what a first deploy needs, one ok/skip/FAIL line per check; exits 1 when one fails.
  --config <file>  the config (default: FLUX_GITOPS_CONFIG, else the embedded example)
  --ssh            also register, read back and revoke a throwaway SSH key in each organisation
                   where the config registers the Flux key

Example: npm run doctor -- --config examples/fleet.yaml`;

/** `doctor`: parses its arguments and runs the checks; resolves to the exit code. */
export async function doctorCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let configFile: string | undefined;
  let sshCheck = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--help' || args[i] === '-h') {
      out(DOCTOR_USAGE);
      return 0;
    } else if (args[i] === '--ssh') sshCheck = true;
    else if (args[i] === '--config' && args[i + 1]) configFile = args[++i];
    else {
      err(`unknown argument ${JSON.stringify(args[i])}\n${DOCTOR_USAGE}`);
      return 2;
    }
  }
  return runDoctor({ configFile, ssh: sshCheck, env, out });
}

/** Runs every check and prints one line each; resolves to the exit code (1 when any failed). */
export async function runDoctor(options: DoctorOptions): Promise<number> {
  const lines: CheckLine[] = [];
  const report = (status: CheckStatus, check: string, detail: string): void => {
    lines.push({ status, check, detail });
    options.out(`${status.padEnd(4)}  ${check}: ${detail}`);
  };
  const file = options.configFile ?? configPathFrom(options.env, undefined);
  let clusters: readonly ClusterConfig[];
  try {
    const loaded = loadConfig(file);
    clusters = loaded.config.clusters;
    report('ok', 'config', `${loaded.source}: ${clusters.map((c) => c.name).join(', ')}${file ? '' : ' (no FLUX_GITOPS_CONFIG or --config given)'}`);
  } catch (e) {
    report('FAIL', 'config', e instanceof ConfigError ? e.message : (e as Error).message);
    return 1;
  }

  await checkKubernetes(clusters, options, report);
  // Clusters reached through `aks:` have no kubeconfig: kubelogin, the login mode's needs, the cluster in Azure.
  await checkAksAccess(clusters, options.env, report);
  await checkAzureDevOps(clusters, options, report);
  // Zero-secret mode (workloadIdentity.managed): issuer, identity, entitlement.
  const entra = options.env.AZDO_ENTRA_TOKEN;
  const pat = options.env.AZDO_PERSONAL_ACCESS_TOKEN;
  const azureDevOpsAuthorization = entra ? `Bearer ${entra}` : pat ? `Basic ${Buffer.from(`:${pat}`).toString('base64')}` : undefined;
  await checkWorkloadIdentity(clusters, { env: options.env, azureDevOpsAuthorization }, report);
  return lines.some((l) => l.status === 'FAIL') ? 1 : 0;
}

type Report = (status: CheckStatus, check: string, detail: string) => void;

async function checkKubernetes(clusters: readonly ClusterConfig[], options: DoctorOptions, report: Report): Promise<void> {
  const seen = new Set<string>();
  for (const cluster of clusters) {
    if (cluster.aks) continue;
    const file = cluster.kubeconfig?.path ?? '~/.kube/config';
    const wanted = cluster.kubeconfig?.context;
    const key = `${file}\u0000${wanted ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const check = `kube context of ${cluster.name}`;
    let kubeconfig: any;
    try {
      kubeconfig = parseYaml(fs.readFileSync(expandHome(file, options.env), 'utf8'));
    } catch (e) {
      report('FAIL', check, `cannot read kubeconfig ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    const name: string | undefined = wanted ?? kubeconfig?.['current-context'];
    const contexts: any[] = Array.isArray(kubeconfig?.contexts) ? kubeconfig.contexts : [];
    const context = contexts.find((c) => c?.name === name);
    if (!name || !context) {
      const known = contexts.map((c) => c?.name).filter(Boolean);
      report('FAIL', check, `${name ? `context ${name}` : 'no current context'} not in ${file} (it has: ${known.join(', ') || 'none'}); set kubeconfig.context`);
      continue;
    }
    const server = (kubeconfig.clusters ?? []).find((c: any) => c?.name === context.context?.cluster)?.cluster;
    if (!server?.server) {
      report('FAIL', check, `context ${name} names cluster ${context.context?.cluster ?? '(none)'}, which ${file} does not define`);
      continue;
    }
    report('ok', check, `${name} in ${file}`);
    const answer = await probeApiServer(server, options.kubeTimeoutMs ?? 5000, options.env);
    const api = `Kubernetes API of ${cluster.name}`;
    if (answer.status === 'answered') report('ok', api, `${server.server} answers (HTTP ${answer.code}${answer.version ? `, ${answer.version}` : ''})`);
    else if (answer.status === 'unreachable') report('skip', api, `${server.server} is not reachable from here (${answer.reason}); the deploy must run where it is`);
    else report('FAIL', api, `${server.server}: ${answer.reason}`);
  }
}

type Probe = { status: 'answered'; code: number; version?: string } | { status: 'unreachable' | 'failed'; reason: string };

/**
 * GET /version, which Kubernetes serves to anyone (the system:public-info-viewer role): any HTTP answer
 * shows the server is there; no credentials are sent, as the doctor checks reachability only.
 */
function probeApiServer(cluster: any, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<Probe> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL('/version', cluster.server);
    } catch {
      resolve({ status: 'failed', reason: 'not a URL' });
      return;
    }
    const ca = cluster['certificate-authority-data']
      ? Buffer.from(cluster['certificate-authority-data'], 'base64')
      : cluster['certificate-authority']
        ? safeRead(expandHome(cluster['certificate-authority'], env))
        : undefined;
    const client = url.protocol === 'http:' ? http : https;
    const req = client.get(url, { timeout: timeoutMs, ca, rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true, headers: { accept: 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        let version: string | undefined;
        try {
          version = JSON.parse(body).gitVersion;
        } catch {
          // not the version document (401/403 on a locked-down server): it answered all the same
        }
        resolve({ status: 'answered', code: res.statusCode ?? 0, version });
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => {
      const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET'];
      if (e.code && unreachable.includes(e.code)) resolve({ status: 'unreachable', reason: e.code });
      else resolve({ status: 'failed', reason: `${e.code ?? ''} ${e.message}`.trim() });
    });
  });
}

function safeRead(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

interface OrganizationUse {
  organization: string;
  /** Some cluster registers the Flux key here (an SSH repository, registration on). */
  registers: boolean;
  repositories: { project: string; repository: string; create: boolean; cluster: string }[];
}

/** The organisations the config uses, grouped case-insensitively as Azure DevOps treats names. */
function organizationsOf(clusters: readonly ClusterConfig[]): OrganizationUse[] {
  const byName = new Map<string, OrganizationUse>();
  for (const cluster of clusters) {
    for (const repo of cluster.repositories) {
      let source;
      try {
        // In the zero-secret mode an Azure Repos repository naming no auth is read by the identity: no key to register.
        source = repositorySource(repo, azureReposDefaultAuth(cluster));
      } catch {
        continue; // the config check reported it
      }
      if (!source.azureDevOps) continue;
      const { organization, project, repository } = source.azureDevOps;
      const use = byName.get(organization.toLowerCase()) ?? { organization, registers: false, repositories: [] };
      byName.set(organization.toLowerCase(), use);
      if (source.auth === 'ssh' && cluster.azureDevOps?.registerSshKey !== false) use.registers = true;
      if (!repo.azureDevOps) continue;
      const same = use.repositories.find((r) => `${r.project}/${r.repository}`.toLowerCase() === `${project}/${repository}`.toLowerCase());
      if (!same) use.repositories.push({ project, repository, create: repo.azureDevOps.create === true, cluster: cluster.name });
      else if (repo.azureDevOps.create && !same.create) Object.assign(same, { create: true, cluster: cluster.name });
    }
  }
  return [...byName.values()];
}

async function checkAzureDevOps(clusters: readonly ClusterConfig[], options: DoctorOptions, report: Report): Promise<void> {
  const organizations = organizationsOf(clusters);
  if (organizations.length === 0) {
    report('skip', 'Azure DevOps', 'the config names no Azure DevOps repository');
    return;
  }
  for (const use of organizations) {
    const check = `Azure DevOps ${use.organization}`;
    let o: ReturnType<typeof ssh.optionsFromEnv>;
    try {
      o = ssh.optionsFromEnv('list', { ...options.env, FLUX_SSH_KEY_ORGANIZATION: use.organization }, () => undefined);
    } catch (e) {
      const missing = /missing input/.test((e as Error).message);
      report(
        'FAIL',
        'Azure DevOps token',
        missing
          ? "no token in the environment: export a user's token, AZDO_ENTRA_TOKEN=$(az account get-access-token --resource 499b84ac-1321-427f-aa17-267ca6975798 --query accessToken -o tsv) or AZDO_PERSONAL_ACCESS_TOKEN"
          : (e as Error).message,
      );
      return;
    }
    let user: string;
    try {
      const data = await ssh.request(o, 'GET', `${o.devUrl}/${encodeURIComponent(use.organization)}/_apis/connectionData`);
      user = data?.authenticatedUser?.providerDisplayName ?? 'an unnamed identity';
      report('ok', check, `reachable with the ${o.token.kind === 'entra' ? 'Entra ID token' : 'PAT'}, signed in as ${user}`);
    } catch (e) {
      report('FAIL', check, (e as Error).message);
      continue;
    }
    await checkUserToken(use, o, report);
    for (const repo of use.repositories) await checkRepository(use, repo, o, report);
    if (options.ssh && use.registers) await checkKeyRoundTrip(use, o, report);
    // Nothing registers a key here, so a token that may not is no fault, and no throwaway key is made.
    else if (options.ssh) report('skip', `SSH key round trip in ${use.organization}`, 'no key is registered in this organisation (registerSshKey: false, or no SSH repository)');
  }
}

/** Only a user's token may manage SSH keys: the SessionTokens controller turns other identities down. */
async function checkUserToken(use: OrganizationUse, o: ReturnType<typeof ssh.optionsFromEnv>, report: Report): Promise<void> {
  const check = `token in ${use.organization} is a user's`;
  try {
    await ssh.listKeys(o);
    report('ok', check, 'the SSH key API accepts it (--ssh proves it may register one)');
  } catch (e) {
    // A registration-free config only needs the token for lookups; say so rather than fail.
    report(use.registers ? 'FAIL' : 'skip', check, `${(e as Error).message}${use.registers ? '' : ' (no key is registered in this organisation)'}`);
  }
}

async function checkRepository(
  use: OrganizationUse,
  repo: OrganizationUse['repositories'][number],
  o: ReturnType<typeof ssh.optionsFromEnv>,
  report: Report,
): Promise<void> {
  const check = `repository ${use.organization}/${repo.project}/${repo.repository}`;
  const url = `${o.devUrl}/${encodeURIComponent(use.organization)}/${encodeURIComponent(repo.project)}/_apis/git/repositories/${encodeURIComponent(repo.repository)}?api-version=7.1`;
  try {
    const found = await ssh.request(o, 'GET', url);
    report('ok', check, `exists (${found?.id ?? 'no id'})`);
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 404 && repo.create) report('ok', check, `absent; the deploy of ${repo.cluster} creates it (create: true)`);
    else if (status === 404) report('FAIL', check, `does not exist, or the token cannot read it (HTTP 404); create it or set azureDevOps.create: true in ${repo.cluster}`);
    else report('FAIL', check, (e as Error).message);
  }
}

/** An OpenSSH `ssh-rsa` public key line for a fresh key pair (RFC 4253 §6.6: string type, mpint e, mpint n). */
export function throwawayPublicKey(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const field = (bytes: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 0].map((_, i) => (bytes.length >>> (8 * (3 - i))) & 0xff)), bytes]);
  const mpint = (b64url: string): Buffer => {
    const raw = Buffer.from(b64url, 'base64url');
    return field(raw[0] & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-rsa')), mpint(jwk.e), mpint(jwk.n)]);
  return `ssh-rsa ${blob.toString('base64')} flux-gitops-doctor`;
}

async function checkKeyRoundTrip(use: OrganizationUse, base: ReturnType<typeof ssh.optionsFromEnv>, report: Report): Promise<void> {
  const check = `SSH key round trip in ${use.organization}`;
  const lines: string[] = [];
  const o = {
    ...base,
    publicKey: throwawayPublicKey(),
    name: 'flux-gitops doctor (throwaway, revoked at once)',
    validTo: new Date(Date.now() + 86400000).toISOString(),
    instance: `doctor-${randomBytes(6).toString('hex')}`,
    log: (line: string) => lines.push(line),
  };
  let registered = false;
  try {
    const result = await ssh.register(o);
    registered = true;
    const listed = (await ssh.listKeys(o)).some((k) => k.authorizationId === result.authorizationId && ssh.keyBlob(k.publicData) === ssh.keyBlob(o.publicKey));
    if (!listed) throw new Error('the key was registered but is not listed');
    const { revoked } = await ssh.revoke(o);
    registered = revoked === 0;
    if (revoked !== 1) throw new Error(`revoke removed ${revoked} registrations, expected 1`);
    report('ok', check, `a throwaway key was registered (${result.authorizationId}), listed and revoked`);
  } catch (e) {
    report('FAIL', check, (e as Error).message);
    if (registered) {
      await ssh.revoke(o).catch(() => report('FAIL', check, `the throwaway key "${o.name}" may be left: revoke it at ${o.devUrl}/${use.organization}/_usersSettings/keys`));
    }
  }
}
