#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Registers and revokes an SSH public key of the user whose token is used, in one Azure DevOps
 * organisation, through the SessionTokens API of the delegated-authorization service
 * (`https://vssps.dev.azure.com/{org}/_apis/Token/SessionTokens`), the controller behind the web UI's
 * "SSH public keys" page. No Terraform provider manages these keys (microsoft/terraform-provider-azuredevops#31),
 * so the stack runs this script from local-exec provisioners: `register` when the registration is
 * created, `revoke` when it is destroyed. What the server does with each request is listed, with where
 * it was read, in __tests__/support/fake-azure-devops.ts.
 *
 * Plain JavaScript with no dependencies: Terraform runs it with whatever `node` is on PATH, from the
 * stack's asset folder, long after `npm install`.
 *
 * Usage: node ssh-keys.js register|revoke|list|expiry
 * `expiry` is the program of the stack's `data "external"` source (hashicorp/external): it reads its query
 * (`organization`, `public_key`, `valid_to`: the requested expiry) as a JSON object on stdin and prints
 * `{"valid_to": …, "source": …}`, the expiry Azure DevOps stored for the key (it clamps a requested one
 * beyond an organisation's maximum lifetime), or the requested one when it cannot be read (no token in the
 * environment, a refused token, the service unreachable, the key not listed): a plan on a machine without
 * a token must still work. The token comes from the environment, never from the query, so it is in neither
 * the configuration nor the state.
 * Input (environment):
 *   FLUX_SSH_KEY_ORGANIZATION   organisation name (case-insensitive, as Azure DevOps treats it)
 *   FLUX_SSH_KEY_PUBLIC         OpenSSH public key (register, revoke)
 *   FLUX_SSH_KEY_NAME           display name; the expiry date and the instance are appended (register, revoke)
 *   FLUX_SSH_KEY_VALID_TO       RFC 3339 expiry, at most one year ahead (register, revoke)
 *   FLUX_SSH_KEY_INSTANCE       the id of the Terraform resource that owns the registration (register, revoke):
 *                               revoke deletes only the registration this instance holds
 *   AZDO_ENTRA_TOKEN            a user's Entra ID access token for Azure DevOps (Bearer), or
 *   AZDO_PERSONAL_ACCESS_TOKEN  a user's PAT (Basic), the variable the azuredevops provider reads
 *   AZDO_DEV_URL, AZDO_VSSPS_URL  service roots: https only (plain http only on loopback, for tests)
 */

const LIST_API_VERSION = '7.0-preview.1';
const WRITE_API_VERSION = '5.0-preview.1';
/** Azure DevOps refuses keys valid for more than a year. */
const MAX_VALIDITY_DAYS = 366;
const DISPLAY_NAME_MAX = 128;
/** azure-devops/names.ts ORGANIZATION_NAME, restated (this file runs with no package beside it); a test keeps them equal. */
const ORGANIZATION_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/;
/** A Terraform resource id (null_resource ids are decimal numbers); it ends up in the display name. */
const INSTANCE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const ENTRA_HINT =
  'az account get-access-token --resource 499b84ac-1321-427f-aa17-267ca6975798 --query accessToken -o tsv';
/**
 * Retries of 429 and 5xx answers: bounded in count and in total time, so a deploy never hangs on a
 * throttled organisation. Azure DevOps sends Retry-After with 429 (learn.microsoft.com, "Rate and usage
 * limits", azure/devops/integrate/concepts/rate-limits).
 */
const DEFAULT_RETRY = { attempts: 5, budgetMs: 120000, baseMs: 1000 };
/**
 * `expiry` runs at every plan (Terraform re-reads data sources at each refresh) and only informs an
 * output: a throttled or unreachable organisation costs the plan seconds, not minutes.
 */
const EXPIRY_RETRY = { attempts: 3, budgetMs: 15000, baseMs: 1000 };

class RegistrationError extends Error {
  /**
   * @param {string} message
   * @param {{ status?: number, typeKey?: string }} [details]
   */
  constructor(message, details = {}) {
    super(message);
    this.name = 'RegistrationError';
    this.status = details.status;
    this.typeKey = details.typeKey;
  }
}

/**
 * An OpenSSH public key's type (`ssh-rsa`; '' for a bare blob) and base64 blob (`AAAAB3…`, '' when there
 * is none): the blob identifies the key, and Azure DevOps looks SSH logins up by it. Accepts both
 * `type blob [comment]` and a bare blob (key types contain a hyphen, the base64 alphabet does not).
 */
function parseKey(/** @type {string | undefined | null} */ publicKey) {
  if (!publicKey) return { type: '', blob: '' };
  const parts = publicKey.trim().split(/\s+/);
  if (parts.length >= 2 && parts[0].includes('-')) return { type: parts[0], blob: parts[1] };
  return { type: '', blob: parts.length === 1 && !parts[0].includes('-') ? parts[0] : '' };
}

/** The base64 blob of an OpenSSH public key, bare or `type blob [comment]`; '' when there is none. */
function keyBlob(/** @type {string | undefined | null} */ publicKey) {
  return parseKey(publicKey).blob;
}

/** Undoes the HTML encoding the server applies to display names (named and numeric references). */
function htmlDecode(/** @type {string | undefined} */ text) {
  /** @type {Record<string, string>} */
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return String(text ?? '').replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return named[ref.toLowerCase()] ?? whole;
  });
}

