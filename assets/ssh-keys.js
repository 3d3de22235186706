#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Registers and revokes an SSH public key of the user whose token is used, in one Azure DevOps
 * organisation, through the SessionTokens API of the delegated-authorization service
 * (`https://vssps.dev.azure.com/{org}/_apis/Token/SessionTokens?isPublic=true`), which is what the
 * web UI's "SSH public keys" page drives. No Terraform provider manages these keys
 * (microsoft/terraform-provider-azuredevops#31), so the stack runs this script from local-exec
 * provisioners: `register` when the key is created, `revoke` when it is destroyed.
 *
 * Plain JavaScript with no dependencies: Terraform runs it with whatever `node` is on PATH, from the
 * stack's asset folder, long after `npm install`.
 *
 * Usage: node ssh-keys.js register|revoke|list
 * Input (environment):
 *   FLUX_SSH_KEY_ORGANIZATION   organisation name
 *   FLUX_SSH_KEY_PUBLIC         OpenSSH public key (register, revoke)
 *   FLUX_SSH_KEY_NAME           display name; the expiry date is appended (register, revoke)
 *   FLUX_SSH_KEY_VALID_TO       RFC 3339 expiry, at most one year ahead (register, revoke)
 *   AZDO_ENTRA_TOKEN            an Entra ID access token for Azure DevOps (Bearer), or
 *   AZDO_PERSONAL_ACCESS_TOKEN  a PAT (Basic), the variable the azuredevops provider reads
 *   AZDO_DEV_URL, AZDO_VSSPS_URL  service roots (tests point them at a local server)
 */

const LIST_API_VERSION = '7.0-preview.1';
const WRITE_API_VERSION = '5.0-preview.1';
/** Azure DevOps refuses keys valid for more than a year. */
const MAX_VALIDITY_DAYS = 366;
const DISPLAY_NAME_MAX = 128;
/** azure-devops/names.ts ORGANIZATION_NAME, restated (this file runs with no package beside it); a test keeps them equal. */
const ORGANIZATION_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/;
const ENTRA_HINT =
  'az account get-access-token --resource 499b84ac-1321-427f-aa17-267ca6975798 --query accessToken -o tsv';

class RegistrationError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'RegistrationError';
  }
}

/** `type base64` of an OpenSSH public key: the part that identifies it (the comment does not). */
function keyIdentity(/** @type {string | undefined} */ publicKey) {
  const [type, blob] = String(publicKey ?? '').trim().split(/\s+/);
  return type && blob ? `${type} ${blob}` : '';
}

/**
 * @typedef {{ organization: string, publicKey: string, name: string, validTo: string,
 *   token: { kind: 'entra' | 'pat', value: string }, devUrl: string, vsspsUrl: string,
 *   log: (line: string) => void, now?: Date }} Options
 */

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
  const entra = env.AZDO_ENTRA_TOKEN;
  const pat = env.AZDO_PERSONAL_ACCESS_TOKEN;
  if (!entra && !pat) missing.push('AZDO_ENTRA_TOKEN or AZDO_PERSONAL_ACCESS_TOKEN');
  if (missing.length > 0) throw new RegistrationError(`missing input: ${missing.join(', ')}`);
  return {
    organization,
    publicKey,
    name,
    validTo,
    // An Entra token is preferred: public reports show the SessionTokens API refusing some PATs.
    token: entra ? { kind: 'entra', value: entra } : { kind: 'pat', value: /** @type {string} */ (pat) },
    devUrl: (env.AZDO_DEV_URL || 'https://dev.azure.com').replace(/\/+$/, ''),
    vsspsUrl: (env.AZDO_VSSPS_URL || 'https://vssps.dev.azure.com').replace(/\/+$/, ''),
    log,
  };
}

