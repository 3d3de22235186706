/**
 * What the Kubernetes API server checks of the pod-spec fields the config places on the Flux and
 * connector pods, so a config the API server would refuse (and Helm would roll back half-way through a
 * deploy) is refused at synth, naming the field. Each rule cites the function of
 * k8s.io/kubernetes pkg/apis/core/validation/validation.go (or apimachinery) that makes it.
 *
 * Every problem is [field, value, allowed], the field relative to the object checked.
 */

export type Problem = [string, unknown, string];

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** apimachinery pkg/util/validation IsQualifiedName: an optional DNS-subdomain prefix and "/", a name of at most 63. */
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
export function isQualifiedName(value: string): boolean {
  if (!QUALIFIED_NAME.test(value)) return false;
  const slash = value.lastIndexOf('/');
  return value.length - slash - 1 <= 63 && (slash < 0 || slash <= 253);
}
export const QUALIFIED_NAME_HINT = 'use a Kubernetes qualified name: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_", "." starting and ending with a letter or digit';

/** IsValidLabelValue: empty, or at most 63 letters, digits, "-", "_", "." starting and ending alphanumeric. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export function isLabelValue(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}
const LABEL_VALUE_HINT = 'use a label value: at most 63 letters, digits, "-", "_", "." starting and ending with a letter or digit';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * ValidateTolerations: a key is a qualified name; an empty key needs operator Exists; tolerationSeconds
 * needs effect NoExecute; operator Equal (or empty) needs a label value, Exists an empty value; the
 * effect is empty or one of the taint effects.
 */
export function tolerationProblems(tolerations: readonly unknown[] | undefined, at = 'tolerations'): Problem[] {
  const out: Problem[] = [];
  (tolerations ?? []).forEach((raw, i) => {
    const f = `${at}[${i}]`;
    if (!isMap(raw)) return void out.push([f, raw, 'use a toleration object (key, operator, value, effect, tolerationSeconds)']);
    const t = raw as { key?: unknown; operator?: unknown; value?: unknown; effect?: unknown; tolerationSeconds?: unknown };
    const key = t.key ?? '';
    if (typeof key !== 'string' || (key !== '' && !isQualifiedName(key))) out.push([`${f}.key`, t.key, QUALIFIED_NAME_HINT]);
    if (t.operator !== undefined && t.operator !== 'Equal' && t.operator !== 'Exists') out.push([`${f}.operator`, t.operator, 'use Equal or Exists']);
    else if (key === '' && t.operator !== 'Exists') out.push([`${f}.key`, t.key, 'give a key, or operator Exists to tolerate every taint']);
    if (t.operator === 'Exists' && t.value !== undefined && t.value !== '') out.push([`${f}.value`, t.value, 'leave it out with operator Exists (Kubernetes refuses it)']);
    if (t.operator !== 'Exists' && t.value !== undefined && !isLabelValue(t.value)) out.push([`${f}.value`, t.value, LABEL_VALUE_HINT]);
    if (t.effect !== undefined && t.effect !== '' && !TAINT_EFFECTS.includes(t.effect as string)) out.push([`${f}.effect`, t.effect, 'use NoSchedule, PreferNoSchedule or NoExecute']);
    if (t.tolerationSeconds !== undefined) {
      if (!Number.isSafeInteger(t.tolerationSeconds)) out.push([`${f}.tolerationSeconds`, t.tolerationSeconds, 'use a whole number of seconds']);
      if (t.effect !== 'NoExecute') out.push([`${f}.tolerationSeconds`, t.tolerationSeconds, 'give it only with effect NoExecute (Kubernetes refuses it otherwise)']);
    }
  });
  return out;
}

/** ValidateNodeSelector of a pod's spec.nodeSelector (validateNodeSelector... ValidateLabels): qualified keys, label values. */
export function nodeSelectorProblems(selector: unknown, at = 'nodeSelector'): Problem[] {
  if (selector === undefined) return [];
  if (!isMap(selector)) return [[at, selector, 'use a map of node label keys to values']];
  const out: Problem[] = [];
  for (const [key, value] of Object.entries(selector)) {
    if (!isQualifiedName(key)) out.push([`${at} key`, key, 'use a label key such as kubernetes.azure.com/mode']);
    if (!isLabelValue(value)) out.push([`${at}.${key}`, value, LABEL_VALUE_HINT]);
  }
  return out;
}