/**
 * @typedef {{ attempts: number, budgetMs: number, baseMs: number }} RetryPolicy
 * @typedef {{ organization: string, publicKey: string, name: string, validTo: string, instance: string,
 *   token: { kind: 'entra' | 'pat', value: string }, devUrl: string, vsspsUrl: string,
 *   log: (line: string) => void, now?: Date, retry?: RetryPolicy, sleep?: (ms: number) => Promise<void>,
 *   timeoutMs?: number, onHeaders?: (headers: Headers) => void }} Options
 * @typedef {{ authorizationId: string, displayName?: string, publicData?: string, validTo?: string,
 *   isValid?: boolean, targetAccounts?: string[] }} ListedKey
 */

/** Which token variable, for messages: never its value. */
function tokenKind(/** @type {Options} */ o) {
  return o.token.kind === 'entra' ? 'Entra ID token (AZDO_ENTRA_TOKEN)' : 'PAT (AZDO_PERSONAL_ACCESS_TOKEN)';
}

/**
 * A service root from the environment: https, or http on a loopback address (the tests' local server).
 * Anything else would send the token in the clear or to an unexpected place.
 */
function serviceRoot(/** @type {string} */ name, /** @type {string | undefined} */ value, /** @type {string} */ fallback) {
  if (!value) return fallback;
  /** @type {URL} */
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new RegistrationError(`${name} is not a URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.username || url.password) throw new RegistrationError(`${name} must not carry credentials`);
  if (url.search || url.hash) throw new RegistrationError(`${name} must be a bare service root (no query or fragment)`);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new RegistrationError(`${name} ${url.origin} must be an https:// URL (plain http only on a loopback address, for tests)`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * A token as a header value. A malformed one is refused without showing it: a bad header value makes
 * fetch throw an error that quotes the whole header, token included.
 */
function checkedToken(/** @type {string} */ name, /** @type {string} */ value) {
  const token = value.trim();
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new RegistrationError(
      `${name} is not a usable token: it contains spaces, line breaks or non-ASCII characters (its value is not shown). ` +
        'Set it to the bare token, e.g. from a command substitution.',
    );
  }
  return token;
}

/**
 * Reads the options from the environment; throws a RegistrationError naming every missing input.
 * @param {string} command
 * @param {NodeJS.ProcessEnv} env
 * @param {(line: string) => void} log
 * @returns {Options}
 */
function optionsFromEnv(command, env, log) {
  const missing = [];
  const need = (/** @type {string} */ name, /** @type {boolean} */ required) => {
    const value = env[name];
    if (!value && required) missing.push(name);
    return value ?? '';
  };
  const keyed = command !== 'list';
  const organization = need('FLUX_SSH_KEY_ORGANIZATION', true);
  const publicKey = need('FLUX_SSH_KEY_PUBLIC', keyed);
  const name = need('FLUX_SSH_KEY_NAME', keyed);
  const validTo = need('FLUX_SSH_KEY_VALID_TO', keyed);
  const instance = need('FLUX_SSH_KEY_INSTANCE', keyed);
  const entra = env.AZDO_ENTRA_TOKEN;
  const pat = env.AZDO_PERSONAL_ACCESS_TOKEN;
  if (!entra && !pat) missing.push('AZDO_ENTRA_TOKEN or AZDO_PERSONAL_ACCESS_TOKEN');
  if (missing.length > 0) throw new RegistrationError(`missing input: ${missing.join(', ')}`);
  return {
    organization,
    publicKey,
    name,
    validTo,
    instance,
    // An Entra token is preferred: public reports show the SessionTokens API refusing some PATs.
    token: entra
      ? { kind: 'entra', value: checkedToken('AZDO_ENTRA_TOKEN', entra) }
      : { kind: 'pat', value: checkedToken('AZDO_PERSONAL_ACCESS_TOKEN', /** @type {string} */ (pat)) },
    devUrl: serviceRoot('AZDO_DEV_URL', env.AZDO_DEV_URL, 'https://dev.azure.com'),
    vsspsUrl: serviceRoot('AZDO_VSSPS_URL', env.AZDO_VSSPS_URL, 'https://vssps.dev.azure.com'),
    log,
  };
}

/** @param {Options} o */
function checkOrganization(o) {
  if (!ORGANIZATION_NAME.test(o.organization)) {
    throw new RegistrationError(`organization ${JSON.stringify(o.organization)} is not an Azure DevOps organisation name`);
  }
}

/** @param {Options} o */
function checkKeyInputs(o) {
  checkOrganization(o);
  const { type, blob } = parseKey(o.publicKey);
  if (type !== 'ssh-rsa' || !blob) {
    throw new RegistrationError(`the public key is ${type || 'not an OpenSSH public key'}; Azure DevOps accepts only ssh-rsa keys`);
  }
  if (!INSTANCE_ID.test(o.instance)) throw new RegistrationError(`FLUX_SSH_KEY_INSTANCE ${JSON.stringify(o.instance)} is not a resource id`);
  const validTo = new Date(o.validTo);
  const now = o.now ?? new Date();
  if (Number.isNaN(validTo.getTime())) throw new RegistrationError(`FLUX_SSH_KEY_VALID_TO ${JSON.stringify(o.validTo)} is not an RFC 3339 time`);
  if (validTo <= now) throw new RegistrationError(`FLUX_SSH_KEY_VALID_TO ${o.validTo} is in the past`);
  if (validTo.getTime() - now.getTime() > MAX_VALIDITY_DAYS * 86400000) {
    throw new RegistrationError(`FLUX_SSH_KEY_VALID_TO ${o.validTo} is more than a year ahead; Azure DevOps keys last at most one year`);
  }
}

/** What ends every display name this instance registers: how revoke knows its own registration. */
function instanceMarker(/** @type {Options} */ o) {
  return ` [${o.instance}]`;
}

/**
 * The name the key is registered under: the caller's name, the expiry and the owning instance. Kept
 * ASCII (the server HTML-encodes the rest, which would lengthen it).
 */
function displayName(/** @type {Options} */ o, /** @type {string} */ validTo = o.validTo) {
  const suffix = ` (until ${new Date(validTo).toISOString().slice(0, 10)})${instanceMarker(o)}`;
  const room = DISPLAY_NAME_MAX - suffix.length;
  const base = o.name.length > room ? `${o.name.slice(0, room - 3)}...` : o.name;
  return `${base}${suffix}`;
}

function isMine(/** @type {Options} */ o, /** @type {ListedKey} */ key) {
  return htmlDecode(key.displayName).endsWith(instanceMarker(o));
}

/** Seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now; undefined when absent or unreadable. */
function retryAfterMs(/** @type {string | null} */ header, /** @type {number} */ now) {
  if (!header) return undefined;
  // No trim: fetch's Headers strip leading and trailing whitespace from values (Fetch standard, "normalize").
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Removes anything token-like from a message, should a lower layer ever quote it. */
function scrub(/** @type {Options} */ o, /** @type {string} */ text) {
  const basic = Buffer.from(`:${o.token.value}`).toString('base64');
  return text.split(o.token.value).join('***').split(basic).join('***');
}

/**
 * One request; JSON in, JSON out. Retries 429 and 5xx within the retry policy; turns every failure into
 * a RegistrationError that says what to do and never quotes the token.
 * @param {Options} o
 * @param {string} method
 * @param {string} url
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function call(o, method, url, body) {
  const policy = o.retry ?? DEFAULT_RETRY;
  const sleep = o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const started = Date.now();
  const what = `${method} ${url.split('?')[0]}`;
  for (let attempt = 1; ; attempt++) {
    const authorization =
      o.token.kind === 'entra' ? `Bearer ${o.token.value}` : `Basic ${Buffer.from(`:${o.token.value}`).toString('base64')}`;
    /** @type {Response | undefined} */
    let response;
    /** @type {string | undefined} set when there is no response */
    let failure;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          // Without it an unauthenticated call is redirected to a sign-in page instead of failing.
          'x-tfs-fedauthredirect': 'Suppress',
        },
        body: JSON.stringify(body), // undefined for undefined: no body
        // Never follow a redirect: it would carry the Authorization header to wherever it points.
        redirect: 'manual',
        signal: AbortSignal.timeout(o.timeoutMs ?? 30000),
      });
    } catch (e) {
      failure = scrub(o, /** @type {Error} */ (e).message);
    }
    const status = response?.status ?? 0;
    if (!response || status === 429 || status >= 500) {
      const hint = response ? retryAfterMs(response.headers.get('retry-after'), Date.now()) : undefined;
      const wait = hint ?? Math.min(policy.baseMs * 2 ** (attempt - 1), 30000) * (0.75 + Math.random() / 2);
      const reason = response ? `HTTP ${status}` : failure;
      if (attempt < policy.attempts && Date.now() - started + wait <= policy.budgetMs) {
        o.log(`${what}: ${reason}; retrying in ${Math.ceil(wait / 1000)} s (attempt ${attempt + 1} of ${policy.attempts})`);
        await response?.text().catch(() => undefined);
        await sleep(wait);
        continue;
      }
      if (!response) throw new RegistrationError(`${what} failed after ${attempt} attempt(s): ${failure}`);
      const detail = errorDetail(await response.text());
      const asked = Math.ceil((hint ?? 0) / 1000);
      throw new RegistrationError(
        `${what}: Azure DevOps answered HTTP ${status} ${attempt} time(s)` +
          (asked > 0 ? ` and asks to wait ${asked} s more` : '') +
          `; giving up${detail.message ? `: ${detail.message}` : ''}. Run the deploy again later.`,
        { status, typeKey: detail.typeKey },
      );
    }
    return answer(o, what, url, response);
  }
}

