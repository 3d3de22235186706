import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { ExternalProvider } from '../.gen/providers/external/provider';
import { AzureDevOpsSshKey } from '../constructs/azure-devops-ssh-key';
import { GitIdentity } from '../constructs/git-identity';
import { exampleCluster, synthApp, synthCluster } from './support/synth';
import { attributesOf } from './support/kept-schema';

const ROOT = path.join(__dirname, '..');

/**
 * hashicorp/terraform-provider-external at tag v2.4.0 (commit 70b9be6c3cfe41019c3e50da12d8e32eb854b4cf), read
 * from the source:
 * - internal/provider/provider.go: Schema() sets nothing (the provider takes no arguments); DataSources() is
 *   the one data source below; Resources() is nil.
 * - internal/provider/data_source.go, externalDataSource.Schema(): program ListAttribute of StringType,
 *   Required (SizeAtLeast 1); working_dir StringAttribute Optional; query MapAttribute of StringType
 *   Optional; result MapAttribute of StringType Computed; id StringAttribute Computed ("always set to `-`").
 *   No attribute is Sensitive. Data source schemas of terraform-plugin-framework carry version 0.
 * v2.4.0 differs from v2.3.5 in copyright headers only (`git diff v2.3.5 v2.4.0 -- internal/`); its
 * changelog entry is a new s390x build.
 */
const EXTERNAL_SOURCE = {
  version: '2.4.0',
  external: {
    id: 'computed string',
    program: 'required list(string)',
    query: 'optional map(string)',
    result: 'computed map(string)',
    working_dir: 'optional string',
  },
};

describe('the kept external schema (providers/external/schema.json)', () => {
  const fqpn = 'registry.terraform.io/hashicorp/external';
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'providers', 'external', 'schema.json'), 'utf8'));

  it('is the provider source at the pinned version, attribute for attribute', () => {
    expect(schema.provider_versions).toEqual({ [fqpn]: EXTERNAL_SOURCE.version });
    const provider = schema.provider_schemas[fqpn];
    expect(provider.provider.block.attributes).toBeUndefined();
    expect(provider.provider.block.block_types).toBeUndefined();
    expect(provider.resource_schemas).toBeUndefined();
    expect(Object.keys(provider.data_source_schemas)).toEqual(['external']);
    const external = provider.data_source_schemas.external;
    expect(external.version).toBe(0);
    expect(attributesOf(external.block)).toEqual(EXTERNAL_SOURCE.external);
  });

});

describe('the external provider of AzureDevOpsSshKey', () => {
  const keysIn = (build: (stack: TerraformStack) => void) =>
    synthApp((app) => {
      const stack = new TerraformStack(app, 'lib');
      new NullProvider(stack, 'null');
      new TimeProvider(stack, 'time');
      new TlsProvider(stack, 'tls');
      build(stack);
    }).stack('lib');

  it('is added once to a stack with several registrations', () => {
    const json = keysIn((stack) => {
      const identity = new GitIdentity(stack, 'identity');
      new AzureDevOpsSshKey(stack, 'contoso', { organization: 'contoso', identity, displayName: 'flux' });
      new AzureDevOpsSshKey(stack, 'northwind', { organization: 'northwind', identity, displayName: 'flux' });
    });
    expect(json.provider!.external).toEqual([{}]);
    expect(Object.keys(json.data!.external)).toHaveLength(2);
    expect(json.terraform.required_providers.external).toEqual({ source: 'hashicorp/external', version: '2.4.0' });
  });

  it("uses the stack's own default external provider, whatever its id, instead of adding a second", () => {
    const json = keysIn((stack) => {
      new ExternalProvider(stack, 'mine');
      new AzureDevOpsSshKey(stack, 'contoso', { organization: 'contoso', identity: new GitIdentity(stack, 'identity'), displayName: 'flux' });
    });
    expect(json.provider!.external).toEqual([{}]);
  });

  it('is in the app stack only with registration on', () => {
    expect(synthCluster(exampleCluster()).provider!.external).toEqual([{}]);
    expect(synthCluster(exampleCluster({ azureDevOps: { registerSshKey: false } })).provider?.external).toBeUndefined();
  });
});
