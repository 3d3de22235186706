/**
 * The structural checks of the config are the hand-written engine's (flux/schema.ts) at synth, for
 * its load cost: ajv costs 25 ms to require and 100-140 ms to compile the published schema, per
 * process, against about 150 ms for a whole single-cluster synth (see the README's Safety section).
 * This test holds the engine to a well-kept validator instead: ajv, over the published JSON Schema
 * (config/flux-gitops.schema.json), must reach the same verdict on every config of a corpus of valid,
 * mistaken and hostile ones. Cross-field rules (`rules`, not part of JSON Schema) are left out of
 * the comparison.
 */
import Ajv2020 from 'ajv/dist/2020';
import { configJsonSchema } from '../config/json-schema';
import { configSchema } from '../config/schema';
import { EXAMPLE_CONFIG } from '../config/example';
import { SchemaNode, validate } from '../flux/schema';

// optimize: false: a third of the compile time; the optimizer only removes code, it changes no verdict.
const ajv = new Ajv2020({ allErrors: true, strict: false, code: { optimize: false } });
const ajvValidate = ajv.compile(configJsonSchema());

function ruleMessages(node: SchemaNode, out = new Set<string>()): Set<string> {
  for (const r of node.rules ?? []) out.add(r.message);
  for (const child of [...Object.values(node.properties ?? {}), node.items, typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined, node.propertyNames, ...(node.oneOf ?? [])]) {
    if (child) ruleMessages(child, out);
  }
  return out;
}
const RULES = ruleMessages(configSchema);

/** The engine's verdict on structure alone. */
const engineAccepts = (config: unknown): boolean =>
  validate(configSchema, config, '', { isUnresolved: () => false }).filter((v) => !RULES.has(v.message)).length === 0;

const base = structuredClone(EXAMPLE_CONFIG) as any;
const mutate = (change: (c: any) => void): unknown => {
  const c = structuredClone(base);
  change(c);
  return c;
};

const corpus: [string, unknown][] = [
  ['the example', base],
  ['a boolean as a string', mutate((c) => (c.clusters[0].repositories[0].prune = '${false}'))],
  ['an enum as an expression', mutate((c) => (c.clusters[0].repositories[0].auth = '${ssh}'))],
  ['a backend type as an expression', mutate((c) => (c.clusters[0].backend = { type: '${azurerm}' }))],
  ['an unknown key', mutate((c) => (c.clusters[0].toString = 'x'))],
  ['an unknown nested key', mutate((c) => (c.clusters[0].repositories[0].brnach = 'main'))],
  ['a label with ${', mutate((c) => (c.clusters[0].name = '${x}'))],
  ['a number for a string', mutate((c) => (c.clusters[0].repositories[0].path = 5))],
  ['a list for an object', mutate((c) => (c.clusters[0].flux = []))],
  ['a missing required field', mutate((c) => delete c.clusters[0].name)],
  ['no clusters', { clusters: [] }],
  ['both url and azureDevOps', mutate((c) => (c.clusters[0].repositories[0].azureDevOps = { organization: 'o', project: 'p', repository: 'r' }))],
  ['an http chart repository', mutate((c) => (c.clusters[0].flux = { chartRepository: 'http://charts.example.com' }))],
  ['an oci chart repository', mutate((c) => (c.clusters[0].flux = { chartRepository: 'oci://ghcr.io/x' }))],
  ['a Go duration', mutate((c) => (c.clusters[0].repositories[0].interval = '1h30m'))],
  ['a bad Go duration', mutate((c) => (c.clusters[0].repositories[0].interval = 'often'))],
  ['a too-long label', mutate((c) => (c.clusters[0].name = 'a'.repeat(64)))],
  ['a substitute name with a dash', mutate((c) => (c.clusters[0].repositories[0].substitute = { 'a-b': 'x' }))],
  ['a substitute value with ${', mutate((c) => (c.clusters[0].repositories[0].substitute = { a_b: '${x}' }))],
  ['a GUID', mutate((c) => (c.clusters[0].workloadIdentity = { clientId: '11111111-2222-3333-4444-555555555555' }))],
  ['a bad GUID', mutate((c) => (c.clusters[0].workloadIdentity = { clientId: 'nope' }))],
  ['a fractional integer', mutate((c) => (c.clusters[0].gitIdentity = { rotation: 1.5 }))],
  ['a negative rotation', mutate((c) => (c.clusters[0].gitIdentity = { rotation: -1 }))],
  ['repeated dependsOn', mutate((c) => (c.clusters[0].repositories[1].dependsOn = ['platform', 'platform']))],
  ['a key with a control character', mutate((c) => (c.clusters[0].connector = { subscribers: { 'a\u0001': 'https://x.example.com' } }))],
  ['a project name with a non-ASCII letter', mutate((c) => (c.clusters[0].repositories[0] = { name: 'x', azureDevOps: { organization: 'o', project: 'Projekt-Ä', repository: 'r' } }))],
  ['null for an object', mutate((c) => (c.clusters[0].kubeconfig = null))],
  ['defaults with a cluster name', mutate((c) => (c.defaults = { name: 'x' }))],
  ['a commit SHA-256', mutate((c) => (c.clusters[0].repositories[0].ref = { commit: 'a'.repeat(64) }))],
];

describe('the config engine agrees with ajv over the published JSON Schema', () => {
  it.each(corpus)('on %s', (_name, config) => {
    expect(engineAccepts(config)).toBe(ajvValidate(config));
  });
});
