import * as fs from 'fs';
import * as path from 'path';
import {
  AZURE_DEVOPS_HOST_KEY,
  AZURE_DEVOPS_HOST_KEY_FINGERPRINT,
  AZURE_DEVOPS_KNOWN_HOSTS_LINE,
  KnownHosts,
  parseKnownHostsLine,
  sshFingerprintSha256,
} from '../constructs/known-hosts';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { bareStack } from './support/synth';

const GITHUB_ED25519 = 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

describe('the pinned Azure DevOps host key', () => {
  it("has Microsoft's published SHA256 fingerprint", () => {
    expect(AZURE_DEVOPS_HOST_KEY_FINGERPRINT).toBe('SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og');
    expect(sshFingerprintSha256(AZURE_DEVOPS_HOST_KEY.split(' ')[1])).toBe(AZURE_DEVOPS_HOST_KEY_FINGERPRINT);
  });

  it('is an RSA key for ssh.dev.azure.com', () => {
    expect(parseKnownHostsLine(AZURE_DEVOPS_KNOWN_HOSTS_LINE)).toMatchObject({ hosts: 'ssh.dev.azure.com', keyType: 'ssh-rsa', fingerprint: AZURE_DEVOPS_HOST_KEY_FINGERPRINT });
  });

  const reference = path.resolve(__dirname, '../../shared/reference/known-hosts/ssh.dev.azure.com.known_hosts');
  (fs.existsSync(reference) ? it : it.skip)('equals the key in ../shared/reference', () => {
    const line = fs.readFileSync(reference, 'utf8').split('\n').find((l) => l.startsWith('ssh.dev.azure.com '));
    expect(line?.trim()).toBe(AZURE_DEVOPS_KNOWN_HOSTS_LINE);
  });
});

describe('KnownHosts', () => {
  it('trusts only ssh.dev.azure.com by default', () => {
    const kh = new KnownHosts(bareStack(), 'kh');
    expect(kh.content).toBe(`${AZURE_DEVOPS_KNOWN_HOSTS_LINE}\n`);
    expect(kh.covers('ssh.dev.azure.com')).toBe(true);
    expect(kh.covers('vs-ssh.visualstudio.com')).toBe(false);
  });

  it('adds more hosts after the Azure DevOps line, or replaces it', () => {
    expect(new KnownHosts(bareStack(), 'kh', { entries: [GITHUB_ED25519] }).content).toBe(`${AZURE_DEVOPS_KNOWN_HOSTS_LINE}\n${GITHUB_ED25519}\n`);
    const only = new KnownHosts(bareStack(), 'kh', { includeAzureDevOps: false, entries: [GITHUB_ED25519] });
    expect(only.content).toBe(`${GITHUB_ED25519}\n`);
    expect(only.covers('github.com')).toBe(true);
    expect(only.covers('ssh.dev.azure.com')).toBe(false);
  });

  it('keeps markers and drops comments', () => {
    const kh = new KnownHosts(bareStack(), 'kh', { includeAzureDevOps: false, entries: [`@revoked ${GITHUB_ED25519} old key`] });
    expect(kh.content).toBe(`@revoked ${GITHUB_ED25519}\n`);
    expect(kh.covers('github.com')).toBe(false);
  });

  it.each([
    ['a line without a key', 'github.com ssh-ed25519', /has too few fields/],
    [
      'an unknown key type',
      'github.com ssh-dss AAAAB3NzaC1kc3M=',
      'has key type ssh-dss, not one of ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com;',
    ],
    ['a key that is not base64', 'github.com ssh-rsa not*base64', /has a key that is not base64/],
    ['a key blob of another type', `github.com ssh-ed25519 ${AZURE_DEVOPS_HOST_KEY.split(' ')[1]}`, /has a ssh-rsa key blob under the type ssh-ed25519/],
    ['an unknown marker', `@trusted ${GITHUB_ED25519}`, /has an unknown marker @trusted/],
  ])('rejects %s, naming the entry', (_, line, message) => {
    expect(() => new KnownHosts(bareStack(), 'kh', { entries: [line] })).toThrow(message);
    expect(() => new KnownHosts(bareStack(), 'kh', { entries: [line] })).toThrow(/entries\[0\]/);
  });

  it('escapes what is synthesized below it: its text is never a Terraform expression', () => {
    const kh = new KnownHosts(bareStack(), 'kh', { includeAzureDevOps: false, entries: [`\${path.module} ${GITHUB_ED25519.split(' ').slice(1).join(' ')}`] });
    new TerraformOutput(kh, 'content', { value: kh.content });
    expect(JSON.parse(Testing.synth(kh.node.scope as TerraformStack)).output).toEqual({
      kh_content_5B97E8CB: { value: `$\${path.module} ${GITHUB_ED25519.split(' ').slice(1).join(' ')}\n` },
    });
  });

  it('refuses to trust nothing', () => {
    expect(() => new KnownHosts(bareStack(), 'kh', { includeAzureDevOps: false })).toThrow(/give at least one known_hosts line/);
  });
});

