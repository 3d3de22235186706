import * as fs from 'fs';
import * as path from 'path';
import { runDoctor } from '../cli/doctor';
import { checkAksAccess } from '../cli/doctor-aks';
import { AksConfig, ClusterConfig } from '../config/schema';
import { FakeAzure } from './support/fake-azure';
import { exampleCluster, tempDir } from './support/synth';

const ARM_TOKEN = 'canary-aks-arm-token-31c4';
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

let fake: FakeAzure;
let arm: string;
let bin: string;
beforeEach(async () => {
  fake = new FakeAzure({ armToken: ARM_TOKEN, azureDevOpsPat: 'unused' });
  arm = await fake.start();
  bin = tempDir('doctor-aks-bin-');
});
afterEach(() => fake.stop());

/** Stand-ins for the commands the deploy runs, executable, on a PATH of their own. */
function install(...commands: string[]): string {
  for (const command of commands) fs.writeFileSync(path.join(bin, command), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return bin;
}

const aksCluster = (name: string, aks: Partial<AksConfig> = {}): ClusterConfig => ({
  ...exampleCluster(),
  name,
  kubeconfig: undefined,
  aks: { subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-aks', name: `aks-${name}`, ...aks },
});

async function check(clusters: ClusterConfig[], env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  await checkAksAccess(clusters, { AZURE_MANAGEMENT_URL: arm, ...env }, (status, what, detail) => lines.push(`${status.padEnd(4)}  ${what}: ${detail}`));
  return lines;
}

describe('doctor: clusters reached through aks:', () => {
  it('checks kubelogin, az and the cluster in Azure, for azurecli', async () => {
    fake.clusters.set('rg-aks/aks-dev', { oidc: false, workloadIdentity: false, localAccounts: false });
    const PATH = install('kubelogin', 'az');
    expect(await check([aksCluster('dev')], { PATH, AZURE_MANAGEMENT_TOKEN: ARM_TOKEN })).toEqual([
      `ok    kubelogin (dev): on PATH (${path.join(bin, 'kubelogin')})`,
      `ok    Azure sign-in, login azurecli (dev): az is on PATH (${path.join(bin, 'az')}); the deploy signs in as its account (\`az login\` first)`,
      'ok    AKS cluster of dev: rg-aks/aks-dev readable, Kubernetes 1.31.2, Entra ID integration on, local accounts disabled (API server aks-dev-dns-00000000.hcp.westeurope.azmk8s.io)',
    ]);
    expect(fake.requests).toEqual([`GET /subscriptions/${SUBSCRIPTION}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-dev?api-version=2025-10-01`]);
  });

  it('fails without kubelogin or az on PATH, saying what runs them', async () => {
    const lines = await check([aksCluster('dev')], { PATH: install() });
    expect(lines[0]).toMatch(/^FAIL  kubelogin \(dev\): not on PATH: the kubernetes and helm providers run `kubelogin get-token`/);
    expect(lines[1]).toMatch(/^FAIL  Azure sign-in, login azurecli \(dev\): az is not on PATH/);
  });

  it('skips reading the cluster without an Azure token, saying what to export', async () => {
    const lines = await check([aksCluster('dev')], { PATH: install('kubelogin', 'az') });
    expect(lines[2]).toMatch(/^skip  AKS cluster of dev: no Azure token to read rg-aks\/aks-dev with: export AZURE_MANAGEMENT_TOKEN=\$\(az account get-access-token/);
    expect(fake.requests).toEqual([]);
  });

  it('fails a cluster without Entra ID integration, and one Azure does not have', async () => {
    fake.clusters.set('rg-aks/aks-dev', { oidc: false, workloadIdentity: false, aad: false });
    const lines = await check([aksCluster('dev'), aksCluster('prod')], { PATH: install('kubelogin', 'az'), AZURE_MANAGEMENT_TOKEN: ARM_TOKEN });
    expect(lines[1]).toBe(`ok    Azure sign-in, login azurecli (dev, prod): az is on PATH (${path.join(bin, 'az')}); the deploy signs in as its account (\`az login\` first)`);
    expect(lines[2]).toMatch(/^FAIL  AKS cluster of dev: rg-aks\/aks-dev has no Entra ID integration \(aadProfile\): its API server does not take the Entra token kubelogin gets/);
    expect(lines[3]).toBe(`FAIL  AKS cluster of prod: cannot read rg-aks/aks-prod in subscription ${SUBSCRIPTION}: HTTP 404: The Resource 'aks-prod' was not found.`);
    expect(lines.join('\n')).not.toContain(ARM_TOKEN);
  });

  it('workloadidentity: names the variables that are missing, never their values, and needs no az', async () => {
    const PATH = install('kubelogin');
    const CANARY = 'canary-client-id-6a0b';
    const missing = await check([aksCluster('dev', { login: 'workloadidentity' })], { PATH, AZURE_CLIENT_ID: CANARY });
    expect(missing[1]).toMatch(/^FAIL  Azure sign-in, login workloadidentity \(dev\): AZURE_FEDERATED_TOKEN_FILE, AZURE_TENANT_ID not set/);
    const noFile = await check([aksCluster('dev', { login: 'workloadidentity', tenantId: '55555555-6666-7777-8888-999999999999' })], {
      PATH,
      AZURE_CLIENT_ID: CANARY,
      AZURE_FEDERATED_TOKEN_FILE: path.join(bin, 'absent-token'),
    });
    expect(noFile[1]).toBe('FAIL  Azure sign-in, login workloadidentity (dev): AZURE_FEDERATED_TOKEN_FILE names no readable file');
    const tokenFile = path.join(bin, 'token');
    fs.writeFileSync(tokenFile, 'eyJ.canary.token');
    const ready = await check([aksCluster('dev', { login: 'workloadidentity' })], { PATH, AZURE_CLIENT_ID: CANARY, AZURE_TENANT_ID: 't', AZURE_FEDERATED_TOKEN_FILE: tokenFile });
    expect(ready[1]).toBe('ok    Azure sign-in, login workloadidentity (dev): AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_TENANT_ID set');
    expect([...missing, ...noFile, ...ready].join('\n')).not.toMatch(/canary/);
  });

  it('spn: the azurerm variables kubelogin reads, a secret or a certificate, never their values', async () => {
    const PATH = install('kubelogin');
    const spn = [aksCluster('dev', { login: 'spn' })];
    expect((await check(spn, { PATH, ARM_CLIENT_ID: 'id' }))[1]).toBe(
      'FAIL  Azure sign-in, login spn (dev): ARM_TENANT_ID, ARM_CLIENT_SECRET or ARM_CLIENT_CERTIFICATE_PATH not set: kubelogin --use-azurerm-env-vars and the azurerm provider read the service principal from them',
    );
    const ready = await check(spn, { PATH, ARM_CLIENT_ID: 'id', ARM_TENANT_ID: 't', ARM_CLIENT_SECRET: 'canary-secret' });
    expect(ready[1]).toBe('ok    Azure sign-in, login spn (dev): ARM_CLIENT_ID, ARM_TENANT_ID and ARM_CLIENT_SECRET set');
    expect(ready.join('\n')).not.toContain('canary');
  });

  it('refuses environment variables that would replace the configured login or tenant (kubelogin reads them after its flags), never printing them', async () => {
    const PATH = install('kubelogin');
    const TENANT = '55555555-6666-7777-8888-999999999999';
    const spn = [aksCluster('dev', { login: 'spn', tenantId: TENANT })];
    const base = { PATH, ARM_CLIENT_ID: 'id', ARM_CLIENT_SECRET: 'canary-secret' };
    // The configured tenant is enough: ARM_TENANT_ID is optional then.
    expect((await check(spn, base))[1]).toBe('ok    Azure sign-in, login spn (dev): ARM_CLIENT_ID, the configured tenant and ARM_CLIENT_SECRET set');
    const overridden = await check(spn, { ...base, ARM_TENANT_ID: 'canary-tenant', AAD_LOGIN_METHOD: 'canary-login' });
    expect(overridden[1]).toBe(
      'FAIL  Azure sign-in, login spn (dev): AAD_LOGIN_METHOD replaces --login spn; ARM_TENANT_ID replaces the configured aks.tenantId: kubelogin reads its environment after its flags; unset it, or make it agree with the config',
    );
    expect((await check(spn, { ...base, ARM_TENANT_ID: TENANT.toUpperCase(), AAD_LOGIN_METHOD: 'spn' }))[1]).toMatch(/^ok /);
    expect(overridden.join('\n')).not.toContain('canary');
  });

  it('msi: says the machine identity cannot be checked from here', async () => {
    expect((await check([aksCluster('dev', { login: 'msi' })], { PATH: install('kubelogin') }))[1]).toMatch(/^skip  Azure sign-in, login msi \(dev\): the deploy signs in as the managed identity of the machine/);
  });

  it('reports nothing for kubeconfig clusters', async () => {
    expect(await check([exampleCluster()], { PATH: install() })).toEqual([]);
  });

  it('in npm run doctor: an aks: cluster gets these checks and no kubeconfig check, a kubeconfig cluster keeps its own', async () => {
    const dir = tempDir('doctor-aks-');
    const file = path.join(dir, 'flux-gitops.yaml');
    fs.writeFileSync(
      file,
      [
        'defaults:',
        '  repositories:',
        '    - { name: platform, url: "ssh://git@ssh.dev.azure.com/v3/contoso/fabrikam/cluster-platform", path: "./clusters/{cluster}" }',
        'clusters:',
        '  - name: dev',
        `    aks: { subscriptionId: ${SUBSCRIPTION}, resourceGroup: rg-aks, name: aks-dev }`,
        '  - name: legacy',
        `    kubeconfig: { path: ${path.join(dir, 'missing-kubeconfig')}, context: legacy }`,
        '',
      ].join('\n'),
    );
    fake.clusters.set('rg-aks/aks-dev', { oidc: false, workloadIdentity: false });
    const lines: string[] = [];
    const code = await runDoctor({
      configFile: file,
      env: { PATH: install('kubelogin', 'az'), HOME: dir, AZURE_MANAGEMENT_TOKEN: ARM_TOKEN, AZURE_MANAGEMENT_URL: arm },
      out: (l) => lines.push(l),
      kubeTimeoutMs: 500,
    });
    expect(lines.filter((l) => /kube context|Kubernetes API/.test(l))).toEqual([expect.stringMatching(/^FAIL  kube context of legacy: cannot read kubeconfig .*missing-kubeconfig: ENOENT$/)]);
    expect(lines).toContain('ok    AKS cluster of dev: rg-aks/aks-dev readable, Kubernetes 1.31.2, Entra ID integration on (API server aks-dev-dns-00000000.hcp.westeurope.azmk8s.io)');
    expect(lines.some((l) => l.startsWith('ok    kubelogin (dev)'))).toBe(true);
    expect(code).toBe(1);
  });
});