/** The message and typeKey of an Azure DevOps error body (`{ message, typeKey, … }`), or its text. */
function errorDetail(/** @type {string} */ text) {
  try {
    const json = JSON.parse(text);
    return { message: String(json.message ?? ''), typeKey: String(json.typeKey ?? json.typeName ?? '') };
  } catch {
    return { message: text.slice(0, 300), typeKey: '' };
  }
}

/**
 * @param {Options} o
 * @param {string} what
 * @param {string} url
 * @param {Response} response
 */
async function answer(o, what, url, response) {
  const status = response.status;
  // Paged lists (refs) carry their continuation token in a header.
  o.onHeaders?.(response.headers);
  const text = await response.text();
  if (status >= 400) {
    const detail = errorDetail(text);
    // InvalidUserType (a 400 on create) and the SessionTokens filter's 403: not a user's token.
    if (/InvalidUserType/i.test(`${detail.typeKey} ${detail.message}`) || (status === 403 && /\/_apis\/Token\/SessionTokens/i.test(url))) {
      throw new RegistrationError(userTokenNeeded(o, what, status, detail.typeKey || detail.message), { status, typeKey: 'InvalidUserType' });
    }
    if (status === 401 || status === 403) throw refused(o, what, status);
    throw new RegistrationError(`${what}: Azure DevOps answered HTTP ${status}: ${scrub(o, detail.message)}`, { status, typeKey: detail.typeKey });
  }
  // Like a 401: a 3xx (never followed) and a 203 sign-in page are how Azure DevOps turns a token down.
  if (status === 203 || status >= 300) throw refused(o, what, status);
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw refused(o, what, status);
  }
}