/** Fields of `obj` outside `known`, as problems (the API server drops or, with strict validation, refuses them). */
function unknownFields(obj: Record<string, unknown>, known: readonly string[], at: string): Problem[] {
  return Object.keys(obj)
    .filter((k) => !known.includes(k))
    .map((k): Problem => [`${at}.${k}`, obj[k], `is not a field here; use ${known.join(', ')}`]);
}

function list(value: unknown, at: string, each: (item: unknown, at: string) => Problem[], nonEmpty = false): Problem[] {
  if (!Array.isArray(value)) return [[at, value, 'use a list']];
  if (nonEmpty && value.length === 0) return [[at, value, 'give at least one entry']];
  return value.flatMap((item, i) => each(item, `${at}[${i}]`));
}

function object(value: unknown, at: string, known: readonly string[], fields: (o: Record<string, unknown>) => Problem[]): Problem[] {
  if (!isMap(value)) return [[at, value, `use an object with ${known.join(', ')}`]];
  return [...unknownFields(value, known, at), ...fields(value)];
}

/** ValidateNodeSelectorRequirement / validateNodeFieldSelectorRequirement. */
function nodeRequirement(fieldSelector: boolean) {
  return (value: unknown, at: string): Problem[] =>
    object(value, at, ['key', 'operator', 'values'], (r) => {
      const out: Problem[] = [];
      const values = r.values ?? [];
      if (fieldSelector) {
        if (r.key !== 'metadata.name') out.push([`${at}.key`, r.key, 'use metadata.name, the only node field a selector may name']);
        if (r.operator !== 'In' && r.operator !== 'NotIn') out.push([`${at}.operator`, r.operator, 'use In or NotIn']);
        else if (!Array.isArray(values) || values.length !== 1) out.push([`${at}.values`, r.values, 'give exactly one value']);
        return out;
      }
      if (typeof r.key !== 'string' || !isQualifiedName(r.key)) out.push([`${at}.key`, r.key, QUALIFIED_NAME_HINT]);
      if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) return [...out, [`${at}.values`, r.values, 'use a list of strings']];
      switch (r.operator) {
        case 'In':
        case 'NotIn':
          if (values.length === 0) out.push([`${at}.values`, r.values, `give at least one value with operator ${r.operator}`]);
          break;
        case 'Exists':
        case 'DoesNotExist':
          if (values.length > 0) out.push([`${at}.values`, r.values, `leave it empty with operator ${r.operator}`]);
          break;
        case 'Gt':
        case 'Lt':
          if (values.length !== 1 || !/^-?[0-9]+$/.test(values[0])) out.push([`${at}.values`, r.values, `give exactly one integer with operator ${r.operator}`]);
          break;
        default:
          out.push([`${at}.operator`, r.operator, 'use In, NotIn, Exists, DoesNotExist, Gt or Lt']);
      }
      return out;
    });
}

/** ValidateNodeSelectorTerm. */
const nodeSelectorTerm = (value: unknown, at: string): Problem[] =>
  object(value, at, ['matchExpressions', 'matchFields'], (t) => [
    ...(t.matchExpressions === undefined ? [] : list(t.matchExpressions, `${at}.matchExpressions`, nodeRequirement(false))),
    ...(t.matchFields === undefined ? [] : list(t.matchFields, `${at}.matchFields`, nodeRequirement(true))),
  ]);

/** validatePreferredSchedulingTerms / validateWeightedPodAffinityTerms: "must be in the range 1-100". */
function weight(w: unknown, at: string): Problem[] {
  return Number.isInteger(w) && (w as number) >= 1 && (w as number) <= 100 ? [] : [[`${at}.weight`, w, 'use a whole number from 1 to 100']];
}

