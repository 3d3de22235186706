import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { LiteralStrings } from './literal-strings';
import { AZURE_DEVOPS_SSH_HOST } from '../azure-devops/urls';

/**
 * The RSA host key of ssh.dev.azure.com. Microsoft publishes its fingerprint,
 * SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og; a test recomputes it from this key.
 * Pinned rather than scanned at deploy time: a scan trusts whatever answers on first use.
 */
export const AZURE_DEVOPS_HOST_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7Hr1oTWqNqOlzGJOfGJ4NakVyIzf1rXYd4d7wo6jBlkLvCA4odBlL0mDUyZ0/QUfTTqeu+tm22gOsv+' +
  'VrVTMk6vwRU75gY/y9ut5Mb3bR5BV58dKXyq9A9UeB5Cakehn5Zgm6x1mKoVyf+FFn26iYqXJRgzIZZcZ5V6hrE0Qg39kZm4az48o0AUbf6Sp4SLdvnuMa' +
  '2sVNwHBboS7EJkm57XQPVU3/QpyNLHbWDdzwtrlS+ez30S3AdYhLKEOxAG8weOnyrtLJAUen9mTkol8oII1edf7mWWbWVf0nBmly21+nZcmCTISQBtdcyPa' +
  'Eno7fFQMDD26/s0lfKob4Kw8H';

/** Microsoft's published fingerprint of {@link AZURE_DEVOPS_HOST_KEY}. */
export const AZURE_DEVOPS_HOST_KEY_FINGERPRINT = 'SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og';

/**
 * The known_hosts line for Azure Repos. Only ssh.dev.azure.com: URLs on the legacy
 * vs-ssh.visualstudio.com host are rewritten to it (see azure-devops/urls.ts), so nothing else is trusted.
 */
export const AZURE_DEVOPS_KNOWN_HOSTS_LINE = `ssh.dev.azure.com ${AZURE_DEVOPS_HOST_KEY}`;

const KEY_TYPES = [
  'ssh-rsa',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];

