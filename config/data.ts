/**
 * A config file is data written by people who must not be able to run code on the deploy machine or
 * read its secrets. The checks here hold for every value of the file, whatever field it is in (so fields
 * added later are covered without listing them): bounded size and depth, no prototype keys, no cdktf
 * token markers, no credentials inside URLs; and every value an error shows is masked first.
 */
import * as fs from 'fs';
import { urlCredentialProblem } from '../azure-devops/urls';
import { Violation } from '../flux/schema';

/** Largest config file read (a fleet of a few hundred clusters is well under 1 MiB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/**
 * Most text that merging `defaults` into every cluster may make (the size of defaults times the number
 * of clusters): 600 kB of defaults and clusters of one name each made 7 GB and ran the loader out of
 * memory. A fleet of 300 clusters with 50 kB of defaults is well under it.
 */
export const MAX_MERGED_BYTES = 32 * 1024 * 1024;
/** Deepest nesting of objects and lists; the schema itself is less than 10 deep. */
export const MAX_CONFIG_DEPTH = 32;

/**
 * Reads at most MAX_CONFIG_BYTES + 1 bytes: `/dev/zero`, a FIFO or a huge file is refused without
 * reading it all. Throws a message (no content) on failure.
 */
export function readBounded(file: string): string {
  // Before opening: opening a FIFO blocks until something writes to it, and /proc files read as empty
  // to stat yet hold a process's environment. The checks follow symbolic links (a config file in a
  // git checkout can be one).
  if (!fs.statSync(file).isFile()) throw new Error('is not a regular file (a folder, a FIFO or a device)');
  if (/^\/(proc|sys|dev)(\/|$)/.test(fs.realpathSync(file))) throw new Error('is under /proc, /sys or /dev, never a config file');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_CONFIG_BYTES) throw new Error(`is larger than ${MAX_CONFIG_BYTES} bytes`);
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Keys (and env entry names) that say their value is a secret: a substitute variable DB_PASSWORD, an
 * extraEnv GITHUB_TOKEN. Written in the config, the value lands in the state and the cluster in clear.
 * Names of Secrets (secretName, tlsSecretName) end otherwise and are not matched.
 */
const SECRET_NAMED = /(pass(word|wd)?|pwd|token|api[-_]?key|secret|credentials?|private[-_]?key|access[-_]?key|connection[-_]?string|(^|[-_.])pat|[-_.]key|routing[-_]?key|signature)$/i;
/**
 * camelCase names of the same (`gitPat`, `accountKey`, `routingKey`); case-sensitive, so that `spat` is no
 * secret, and for keys only after a word that makes them one: Kubernetes' own `topologyKey` (affinity)
 * names a label, not a key.
 */
const SECRET_NAMED_CAMEL = /([a-z0-9](Pat|PAT)|(account|access|api|private|secret|routing|shared|storage|master|primary|secondary|signing|encryption|subscription|integration|service|client|auth)(Key|KEY))$/i;

/** True when a key or env entry name says its value is a secret (`ADO_PAT`, `STORAGE_KEY`, `DB_PASSWORD`, `routingKey`). */
export function isSecretName(name: string): boolean {
  return SECRET_NAMED.test(name) || SECRET_NAMED_CAMEL.test(name);
}

/**
 * An annotation that names a Secret (`nginx.ingress.kubernetes.io/auth-secret: basic-auth`, or
 * `namespace/name`): its value is the Secret's name, not its content. Annotation keys have a prefix.
 */
function namesASecret(key: string, value: string): boolean {
  return key.includes('/') && /secret$/i.test(key) && value.length <= 253 && /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value);
}

