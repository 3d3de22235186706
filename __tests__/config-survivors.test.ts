/**
 * Config refusals and substitutions that mutation testing showed unguarded (issue 23): each case states the
 * exact problem list, so an extra or a lost problem fails, and each refusal has an accepted neighbour.
 */
import { validateConfig } from '../config/load';
import { problems } from './support/config-problems';
import { exampleCluster, fluxObjects, objectOf, synthCluster } from './support/synth';

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
