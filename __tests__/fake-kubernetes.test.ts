/**
 * The Kubernetes double serves Kustomizations the real API server would hold: each shape its builder makes is
 * validated against the openAPIV3Schema of the real CRD (Flux 2.8.5 and 2.9.4, ../shared/reference), with
 * unknown fields refused (the API server would prune them, so a misspelt status field would read as absent).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { kustomization, sha } from './support/fake-kubernetes';
import { SHARED } from './support/helm-lite';

const CRDS = ['flux-crds', 'flux-crds-2.9.4'].map((d) => path.join(SHARED, 'reference', d, 'kustomize.toolkit.fluxcd.io_kustomizations.yaml'));
const present = CRDS.every((f) => fs.existsSync(f));
if (!present) console.warn(`fake-kubernetes.test.ts: skipped: the Flux CRDs are not at ${path.dirname(path.dirname(CRDS[0]))} (../shared is absent)`);

/** Every object with known properties refuses others, unless the CRD keeps unknown fields there. */
function closed(node: any): any {
  if (Array.isArray(node)) return node.map(closed);
  if (!node || typeof node !== 'object') return node;
  const out: any = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v)]));
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

const at = '2026-12-01T10:00:00Z';
const examples: Record<string, object> = {
  ready: kustomization({
    name: 'apps',
    applied: sha('c2'),
    attempted: sha('c2'),
    ready: { status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:x', at },
    history: [{ revision: sha('c2'), first: at, last: at, status: 'ReconciliationSucceeded', total: 2 }],
  }),
  'failed newer attempt': kustomization({ name: 'infra', applied: sha('c1'), attempted: sha('c2'), ready: { status: 'False', reason: 'HealthCheckFailed', message: 'timeout', at } }),
  suspended: kustomization({ name: 'paused', ref: 'v1.2.3', applied: sha('t1'), attempted: sha('t1'), suspend: true, ready: { status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress', at } }),
  'never reconciled': kustomization({ name: 'new', neverReconciled: true }),
};

(present ? describe : describe.skip)('the double against the real Kustomization CRD', () => {
  let validators: { file: string; validate: import('ajv').ValidateFunction }[];
  beforeAll(() => {
    validators = CRDS.map((file) => {
      const crd = parse(fs.readFileSync(file, 'utf8'));
      const schema = crd.spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema;
      const ajv = new Ajv({ allErrors: true, strict: false, formats: { 'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, int64: true, int32: true } });
      return { file, validate: ajv.compile(closed(schema)) };
    });
  });

  it.each(Object.keys(examples))('%s is valid', (name) => {
    for (const { file, validate } of validators) {
      validate(examples[name]);
      expect([file, validate.errors ?? []]).toEqual([file, []]);
    }
  });

  it('the check can fail: a Ready condition without its reason, and a misspelt status field, are refused', () => {
    const bad: any = structuredClone(examples.ready);
    delete bad.status.conditions[0].reason;
    bad.status.lastAppliedRevison = bad.status.lastAppliedRevision;
    for (const { validate } of validators) {
      validate(bad);
      expect((validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).sort()).toEqual(["/status must NOT have additional properties", "/status/conditions/0 must have required property 'reason'"]);
    }
  });
});