/**
 * Text shaped like a credential, wherever it stands: what it is, or undefined. Never shown.
 * - Azure DevOps PATs: the current format is 84 characters of letters and digits with the fixed
 *   signature AZDO at positions 76-80; the older one 52 characters of base32 (a 256-bit key)
 *   (Microsoft Purview, "Azure DevOps personal access token" sensitive information type,
 *   learn.microsoft.com/purview/sit-defn-azure-devops-personal-access-token; the 84-character format
 *   is from Azure DevOps Sprint 241).
 * - Azure Storage connection strings (`AccountKey=`, `SharedAccessSignature=`) and SAS signatures (`sig=`).
 * - JWTs (`eyJ...` header and payload, base64url JSON).
 */
export function secretShape(text: string): string | undefined {
  if (/(^|[^A-Za-z0-9])[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}($|[^A-Za-z0-9])/.test(text)) return 'an Azure DevOps personal access token';
  const base32 = text.match(/(^|[^a-z0-9])([a-z2-7]{52})($|[^a-z0-9])/);
  if (base32 && (base32[2].match(/[2-7]/g) ?? []).length >= 2) return 'an Azure DevOps personal access token';
  if (/(^|[;\s])(AccountKey|SharedAccessSignature|SharedAccessKey)=/i.test(text)) return 'an Azure Storage connection string with its key';
  if (/(^|[?&;\s])sig=[^&;\s]{8,}/i.test(text)) return 'a shared access signature (sig=)';
  if (/eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/.test(text)) return 'a JSON Web Token';
  return undefined;
}
// Its value is never shown, not even masked.
const SECRET_NAMED_MESSAGE =
  'is named like a secret, and config values land in the state and the cluster in clear; take it from a Secret (postBuild.substituteFrom, secretName) or a sensitive variable, or rename the key if it is not a secret';