/** ValidateLabelSelector (apimachinery metav1 validation). */
const labelSelector = (value: unknown, at: string): Problem[] =>
  object(value, at, ['matchLabels', 'matchExpressions'], (s) => [
    ...(s.matchLabels === undefined ? [] : nodeSelectorProblems(s.matchLabels, `${at}.matchLabels`)),
    ...(s.matchExpressions === undefined
      ? []
      : list(s.matchExpressions, `${at}.matchExpressions`, (e, eat) =>
          object(e, eat, ['key', 'operator', 'values'], (r) => {
            const out: Problem[] = [];
            if (typeof r.key !== 'string' || !isQualifiedName(r.key)) out.push([`${eat}.key`, r.key, QUALIFIED_NAME_HINT]);
            const values = r.values ?? [];
            if (!Array.isArray(values)) return [...out, [`${eat}.values`, r.values, 'use a list of label values']];
            if (r.operator === 'In' || r.operator === 'NotIn') {
              if (values.length === 0) out.push([`${eat}.values`, r.values, `give at least one value with operator ${r.operator}`]);
            } else if (r.operator === 'Exists' || r.operator === 'DoesNotExist') {
              if (values.length > 0) out.push([`${eat}.values`, r.values, `leave it empty with operator ${r.operator}`]);
            } else out.push([`${eat}.operator`, r.operator, 'use In, NotIn, Exists or DoesNotExist']);
            values.forEach((v, k) => isLabelValue(v) || out.push([`${eat}.values[${k}]`, v, LABEL_VALUE_HINT]));
            return out;
          }),
        )),
  ]);

/** validatePodAffinityTerm: a topologyKey (a qualified name) is required; namespaces are DNS labels. */
const podAffinityTerm = (value: unknown, at: string): Problem[] =>
  object(value, at, ['labelSelector', 'namespaceSelector', 'namespaces', 'topologyKey', 'matchLabelKeys', 'mismatchLabelKeys'], (t) => [
    ...(typeof t.topologyKey === 'string' && isQualifiedName(t.topologyKey) ? [] : [[`${at}.topologyKey`, t.topologyKey, 'give a node label key such as kubernetes.io/hostname'] as Problem]),
    ...(t.labelSelector === undefined ? [] : labelSelector(t.labelSelector, `${at}.labelSelector`)),
    ...(t.namespaceSelector === undefined ? [] : labelSelector(t.namespaceSelector, `${at}.namespaceSelector`)),
    ...(t.namespaces === undefined
      ? []
      : list(t.namespaces, `${at}.namespaces`, (n, nat) => (typeof n === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n) && n.length <= 63 ? [] : [[nat, n, 'use a namespace name']]))),
    ...(['matchLabelKeys', 'mismatchLabelKeys'] as const).flatMap((k) =>
      t[k] === undefined ? [] : list(t[k], `${at}.${k}`, (v, vat) => (typeof v === 'string' && isQualifiedName(v) ? [] : [[vat, v, QUALIFIED_NAME_HINT]])),
    ),
  ]);

const podAffinity = (value: unknown, at: string): Problem[] =>
  object(value, at, ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'], (a) => [
    ...(a.requiredDuringSchedulingIgnoredDuringExecution === undefined ? [] : list(a.requiredDuringSchedulingIgnoredDuringExecution, `${at}.requiredDuringSchedulingIgnoredDuringExecution`, podAffinityTerm)),
    ...(a.preferredDuringSchedulingIgnoredDuringExecution === undefined
      ? []
      : list(a.preferredDuringSchedulingIgnoredDuringExecution, `${at}.preferredDuringSchedulingIgnoredDuringExecution`, (p, pat) =>
          object(p, pat, ['weight', 'podAffinityTerm'], (w) => [...weight(w.weight, pat), ...podAffinityTerm(w.podAffinityTerm, `${pat}.podAffinityTerm`)]),
        )),
  ]);

