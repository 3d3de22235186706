/**
 * "No valid-looking config reaches a stack trace", tested from the config schema itself: every place it
 * declares (walked as the escape test walks it) gets values at its limits (lengths, bounds, enum values,
 * pattern edges, the wrong type), and each config either synthesizes or is refused with a ConfigError
 * naming the field (or a field above it). A field added to the schema is covered without touching this.
 */
import { ConfigError, validateConfig } from '../config/load';
import { ClusterConfig, configSchema } from '../config/schema';
import { SchemaNode } from '../flux/schema';
import { BASES, getAt, schemaSlots, Slot, withValue } from './support/schema-slots';
import { synthClusters } from './support/synth';

/** The values at the limits of `node`, around the value a base has there (`current`). */
function limitValues(node: SchemaNode, current: unknown, isKey: boolean): unknown[] {
  const strings = (): string[] => {
    const base = typeof current === 'string' && current !== '' ? current : 'a';
    // Past the Kubernetes limits too (63 for a label, 253 for a name), where a construct checks a length the schema may not.
    const out = ['', ' ', `${base} `, `-${base}`, `${base}-`, `${base}.`, `${base}/`, `${base}é`, `${base}{cluster}`, 'A'.repeat(300), `${base}\n`, base.padEnd(64, 'a'), base.padEnd(254, 'a')];
    if (node.minLength !== undefined) out.push('a'.repeat(node.minLength), 'a'.repeat(Math.max(0, node.minLength - 1)));
    if (node.maxLength !== undefined) out.push('a'.repeat(node.maxLength), 'a'.repeat(node.maxLength + 1), base.padEnd(node.maxLength, 'a'), base.padEnd(node.maxLength + 1, 'a'));
    for (const e of node.enum ?? []) if (typeof e === 'string') out.push(e, e.toUpperCase(), `${e} `);
    return out;
  };
  if (isKey) return strings();
  if (node.enum) return [...node.enum, 'not-in-enum', 0, true];
  switch (node.type) {
    case 'string':
      return [...strings(), 1, null];
    case 'integer':
    case 'number': {
      const out: unknown[] = [0, -1, 1, 1.5, 2 ** 31, 2 ** 53, '1', null];
      if (node.minimum !== undefined) out.push(node.minimum, node.minimum - 1);
      if (node.maximum !== undefined) out.push(node.maximum, node.maximum + 1);
      return out;
    }
    case 'boolean':
      return [true, false, 'true', null];
    case 'array': {
      const out: unknown[] = [[], {}, null];
      if (Array.isArray(current) && current.length > 0) out.push([...current, ...current], [current[0]]);
      return out;
    }
    case 'object':
      return [{}, [], 'text', null];
    default:
      // Free-form values (chart values, preserved unknown fields): any JSON value.
      return ['', 'text', 0, true, null, [], {}, { k: [1, { k: 'v' }] }];
  }
}

/** The violation path of `slot` as the loader writes it (`clusters[0].flux.namespace`). */
function violationPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, k) => (typeof k === 'number' ? `${out}[${k}]` : out ? `${out}.${k}` : k), '');
}