function refused(/** @type {Options} */ o, /** @type {string} */ what, /** @type {number} */ status) {
  return new RegistrationError(
    `${what}: Azure DevOps refused the ${tokenKind(o)} (HTTP ${status}). Managing SSH keys needs a token of the ` +
      `user who owns the key: an Entra ID token works (AZDO_ENTRA_TOKEN=$(${ENTRA_HINT}), signed in as a user); a PAT needs full access ` +
      'and is refused by some organisations. Or turn automatic registration off (azureDevOps.registerSshKey: false) ' +
      `and add the key by hand at ${o.devUrl}/${o.organization}/_usersSettings/keys.`,
    { status },
  );
}

/** The answer for a service principal or managed identity, which the controller refuses. */
function userTokenNeeded(/** @type {Options} */ o, /** @type {string} */ what, /** @type {number} */ status, /** @type {string} */ reason) {
  return (
    `${what}: Azure DevOps registers SSH keys only for users, and the ${tokenKind(o)} belongs to a service principal ` +
    `or managed identity (HTTP ${status}${reason ? ` ${reason.slice(0, 80)}` : ''}). Either run this deploy once with a user's token ` +
    `(AZDO_ENTRA_TOKEN=$(${ENTRA_HINT}) after \`az login\` as a user, or a user's PAT in AZDO_PERSONAL_ACCESS_TOKEN; it is needed again ` +
    'only when the key is rotated, renewed or revoked), or let Flux authenticate without a user key: `auth: workload-identity` ' +
    '(Flux >= 2.4) or `auth: https` with a PAT (TF_VAR_flux_git_pat); or set azureDevOps.registerSshKey: false and add the key by hand ' +
    `at ${o.devUrl}/${o.organization}/_usersSettings/keys.`
  );
}