/** `SHA256:<base64 without padding>` of an SSH public key blob, the form `ssh-keygen -l` prints. */
export function sshFingerprintSha256(base64Blob: string): string {
  const digest = createHash('sha256').update(Buffer.from(base64Blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** One known_hosts line, parsed: optional marker, host patterns, key type and base64 key. */
export interface KnownHostsEntry {
  readonly marker?: '@cert-authority' | '@revoked';
  readonly hosts: string;
  readonly keyType: string;
  readonly key: string;
  readonly fingerprint: string;
}

/**
 * Parses one known_hosts line (`[marker] hosts keytype base64key [comment]`) and checks that the key
 * blob is well-formed and of the type the line claims. Throws with the line and what is wrong.
 */
export function parseKnownHostsLine(line: string): KnownHostsEntry {
  const fields = line.trim().split(/\s+/);
  const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
  const [hosts, keyType, key] = fields;
  const fail = (why: string): never => {
    throw new Error(`known_hosts line ${JSON.stringify(line)} ${why}; expected "[@cert-authority|@revoked] host[,host...] keytype base64key"`);
  };
  if (marker !== undefined && marker !== '@cert-authority' && marker !== '@revoked') fail(`has an unknown marker ${marker}`);
  // split() leaves no empty field: a line without a third field has fewer than three.
  if (!key) return fail('has too few fields');
  if (!KEY_TYPES.includes(keyType)) fail(`has key type ${keyType}, not one of ${KEY_TYPES.join(', ')}`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key)) fail('has a key that is not base64');
  // The blob starts with the key type as an SSH string: uint32 length, then the name; the key follows.
  // A length that runs to or past the blob's end (an empty name reads as "") names no type.
  const blob = Buffer.from(key, 'base64');
  const nameLength = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const embedded = 4 + nameLength < blob.length ? blob.subarray(4, 4 + nameLength).toString('latin1') : '';
  if (embedded !== keyType) fail(`has a ${embedded || 'malformed'} key blob under the type ${keyType}`);
  // OpenSSH and Go's knownhosts read * and ? in host patterns: "* ssh-ed25519 ..." would trust that key
  // for every host, Azure DevOps included, next to its pinned key. A rotated Azure DevOps key is written
  // for ssh.dev.azure.com by name, where a reader sees it.
  const wildcard = hosts.split(',').find((h) => /[*?]/.test(h) && !h.startsWith('!') && globMatches(h, [AZURE_DEVOPS_SSH_HOST, `[${AZURE_DEVOPS_SSH_HOST}]:22`]));
  if (wildcard !== undefined) fail(`has the host pattern ${wildcard}, which also matches ${AZURE_DEVOPS_SSH_HOST}; name the hosts (write ${AZURE_DEVOPS_SSH_HOST} itself for a rotated Azure DevOps key)`);
  return { marker: marker as KnownHostsEntry['marker'], hosts, keyType, key, fingerprint: sshFingerprintSha256(key) };
}

/** True when the known_hosts pattern `pattern` (* and ? wildcards, case-insensitive) matches one of `hosts`. */
function globMatches(pattern: string, hosts: readonly string[]): boolean {
  return hosts.some((h) => glob(pattern.toLowerCase(), h.toLowerCase()));
}

/** Wildcard match by the two-pointer method, linear in practice: a regex of many `.*` backtracks exponentially. */
function glob(p: string, s: string): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  // Past the pattern's end p[i] is undefined, which is neither a wildcard nor a character of s.
  while (j < s.length) {
    if (p[i] === '?' || p[i] === s[j]) {
      i++;
      j++;
    } else if (p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else {
      return false;
    }
  }
  while (p[i] === '*') i++;
  return i === p.length;
}

/** True when some entry pins `host` (plain host lists only: hashed entries cannot be matched). */
export function knownHostsCover(entries: readonly KnownHostsEntry[], host: string): boolean {
  return entries.some((e) => e.marker !== '@revoked' && e.hosts.split(',').some((h) => h === host || h === `[${host}]:22`));
}

/** Props of {@link KnownHosts}. */
export interface KnownHostsProps {
  /**
   * Trust the pinned Azure DevOps host key of ssh.dev.azure.com.
   * @default true
   */
  readonly includeAzureDevOps?: boolean;
  /**
   * More known_hosts lines, for other git hosts or a rotated Azure DevOps key. Each is checked.
   * @default []
   */
  readonly entries?: readonly string[];
}

/**
 * The known_hosts content Flux verifies git servers against. Pinned lines only: no host is ever
 * scanned, so a spoofed server on first contact cannot plant its key.
 */
export class KnownHosts extends Construct {
  /** The known_hosts file content, one line per entry, newline-terminated. */
  public readonly content: string;
  /** The parsed entries, in file order. */
  public readonly entries: readonly KnownHostsEntry[];

  constructor(scope: Construct, id: string, props: KnownHostsProps = {}) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    const defaults = (props.includeAzureDevOps ?? true) ? [parseKnownHostsLine(AZURE_DEVOPS_KNOWN_HOSTS_LINE)] : [];
    const extra = (props.entries ?? []).map((line, i) => {
      try {
        return parseKnownHostsLine(line);
      } catch (e) {
        throw new Error(`KnownHosts ${this.node.path}: entries[${i}]: ${(e as Error).message}`);
      }
    });
    this.entries = [...defaults, ...extra];
    if (this.entries.length === 0) {
      throw new Error(`KnownHosts ${this.node.path}: includeAzureDevOps is false and entries is empty; give at least one known_hosts line`);
    }
    this.content = `${this.entries.map((e) => [e.marker, e.hosts, e.keyType, e.key].filter(Boolean).join(' ')).join('\n')}\n`;
  }

  /** True when some entry pins `host`. */
  public covers(host: string): boolean {
    return knownHostsCover(this.entries, host);
  }
}
