/**
 * Config refusals and substitutions that mutation testing showed unguarded (issue 23): each case states the
 * exact problem list, so an extra or a lost problem fails, and each refusal has an accepted neighbour.
 */
import { validateConfig } from '../config/load';
import { problems } from './support/config-problems';
import { TerraformVariable } from 'cdktf';
import { FEDERATED_CREDENTIAL_NAME, federatedCredentialName } from '../constructs/flux-workload-identity';
import { GitOpsConnector } from '../constructs/gitops-connector';
import { bareStack, exampleCluster, fluxObjects, objectOf, synthCluster } from './support/synth';

const url = 'git@ssh.dev.azure.com:v3/o/p/r';
const one = (repository: object, extra: object = {}) => ({ clusters: [{ name: 'dev', repositories: [{ name: 'infra', url, ...repository }], ...extra }] });
const repositoryOf = (config: object) => validateConfig(config, 'test').clusters[0].repositories[0];

describe('config: paths, refs and placeholders', () => {
  it.each([
    ['a repository path', one({ path: './clusters/../x' }), 'clusters[0].repositories[0].path: must stay inside the repository (no ".." segment) (got "./clusters/../x")'],
    [
      'a Kustomization path',
      one({ kustomizations: [{ name: 'a', path: './a/../../b' }] }),
      'clusters[0].repositories[0].kustomizations[0].path: must stay inside the repository (no ".." segment) (got "./a/../../b")',
    ],
  ])('refuses ".." in %s', (_, config, problem) => {
    expect(problems(() => validateConfig(config, 'test'))).toEqual([problem]);
  });

  it('accepts a path whose segment merely starts with dots', () => {
    expect(repositoryOf(one({ path: './clusters/..dev' })).path).toBe('./clusters/..dev');
  });

  it('replaces {cluster} at every occurrence in one string of the defaults', () => {
    const config = validateConfig({ defaults: { repositories: [{ name: 'infra', url, path: './{cluster}/apps/{cluster}' }] }, clusters: [{ name: 'dev' }, { name: 'prod' }] }, 'test');
    expect(config.clusters.map((c) => c.repositories.map((r) => r.path))).toEqual([['./dev/apps/dev'], ['./prod/apps/prod']]);
  });

  it('refuses a short commit SHA and accepts a full one', () => {
    expect(problems(() => validateConfig(one({ ref: { commit: 'abc1234' } }), 'test'))).toEqual([
      'clusters[0].repositories[0].ref.commit: must match ^[0-9a-f]{40}([0-9a-f]{24})?$ (a full lower-case hex commit SHA) (got "abc1234")',
    ]);
    const sha = '0123456789abcdef0123456789abcdef01234567';
    expect(repositoryOf(one({ ref: { commit: sha } })).ref).toEqual({ commit: sha });
  });

  it('refuses ref.name without refs/ and accepts a full reference', () => {
    expect(problems(() => validateConfig(one({ ref: { name: 'heads/main' } }), 'test'))).toEqual([
      'clusters[0].repositories[0].ref.name: must match ^refs/ (a full reference starting with refs/) (got "heads/main")',
    ]);
    expect(repositoryOf(one({ ref: { name: 'refs/heads/main' } })).ref).toEqual({ name: 'refs/heads/main' });
  });

  it('refuses a notification provider whose secretName is the Secret holding the SSH key of Flux', () => {
    const config = one({}, { notifications: { providers: [{ name: 'slack', type: 'slack', channel: 'ops', secretName: 'flux-git-auth' }] } });
    expect(problems(() => validateConfig(config, 'test'))).toEqual([
      'clusters[0].notifications.providers[0].secretName: names the Secret the stack makes for the SSH key of Flux; the provider would send those credentials to its own address (got "flux-git-auth")',
    ]);
  });
});