/** @param {Options} o */
function tokensUrl(o, /** @type {string} */ suffix = '') {
  return `${o.vsspsUrl}/${encodeURIComponent(o.organization)}/_apis/Token/SessionTokens${suffix}`;
}

/**
 * Every public key of the token's user, in every organisation (the list is per user, not per organisation).
 * @param {Options} o
 * @returns {Promise<ListedKey[]>}
 */
async function listKeys(o) {
  const answer = await call(o, 'GET', `${tokensUrl(o)}?isPublic=true&includePublicData=true&api-version=${LIST_API_VERSION}`);
  return Array.isArray(answer) ? answer : (answer?.value ?? []);
}

/** The organisation's id, which `targetAccounts` holds. */
async function organizationId(/** @type {Options} */ o) {
  const data = await call(o, 'GET', `${o.devUrl}/${encodeURIComponent(o.organization)}/_apis/connectionData`);
  if (!data?.instanceId) throw new RegistrationError(`connectionData of ${o.organization} has no instanceId`);
  return /** @type {string} */ (data.instanceId);
}

/** The keys of this organisation whose blob is `blob` (bare or `type blob comment` in the answer). */
async function keysOfBlob(/** @type {Options} */ o, /** @type {string} */ orgId, /** @type {string} */ blob) {
  const org = orgId.toLowerCase();
  return (await listKeys(o)).filter(
    (k) => k.targetAccounts?.some((a) => String(a).toLowerCase() === org) && keyBlob(k.publicData) === blob,
  );
}

/**
 * Registers the key for this instance. Idempotent: the instance's own registration is left as it is.
 * Azure DevOps holds one public key once per organisation, so a registration of the same key made by
 * another instance (a replacement, a renewal) or by hand is taken over: renamed to this instance, with
 * this expiry; the other instance's revoke then finds nothing of its own. "Registered" is said only of
 * a key the list call returns.
 * @param {Options} o
 * @returns {Promise<{ action: 'unchanged' | 'updated' | 'taken over' | 'created', authorizationId: string, validTo: string }>}
 */
