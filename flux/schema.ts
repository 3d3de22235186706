/**
 * A small structural schema, a subset of JSON Schema / OpenAPI v3 (the dialect of Kubernetes CRDs).
 *
 * One validator serves three purposes: the Flux CRD rules restated in `crd-rules.ts`, the project's
 * config schema (published as JSON Schema from the same objects), and the cross-check against the
 * real CRD files when `../shared/reference` is present. It is hand-written rather than a dependency
 * because synth time is measured per process (see bench/README.md) and a schema library costs more
 * to load than the whole stack costs to build (ajv 8: about 25 ms to require and 100-140 ms to compile
 * the config schema, measured 2026-11-27). Its verdicts are held to ajv's over the published JSON
 * Schema by __tests__/schema-agreement.test.ts.
 */

/** A rule that the keyword set cannot express (a CRD's CEL rule, a cross-field constraint). */
export interface SchemaRule {
  /** What the rule requires, phrased as the error message. */
  readonly message: string;
  /** Returns true when `value` satisfies the rule. */
  readonly check: (value: any) => boolean;
  /**
   * Where a failed rule knows the exact fields: each problem's path below the value (`tolerations[0].value`)
   * and its message, reported instead of `message` on the whole value (a parent object is never shown).
   */
  readonly problems?: (value: any) => readonly { readonly path: string; readonly message: string }[];
}

/** A node of the project's schema language: a type, its checks and, for objects, its properties. */
export interface SchemaNode {
  readonly type?: 'object' | 'string' | 'boolean' | 'integer' | 'number' | 'array';
  readonly description?: string;
  readonly properties?: { readonly [name: string]: SchemaNode };
  readonly required?: readonly string[];
  /** `false` rejects unknown keys; a schema types the values of a map. Unknown keys are rejected by default. */
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  /** Every key of the object must satisfy this (string) schema. */
  readonly propertyNames?: SchemaNode;
  readonly enum?: readonly (string | number | boolean)[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly uniqueItems?: boolean;
  /** Exactly one branch must hold; used here for "set exactly one of these fields". */
  readonly oneOf?: readonly SchemaNode[];
  readonly default?: unknown;
  /** Human hint appended to pattern errors ("a Go duration such as 30s, 5m, 1h30m"). */
  readonly format?: string;
  /** Kubernetes: the value may be an integer or a string. */
  readonly 'x-kubernetes-int-or-string'?: boolean;
  /** Kubernetes: any content below this node is accepted. */
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  /** Rules beyond the keywords above; not exported to JSON Schema. */
  readonly rules?: readonly SchemaRule[];
}

/** One problem found by validation: the path, the value and the message. */
export interface Violation {
  /** Dotted path with [index] for arrays, e.g. `spec.ref.branch`. */
  readonly path: string;
  readonly message: string;
  readonly value: unknown;
}

/** Options of {@link validate}. */
export interface ValidateOptions {
  /**
   * Strings that are not known until apply (cdktf tokens) are skipped by the string checks: their
   * value cannot be judged at synth. Config files pass `() => false`: config strings are literal,
   * never expressions (a `${` in one is text, escaped for Terraform at synth).
   * @default - strings holding a cdktf token marker are unresolved
   */
  readonly isUnresolved?: (value: string) => boolean;
  /**
   * Keys that are not declared by `properties` and not covered by `additionalProperties` are errors.
   * Kubernetes prunes them silently, which hides typos; we reject them.
   * @default true
   */
  readonly rejectUnknownFields?: boolean;
  /**
   * What earlier calls with these options found below an object or list, per node and value: a caller
   * that checks the same values against the same nodes again (the config loader checks the file, then
   * each cluster with defaults merged in, which holds the very objects of the file that defaults did not
   * change) gets those violations again without walking the values again. Only the nodes the memo has
   * an entry for are remembered (the caller names where values recur: remembering every object costs
   * more than it saves), and only values that do not change while the memo is in use.
   * @default - none: every value is walked
   */
  readonly memo?: ValidationMemo;
}

/** See {@link ValidateOptions.memo}: per node, per value, the path it was visited at and what was found there and below. */
export type ValidationMemo = WeakMap<SchemaNode, WeakMap<object, { readonly path: string; readonly found: readonly Violation[] }>>;

// The marker cdktf encodes string tokens with (cdktf's Token.isUnresolved, without loading cdktf here).
const defaultIsUnresolved = (value: string): boolean => value.includes('${TfToken[');

// Schemas are constants: compile each pattern once, not on every value checked.
const compiled = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = new RegExp(pattern)));
  return re;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether a value of type `actual` (as {@link typeOf} names it) has the node's type. */
