import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import * as ssh from '../assets/ssh-keys';
import { ORGANIZATION_NAME } from '../azure-devops/names';
import { FakeAzureDevOps } from './support/fake-azure-devops';

const SCRIPT = path.join(__dirname, '..', 'assets', 'ssh-keys.js');
const PAT = 'canary-pat-0b9f';
const KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7Hr1oTWqNqOlzGJOfGJ4NakVyIzf1rXYd4d7wo6jBlkLvCA4odBlL0mDUyZ0/QUfTTqeu';
const OTHER_KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDZA//Y+7vLd+P2F4WmIHpBPEMn/lPHPXrxHEJhhtnrNNZzgwIkWpgGQcuGQt2rmxEW';
const NOW = new Date('2026-11-26T00:00:00Z');
const VALID_TO = '2027-11-25T00:00:00Z';

let fake: FakeAzureDevOps;
let base: string;
const lines: string[] = [];

beforeEach(async () => {
  fake = new FakeAzureDevOps('contoso', `Basic ${Buffer.from(`:${PAT}`).toString('base64')}`);
  base = await fake.start();
  lines.length = 0;
});
afterEach(() => fake.stop());

function env(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    FLUX_SSH_KEY_ORGANIZATION: 'contoso',
    FLUX_SSH_KEY_PUBLIC: `${KEY}\n`,
    FLUX_SSH_KEY_NAME: 'flux-gitops dev: fabrikam/cluster-platform',
    FLUX_SSH_KEY_VALID_TO: VALID_TO,
    AZDO_PERSONAL_ACCESS_TOKEN: PAT,
    AZDO_DEV_URL: base,
    AZDO_VSSPS_URL: base,
    ...overrides,
  };
}
const options = (overrides: Record<string, string | undefined> = {}) => ({
  ...ssh.optionsFromEnv('register', env(overrides), (l) => lines.push(l)),
  now: NOW,
});
const posts = () => fake.requests.filter((r) => r.method === 'POST');