async function register(o) {
  checkKeyInputs(o);
  const blob = keyBlob(o.publicKey);
  const orgId = await organizationId(o);
  const requested = new Date(o.validTo).toISOString();
  const url = `${tokensUrl(o)}?isPublic=true&tokenType=Compact&api-version=${WRITE_API_VERSION}`;
  const body = (/** @type {string} */ validTo) => ({
    displayName: displayName(o, validTo),
    // The bare blob: SSH logins look the key up by it; `ssh-rsa … comment` would be stored but never match.
    publicData: blob,
    validTo,
    scope: 'app_token',
    isPublic: true,
    targetAccounts: [orgId],
  });
  const existing = await keysOfBlob(o, orgId, blob);
  const mine = existing.find((k) => isMine(o, k) && k.isValid !== false && k.publicData === blob);
  if (mine) {
    o.log(`SSH key ${htmlDecode(mine.displayName)} is already registered in ${o.organization} (${mine.authorizationId}); nothing to do`);
    return { action: 'unchanged', authorizationId: mine.authorizationId, validTo: mine.validTo ?? requested };
  }
  // Only a registration stored as the bare blob serves SSH logins; one stored as `type blob comment`
  // is recognised but left to its owner, and a bare one is created beside it.
  const usable = existing.find((k) => k.publicData === blob);
  /** @type {'updated' | 'taken over' | 'created'} */
  let action;
  /** @type {string} */
  let authorizationId;
  if (usable) {
    await call(o, 'POST', url, { ...body(requested), authorizationId: usable.authorizationId });
    action = isMine(o, usable) ? 'updated' : 'taken over';
    authorizationId = usable.authorizationId;
  } else {
    if (existing.length > 0) {
      o.log(`note: ${o.organization} holds this key as "${htmlDecode(existing[0].displayName)}" with its type and comment, which SSH logins do not find; registering the bare key`);
    }
    try {
      const created = await call(o, 'POST', url, body(requested));
      authorizationId = created?.authorizationId ?? '';
      action = 'created';
    } catch (e) {
      // DuplicateHash: the key is registered already (a create that failed after storing, or a race).
      if (!/DuplicateHash/i.test(`${/** @type {RegistrationError} */ (e).typeKey} ${/** @type {Error} */ (e).message}`)) throw e;
      const stored = (await keysOfBlob(o, orgId, blob)).find((k) => k.publicData === blob);
      if (!stored) {
        throw new RegistrationError(
          `Azure DevOps already holds this key in ${o.organization} (DuplicateHash), but its list of the user's keys does not ` +
            `return it for this organisation, so it cannot be taken over: is it another user's? Check ${o.devUrl}/${o.organization}/_usersSettings/keys.`,
        );
      }
      if (!isMine(o, stored)) await call(o, 'POST', url, { ...body(requested), authorizationId: stored.authorizationId });
      action = isMine(o, stored) ? 'created' : 'taken over';
      authorizationId = stored.authorizationId;
    }
  }
  // Read it back: the server answers a create it does not store (a self-describing token) just as one it does.
  let stored = (await keysOfBlob(o, orgId, blob)).find((k) => isMine(o, k) && k.publicData === blob);
  if (!stored) {
    throw new RegistrationError(
      `Azure DevOps answered the registration (${authorizationId || 'no authorizationId'}) but does not list the key in ${o.organization}: ` +
        `it is NOT registered and Flux cannot fetch with it. Check ${o.devUrl}/${o.organization}/_usersSettings/keys, or add it there by hand.`,
    );
  }
  // The server clamps an expiry beyond the organisation's maximum lifetime: say the stored one, in the
  // name too, since that is what the keys page shows.
  const storedTo = stored.validTo ? new Date(stored.validTo).toISOString() : requested;
  if (storedTo.slice(0, 10) !== requested.slice(0, 10)) {
    await call(o, 'POST', url, { ...body(storedTo), authorizationId: stored.authorizationId });
    stored = { ...stored, displayName: displayName(o, storedTo) };
    o.log(
      `warning: Azure DevOps shortened the registration to ${storedTo} (requested ${requested}): the key stops working then ` +
        '(the ssh_key_expires_at output reads this stored date back); renew it before.',
    );
  }
  o.log(`SSH key ${htmlDecode(stored.displayName)} ${action === 'created' ? 'registered' : action} in ${o.organization} (${authorizationId}), valid until ${storedTo}`);
  return { action, authorizationId, validTo: storedTo };
}