/** @param {Options} o */
function checkKeyInputs(o) {
  if (!ORGANIZATION_NAME.test(o.organization)) {
    throw new RegistrationError(`organization ${JSON.stringify(o.organization)} is not an Azure DevOps organisation name`);
  }
  const identity = keyIdentity(o.publicKey);
  if (!identity.startsWith('ssh-rsa ')) {
    throw new RegistrationError(`the public key is ${identity.split(' ')[0] || 'empty'}; Azure DevOps accepts only ssh-rsa keys`);
  }
  const validTo = new Date(o.validTo);
  const now = o.now ?? new Date();
  if (Number.isNaN(validTo.getTime())) throw new RegistrationError(`FLUX_SSH_KEY_VALID_TO ${JSON.stringify(o.validTo)} is not an RFC 3339 time`);
  if (validTo <= now) throw new RegistrationError(`FLUX_SSH_KEY_VALID_TO ${o.validTo} is in the past`);
  if (validTo.getTime() - now.getTime() > MAX_VALIDITY_DAYS * 86400000) {
    throw new RegistrationError(`FLUX_SSH_KEY_VALID_TO ${o.validTo} is more than a year ahead; Azure DevOps keys last at most one year`);
  }
}

/** The name the key is registered under: it carries the expiry, so each registration is recognisable. */
function displayName(/** @type {Options} */ o) {
  const suffix = ` (until ${o.validTo.slice(0, 10)})`;
  const room = DISPLAY_NAME_MAX - suffix.length;
  const base = o.name.length > room ? `${o.name.slice(0, room - 1)}…` : o.name;
  return `${base}${suffix}`;
}

/**
 * One request; JSON in, JSON out. Turns every failure into a RegistrationError that says what to do.
 * @param {Options} o
 * @param {string} method
 * @param {string} url
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function call(o, method, url, body) {
  const authorization =
    o.token.kind === 'entra' ? `Bearer ${o.token.value}` : `Basic ${Buffer.from(`:${o.token.value}`).toString('base64')}`;
  /** @type {Response} */
  let response;
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
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(30000),
    });
  } catch (e) {
    throw new RegistrationError(`${method} ${url} failed: ${/** @type {Error} */ (e).message}`);
  }
  const text = await response.text();
  const what = `${method} ${url.split('?')[0]}`;
  const kind = o.token.kind === 'entra' ? 'Entra ID token (AZDO_ENTRA_TOKEN)' : 'PAT (AZDO_PERSONAL_ACCESS_TOKEN)';
  const refused = () =>
    new RegistrationError(
      `${what}: Azure DevOps refused the ${kind} (HTTP ${response.status}). Managing SSH keys needs a token of the ` +
        `user who owns the key: an Entra ID token works (AZDO_ENTRA_TOKEN=$(${ENTRA_HINT})); a PAT needs full access ` +
        'and is refused by some organisations. Or turn automatic registration off (azureDevOps.registerSshKey: false) ' +
        `and add the key by hand at ${o.devUrl}/${o.organization}/_usersSettings/keys.`,
    );
  if (response.status === 401 || response.status === 403 || (response.status >= 300 && response.status < 400)) throw refused();
  if (response.status >= 400) {
    let detail = text.slice(0, 300);
    try {
      detail = JSON.parse(text).message ?? detail;
    } catch {
      // not JSON: keep the text
    }
    throw new RegistrationError(`${what}: Azure DevOps answered HTTP ${response.status}: ${detail}`);
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A 203 with an HTML sign-in page is how Azure DevOps answers a token it does not accept.
    throw refused();
  }
}

/** @param {Options} o */
function tokensUrl(o, /** @type {string} */ suffix = '') {
  return `${o.vsspsUrl}/${encodeURIComponent(o.organization)}/_apis/Token/SessionTokens${suffix}`;
}

/**
 * Every SSH key of the token's user in the organisation.
 * @param {Options} o
 * @returns {Promise<{ authorizationId: string, displayName: string, publicData?: string, validTo?: string, isValid?: boolean }[]>}
 */
async function listKeys(o) {
  const answer = await call(o, 'GET', `${tokensUrl(o)}?isPublic=true&includePublicData=true&api-version=${LIST_API_VERSION}`);
  return Array.isArray(answer) ? answer : (answer?.value ?? []);
}

/** @param {Options} o */
async function organizationId(o) {
  const data = await call(o, 'GET', `${o.devUrl}/${encodeURIComponent(o.organization)}/_apis/connectionData`);
  if (!data?.instanceId) throw new RegistrationError(`connectionData of ${o.organization} has no instanceId`);
  return /** @type {string} */ (data.instanceId);
}

/**
 * Registers the key. Idempotent: a key already registered under this name is left as it is; the same
 * key under another name (an earlier expiry) is updated in place, because Azure DevOps does not hold
 * one public key twice. A failed create leaves nothing registered.
 * @param {Options} o
 * @returns {Promise<{ action: 'unchanged' | 'updated' | 'created', authorizationId: string }>}
 */
