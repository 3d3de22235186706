/**
 * String formats that Kubernetes and Flux enforce, in one place so that config validation, construct
 * props and the CRD rules agree.
 */

/** Flux's duration pattern (`metav1.Duration` as the CRDs restrict it): 30s, 5m, 1h30m, 1.5h. */
export const GO_DURATION = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';
/** GitRepository and Provider timeouts reject hours. */
export const GO_DURATION_NO_HOURS = '^([0-9]+(\\.[0-9]+)?(ms|s|m))+$';
/** RFC 1123 label: what Kubernetes requires of namespace names (at most 63 characters). */
export const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** RFC 1123 subdomain: what Kubernetes requires of most object names (at most 253 characters). */
export const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** What a Go duration looks like, for error messages. */
export const DURATION_HINT = 'a Go duration such as 30s, 5m or 1h30m';
/** What a Go duration without hours looks like, for error messages. */
export const DURATION_NO_HOURS_HINT = 'a Go duration without hours such as 30s, 90s or 5m';
/** What an RFC 1123 label looks like, for error messages. */
export const LABEL_HINT = 'lower-case letters, digits and "-", starting and ending with a letter or digit';

const goDuration = new RegExp(GO_DURATION);
const goDurationNoHours = new RegExp(GO_DURATION_NO_HOURS);
const dnsLabel = new RegExp(DNS1123_LABEL);
const dnsSubdomain = new RegExp(DNS1123_SUBDOMAIN);

/** A duration Flux can use: the CRD pattern, within Go's time.Duration, at least MIN_DURATION (goDurationProblem). */
export function isGoDuration(value: string): boolean {
  return goDurationProblem(value) === undefined;
}

/** True for a Go duration without hours (the CRDs' pattern for source timeouts). */
export function isGoDurationWithoutHours(value: string): boolean {
  return goDurationProblem(value, false) === undefined;
}

/** True for an RFC 1123 label (at most 63 characters). */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && dnsLabel.test(value);
}

/** True for an RFC 1123 subdomain (at most 253 characters). */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && dnsSubdomain.test(value);
}

/** A Flux postBuild variable name (POSIX shell variable): letters, digits, "_", not starting with a digit. */
export const SUBSTITUTE_NAME = '^[_a-zA-Z][_a-zA-Z0-9]*$';

/**
 * A git branch or tag name as `git check-ref-format --branch` accepts it: no spaces or control
 * characters, none of ~ ^ : ? * [ \, no "..", "@{", "//", no leading "-" or "/", no trailing "/", "."
 * or ".lock".
 */