describe('config: the GitRepository synthesized', () => {
  it('keeps interval and sourceTimeout as two fields, neither overwriting the other', () => {
    const base = exampleCluster();
    const repository = { ...base.repositories[0], interval: '7m', sourceTimeout: '90s' };
    const objects = fluxObjects(synthCluster(exampleCluster({ repositories: [repository] })));
    const spec = objectOf(objects, 'GitRepository', 'platform').spec;
    expect(spec).toEqual({
      url: 'ssh://git@ssh.dev.azure.com/v3/contoso/fabrikam/cluster-platform',
      interval: '7m',
      ref: { branch: 'main' },
      timeout: '90s',
      secretRef: { name: 'flux-git-auth' },
    });
  });
});

describe('limits at their edges', () => {
  it('accepts a label of exactly 63 characters and refuses 64', () => {
    const name = (n: number) => one({ kustomizations: [{ name: 'k'.repeat(n), path: './a' }] });
    expect(repositoryOf(name(63)).kustomizations?.map((k) => k.name)).toEqual(['k'.repeat(63)]);
    expect(problems(() => validateConfig(name(64), 'test'))).toEqual([
      `clusters[0].repositories[0].kustomizations[0].name: must be at most 63 characters long (is 64) (got "${'k'.repeat(64)}")`,
    ]);
  });

  it('accepts rings 1 to 9 and refuses 0 and 10', () => {
    expect([1, 9].map((ring) => validateConfig(one({}, { ring }), 'test').clusters[0].ring)).toEqual([1, 9]);
    expect(problems(() => validateConfig(one({}, { ring: 10 }), 'test'))).toEqual(['clusters[0].ring: must be <= 9 (got 10)']);
    expect(problems(() => validateConfig(one({}, { ring: 0 }), 'test'))).toEqual(['clusters[0].ring: must be >= 1 (got 0)']);
  });

  it('keeps a federated-credential name of exactly 120 characters and hashes one of 121 down to 120', () => {
    // prefix-namespace-serviceAccount: 1 + 1 + 1 + 1 + n characters.
    const at120 = federatedCredentialName('n', 's'.repeat(116), 'p');
    expect(at120).toBe(`p-n-${'s'.repeat(116)}`);
    expect(at120).toHaveLength(120);
    const at121 = federatedCredentialName('n', 's'.repeat(117), 'p');
    expect(at121).toMatch(new RegExp(`^p-n-${'s'.repeat(107)}-[0-9a-f]{8}$`));
    expect(at121).toHaveLength(120);
    // A neighbour of the same start hashes to another name.
    expect(federatedCredentialName('n', `${'s'.repeat(116)}t`, 'p')).not.toBe(at121);
    expect([at120, at121].map((n) => FEDERATED_CREDENTIAL_NAME.test(n))).toEqual([true, true]);
    expect(FEDERATED_CREDENTIAL_NAME.test(`p-n-${'s'.repeat(117)}`)).toBe(false);
  });

  describe('the GitOps Connector chart version', () => {
    const repository = { organization: 'contoso', project: 'fabrikam', repository: 'cluster-platform' };
    const connector = (chartVersion: string) => {
      const stack = bareStack();
      const pat = new TerraformVariable(stack, 'pat', { type: 'string', sensitive: true }).stringValue;
      return () => new GitOpsConnector(stack, 'c', { repository, pat, chartVersion });
    };

    it.each(['1.2.0', '1.2.1', '1.2.15'])('takes the 1.2.x chart %s', (version) => {
      expect(connector(version)).not.toThrow();
    });

    // 1.x is not enough: only the 1.2 charts take the flat values this construct writes.
    it.each(['1.3.0', '1.20.0', '1.1.9', '11.2.0', '1.2.0-rc.1', '1.2'])('refuses %s', (version) => {
      expect(connector(version)).toThrow(`chartVersion ${JSON.stringify(version)} is not valid; use a 1.2.x chart: later charts (main branch) take another shape of values`);
    });
  });
});