/**
 * Revokes this instance's registration of the key, and nothing else: a registration another instance
 * took over carries that instance's name and is left alone. Gone already is not an error.
 * @param {Options} o
 * @returns {Promise<{ revoked: number }>}
 */
async function revoke(o) {
  checkOrganization(o);
  const blob = keyBlob(o.publicKey);
  const orgId = await organizationId(o);
  const mine = (await keysOfBlob(o, orgId, blob)).filter((k) => isMine(o, k));
  for (const key of mine) {
    // The server answers 200 with an empty body; 204 is taken alike.
    await call(o, 'DELETE', `${tokensUrl(o, `/${encodeURIComponent(key.authorizationId)}`)}?isPublic=true&api-version=${WRITE_API_VERSION}`);
  }
  const name = displayName(o);
  o.log(
    mine.length > 0
      ? `SSH key ${name} revoked in ${o.organization}`
      : `SSH key ${name} holds no registration in ${o.organization} (gone, or taken over by a newer one); nothing to revoke`,
  );
  return { revoked: mine.length };
}

/** RFC 3339 in UTC, to the second when that is exact (the form time_offset's `rfc3339` has). */
function rfc3339(/** @type {Date} */ date) {
  // toISOString always ends in `.sssZ`, so `.000Z` can only be its end.
  return date.toISOString().replace('.000Z', 'Z');
}

/**
 * The expiry Azure DevOps stored for the key in the organisation, for the `data "external"` source.
 * Never fails for the service's sake: the answer falls back to the requested expiry and says why in
 * `source` (and on stderr, which Terraform logs at TRACE level). Only a malformed query is an error.
 * @param {unknown} query the data source's `query`, as the external provider sends it on stdin
 * @param {NodeJS.ProcessEnv} env
 * @param {{ log?: (line: string) => void, retry?: RetryPolicy, sleep?: (ms: number) => Promise<void> }} [extra]
 * @returns {Promise<{ valid_to: string, source: string }>}
 */
async function storedExpiry(query, env, extra = {}) {
  // Object(): null and undefined become {}; a string or an array has none of the fields.
  const q = /** @type {Record<string, unknown>} */ (Object(query));
  const missing = ['organization', 'public_key', 'valid_to'].filter((k) => typeof q[k] !== 'string' || q[k] === '');
  if (missing.length > 0) throw new RegistrationError(`the query lacks ${missing.join(', ')}`);
  const organization = /** @type {string} */ (q.organization);
  const blob = keyBlob(/** @type {string} */ (q.public_key));
  const requestedDate = new Date(/** @type {string} */ (q.valid_to));
  if (!ORGANIZATION_NAME.test(organization)) {
    throw new RegistrationError(`organization ${JSON.stringify(organization)} is not an Azure DevOps organisation name`);
  }
  if (!blob) throw new RegistrationError('public_key is not an OpenSSH public key');
  if (Number.isNaN(requestedDate.getTime())) throw new RegistrationError(`valid_to ${JSON.stringify(q.valid_to)} is not an RFC 3339 time`);
  const log = extra.log ?? (() => undefined);
  const requested = /** @type {string} */ (q.valid_to);
  const fallback = (/** @type {string} */ reason) => {
    log(`the stored expiry of the SSH key in ${organization} was not read (${reason}); using the requested ${requested}`);
    return { valid_to: requested, source: `requested: ${reason}` };
  };
  if (!env.AZDO_ENTRA_TOKEN && !env.AZDO_PERSONAL_ACCESS_TOKEN) {
    return fallback('no AZDO_ENTRA_TOKEN or AZDO_PERSONAL_ACCESS_TOKEN in the environment');
  }
  try {
    const o = {
      ...optionsFromEnv('list', { ...env, FLUX_SSH_KEY_ORGANIZATION: organization }, log),
      retry: extra.retry ?? EXPIRY_RETRY,
      sleep: extra.sleep,
    };
    const orgId = await organizationId(o);
    // The one registration SSH logins use: stored as the bare blob (one per organisation, DuplicateHash).
    const stored = (await keysOfBlob(o, orgId, blob)).find((k) => k.publicData === blob);
    if (!stored) return fallback(`the key is not registered in ${organization}`);
    const at = new Date(stored.validTo ?? NaN);
    if (Number.isNaN(at.getTime())) return fallback(`Azure DevOps lists the key in ${organization} without a validTo`);
    // The same instant keeps the requested spelling, so an unclamped key's output never changes form.
    return { valid_to: at.getTime() === requestedDate.getTime() ? requested : rfc3339(at), source: 'azure-devops' };
  } catch (e) {
    if (!(e instanceof RegistrationError)) throw e;
    return fallback(e.message);
  }
}