describe('a config at each limit of each schema field', () => {
  // Fields of clusters only: those of defaults are the same fields, merged into each cluster (the
  // escape test and config-repairs.test.ts cover the placeholders of defaults).
  const slots = schemaSlots(configSchema).filter((s) => s.path[0] === 'clusters' && s.path.length > 2);
  /** Outcomes: refused naming the field, refused naming another field, accepted. */
  const refused: { field: string; value: unknown; found: { path: string; message: string }[] }[] = [];
  /** With the config tried and what the loader made of it, which a batch of one synthesizes as it is. */
  const accepted: { base: number; slot: Slot; value: unknown; config: unknown; clusters: readonly ClusterConfig[] }[] = [];
  const crashes: { field: string; value: unknown; error: string }[] = [];
  let tried = 0;
  for (const slot of slots) {
    const field = `${slot.path.join('.')}${slot.isKey ? ' (key)' : ''}`;
    // The first base where the field's current value has a place (the base accepts it as it is).
    const b = BASES.findIndex((base) => getAt(base, slot.path.slice(0, -1)) !== undefined || slot.path.length <= 3);
    const base = BASES[b < 0 ? 0 : b];
    const current = slot.isKey ? 'k1' : getAt(base, slot.path);
    // Each value once: a padded base can be a repeated 'a' of another list entry.
    for (const value of new Set(limitValues(slot.node, current, slot.isKey))) {
      tried++;
      const config = withValue(base, slot, value);
      try {
        const { clusters } = validateConfig(config, 'test');
        accepted.push({ base: b < 0 ? 0 : b, slot, value, config, clusters });
      } catch (e) {
        if (!(e instanceof ConfigError)) {
          crashes.push({ field, value, error: String((e as Error).stack ?? e).split('\n').slice(0, 3).join(' | ') });
          continue;
        }
        refused.push({ field, value, found: e.violations.map(({ path, message }) => ({ path, message })) });
      }
    }
  }

  it('tries every field of the schema', () => {
    expect(slots.length).toBeGreaterThan(300);
    expect(tried).toBeGreaterThan(3000);
  });

  it('never ends the config check in anything but a ConfigError', () => {
    expect(crashes).toEqual([]);
  });

  it('names the field refused (or a field above it, for a value that changes what it needs)', () => {
    const unnamed = refused.filter(({ field, found }) => {
      const keys = field.replace(/ \(key\)$/, '').split('.');
      const at = violationPath(keys.map((k) => (/^\d+$/.test(k) ? Number(k) : k)));
      // The field, a field above it, or a field below it (a key slot names the key's own path)...
      const parentAt = at.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      const named = ({ path: p }: { path: string }) => p === at || at.startsWith(`${p}.`) || at.startsWith(`${p}[`) || p.startsWith(`${at}.`) || p.startsWith(`${at}[`) || p.startsWith(`${parentAt}.`) || p === parentAt;
      // ...or a field it affects, whose message names it (knownHosts for a repository it no longer pins).
      const section = keys[2];
      return !found.some((v) => named(v) || v.message.includes(section));
    });
    expect(unnamed.map(({ field, value, found }) => `${field} = ${JSON.stringify(value)?.slice(0, 40)}: ${found.map((v) => v.path).join(', ')}`)).toEqual([]);
  });

  // One synth per accepted value would take minutes: the accepted values of one base go into as few
  // configs as the loader accepts together (validation is cheap, a synth is not), as in the escape test.
  const batches: { base: number; config: unknown; clusters: readonly ClusterConfig[]; values: string[] }[] = [];
  const perField = new Map<string, number>();
  const worthSynth = ({ slot, value }: (typeof accepted)[number]): boolean => {
    if (slot.node.enum?.includes(value as string)) return true;
    if (typeof value === 'string' && slot.node.maxLength !== undefined && value.length === slot.node.maxLength) return true;
    const key = `${slot.path.join('.')}${slot.isKey}`;
    perField.set(key, (perField.get(key) ?? 0) + 1);
    return perField.get(key)! <= 2;
  };
  for (const { base, slot, value, config: alone, clusters: aloneMerged } of accepted.filter(worthSynth)) {
    const name = `${slot.path.join('.')}=${JSON.stringify(value)?.slice(0, 30)}`;
    let placed = false;
    for (const batch of batches.filter((x) => x.base === base)) {
      const config = withValue(batch.config, slot, value);
      try {
        batch.clusters = validateConfig(config, 'test').clusters;
      } catch (e) {
        if (e instanceof ConfigError) continue;
        throw e;
      }
      batch.config = config;
      batch.values.push(name);
      placed = true;
      break;
    }
    if (!placed) batches.push({ base, config: alone, clusters: aloneMerged, values: [name] });
  }

  // Each batch's clusters are what the loader made of its config when the last value joined it.
  it.each(batches.map((batch, i) => [i, batch.values.length, batch]))('synthesizes accepted config %i (%i values at their limits)', (_i, _n, batch) => {
    expect(() => synthClusters(batch.clusters)).not.toThrow();
  });
});
