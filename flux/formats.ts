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

/** True for a Go duration as the Flux CRDs accept it (e.g. 30s, 5m, 1h30m). */
export function isGoDuration(value: string): boolean {
  return goDuration.test(value);
}

/** True for a Go duration without hours (the CRDs' pattern for source timeouts). */
export function isGoDurationWithoutHours(value: string): boolean {
  return goDurationNoHours.test(value);
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

/** True for an exact chart version (semver, optional leading v), never a range. */
export function isExactChartVersion(value: string): boolean {
  return exactChartVersion.test(value);
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