/** Keys that name the prototype machinery of JavaScript objects: never config fields. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** cdktf's token markers (`${TfToken[`, `#{TfToken[`, `&{TfToken[`): text holding one would be resolved as a reference. */
const TOKEN_MARKER = /[$#&]\{TfToken\[/;

/** Hosts whose webhook URLs carry their secret in the path or the query (Flux provider docs list them as such). */
const TOKEN_WEBHOOKS: readonly { readonly host: RegExp; readonly path?: RegExp; readonly name: string }[] = [
  { name: 'Slack webhook', host: /^hooks\.slack\.com$/ },
  { name: 'Microsoft Teams webhook', host: /(^|\.)webhook\.office\.com$/ },
  { name: 'Microsoft Teams webhook', host: /^outlook\.office(365)?\.com$/, path: /^\/webhook/i },
  { name: 'Teams workflow (Power Automate) URL', host: /(^|\.)(logic\.azure\.com|api\.powerplatform\.com)$/ },
  // Discord also serves the webhooks under versioned paths (/api/v10/webhooks/<id>/<token>).
  { name: 'Discord webhook', host: /^(\w+\.)?discord(app)?\.com$/, path: /^\/+api\/+(v\d+\/+)?webhooks\//i },
  { name: 'Google Chat webhook', host: /^chat\.googleapis\.com$/ },
  { name: 'Telegram bot URL', host: /^api\.telegram\.org$/ },
  { name: 'Lark/Feishu webhook', host: /^open\.(feishu\.cn|larksuite\.com)$/ },
  { name: 'Webex webhook', host: /^webexapis\.com$/ },
  { name: 'DingTalk webhook', host: /^oapi\.dingtalk\.com$/ },
  { name: 'WeCom webhook', host: /^qyapi\.weixin\.qq\.com$/ },
];
/** Query parameters that carry a credential (`?token=`, Google Chat's `key`, Azure SAS `sig`, Functions' `code`). */
const SECRET_QUERY_PARAM = /^(.*token|.*key|.*secret|sig|.*signature|sv|code|pass(word)?|pwd|auth(orization)?|.*credentials?)$/i;
const URL_LIKE = /^\s*[a-z][a-z0-9+.-]*:\/\//i;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Why the URL `text` must not be written in a config file, or undefined. */
export function urlSecretProblem(text: string): string | undefined {
  if (!URL_LIKE.test(text)) return undefined;
  const userinfo = text.trim().match(/^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]*)@/i);
  if (userinfo) {
    // Percent-encoded too: `user%3Apass@` is a password for every client that decodes it.
    if (decoded(userinfo[2]).includes(':')) return 'carries a password; give secrets through the sensitive variables, never in a URL';
    // A user name alone is a token for https:// and oci:// registries and git hosts (`https://<PAT>@...`);
    // an ssh:// user (git) and the organisation Azure DevOps puts in its https:// URLs are not.
    const scheme = userinfo[1].toLowerCase();
    if (/^https?$/.test(scheme)) {
      const problem = urlCredentialProblem(text);
      if (problem) return problem;
    } else if (!/^(git\+)?ssh$/.test(scheme)) {
      return 'carries a user name that may be a token; drop the "user@" part (credentials go through the sensitive variables or a Secret)';
    }
  }
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  // hooks.slack.com. (the fully qualified form, with its final dot) is the same host to every client.
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const webhook = TOKEN_WEBHOOKS.find((w) => w.host.test(host) && (!w.path || w.path.test(url.pathname)));
  if (webhook) return `is a ${webhook.name}, which holds its token; give it through a sensitive variable (addressFromVariable) or a Secret (secretName), never in the config`;
  if (/\/hooks\/[^/]{16,}/.test(url.pathname)) return 'looks like a webhook URL that holds its token in the path (/hooks/...); give it through a sensitive variable (addressFromVariable) or a Secret';
  const param = [...url.searchParams.keys()].find((k) => SECRET_QUERY_PARAM.test(k));
  if (param !== undefined) return `carries a credential in its query (${param}=); give it through a sensitive variable (addressFromVariable) or a Secret`;
  return undefined;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${/^[\w$-]+$/.test(key) ? key : JSON.stringify(key)}` : key;
}

/**
 * What every value of a parsed config must satisfy before the schema looks at it. Iterative, so a
 * deeply nested file gets an error, not a stack overflow.
 */
export function dataProblems(root: unknown, at = ''): Violation[] {
  const out: Violation[] = [];
  const stack: [unknown, string, number][] = [[root, at, 0]];
  while (stack.length > 0) {
    const [value, at, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (TOKEN_MARKER.test(value)) out.push({ path: at, value, message: 'holds a cdktf token marker (TfToken[...]); config strings are literal text' });
      const secret = urlSecretProblem(value);
      if (secret) out.push({ path: at, value, message: secret });
      const shape = secret ? undefined : secretShape(value);
      // Its value is never shown, not even masked.
      if (shape) out.push({ path: at, value: undefined, message: `holds what looks like ${shape}; give secrets through the sensitive variables or a Secret, never in the config` });
    } else if (typeof value === 'number') {
      // cdktf encodes number tokens as huge doubles; no config number is anywhere near 2^53.
      if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) out.push({ path: at, value, message: 'is not a number in the safe range' });
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= MAX_CONFIG_DEPTH) {
        out.push({ path: at, value: undefined, message: `is nested deeper than ${MAX_CONFIG_DEPTH} levels` });
        continue;
      }
      const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
      // Pushed last to first, so they are visited (and reported) in file order.
      for (const [key, child] of entries.reverse()) {
        const childAt = join(at, key);
        if (typeof key === 'string') {
          if (PROTOTYPE_KEYS.has(key)) {
            out.push({ path: childAt, value: undefined, message: `is not allowed as a key: "${key}" names JavaScript's object machinery, never a config field` });
            continue;
          }
          if (TOKEN_MARKER.test(key)) out.push({ path: childAt, value: undefined, message: 'is a key holding a cdktf token marker (TfToken[...]); config keys are literal text' });
        }
        stack.push([child, childAt, depth + 1]);
      }
    }
  }
  return out;
}