/** validateAffinity: nodeAffinity (ValidateNodeSelector, validatePreferredSchedulingTerms), podAffinity, podAntiAffinity. */
export function affinityProblems(affinity: unknown, at = 'affinity'): Problem[] {
  if (affinity === undefined) return [];
  return object(affinity, at, ['nodeAffinity', 'podAffinity', 'podAntiAffinity'], (a) => [
    ...(a.nodeAffinity === undefined
      ? []
      : object(a.nodeAffinity, `${at}.nodeAffinity`, ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'], (n) => [
          ...(n.requiredDuringSchedulingIgnoredDuringExecution === undefined
            ? []
            : object(n.requiredDuringSchedulingIgnoredDuringExecution, `${at}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`, ['nodeSelectorTerms'], (r) =>
                list(r.nodeSelectorTerms, `${at}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, nodeSelectorTerm, true),
              )),
          ...(n.preferredDuringSchedulingIgnoredDuringExecution === undefined
            ? []
            : list(n.preferredDuringSchedulingIgnoredDuringExecution, `${at}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution`, (p, pat) =>
                object(p, pat, ['weight', 'preference'], (w) => [...weight(w.weight, pat), ...nodeSelectorTerm(w.preference, `${pat}.preference`)]),
              )),
        ])),
    ...(a.podAffinity === undefined ? [] : podAffinity(a.podAffinity, `${at}.podAffinity`)),
    ...(a.podAntiAffinity === undefined ? [] : podAffinity(a.podAntiAffinity, `${at}.podAntiAffinity`)),
  ]);
}

/**
 * apimachinery pkg/api/resource ParseQuantity: `<sign><digits>[.<digits>]<suffix>`, the suffix a binary
 * (Ki..Ei), decimal (n u m k M G T P E) or exponent (e<int>) one. Its value as a number, or undefined.
 * Negative quantities parse but ValidateResourceQuantityValue refuses them ("must be greater than or
 * equal to 0"), so they are refused here.
 */
export function quantityValue(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^\+?([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE])|[eE]([-+]?[0-9]+))?$/.exec(text);
  if (!m) return undefined;
  const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  const scale = m[2] ? binary[m[2]] : m[3] ? decimal[m[3]] : m[4] ? 10 ** Number(m[4]) : 1;
  const value = Number(m[1]) * scale;
  return Number.isFinite(value) ? value : undefined;
}
export const QUANTITY_HINT = 'use a Kubernetes quantity such as 100m, 1, 256Mi or 1Gi';

/**
 * ValidateResourceRequirements: quantities that parse, and no request above its limit ("must be less
 * than or equal to <resource> limit"). `chartRequests` are the requests the chart's values.yaml sets,
 * which Helm merges under the given ones: a limit alone below them is refused by the API server too.
 */
export function resourcesProblems(resources: unknown, chartRequests: { readonly [r: string]: string } = {}, at = 'resources'): Problem[] {
  if (resources === undefined) return [];
  return object(resources, at, ['requests', 'limits'], (r) => {
    const out: Problem[] = [];
    for (const kind of ['requests', 'limits'] as const) {
      if (r[kind] === undefined) continue;
      if (!isMap(r[kind])) {
        out.push([`${at}.${kind}`, r[kind], 'use a map of resource names to quantities']);
        continue;
      }
      for (const [name, q] of Object.entries(r[kind] as Record<string, unknown>)) {
        if (!isQualifiedName(name)) out.push([`${at}.${kind} key`, name, 'use a resource name such as cpu, memory or ephemeral-storage']);
        if (quantityValue(q) === undefined) out.push([`${at}.${kind}.${name}`, q, QUANTITY_HINT]);
      }
    }
    const limits = isMap(r.limits) ? (r.limits as Record<string, unknown>) : {};
    const requests = { ...chartRequests, ...(isMap(r.requests) ? (r.requests as Record<string, unknown>) : {}) };
    for (const [name, limit] of Object.entries(limits)) {
      const l = quantityValue(limit);
      const q = quantityValue(requests[name]);
      if (l === undefined || q === undefined || q <= l) continue;
      const own = isMap(r.requests) && Object.hasOwn(r.requests, name);
      out.push([`${at}.limits.${name}`, limit, `use at least the ${name} request ${String(requests[name])}${own ? '' : " (the chart's default request)"}: Kubernetes refuses a limit below its request`]);
    }
    return out;
  });
}