function matchesType(node: SchemaNode, actual: string): boolean {
  if (node['x-kubernetes-int-or-string']) return actual === 'integer' || actual === 'string';
  if (!node.type) return true;
  if (node.type === 'number') return actual === 'number' || actual === 'integer';
  return actual === node.type;
}

// Own properties only: `toString` or `constructor` must not count as present or as declared.
function own(o: object, key: string): unknown {
  return Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Validates `value` against `node`, returning every violation (not only the first). */
export function validate(node: SchemaNode, value: unknown, path = '', options: ValidateOptions = {}): Violation[] {
  const isUnresolved = options.isUnresolved ?? defaultIsUnresolved;
  const rejectUnknown = options.rejectUnknownFields ?? true;
  const memo = options.memo;
  const out: Violation[] = [];

  const visit = (n: SchemaNode, v: unknown, p: string): void => {
    if (typeof v === 'string' && isUnresolved(v)) return;
    const found = out.length;
    // Every path below starts with p (join, rules' exact paths): the same violations at another place are
    // these with p replaced. Not at the root, whose children's paths have no separator to keep.
    const remembered = memo !== undefined && typeof v === 'object' && v !== null && p !== '' ? memo.get(n) : undefined;
    if (remembered) {
      const seen = remembered.get(v as object);
      if (seen) {
        for (const f of seen.found) out.push({ ...f, path: p + f.path.slice(seen.path.length) });
        return;
      }
    }
    // Once per value: this walk runs for every value of every config loaded.
    const actual = typeOf(v);
    if (!matchesType(n, actual)) {
      const expected = n['x-kubernetes-int-or-string'] ? 'an integer or a string' : `of type ${n.type}`;
      out.push({ path: p, value: v, message: `must be ${expected}, not ${actual}` });
      return;
    }
    if (n.enum && !n.enum.includes(v as string)) {
      out.push({ path: p, value: v, message: `must be one of ${n.enum.map((e) => JSON.stringify(e)).join(', ')}` });
    }
    if (typeof v === 'string') {
      if (n.pattern !== undefined && !regex(n.pattern).test(v)) {
        out.push({ path: p, value: v, message: `must match ${n.pattern}${n.format ? ` (${n.format})` : ''}` });
      }
      if (n.minLength !== undefined && v.length < n.minLength) {
        out.push({ path: p, value: v, message: `must be at least ${n.minLength} characters long` });
      }
      if (n.maxLength !== undefined && v.length > n.maxLength) {
        out.push({ path: p, value: v, message: `must be at most ${n.maxLength} characters long (is ${v.length})` });
      }
    }
    if (typeof v === 'number') {
      if (n.minimum !== undefined && v < n.minimum) out.push({ path: p, value: v, message: `must be >= ${n.minimum}` });
      if (n.maximum !== undefined && v > n.maximum) out.push({ path: p, value: v, message: `must be <= ${n.maximum}` });
    }
    if (Array.isArray(v)) {
      if (n.minItems !== undefined && v.length < n.minItems) {
        out.push({ path: p, value: v, message: `must have at least ${n.minItems} item(s)` });
      }
      if (n.maxItems !== undefined && v.length > n.maxItems) {
        out.push({ path: p, value: v, message: `must have at most ${n.maxItems} item(s)` });
      }
      if (n.uniqueItems) {
        const seen = new Set<string>();
        v.forEach((item, i) => {
          const key = JSON.stringify(item);
          if (seen.has(key)) out.push({ path: join(p, i), value: item, message: 'is listed twice; items must be unique' });
          seen.add(key);
        });
      }
      if (n.items) v.forEach((item, i) => visit(n.items!, item, join(p, i)));
    }
    if (actual === 'object' && !n['x-kubernetes-preserve-unknown-fields']) {
      const obj = v as Record<string, unknown>;
      for (const key of n.required ?? []) {
        if (own(obj, key) === undefined) out.push({ path: join(p, key), value: undefined, message: 'is required' });
      }
      const props: { readonly [name: string]: SchemaNode } = n.properties ?? {};
      if (n.propertyNames) {
        for (const key of Object.keys(obj)) {
          for (const v of validate(n.propertyNames, key, join(p, key), options)) out.push({ ...v, message: `key ${v.message}`, value: key });
        }
      }
      for (const [key, child] of Object.entries(obj)) {
        if (child === undefined) continue;
        const declared = own(props, key) as SchemaNode | undefined;
        if (declared) {
          visit(declared, child, join(p, key));
        } else if (typeof n.additionalProperties === 'object') {
          visit(n.additionalProperties, child, join(p, key));
        } else if (n.additionalProperties !== true && rejectUnknown && (n.properties || n.additionalProperties === false)) {
          const allowed = Object.keys(props);
          const near = nearest(key, allowed);
          out.push({
            path: join(p, key),
            value: child,
            message: `is not a known field${near ? `; did you mean ${near}?` : ''}${allowed.length ? ` (known: ${allowed.join(', ')})` : ''}`,
          });
        }
      }
    }
    if (n.oneOf) {
      const holding = n.oneOf.filter((branch) => validate(branch, v, p, options).length === 0).length;
      if (holding !== 1) {
        const names = n.oneOf.map((b) => (b.required ?? []).join('+')).filter(Boolean);
        out.push({
          path: p,
          value: v,
          message: names.length
            ? `must set exactly one of: ${names.join(', ')} (${holding} set)`
            : `must match exactly one alternative (${holding} match)`,
        });
      }
    }
    for (const rule of n.rules ?? []) {
      // A rule is written for values of the right shape: where a part below is already reported (a list
      // that is an object, say), a rule that throws on it adds nothing; where none is, the value fails it.
      let holds: boolean;
      try {
        holds = rule.check(v);
      } catch {
        holds = out.length > found;
      }
      if (holds) continue;
      let exact: readonly { path: string; message: string }[] = [];
      try {
        exact = rule.problems?.(v) ?? [];
      } catch {
        exact = [];
      }
      if (exact.length === 0) out.push({ path: p, value: v, message: rule.message });
      for (const e of exact) out.push({ path: e.path.startsWith('[') || p === '' ? `${p}${e.path}` : `${p}.${e.path}`, value: undefined, message: e.message });
    }
    remembered?.set(v as object, { path: p, found: out.slice(found) });
  };

  visit(node, value, path);
  return out;
}

/** Edit distance of `a` and `b` (Levenshtein), case-insensitive: for "did you mean". */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** The known name closest to a mistyped `key` (`intervall` -> `interval`), when one is close enough to be meant. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  // Long keys are not compared: a key of a file that is no config at all may be any text.
  if (key.length > 64) return undefined;
  const limit = Math.max(1, Math.floor(key.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of known) {
    const d = distance(key, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** Formats violations one per line: `path: message (got "value")`. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations
    .map((v) => `${v.path || '(root)'}: ${v.message}${v.value === undefined ? '' : ` (got ${preview(v.value)})`}`)
    .join('\n');
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Renders a schema as plain JSON Schema (draft 2020-12): the `rules` functions and `format` hints are
 * dropped into the description (so editors still show them), the rest is already JSON Schema.
 */
export function toJsonSchema(node: SchemaNode): Record<string, unknown> {
  // `format` here is a human hint, not a JSON Schema format name: it goes into the description.
  const { rules, properties, items, additionalProperties, oneOf, description, format, propertyNames, ...rest } = node;
  const out: Record<string, unknown> = { ...rest };
  const notes = [...(format ? [`Expected: ${format}.`] : []), ...(rules ?? []).map((r) => `Also: ${r.message}.`)];
  const text = [description, ...notes].filter(Boolean).join(' ');
  if (text) out.description = text;
  if (properties) {
    out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toJsonSchema(v)]));
    if (additionalProperties === undefined) out.additionalProperties = false;
  }
  if (items) out.items = toJsonSchema(items);
  if (typeof additionalProperties === 'object') out.additionalProperties = toJsonSchema(additionalProperties);
  else if (additionalProperties !== undefined) out.additionalProperties = additionalProperties;
  if (oneOf) out.oneOf = oneOf.map(toJsonSchema);
  if (propertyNames) out.propertyNames = toJsonSchema(propertyNames);
  return out;
}