/**
 * Values that a config states are secrets, by their key or env entry name. Run on a config the schema
 * accepted (a file that is no config at all gets the schema's errors, which never show unknown fields).
 */
export function secretNamedProblems(root: unknown, at = ''): Violation[] {
  const out: Violation[] = [];
  const stack: [unknown, string][] = [[root, at]];
  while (stack.length > 0) {
    const [value, where] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, join(where, i)]));
      continue;
    }
    // The Kubernetes env shape ({ name: GITHUB_TOKEN, value: ... }, e.g. in chart values' extraEnv).
    const pair = value as { name?: unknown; value?: unknown };
    if (typeof pair.name === 'string' && typeof pair.value === 'string' && pair.value !== '' && isSecretName(pair.name)) {
      out.push({ path: join(where, 'value'), value: undefined, message: SECRET_NAMED_MESSAGE });
    }
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'string' && child !== '' && isSecretName(key) && !namesASecret(key, child)) out.push({ path: join(where, key), value: undefined, message: SECRET_NAMED_MESSAGE });
      else stack.push([child, join(where, key)]);
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** A long run of token-like characters with a digit and a letter (keys, JWT parts, PATs, base64). */
const SECRETISH_RUN = /[A-Za-z0-9+=_~-]{24,}/g;
const looksLikeToken = (run: string): boolean => /\d/.test(run) && /[A-Za-z]/.test(run);

/**
 * The form of a config value an error may show: URL credentials, query values and webhook paths
 * masked, long token-like runs cut to their first characters, long text shortened.
 */
export function maskValue(value: unknown): unknown {
  if (typeof value === 'string') return maskString(value);
  // JSON would show Infinity and NaN as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.map(maskValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskString(k), maskValue(v)]));
  }
  return value;
}

function maskString(text: string): string {
  // Only the first 100 characters are shown, and masking never shortens 1000 characters below that:
  // the rest is dropped first, so no pattern below runs over a megabyte of text.
  text = text.slice(0, 1000);
  let out = text.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, '$1***@');
  if (URL_LIKE.test(out)) {
    // [^=&#?]: with ? allowed there, a run of ??? made this quadratic.
    out = out.replace(/([?&][^=&#?]*=)[^&#]*/g, '$1***');
    try {
      const url = new URL(out.trim());
      if (TOKEN_WEBHOOKS.some((w) => w.host.test(url.hostname.toLowerCase().replace(/\.$/, ''))) || /\/hooks\//.test(url.pathname)) {
        out = `${url.protocol}//${url.host}/***`;
      }
    } catch {
      // not a URL after all: the run masking below still applies
    }
  }
  out = maskTokenRuns(out);
  return out.length > 100 ? `${out.slice(0, 97)}...` : out;
}

/** `text` with each long token-like run cut to its first four characters (for keys in error paths). */
export function maskTokenRuns(text: string): string {
  return text.replace(SECRETISH_RUN, (run) => (looksLikeToken(run) ? `${run.slice(0, 4)}***` : run));
}

/**
 * Offset of the first key that repeats a key of its object in JSON `text` (already known to be valid
 * JSON), or -1. JSON.parse keeps the last of two keys silently; YAML refuses them, and so does this.
 * A scan, not a second parser: it costs a fraction of a millisecond where the YAML parser took 100 ms
 * on a fleet of 100 clusters. Iterative, so deep nesting cannot overflow the stack.
 */
export function duplicateJsonKey(text: string): number {
  const frames: { keys: Set<string> | undefined; expectKey: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = frames[frames.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.keys.has(key)) return start;
        top.keys.add(key);
        top.expectKey = false;
      }
    } else if (c === '{') frames.push({ keys: new Set(), expectKey: true });
    else if (c === '[') frames.push({ keys: undefined, expectKey: false });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',' && frames[frames.length - 1]?.keys) frames[frames.length - 1].expectKey = true;
  }
  return -1;
}
