/**
 * The doctor's checks for clusters reached through `aks:` (constructs/cluster-access.ts), in place of the
 * kubeconfig checks: what the deploy runs to sign in, and the cluster as Azure reports it.
 * - `kubelogin` on PATH: the kubernetes and helm providers run `kubelogin get-token` as their exec plugin.
 * - the login mode's needs: azurecli runs `az` (kubelogin's azurecli login, and the azurerm provider's
 *   default Azure CLI sign-in); workloadidentity reads AZURE_CLIENT_ID, AZURE_TENANT_ID (unless the config
 *   names the tenant) and the token file AZURE_FEDERATED_TOKEN_FILE; spn, with `--use-azurerm-env-vars`,
 *   reads ARM_CLIENT_ID, ARM_TENANT_ID and ARM_CLIENT_SECRET or ARM_CLIENT_CERTIFICATE_PATH (Azure/kubelogin
 *   pkg/internal/token/options.go, UpdateFromEnv); msi uses the machine's managed identity, which nothing
 *   here can see. Only variable names are printed, never a value.
 * - the cluster, read from Azure Resource Manager with AZURE_MANAGEMENT_TOKEN as the zero-secret checks do
 *   (skipped, saying what to export, without it): it exists, and has Entra ID integration (`aadProfile`),
 *   without which the API server does not take kubelogin's Entra token.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ClusterConfig } from '../config/schema';
import type { AksLoginMode } from '../constructs/cluster-access';
import { ARM_API_VERSIONS, errorOf, getJson, HEADER_TOKEN, MANAGEMENT_TOKEN_HINT, serviceRoot } from './doctor-workload-identity';

type Report = (status: 'ok' | 'FAIL' | 'skip', check: string, detail: string) => void;

/** The executable `command` on the PATH of `env`, or undefined. */
export function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  const extensions = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of extensions) {
      const file = path.join(dir, command + ext);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * Variables of `env` that would silently replace what the config gives kubelogin. kubelogin applies its
 * environment after its flags (Azure/kubelogin pkg/internal/token/options.go, UpdateFromEnv, at v0.2.19-5-g6678496):
 * AAD_LOGIN_METHOD replaces --login, and the tenant variable of the mode (ARM_TENANT_ID with
 * --use-azurerm-env-vars, AZURE_TENANT_ID otherwise) replaces --tenant-id. The azurecli and msi logins run with
 * --disable-environment-override (ClusterAccess), so only workloadidentity and spn are exposed. Values are compared,
 * never printed.
 */
function envOverrides(login: AksLoginMode, clusters: readonly ClusterConfig[], env: NodeJS.ProcessEnv): string[] {
  if (login !== 'workloadidentity' && login !== 'spn') return [];
  const out: string[] = [];
  if (env.AAD_LOGIN_METHOD !== undefined && env.AAD_LOGIN_METHOD !== login) out.push(`AAD_LOGIN_METHOD replaces --login ${login}`);
  const tenantVariable = login === 'spn' ? 'ARM_TENANT_ID' : 'AZURE_TENANT_ID';
  const tenant = env[tenantVariable];
  if (tenant !== undefined && clusters.some((c) => c.aks?.tenantId !== undefined && c.aks.tenantId.toLowerCase() !== tenant.toLowerCase())) {
    out.push(`${tenantVariable} replaces the configured aks.tenantId`);
  }
  return out;
}

/** What each login mode needs from the environment, checked by name only. */
function loginNeeds(login: AksLoginMode, clusters: readonly ClusterConfig[], env: NodeJS.ProcessEnv): { status: 'ok' | 'FAIL' | 'skip'; detail: string } {
  const missing = (names: readonly string[]) => names.filter((n) => !env[n]);
  const overridden = envOverrides(login, clusters, env);
  if (overridden.length > 0) {
    return { status: 'FAIL', detail: `${overridden.join('; ')}: kubelogin reads its environment after its flags; unset it, or make it agree with the config` };
  }
  switch (login) {
    case 'azurecli': {
      const az = onPath('az', env);
      return az
        ? { status: 'ok', detail: `az is on PATH (${az}); the deploy signs in as its account (\`az login\` first)` }
        : { status: 'FAIL', detail: 'az is not on PATH: kubelogin --login azurecli and the azurerm provider sign in through the Azure CLI; install it and `az login`' };
    }
    case 'workloadidentity': {
      const needed = ['AZURE_CLIENT_ID', 'AZURE_FEDERATED_TOKEN_FILE', ...(clusters.every((c) => c.aks?.tenantId) ? [] : ['AZURE_TENANT_ID'])];
      const absent = missing(needed);
      if (absent.length > 0) return { status: 'FAIL', detail: `${absent.join(', ')} not set: a runner with workload identity sets them (the pod's service account, or the pipeline's federated credential)` };
      try {
        fs.accessSync(env.AZURE_FEDERATED_TOKEN_FILE!, fs.constants.R_OK);
      } catch {
        return { status: 'FAIL', detail: 'AZURE_FEDERATED_TOKEN_FILE names no readable file' };
      }
      return { status: 'ok', detail: `${needed.join(', ')} set` };
    }
    case 'spn': {
      // A configured tenant reaches kubelogin as --tenant-id and azurerm as tenant_id: ARM_TENANT_ID is then optional.
      const absent = missing(['ARM_CLIENT_ID', ...(clusters.every((c) => c.aks?.tenantId) ? [] : ['ARM_TENANT_ID'])]);
      if (!env.ARM_CLIENT_SECRET && !env.ARM_CLIENT_CERTIFICATE_PATH) absent.push('ARM_CLIENT_SECRET or ARM_CLIENT_CERTIFICATE_PATH');
      return absent.length > 0
        ? { status: 'FAIL', detail: `${absent.join(', ')} not set: kubelogin --use-azurerm-env-vars and the azurerm provider read the service principal from them` }
        : { status: 'ok', detail: `ARM_CLIENT_ID, ${env.ARM_TENANT_ID ? 'ARM_TENANT_ID' : 'the configured tenant'} and ${env.ARM_CLIENT_SECRET ? 'ARM_CLIENT_SECRET' : 'ARM_CLIENT_CERTIFICATE_PATH'} set` };
    }
    case 'msi':
      return { status: 'skip', detail: 'the deploy signs in as the managed identity of the machine it runs on, which cannot be checked from here' };
  }
}

/** Runs the checks of every cluster reached through `aks:`; reports nothing when there is none. */
export async function checkAksAccess(clusters: readonly ClusterConfig[], env: NodeJS.ProcessEnv, report: Report): Promise<void> {
  const aks = clusters.filter((c) => c.aks);
  if (aks.length === 0) return;
  const names = (list: readonly ClusterConfig[]) => list.map((c) => c.name).join(', ');

  const kubelogin = onPath('kubelogin', env);
  if (kubelogin) report('ok', `kubelogin (${names(aks)})`, `on PATH (${kubelogin})`);
  else report('FAIL', `kubelogin (${names(aks)})`, 'not on PATH: the kubernetes and helm providers run `kubelogin get-token` to sign in to the cluster; install it (`az aks install-cli`, or a release of Azure/kubelogin)');

  const logins = [...new Set(aks.map((c) => c.aks!.login ?? 'azurecli'))];
  for (const login of logins) {
    const using = aks.filter((c) => (c.aks!.login ?? 'azurecli') === login);
    const { status, detail } = loginNeeds(login, using, env);
    report(status, `Azure sign-in, login ${login} (${names(using)})`, detail);
  }

  const token = env.AZURE_MANAGEMENT_TOKEN;
  if (token && !HEADER_TOKEN.test(token)) {
    report('FAIL', 'Azure token', `AZURE_MANAGEMENT_TOKEN is not a token (it has characters no token has); export ${MANAGEMENT_TOKEN_HINT}`);
    return;
  }
  let arm: string;
  try {
    arm = serviceRoot('AZURE_MANAGEMENT_URL', env.AZURE_MANAGEMENT_URL, 'https://management.azure.com');
  } catch (e) {
    report('FAIL', 'Azure token', (e as Error).message);
    return;
  }
  for (const cluster of aks) {
    const { subscriptionId, resourceGroup, name } = cluster.aks!;
    const check = `AKS cluster of ${cluster.name}`;
    if (!token) {
      report('skip', check, `no Azure token to read ${resourceGroup}/${name} with: export ${MANAGEMENT_TOKEN_HINT}`);
      continue;
    }
    const url =
      `${arm}/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(resourceGroup)}` +
      `/providers/Microsoft.ContainerService/managedClusters/${encodeURIComponent(name)}?api-version=${ARM_API_VERSIONS.managedClusters}`;
    try {
      const answer = await getJson(url, `Bearer ${token}`);
      if (answer.status !== 200) {
        report('FAIL', check, `cannot read ${resourceGroup}/${name} in subscription ${subscriptionId}: ${errorOf(answer)}`);
        continue;
      }
      // ManagedClusterProperties (go-azure-sdk containerservice 2025-10-01, vendored by azurerm 5.2.0).
      const props = answer.body?.properties ?? {};
      if (!props.aadProfile) {
        report('FAIL', check, `${resourceGroup}/${name} has no Entra ID integration (aadProfile): its API server does not take the Entra token kubelogin gets; reach it through kubeconfig: instead, or enable AKS-managed Entra ID`);
        continue;
      }
      const version = props.currentKubernetesVersion ?? props.kubernetesVersion;
      report(
        'ok',
        check,
        `${resourceGroup}/${name} readable${version ? `, Kubernetes ${version}` : ''}, Entra ID integration on${props.disableLocalAccounts === true ? ', local accounts disabled' : ''}` +
          `${props.fqdn ?? props.privateFQDN ? ` (API server ${props.fqdn ?? props.privateFQDN})` : ''}`,
      );
    } catch (e) {
      report('FAIL', check, `cannot reach Azure Resource Manager: ${(e as Error).message.split(token).join('***')}`);
    }
  }
}