describe('known_hosts lines beyond RSA and Ed25519', () => {
  // GitHub's published ECDSA host key and fingerprint (docs.github.com, "GitHub's SSH key fingerprints").
  const GITHUB_ECDSA_KEY =
    'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=';

  it('parses an ecdsa-sha2-nistp256 line as OpenSSH writes it, with its published fingerprint', () => {
    expect(parseKnownHostsLine(`github.com ecdsa-sha2-nistp256 ${GITHUB_ECDSA_KEY}`)).toEqual({
      marker: undefined,
      hosts: 'github.com',
      keyType: 'ecdsa-sha2-nistp256',
      key: GITHUB_ECDSA_KEY,
      fingerprint: 'SHA256:p2QAMXNIC1TJYWeIOttrVc98/R1BUFWu3/LiyKgUfQM',
    });
    const kh = new KnownHosts(bareStack(), 'kh', { includeAzureDevOps: false, entries: [`github.com ecdsa-sha2-nistp256 ${GITHUB_ECDSA_KEY}`] });
    expect(kh.content).toBe(`github.com ecdsa-sha2-nistp256 ${GITHUB_ECDSA_KEY}\n`);
    expect(kh.covers('github.com')).toBe(true);
  });

  it('refuses the nistp256 blob under another ECDSA curve', () => {
    expect(() => parseKnownHostsLine(`github.com ecdsa-sha2-nistp384 ${GITHUB_ECDSA_KEY}`)).toThrow(
      `known_hosts line "github.com ecdsa-sha2-nistp384 ${GITHUB_ECDSA_KEY}" has a ecdsa-sha2-nistp256 key blob under the type ecdsa-sha2-nistp384; expected "[@cert-authority|@revoked] host[,host...] keytype base64key"`,
    );
  });
});

describe('the * wildcard on a pathological pattern', () => {
  const line = (hosts: string) => `${hosts} ${GITHUB_ED25519.split(' ').slice(1).join(' ')}`;
  const refusal = (pattern: string) =>
    `has the host pattern ${pattern}, which also matches ssh.dev.azure.com; name the hosts (write ssh.dev.azure.com itself for a rotated Azure DevOps key)`;

  it('accepts thousands of stars before a letter neither host form ends in', () => {
    // "ssh.dev.azure.com" ends in m and "[ssh.dev.azure.com]:22" in 2: a pattern ending in x matches neither.
    const pattern = `${'*'.repeat(5000)}x`;
    expect(parseKnownHostsLine(line(pattern)).hosts).toBe(pattern);
  });

  it('refuses thousands of stars that do match ssh.dev.azure.com', () => {
    const pattern = `${'*'.repeat(5000)}m`;
    expect(() => parseKnownHostsLine(line(pattern))).toThrow(refusal(pattern));
  });

  it('judges a long alternation of * and letters that almost matches', () => {
    // Every letter of the host in order, each behind a star, then one letter more: backtracking's worst case.
    const near = `${[...'ssh.dev.azure.com'].map((c) => `*${c}`).join('').repeat(20)}*q`;
    expect(parseKnownHostsLine(line(near)).hosts).toBe(near);
    const exact = [...'ssh.dev.azure.com'].map((c) => `**${c}`).join('');
    expect(() => parseKnownHostsLine(line(exact))).toThrow(refusal(exact));
  });
});

