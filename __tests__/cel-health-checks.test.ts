import { validateConfig } from '../config/load';
import { FluxKustomization } from '../constructs/flux-kustomization';
import { FluxObjectsRelease } from '../constructs/flux-objects-release';
import { celParseProblem } from '../flux/cel';
import { problems } from './support/config-problems';
import { bareStack, exampleCluster } from './support/synth';

const READY = "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')";
const UNCLOSED = "status.conditions.exists(e, e.type == 'Ready' &&";
/** The message @bufbuild/cel 0.6.1 gives for UNCLOSED, position included. */
const UNCLOSED_MESSAGE = '1:18: found . but expecting end of input';

describe('CEL health checks, parsed at synth as kustomize-controller parses them', () => {
  it.each([
    READY,
    'status.phase == "Ready"',
    // cel-go's optional syntax, which Flux's environment turns on (cel.OptionalTypes) and @bufbuild/cel 0.6 lacks.
    "status.?phase.orValue('') == 'Ready'",
    "[?status.?ready].size() > 0",
    "'a.?b' == status.?x.orValue('a.?b')",
  ])('accepts %s', (expr) => {
    expect(celParseProblem(expr)).toBeUndefined();
  });

  it.each([
    [UNCLOSED, UNCLOSED_MESSAGE],
    ['status.ready ==', '1:14: found = but expecting end of input'],
    ["status.phase == 'Ready", '1:14: found = but expecting end of input'],
    ['status.?', '1:7: found . but expecting end of input'],
  ])('refuses %s with the parser message', (expr, message) => {
    expect(celParseProblem(expr)).toEqual(message);
  });

  const configWith = (kustomization: Record<string, unknown>) => ({
    clusters: [exampleCluster({ repositories: [{ name: 'platform', url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/platform', kustomizations: [{ name: 'platform', ...kustomization }] }] })],
  });

  it('the config loader refuses CEL that does not parse, naming the field and giving the parser message', () => {
    const config = configWith({ healthCheckExprs: [{ apiVersion: 'example.com/v1', kind: 'Widget', current: READY, failed: UNCLOSED }] });
    expect(problems(() => validateConfig(config, 'fleet.yaml'))).toEqual([
      `clusters[0].repositories[0].kustomizations[0].healthCheckExprs[0].failed: is not CEL that parses: ${UNCLOSED_MESSAGE} (got ${JSON.stringify(UNCLOSED)})`,
    ]);
  });

  it('the config loader refuses it in the short form and in defaults too', () => {
    const config = {
      defaults: { repositories: [{ name: 'platform', url: 'git@ssh.dev.azure.com:v3/contoso/fabrikam/platform', healthCheckExprs: [{ apiVersion: 'a/v1', kind: 'W', current: 'x +' }] }] },
      clusters: [{ name: 'dev', kubeconfig: { path: '~/.kube/config' } }],
    };
    expect(problems(() => validateConfig(config, 'fleet.yaml'))).toEqual([
      // Reported where it is written, once (config/load.ts checks defaults on their own).
      'defaults.repositories[0].healthCheckExprs[0].current: is not CEL that parses: 1:3: found + but expecting end of input (got "x +")',
    ]);
  });

  it('the config loader accepts CEL that parses', () => {
    const config = configWith({ healthCheckExprs: [{ apiVersion: 'example.com/v1', kind: 'Widget', current: READY, inProgress: "status.?phase.orValue('') == 'Pending'" }] });
    expect(validateConfig(config, 'fleet.yaml').clusters[0].repositories[0].kustomizations![0].healthCheckExprs![0].current).toBe(READY);
  });

  it('FluxKustomization refuses it too, for library users', () => {
    const stack = bareStack();
    const delivery = new FluxObjectsRelease(stack, 'o', { namespace: 'flux-system' });
    expect(() => new FluxKustomization(stack, 'k', { delivery, source: { kind: 'GitRepository', name: 'x' }, healthCheckExprs: [{ apiVersion: 'a/v1', kind: 'W', current: READY, inProgress: UNCLOSED }] })).toThrow(
      `FluxKustomization test/k: healthCheckExprs[0].inProgress ${JSON.stringify(UNCLOSED)} is not valid; write CEL that parses (kustomize-controller parses it the same way): ${UNCLOSED_MESSAGE}`,
    );
  });

  it('loads the CEL parser only when a config has CEL, and only the parser', () => {
    const loaded: string[] = [];
    const parseModule = require.resolve('@bufbuild/cel').replace(/index\.js$/, 'parse.js');
    jest.isolateModules(() => {
      for (const name of [parseModule, '@bufbuild/cel']) {
        jest.doMock(name, () => {
          loaded.push(name === parseModule ? 'parse.js' : 'index');
          return jest.requireActual(name);
        });
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const load = require('../config/load') as typeof import('../config/load');
      load.validateConfig({ clusters: [exampleCluster()] }, 'fleet.yaml');
      expect(loaded).toEqual([]);
      load.validateConfig(configWith({ healthCheckExprs: [{ apiVersion: 'a/v1', kind: 'W', current: READY }] }), 'fleet.yaml');
      expect(loaded).toEqual(['parse.js']);
    });
  });
});