describe('ssh-keys.js register', () => {
  it('registers the key for the organisation with the shape the SessionTokens API takes', async () => {
    expect(await ssh.register(options())).toEqual({ action: 'created', authorizationId: expect.any(String) });
    expect(posts()).toHaveLength(1);
    const post = posts()[0];
    expect(post.path).toBe('/contoso/_apis/Token/SessionTokens');
    expect(post.query.get('isPublic')).toBe('true');
    expect(post.query.get('api-version')).toBe('5.0-preview.1');
    expect(post.authorization).toBe(`Basic ${Buffer.from(`:${PAT}`).toString('base64')}`);
    expect(post.body).toEqual({
      displayName: 'flux-gitops dev: fabrikam/cluster-platform (until 2027-11-25)',
      publicData: KEY,
      validTo: '2027-11-25T00:00:00.000Z',
      scope: 'app_token',
      targetAccounts: [fake.instanceId],
    });
    expect(fake.keys).toHaveLength(1);
  });

  it('registers nothing twice: a re-run finds the key and writes nothing', async () => {
    await ssh.register(options());
    const before = fake.requests.length;
    expect((await ssh.register(options())).action).toBe('unchanged');
    expect(fake.keys).toHaveLength(1);
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
    expect(lines[1]).toMatch(/is already registered in contoso .*nothing to do/);
  });

  it('moves the key to a new expiry in place, since Azure DevOps holds one public key once', async () => {
    await ssh.register(options());
    const result = await ssh.register(options({ FLUX_SSH_KEY_VALID_TO: '2027-11-20T00:00:00Z' }));
    expect(result.action).toBe('updated');
    expect(fake.keys).toEqual([expect.objectContaining({ displayName: 'flux-gitops dev: fabrikam/cluster-platform (until 2027-11-20)' })]);
    // The replaced registration's revoke (create-before-destroy) must leave the updated key alone.
    expect(await ssh.revoke(options())).toEqual({ revoked: 0 });
    expect(fake.keys).toHaveLength(1);
  });

  it('sends an Entra ID token as Bearer, in preference to a PAT', async () => {
    const entra = new FakeAzureDevOps('contoso', 'Bearer entra-token');
    const url = await entra.start();
    try {
      await ssh.register({ ...options({ AZDO_ENTRA_TOKEN: 'entra-token', AZDO_DEV_URL: url, AZDO_VSSPS_URL: url }) });
      expect(entra.keys).toHaveLength(1);
      expect(new Set(entra.requests.map((r) => r.authorization))).toEqual(new Set(['Bearer entra-token']));
    } finally {
      await entra.stop();
    }
  });

  it('answers a 401 with the token kinds that work and the manual fallback, and registers nothing', async () => {
    fake.faults.status = 401;
    await expect(ssh.register(options())).rejects.toThrow(
      /refused the PAT \(AZDO_PERSONAL_ACCESS_TOKEN\) \(HTTP 401\).*AZDO_ENTRA_TOKEN=\$\(az account get-access-token --resource 499b84ac-1321-427f-aa17-267ca6975798.*registerSshKey: false.*\/contoso\/_usersSettings\/keys/,
    );
    expect(posts()).toHaveLength(0);
    expect(fake.keys).toHaveLength(0);
  });

  it('takes the 203 sign-in page Azure DevOps sends for an unaccepted token as a refusal', async () => {
    fake.faults.signInPage = true;
    await expect(ssh.register(options())).rejects.toThrow(/refused the PAT .*HTTP 203/);
  });

  it('answers a 5xx on create with a clear error and leaves no key behind', async () => {
    fake.faults = { postStatus: 503 };
    await expect(ssh.register(options())).rejects.toThrow(/POST .*\/contoso\/_apis\/Token\/SessionTokens: Azure DevOps answered HTTP 503: internal error$/);
    expect(fake.keys).toHaveLength(0);
  });

  it('removes a key the failed create did store, so nothing is half-registered', async () => {
    fake.faults = { postStatus: 500, afterWrite: true };
    await expect(ssh.register(options())).rejects.toThrow(/HTTP 500: internal error; the partly created key was removed/);
    expect(fake.keys).toHaveLength(0);
  });

  it.each([
    ['a key Azure DevOps does not accept', { FLUX_SSH_KEY_PUBLIC: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl' }, /the public key is ssh-ed25519; Azure DevOps accepts only ssh-rsa keys/],
    ['an expiry more than a year ahead', { FLUX_SSH_KEY_VALID_TO: '2028-01-01T00:00:00Z' }, /more than a year ahead/],
    ['an expiry in the past', { FLUX_SSH_KEY_VALID_TO: '2026-01-01T00:00:00Z' }, /is in the past/],
    ['an organisation URL instead of a name', { FLUX_SSH_KEY_ORGANIZATION: 'https://dev.azure.com/contoso' }, /is not an Azure DevOps organisation name/],
    ['an organisation name ending in a hyphen', { FLUX_SSH_KEY_ORGANIZATION: 'contoso-' }, /is not an Azure DevOps organisation name/],
  ])('refuses %s before calling Azure DevOps', async (_, overrides, message) => {
    await expect(ssh.register(options(overrides))).rejects.toThrow(message);
    expect(fake.requests).toHaveLength(0);
  });

  it('judges organisation names by the same pattern as the synth-time checks', () => {
    expect(ssh.ORGANIZATION_NAME.source).toBe(ORGANIZATION_NAME);
  });

  it('names every missing input at once', () => {
    expect(() => ssh.optionsFromEnv('register', { FLUX_SSH_KEY_ORGANIZATION: 'contoso' }, () => undefined)).toThrow(
      'missing input: FLUX_SSH_KEY_PUBLIC, FLUX_SSH_KEY_NAME, FLUX_SSH_KEY_VALID_TO, AZDO_ENTRA_TOKEN or AZDO_PERSONAL_ACCESS_TOKEN',
    );
  });
});

describe('ssh-keys.js revoke and list', () => {
  it('revokes the key registered under its name, and is a no-op when it is gone', async () => {
    await ssh.register(options({ FLUX_SSH_KEY_PUBLIC: OTHER_KEY, FLUX_SSH_KEY_NAME: 'someone else' }));
    await ssh.register(options());
    expect(await ssh.revoke(options())).toEqual({ revoked: 1 });
    expect(fake.keys.map((k) => k.displayName)).toEqual(['someone else (until 2027-11-25)']);
    const deletes = fake.requests.filter((r) => r.method === 'DELETE');
    expect(deletes).toHaveLength(1);
    expect(deletes[0].query.get('isPublic')).toBe('true');
    expect(await ssh.revoke(options())).toEqual({ revoked: 0 });
  });

  it('rotates: the new key is registered beside the old, and revoking the old registration keeps the new', async () => {
    await ssh.register(options());
    // Create-before-destroy: the replacement registers first...
    await ssh.register(options({ FLUX_SSH_KEY_PUBLIC: OTHER_KEY, FLUX_SSH_KEY_VALID_TO: '2027-11-20T00:00:00Z' }));
    expect(fake.keys).toHaveLength(2);
    // ...then the old registration's destroy provisioner revokes the old key only.
    expect(await ssh.revoke(options())).toEqual({ revoked: 1 });
    expect(fake.keys.map((k) => k.publicData)).toEqual([OTHER_KEY]);
  });

  it('lists the keys with their public data', async () => {
    await ssh.register(options());
    const listed = await ssh.listKeys(options());
    expect(listed).toEqual([expect.objectContaining({ publicData: KEY, displayName: expect.stringContaining('until 2027-11-25') })]);
    const get = fake.requests.find((r) => r.method === 'GET' && r.path.endsWith('/SessionTokens'))!;
    expect(get.query.get('includePublicData')).toBe('true');
  });
});

describe('ssh-keys.js as Terraform runs it', () => {
  const run = promisify(execFile);
  const runScript = async (args: string[], e: NodeJS.ProcessEnv) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [SCRIPT, ...args], { env: { PATH: process.env.PATH, ...e } });
      return { code: 0, stdout, stderr };
    } catch (err: any) {
      return { code: err.code as number, stdout: err.stdout as string, stderr: err.stderr as string };
    }
  };
  const future = new Date(Date.now() + 300 * 86400000).toISOString();

  it('registers, re-runs, and revokes from the command line', async () => {
    const e = env({ FLUX_SSH_KEY_VALID_TO: future });
    expect(await runScript(['register'], e)).toMatchObject({ code: 0, stdout: expect.stringMatching(/registered in contoso/) });
    expect(await runScript(['register'], e)).toMatchObject({ code: 0, stdout: expect.stringMatching(/already registered/) });
    expect(fake.keys).toHaveLength(1);
    expect(await runScript(['list'], e)).toMatchObject({ code: 0, stdout: expect.stringContaining('flux-gitops dev: fabrikam/cluster-platform') });
    expect(await runScript(['revoke'], e)).toMatchObject({ code: 0, stdout: expect.stringMatching(/revoked in contoso/) });
    expect(fake.keys).toHaveLength(0);
  });

  it('exits 1 with one clear line on a refused token, without echoing the token', async () => {
    fake.faults.status = 403;
    const result = await runScript(['register'], env({ FLUX_SSH_KEY_VALID_TO: future }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^flux-gitops ssh-key register: GET .* refused the PAT .*HTTP 403/);
    expect(result.stderr + result.stdout).not.toContain(PAT);
  });

  it('exits 2 with the usage on an unknown command', async () => {
    expect(await runScript(['add'], env())).toMatchObject({ code: 2, stderr: expect.stringMatching(/^usage: ssh-keys.js register\|revoke\|list/) });
  });
});
