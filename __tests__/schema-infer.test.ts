/**
 * One declaration per config field (issue 22): the config types are inferred from the schema nodes.
 * Most of what this file proves is proved by `tsc -b tsconfig.json` (the first half of `npm test`;
 * jest's swc transform does not type-check): `expectType` pins a type exactly (readonly, optional and
 * each member of a union count), and each `@ts-expect-error` fails the build if its error goes away.
 * The jest half checks that what the types accept is what the validator accepts.
 */
import { validate } from '../flux/schema';
import { declares, Infer, node } from '../flux/schema-infer';
import {
  configSchema,
  type ClusterConfig,
  type FluxGitOpsConfig,
  type GitIdentityConfig,
  type KnownHostsConfig,
  type ReceiverConfig,
  type RepositoryConfig,
} from '../config/schema';
import type { Toleration } from '../constructs/flux-install';
import type { GitRepositoryRef } from '../flux/api';

/** True when A and B are the same type (TypeScript's identity relation, not mutual assignability). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

describe('a config type inferred from its node', () => {
  it('pins the shape of fields: enums as unions, defaults optional, required required, lists readonly', () => {
    expectType<
      Equal<
        { [K in keyof GitIdentityConfig]: GitIdentityConfig[K] },
        {
          readonly algorithm?: 'RSA' | 'ECDSA' | 'ED25519';
          readonly rsaBits?: 2048 | 3072 | 4096;
          readonly ecdsaCurve?: 'P256' | 'P384' | 'P521';
          readonly rotation?: number;
        }
      >
    >();
    expectType<Equal<{ [K in keyof KnownHostsConfig]: KnownHostsConfig[K] }, { readonly includeAzureDevOps?: boolean; readonly entries?: readonly string[] }>>();
    // additionalProperties -> an index signature; a required field stays required.
    expectType<
      Equal<
        { [K in keyof ReceiverConfig]: ReceiverConfig[K] },
        {
          readonly publicUrl: string;
          readonly ingress?: { readonly className?: string; readonly tlsSecretName?: string; readonly annotations?: { readonly [key: string]: string } };
        }
      >
    >();
    expectType<Equal<ClusterConfig['name'], string>>();
    expectType<Equal<ClusterConfig['ring'], number | undefined>>();
    // A node that declares a construct's type is that type, by name.
    expectType<Equal<RepositoryConfig['ref'], GitRepositoryRef | undefined>>();
    expectType<Equal<NonNullable<NonNullable<ClusterConfig['connector']>['tolerations']>, readonly Toleration[]>>();
    // defaults: any cluster setting but the name, none required.
    expectType<Equal<keyof NonNullable<FluxGitOpsConfig['defaults']>, Exclude<keyof ClusterConfig, 'name'>>>();
    expectType<Equal<NonNullable<FluxGitOpsConfig['defaults']>['repositories'], ClusterConfig['repositories'] | undefined>>();
  });

  it('types a repository as exactly one of url and azureDevOps (the oneOf), as the validator checks it', () => {
    const byUrl: RepositoryConfig = { name: 'apps', url: 'https://dev.azure.com/o/p/_git/apps' };
    const byName: RepositoryConfig = { name: 'apps', azureDevOps: { organization: 'o', project: 'p', repository: 'apps' } };
    // @ts-expect-error neither url nor azureDevOps
    const neither: RepositoryConfig = { name: 'apps' };
    const cluster = (repository: unknown) => ({ clusters: [{ name: 'c', repositories: [repository] }] });
    expect(validate(configSchema, cluster(byUrl))).toEqual([]);
    expect(validate(configSchema, cluster(byName))).toEqual([]);
    expect(validate(configSchema, cluster(neither)).map((v) => `${v.path}: ${v.message}`)).toEqual([
      'clusters[0].repositories[0]: must set exactly one of: url, azureDevOps (0 set)',
    ]);
  });

  it('follows a node: a field added to it appears in the type, with its enum, its list and its map', () => {
    const before = node({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } });
    const after = node({
      ...before,
      properties: {
        ...before.properties,
        mode: { type: 'string', enum: ['a', 'b'] },
        sizes: { type: 'array', items: { type: 'integer' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        values: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    });
    expectType<Equal<Infer<typeof before>, { readonly name: string }>>();
    expectType<
      Equal<
        Infer<typeof after>,
        {
          readonly name: string;
          readonly mode?: 'a' | 'b';
          readonly sizes?: readonly number[];
          readonly labels?: { readonly [key: string]: string };
          readonly values?: { readonly [key: string]: unknown };
        }
      >
    >();
    const value: Infer<typeof after> = { name: 'x', mode: 'b', sizes: [1], labels: { k: 'v' }, values: { any: [1, 'two'] } };
    expect(validate(after, value)).toEqual([]);
    // @ts-expect-error 'c' is not in the enum
    const wrong: Infer<typeof after> = { name: 'x', mode: 'c' };
    expect(validate(after, wrong).map((v) => v.message)).toEqual(['must be one of "a", "b"']);
  });

  it('refuses to declare a type for a node that accepts more or less than it, or leaves out one of its fields', () => {
    type Pinned = { readonly side?: 'left' | 'right'; readonly offset?: number };
    const fits = declares<Pinned>()({ type: 'object', properties: { side: { type: 'string', enum: ['left', 'right'] }, offset: { type: 'integer' } } });
    expectType<Equal<Infer<typeof fits>, Pinned>>();
    // @ts-expect-error the node accepts any string, the type two
    const wider = declares<Pinned>()({ type: 'object', properties: { side: { type: 'string' }, offset: { type: 'integer' } } });
    // @ts-expect-error the type allows "right", the node refuses it
    declares<Pinned>()({ type: 'object', properties: { side: { type: 'string', enum: ['left'] }, offset: { type: 'integer' } } });
    // @ts-expect-error offset, a field of the type, is not declared by the node (it would be refused as unknown)
    declares<Pinned>()({ type: 'object', properties: { side: { type: 'string', enum: ['left', 'right'] } } });
    // At run time both are the node as written.
    expect(validate(fits, { side: 'up' }).map((v) => v.message)).toEqual(['must be one of "left", "right"']);
    expect(validate(wider, { side: 'up' })).toEqual([]);
    expect(validate(fits, { side: 'left', offset: 2 })).toEqual([]);
  });
});