/** Everything on a stream, decoded once whole (a UTF-8 character may straddle two chunks). */
async function readAll(/** @type {AsyncIterable<Buffer>} */ stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The command line, with its streams passed in (the script's entry hands it the process's own).
 * @param {string[]} argv the arguments after the script's path
 * @param {NodeJS.ProcessEnv} env
 * @param {{ out: (line: string) => void, err: (line: string) => void, stdin: AsyncIterable<Buffer> }} io
 * @returns {Promise<number>} exit code: 0 done, 1 failed (one line on stderr), 2 usage
 */
async function main(argv, env, io) {
  const command = argv[0];
  if (command !== 'register' && command !== 'revoke' && command !== 'list' && command !== 'expiry') {
    io.err('usage: ssh-keys.js register|revoke|list|expiry (inputs from the environment, see the file header)');
    return 2;
  }
  try {
    if (command === 'expiry') {
      /** @type {unknown} */
      let query;
      try {
        query = JSON.parse(await readAll(io.stdin));
      } catch {
        throw new RegistrationError('stdin is not the JSON object of the data source query');
      }
      // One JSON object of strings on stdout: the external provider's protocol.
      io.out(scrubSecrets(env, JSON.stringify(await storedExpiry(query, env, { log: (line) => io.err(scrubSecrets(env, line)) }))));
      return 0;
    }
    const o = optionsFromEnv(command, env, io.out);
    if (command === 'register') await register(o);
    else if (command === 'revoke') await revoke(o);
    else {
      checkOrganization(o);
      const org = (await organizationId(o)).toLowerCase();
      for (const k of await listKeys(o)) {
        if (k.targetAccounts?.some((a) => String(a).toLowerCase() === org)) {
          io.out(`${k.authorizationId}\t${k.validTo ?? ''}\t${htmlDecode(k.displayName)}`);
        }
      }
    }
    return 0;
  } catch (e) {
    const message = e instanceof RegistrationError ? e.message : String(/** @type {Error} */ (e).stack);
    io.err(`flux-gitops ssh-key ${command}: ${scrubSecrets(env, message)}`);
    return 1;
  }
}

/** Belt and braces: no line printed may carry a token, whatever layer produced it. */
function scrubSecrets(/** @type {NodeJS.ProcessEnv} */ env, /** @type {string} */ text) {
  let safe = text;
  for (const secret of [env.AZDO_ENTRA_TOKEN, env.AZDO_PERSONAL_ACCESS_TOKEN]) {
    if (secret && secret.trim().length >= 4) safe = safe.split(secret.trim()).join('***');
  }
  return safe;
}

/**
 * The script as a program: a process's argv, environment and standard streams in, its exit code out.
 * @param {Pick<NodeJS.Process, 'argv' | 'env' | 'stdin' | 'stdout' | 'stderr' | 'exitCode'>} proc
 */
async function run(proc) {
  proc.exitCode = await main(proc.argv.slice(2), proc.env, {
    out: (line) => proc.stdout.write(`${line}\n`),
    err: (line) => proc.stderr.write(`${line}\n`),
    stdin: proc.stdin,
  });
}

module.exports = {
  register,
  revoke,
  listKeys,
  organizationId,
  request: call,
  storedExpiry,
  main,
  run,
  displayName,
  keyBlob,
  htmlDecode,
  optionsFromEnv,
  RegistrationError,
  ORGANIZATION_NAME,
  DEFAULT_RETRY,
};

if (require.main === module) run(process);