describe('host patterns and the hosts an entry covers', () => {
  const key = GITHUB_ED25519.split(' ').slice(1).join(' ');
  const refusal = (pattern: string) =>
    `has the host pattern ${pattern}, which also matches ssh.dev.azure.com; name the hosts (write ssh.dev.azure.com itself for a rotated Azure DevOps key)`;

  it.each([
    ['? for one character', 'ssh.dev.azure.co?'],
    ['a pattern in capitals (hosts compare case-insensitively)', 'SSH.DEV.*'],
    ['the [host]:22 form OpenSSH writes for a port', '[ssh.dev.azure.com]:2?'],
    ['a wildcard after plain names', 'github.com,*.azure.com'],
    ['a trailing * that matches nothing', 'ssh.dev.azure.com*'],
  ])('refuses %s matching ssh.dev.azure.com, naming that pattern', (_, hosts) => {
    const pattern = hosts.split(',').pop()!;
    expect(() => parseKnownHostsLine(`${hosts} ${key}`)).toThrow(refusal(pattern));
  });

  it.each([
    ['a wildcard for another domain', '*.github.com'],
    ['a negated pattern (it only excludes hosts)', '!*,github.com'],
    ['? where ssh.dev.azure.com has no character', 'ssh.dev.azure.com?'],
    ['a wildcard that matches all of the name but a port of another form', '[ssh.dev.azure.com]:2222*'],
    ['? in a pattern that differs in its first letter', 'xsh.dev.azure.co?'],
    ['? in a pattern that matches only the end of the name', 'azure.co?'],
  ])('accepts %s', (_, hosts) => {
    expect(parseKnownHostsLine(`${hosts} ${key}`).hosts).toBe(hosts);
  });

  it('covers a host named plainly, in a list, or in the [host]:22 form, but not under another port or a revoked key', () => {
    const entries = ['gitlab.com,github.com', '[git.example.com]:22', '[other.example.com]:2222', '@revoked revoked.example.com', '@cert-authority ca.example.com'].map((hosts) =>
      parseKnownHostsLine(`${hosts} ${key}`),
    );
    const kh = new KnownHosts(bareStack(), 'kh', { includeAzureDevOps: false, entries: entries.map((e) => [e.marker, e.hosts, e.keyType, e.key].filter(Boolean).join(' ')) });
    expect(['github.com', 'gitlab.com', 'git.example.com', 'other.example.com', 'revoked.example.com', 'ca.example.com', 'example.com'].map((h) => kh.covers(h))).toEqual([
      true,
      true,
      true,
      false,
      false,
      true,
      false,
    ]);
  });

  it('reads fields split by any run of blanks, and a line of spaces as too few fields', () => {
    expect(parseKnownHostsLine(`  @cert-authority\t*.example.com   ${GITHUB_ED25519.split(' ')[1]}\t ${GITHUB_ED25519.split(' ')[2]} a comment `)).toEqual({
      marker: '@cert-authority',
      hosts: '*.example.com',
      keyType: 'ssh-ed25519',
      key: GITHUB_ED25519.split(' ')[2],
      fingerprint: sshFingerprintSha256(GITHUB_ED25519.split(' ')[2]),
    });
    expect(() => parseKnownHostsLine('   ')).toThrow('known_hosts line "   " has too few fields;');
    expect(() => parseKnownHostsLine('@revoked github.com ssh-ed25519')).toThrow('has too few fields;');
  });

  it.each([
    ['shorter than its length field', Buffer.from([0, 0, 0])],
    ['with a zero-length type name', Buffer.from([0, 0, 0, 0, 1, 2])],
    // The name's length counts the length field too: the bytes after it spell the type, one short.
    ['whose type name runs past its end', Buffer.concat([Buffer.from([0, 0, 0, 15]), Buffer.from('ssh-ed25519')])],
    ['whose type name runs one byte past its end', Buffer.concat([Buffer.from([0, 0, 0, 12]), Buffer.from('ssh-ed25519')])],
    ['with a type name and no key after it', Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519')])],
  ])('refuses a key blob %s as malformed', (_, blob) => {
    expect(() => parseKnownHostsLine(`github.com ssh-ed25519 ${blob.toString('base64')}`)).toThrow('has a malformed key blob under the type ssh-ed25519;');
  });
});