export function isGitRefName(value: string): boolean {
  return (
    value.length > 0 &&
    // eslint-disable-next-line no-control-regex
    !/[\s~^:?*[\\\u0000-\u001f\u007f]/.test(value) &&
    !/\.\.|@\{|\/\/|\/\.|^\.|^-|^\/|\/$|\.$|\.lock$|\.lock\/|^@$/.test(value)
  );
}

/** A ConfigMap key, as Kubernetes allows it. */
export const CONFIGMAP_KEY = '^[-._a-zA-Z0-9]{1,253}$';

/** A GUID (Entra client, tenant and subscription ids). */
export const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** An exact (semver) chart version: ranges are refused, installs must be pinned. */
export const EXACT_CHART_VERSION = '^v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$';
/** An http:// or https:// URL (webhook and dashboard endpoints). */
export const HTTP_URL = '^https?://\\S+$';
/** An https:// URL without query or fragment, that a path can be appended to (a public webhook base). */
export const HTTPS_BASE_URL = '^https://[^/\\s?#]+(/[^\\s?#]*)?$';

const guid = new RegExp(GUID);
const exactChartVersion = new RegExp(EXACT_CHART_VERSION);
const httpUrl = new RegExp(HTTP_URL);
const httpsBaseUrl = new RegExp(HTTPS_BASE_URL);

/** True for a GUID (8-4-4-4-12 hexadecimal digits). */
export function isGuid(value: string): boolean {
  return guid.test(value);
}

/**
 * An exact chart version: Helm requires SemVer 2 (helm.sh docs, "The Chart.yaml File": "version: A
 * SemVer 2 version"), so `02.18.3` (a leading zero) and `2.18.3-..` (an empty pre-release identifier) are
 * refused as semver.org's grammar refuses them; strict, not loose, parsing. A leading `v` is tolerated,
 * as Helm's Masterminds/semver does.
 */
export function isExactChartVersion(value: string): boolean {
  if (!exactChartVersion.test(value)) return false;
  // Loaded only when a version is checked, as isSemverRange does.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validSemver = require('semver/functions/valid') as (version: string, options: { loose: boolean }) => string | null;
  return validSemver(value.replace(/^v/, ''), { loose: false }) !== null;
}

/** True for an absolute http:// or https:// URL. */
export function isHttpUrl(value: string): boolean {
  return httpUrl.test(value);
}

/** True for an https:// URL without query or fragment, that a path can be appended to. */
export function isHttpsBaseUrl(value: string): boolean {
  return httpsBaseUrl.test(value);
}

const hostName = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/** A DNS host name with at least two labels (what an Ingress rule's host takes). */
export function isDnsHostName(value: string): boolean {
  return value.length <= 253 && hostName.test(value);
}

/**
 * Where Terraform would start evaluating in `text` (offsets of each `${` interpolation and `%{`
 * directive), scanned as HCL's template scanner does: `$${` and `%%{` are escapes for the literal
 * `${` and `%{`, a `$` or `%` before anything else is literal.
 */
export function templateSequenceStarts(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$' && c !== '%') continue;
    if (text[i + 1] === c && text[i + 2] === '{') i += 2;
    else if (text[i + 1] === '{') out.push(i++);
  }
  return out;
}

/**
 * A duration's length in nanoseconds as Go's time.ParseDuration computes it (golang/go src/time/format.go:
 * each `<number>[.<fraction>]<unit>` adds `number*unit` plus the fraction scaled and truncated, and a sum
 * above 1<<63-1 ns, about 2,562,047 hours, is the error "invalid duration"), for the text the CRDs accept
 * (GO_DURATION); undefined when the text is not that or overflows: the API server would store
 * `3000000h` and every Flux controller would then fail to decode the object.
 */
export function goDurationNanoseconds(value: string): bigint | undefined {
  if (!goDuration.test(value)) return undefined;
  const unit: Record<string, bigint> = { ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
  let total = 0n;
  for (const [, whole, fraction, u] of value.matchAll(/([0-9]+)(?:\.([0-9]+))?(ms|s|m|h)/g)) {
    total += BigInt(whole) * unit[u];
    if (fraction) total += (BigInt(fraction) * unit[u]) / 10n ** BigInt(fraction.length);
    if (total > MAX_GO_DURATION_NS) return undefined;
  }
  return total;
}
const MAX_GO_DURATION_NS = (1n << 63n) - 1n;

/**
 * The shortest duration the config and the constructs accept. The controllers requeue an object after
 * its `spec.interval` with no floor of their own (the CRD pattern admits `0s`; kustomize-controller and
 * source-controller return `ctrl.Result{RequeueAfter: obj.GetRequeueAfter()}`), so `0s` or `0.000001ms`
 * is a busy loop against the API server and the git host, and a zero timeout fails every operation.
 */
export const MIN_DURATION = '1s';
const MIN_DURATION_NS = 1_000_000_000n;

/** Why `value` is not a duration Flux can use, or undefined. */
export function goDurationProblem(value: string, hours = true): string | undefined {
  if (!(hours ? goDuration : goDurationNoHours).test(value)) return `use ${hours ? DURATION_HINT : DURATION_NO_HOURS_HINT}`;
  const ns = goDurationNanoseconds(value);
  if (ns === undefined) return "use at most 2562047h: longer overflows Go's time.Duration (int64 nanoseconds), which Flux decodes it into";
  if (ns < MIN_DURATION_NS) return `use at least ${MIN_DURATION}: a shorter interval or timeout makes the controller loop or fail at once`;
  return undefined;
}

/**
 * Namespaces Kubernetes itself uses: the stack never creates or takes one of them (a connector's
 * deny-by-default NetworkPolicy in kube-system cuts CoreDNS off). Kubernetes reserves the `kube-`
 * prefix for its system namespaces (kubernetes.io docs, Concepts > Namespaces: "Avoid creating
 * namespaces with the prefix kube-, since it is reserved for Kubernetes system namespaces"), and
 * `default` is where every object without a namespace lands.
 */
export const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;
/** True for a namespace Kubernetes keeps for itself (the four above, and any `kube-` one). */
export function isReservedNamespace(value: string): boolean {
  return (RESERVED_NAMESPACES as readonly string[]).includes(value) || value.startsWith('kube-');
}
/** What is allowed, said when a reserved namespace is given. */
export const RESERVED_NAMESPACE_RULE = 'must not be default or a kube-* namespace (Kubernetes reserves them for its own objects)';

/*
 * OCI references, by the grammar of the OCI distribution spec (opencontainers/distribution-spec
 * spec.md, "Pulling manifests": `<name>` matches `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`,
 * a tag `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`) and of distribution/reference (reference.go's grammar:
 * `domain := domain-component ['.' domain-component]* [':' port-number]`, and NameTotalLengthMax 255).
 */
const OCI_PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const OCI_DOMAIN = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]{1,5})?';
/** An OCIRepository url: `oci://<domain>/<name>`, without tag or digest (those go in `ref`). */
export const OCI_REPOSITORY_URL = `^oci://${OCI_DOMAIN}(?:/${OCI_PATH_COMPONENT})+$`;
/** An OCI tag. */
export const OCI_TAG = '^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$';
const ociRepositoryUrl = new RegExp(OCI_REPOSITORY_URL);

/** True for an `oci://` repository URL the distribution grammar accepts, its name at most 255 characters. */
export function isOciRepositoryUrl(value: string): boolean {
  return ociRepositoryUrl.test(value) && value.length - 'oci://'.length <= 255;
}

/**
 * Flux reads `ref.semver` as a Masterminds/semver constraint: comparisons joined by spaces or commas
 * (and), `||` (or), `x`/`*` wildcards, `~` and `^`. The npm `semver` package parses the same grammar
 * except the comma, which is read here as the space it means. Loaded only when a semver range is
 * checked (about 10 ms).
 */
export function isSemverRange(range: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validRange = require('semver/ranges/valid') as (range: string) => string | null;
  // npm reads an empty alternative ("1.0.0 ||") as "*"; Masterminds refuses it.
  return range.split('||').every((part) => part.trim() !== '') && validRange(range.replace(/,/g, ' ')) !== null;
}