async function register(o) {
  checkKeyInputs(o);
  const name = displayName(o);
  const identity = keyIdentity(o.publicKey);
  const existing = (await listKeys(o)).filter((k) => keyIdentity(k.publicData) === identity);
  const same = existing.find((k) => k.displayName === name && k.isValid !== false);
  if (same) {
    o.log(`SSH key ${name} is already registered in ${o.organization} (${same.authorizationId}); nothing to do`);
    return { action: 'unchanged', authorizationId: same.authorizationId };
  }
  const targetAccounts = [await organizationId(o)];
  const body = { displayName: name, publicData: identity, validTo: new Date(o.validTo).toISOString(), scope: 'app_token', targetAccounts };
  const url = `${tokensUrl(o)}?isPublic=true&api-version=${WRITE_API_VERSION}`;
  if (existing.length > 0) {
    const updated = await call(o, 'POST', url, { ...body, authorizationId: existing[0].authorizationId });
    o.log(`SSH key ${name} updated in ${o.organization} (${existing[0].authorizationId})`);
    return { action: 'updated', authorizationId: updated?.authorizationId ?? existing[0].authorizationId };
  }
  try {
    const created = await call(o, 'POST', url, body);
    if (!created?.authorizationId) throw new RegistrationError('Azure DevOps created no key (its answer has no authorizationId)');
    o.log(`SSH key ${name} registered in ${o.organization} (${created.authorizationId})`);
    return { action: 'created', authorizationId: created.authorizationId };
  } catch (e) {
    // The create may have happened before the failure: remove what it left so Terraform's record
    // (nothing created) and Azure DevOps agree.
    const cleaned = await removeMatching(o, identity, name).catch(() => -1);
    const note = cleaned > 0 ? '; the partly created key was removed' : cleaned < 0 ? '; check the keys page for a leftover key' : '';
    throw new RegistrationError(`${/** @type {Error} */ (e).message}${note}`);
  }
}

/** @returns {Promise<number>} how many keys were removed */
async function removeMatching(/** @type {Options} */ o, /** @type {string} */ identity, /** @type {string} */ name) {
  const matching = (await listKeys(o)).filter((k) => keyIdentity(k.publicData) === identity && k.displayName === name);
  for (const key of matching) {
    await call(o, 'DELETE', `${tokensUrl(o, `/${encodeURIComponent(key.authorizationId)}`)}?isPublic=true&api-version=${WRITE_API_VERSION}`);
  }
  return matching.length;
}

/**
 * Revokes the key registered under this name. A key that is gone already is not an error; the same
 * key under another name belongs to a newer registration and is left alone.
 * @param {Options} o
 * @returns {Promise<{ revoked: number }>}
 */
async function revoke(o) {
  const name = displayName(o);
  const revoked = await removeMatching(o, keyIdentity(o.publicKey), name);
  o.log(revoked > 0 ? `SSH key ${name} revoked in ${o.organization}` : `SSH key ${name} is not registered in ${o.organization}; nothing to revoke`);
  return { revoked };
}

/**
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @param {{ out: (line: string) => void, err: (line: string) => void }} io
 * @returns {Promise<number>} exit code
 */
async function main(argv, env, io) {
  const command = argv[0];
  if (command !== 'register' && command !== 'revoke' && command !== 'list') {
    io.err('usage: ssh-keys.js register|revoke|list (inputs from the environment, see the file header)');
    return 2;
  }
  try {
    const o = optionsFromEnv(command, env, io.out);
    if (command === 'register') await register(o);
    else if (command === 'revoke') await revoke(o);
    else for (const k of await listKeys(o)) io.out(`${k.authorizationId}\t${k.validTo ?? ''}\t${k.displayName}`);
    return 0;
  } catch (e) {
    io.err(`flux-gitops ssh-key ${command}: ${e instanceof RegistrationError ? e.message : /** @type {Error} */ (e).stack}`);
    return 1;
  }
}

module.exports = { register, revoke, listKeys, main, displayName, keyIdentity, optionsFromEnv, RegistrationError, ORGANIZATION_NAME };

if (require.main === module) {
  main(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
