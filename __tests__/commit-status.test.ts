import {
  celString,
  commitStatusExpr,
  commitStatusName,
  commitStatusWriterProblem,
  connectorAppUrl,
  parseCommitStatusName,
  parseConnectorTargetUrl,
} from '../flux/commit-status';

// The status-name contract's functions on their own, exactly (commit-status-contract.test.ts evaluates
// them with CEL as notification-controller does, over whole clusters).

describe('commitStatusName and parseCommitStatusName', () => {
  it('writes fleet/<ring>/<cluster>/<kind in lower case>/<namespace>/<name>, and reads it back', () => {
    const name = commitStatusName({ ring: 123, cluster: 'prod-weu', kind: 'HelmRelease', namespace: 'flux-system', name: 'apps' });
    expect(name).toBe('fleet/123/prod-weu/helmrelease/flux-system/apps');
    expect(parseCommitStatusName(name)).toEqual({ ring: 123, cluster: 'prod-weu', kind: 'helmrelease', namespace: 'flux-system', name: 'apps' });
  });

  it.each([
    ['five parts', 'fleet/1/dev/kustomization/flux-system'],
    ['seven parts', 'fleet/1/dev/kustomization/flux-system/apps/x'],
    ['another prefix', 'fleets/1/dev/kustomization/flux-system/apps'],
    ['ring 0', 'fleet/0/dev/kustomization/flux-system/apps'],
    ['a ring with a leading zero', 'fleet/01/dev/kustomization/flux-system/apps'],
    ['a ring that is no number', 'fleet/x1/dev/kustomization/flux-system/apps'],
    ['a ring followed by more', 'fleet/1x/dev/kustomization/flux-system/apps'],
    ['an empty cluster', 'fleet/1//kustomization/flux-system/apps'],
    ['an empty name', 'fleet/1/dev/kustomization/flux-system/'],
    ["Flux's own default name", 'kustomization/apps/0c9c2e41'],
  ])('reads %s as no name of the contract', (_, text) => {
    expect(parseCommitStatusName(text)).toBeNull();
  });
});

describe('celString', () => {
  it.each([
    ['plain', '"plain"'],
    ['a "quoted" \\ path', '"a \\"quoted\\" \\\\ path"'],
    ['line\nbreak\ttab\u0000\u001f\u007f', '"line\\u000abreak\\u0009tab\\u0000\\u001f\\u007f"'],
    [' ~\u0080é', '" ~\u0080é"'],
  ])('%j', (text, literal) => {
    expect(celString(text)).toBe(literal);
  });
});

describe('commitStatusWriterProblem', () => {
  it.each<[unknown, unknown, string | undefined]>([
    [1, 'dev', undefined],
    [Number.MAX_SAFE_INTEGER, 'a'.repeat(63), undefined],
    [0, 'dev', 'ring 0 is not a positive integer'],
    [-1, 'dev', 'ring -1 is not a positive integer'],
    [2 ** 53, 'dev', 'ring 9007199254740992 is not a positive integer'],
    [NaN, 'dev', 'ring null is not a positive integer'],
    ['1', 'dev', 'ring "1" is not a positive integer'],
    [1, 'Dev', 'cluster "Dev" is not an RFC 1123 label (lower-case letters, digits, "-", at most 63)'],
    [1, 'a'.repeat(64), `cluster "${'a'.repeat(64)}" is not an RFC 1123 label (lower-case letters, digits, "-", at most 63)`],
    [1, 5, 'cluster 5 is not an RFC 1123 label (lower-case letters, digits, "-", at most 63)'],
  ])('ring %j, cluster %j', (ring, cluster, problem) => {
    expect(commitStatusWriterProblem({ ring, cluster } as never)).toBe(problem);
  });
});

describe('commitStatusExpr and the connector link', () => {
  it('writes the CEL expression of the name, the writer part as one string literal', () => {
    expect(commitStatusExpr({ ring: 3, cluster: 'dev' })).toBe(
      '"fleet/3/dev/" + event.involvedObject.kind.lowerAscii() + "/" + event.involvedObject.namespace + "/" + event.involvedObject.name',
    );
  });

  it('refuses a writer whose name could not be read back', () => {
    expect(() => commitStatusExpr({ ring: 0, cluster: 'dev' })).toThrow(new Error('commit-status writer: ring 0 is not a positive integer'));
    expect(() => connectorAppUrl('https://x', { ring: 1, cluster: 'a/b' })).toThrow(
      new Error('commit-status writer: cluster "a/b" is not an RFC 1123 label (lower-case letters, digits, "-", at most 63)'),
    );
  });

  it('links the connector to the cluster, and reads the link back, also with the ?noop= the connector appends', () => {
    const url = connectorAppUrl('https://dev.azure.com/o/p/_git/r', { ring: 3, cluster: 'dev' });
    expect(url).toBe('https://dev.azure.com/o/p/_git/r#fleet/3/dev');
    expect(parseConnectorTargetUrl(url)).toEqual({ ring: 3, cluster: 'dev' });
    expect(parseConnectorTargetUrl(`${url}?noop=1`)).toEqual({ ring: 3, cluster: 'dev' });
    expect(parseConnectorTargetUrl('https://x#fleet/12/a')).toEqual({ ring: 12, cluster: 'a' });
  });

  it.each([
    ['no fragment', 'https://x/fleet/3/dev'],
    ['ring 0', 'https://x#fleet/0/dev'],
    ['a cluster in capitals', 'https://x#fleet/3/Dev'],
    ['a cluster ending in a dash', 'https://x#fleet/3/dev-'],
    ['a cluster starting with a dash', 'https://x#fleet/3/-dev'],
    ['more after the cluster', 'https://x#fleet/3/dev/x'],
    ['another query than ?noop=', 'https://x#fleet/3/dev?x=1'],
    ['another prefix', 'https://x#fleets/3/dev'],
  ])('reads a link with %s as no writer', (_, url) => {
    expect(parseConnectorTargetUrl(url)).toBeNull();
  });
});
