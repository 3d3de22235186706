import * as fs from 'fs';
import * as path from 'path';
import { loadConfig } from '../config/load';
import { ClusterConfig } from '../config/schema';
import { runDoctor } from '../cli/doctor';
import { checkWorkloadIdentity } from '../cli/doctor-workload-identity';
import { FakeAzure } from './support/fake-azure';
import { bearerAuth, FakeAzureDevOps } from './support/fake-azure-devops';
import { tempDir } from './support/synth';

const ARM_TOKEN = 'canary-arm-token-7f3a';
const AZDO_PAT = 'canary-azdo-pat-2b9e';
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const PRINCIPAL = '99999999-8888-7777-6666-555555555555';

let fake: FakeAzure;
let base: string;
beforeEach(async () => {
  fake = new FakeAzure({ armToken: ARM_TOKEN, azureDevOpsPat: AZDO_PAT });
  base = await fake.start();
});
afterEach(() => fake.stop());

const example = (): ClusterConfig => structuredClone(loadConfig(path.join(__dirname, '..', 'examples', 'zero-secret.yaml')).config.clusters[0]);

async function check(cluster: ClusterConfig, env: Record<string, string | undefined> = {}) {
  const lines: string[] = [];
  await checkWorkloadIdentity(
    [cluster],
    { env: { AZURE_MANAGEMENT_TOKEN: ARM_TOKEN, AZURE_MANAGEMENT_URL: base, AZDO_VSSPS_URL: base, AZDO_PERSONAL_ACCESS_TOKEN: AZDO_PAT, ...env }, azureDevOpsAuthorization: `Basic ${Buffer.from(`:${AZDO_PAT}`).toString('base64')}` },
    (status, what, detail) => lines.push(`${status.padEnd(4)}  ${what}: ${detail}`),
  );
  return lines;
}

describe('doctor: the zero-secret checks', () => {
  it('passes a ready cluster whose identity is already a member', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: true, workloadIdentity: true });
    fake.identities.set('rg-aks/flux-prod', { clientId: '11111111-2222-3333-4444-555555555555', principalId: PRINCIPAL });
    fake.members = [
      { originId: '00000000-1111-1111-1111-000000000000', descriptor: 'aadsp.other' },
      { originId: PRINCIPAL.toUpperCase(), descriptor: 'aadsp.flux' },
    ];
    expect(await check(example())).toEqual([
      'ok    OIDC issuer of prod: https://westeurope.oic.prod-aks.azure.com/tenant/cluster/',
      'ok    workload identity of prod: the AKS webhook is on',
      'ok    identity of prod: rg-aks/flux-prod reachable (client id 11111111-2222-3333-4444-555555555555)',
      'ok    Azure DevOps entitlement of flux-prod in contoso: a member (aadsp.flux)',
    ]);
    // The second page was asked for with the continuation token of the first.
    expect(fake.requests.filter((r) => r.includes('serviceprincipals'))).toHaveLength(2);
  });

  it('fails a cluster without OIDC issuer or webhook, with the command that turns them on', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: false, workloadIdentity: false });
    const lines = await check(example());
    expect(lines[0]).toBe('FAIL  OIDC issuer of prod: not enabled; run az aks update -g rg-aks -n aks-prod --enable-oidc-issuer --enable-workload-identity');
    expect(lines[1]).toMatch(/^FAIL  workload identity of prod: the AKS workload identity webhook is off/);
  });

  it('before the first deploy: the identity to create is absent, and the token may add members', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: true, workloadIdentity: true });
    const lines = await check(example());
    expect(lines.slice(2)).toEqual([
      'ok    identity of prod: rg-aks/flux-prod absent; the deploy creates it',
      'ok    Azure DevOps entitlement of flux-prod in contoso: the deploying token may add members; the deploy adds the identity once it exists',
    ]);
  });

  it('fails a given identity that is not there, and a token that may not list members', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: true, workloadIdentity: true });
    fake.azdoRefuses = true;
    const cluster = example();
    const identityId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/flux-shared`;
    const lines = await check({ ...cluster, workloadIdentity: { managed: { identityId } } });
    expect(lines[2]).toBe("FAIL  identity of prod: the given identity rg-identities/flux-shared: HTTP 404: The Resource 'flux-shared' was not found.");
    expect(lines[3]).toMatch(/^FAIL  Azure DevOps entitlement of flux-shared in contoso: the deploying token may not list the organisation's members \(HTTP 401/);
  });

  it('says a created identity that is not a member is to be added, not that all is well', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: true, workloadIdentity: true });
    fake.identities.set('rg-aks/flux-prod', { clientId: '11111111-2222-3333-4444-555555555555', principalId: PRINCIPAL });
    expect((await check(example()))[3]).toMatch(/^skip  Azure DevOps entitlement of flux-prod in contoso: not a member yet: the deploy adds it/);
  });

  it('skips the Azure checks without a token, saying what to export, and never echoes a token', async () => {
    expect(await check(example(), { AZURE_MANAGEMENT_TOKEN: undefined })).toEqual([
      expect.stringMatching(/^skip  OIDC issuer of prod: no Azure token to read the cluster with: export AZURE_MANAGEMENT_TOKEN=\$\(az account get-access-token --resource https:\/\/management.azure.com\//),
    ]);
    const bad = 'canary\nbad token';
    const lines = await check(example(), { AZURE_MANAGEMENT_TOKEN: bad });
    expect(lines).toEqual([expect.stringMatching(/^FAIL  Azure token: AZURE_MANAGEMENT_TOKEN is not a token/)]);
    expect(lines.join('\n')).not.toContain('canary');
  });

  it('checks nothing for a cluster not in the zero-secret mode', async () => {
    const cluster = example();
    expect(await check({ ...cluster, workloadIdentity: undefined })).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it('runs as part of npm run doctor, where the repositories count as read by the identity, not by an SSH key', async () => {
    fake.clusters.set('rg-aks/aks-prod', { oidc: true, workloadIdentity: true });
    const SP_TOKEN = 'canary-doctor-wi-sp-4e1d';
    const azureDevOps = new FakeAzureDevOps(['contoso'], { [bearerAuth(SP_TOKEN)]: { kind: 'servicePrincipal', name: 'pipeline-sp' } });
    azureDevOps.addRepository('contoso', 'fabrikam', 'cluster-platform');
    const devops = await azureDevOps.start();
    const file = path.join(tempDir('doctor-wi-'), 'zero-secret.yaml');
    fs.copyFileSync(path.join(__dirname, '..', 'examples', 'zero-secret.yaml'), file);
    const lines: string[] = [];
    try {
      await runDoctor({
        configFile: file,
        env: { AZURE_MANAGEMENT_TOKEN: ARM_TOKEN, AZURE_MANAGEMENT_URL: base, AZDO_DEV_URL: devops, AZDO_VSSPS_URL: devops, AZDO_ENTRA_TOKEN: SP_TOKEN, HOME: tempDir('home-') },
        out: (l) => lines.push(l),
        kubeTimeoutMs: 500,
      });
    } finally {
      await azureDevOps.stop();
    }
    expect(lines).toContain('ok    OIDC issuer of prod: https://westeurope.oic.prod-aks.azure.com/tenant/cluster/');
    expect(lines).toContain('ok    identity of prod: rg-aks/flux-prod absent; the deploy creates it');
    // A pipeline's service principal may deploy this mode: no SSH key is registered, so its token is no failure.
    expect(lines.find((l) => l.includes("token in contoso is a user's"))).toMatch(/^skip /);
    expect(lines.join('\n')).not.toContain(SP_TOKEN);
  });
});
