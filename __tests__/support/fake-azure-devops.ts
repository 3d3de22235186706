import { createHmac, randomUUID } from 'crypto';
import * as http from 'http';
import { closeServer, listenOnLoopback } from './loopback';

/**
 * A stand-in for the parts of Azure DevOps the key script and the doctor use, on 127.0.0.1: connectionData,
 * the Git repositories API, and the SessionTokens controller of the delegated-authorization service
 * (vssps). It is meant to behave like the server, not like our client's assumptions: each behaviour
 * cites where it was read. "ADS 2022" below is Azure DevOps Server 2022's decompiled code (public
 * repository mjwrona/decompiled), as summarised with file and line in
 * ../shared/reference/azure-devops-ssh-keys.md; the hosted service is inferred to behave the same.
 * Both hosts (dev.azure.com and vssps.dev.azure.com) are served on one port.
 */

/** Who a token belongs to. */
export interface FakeIdentity {
  readonly kind: 'user' | 'servicePrincipal';
  readonly name: string;
  /**
   * How the SessionTokens controller turns a service principal down: 403 from the
   * `[RestrictAadServicePrincipals]` filter on every call, or 400 `InvalidUserType` from the service on
   * create. Both are reported (reference table, row "DELETE answers 200 …"). @default 403
   */
  readonly refusal?: 400 | 403;
}

/** A stored SessionToken, as the server keeps it (display name already HTML-encoded). */
export interface FakeKey {
  authorizationId: string;
  displayName: string;
  publicData: string;
  validTo: string;
  scope: string;
  targetAccounts: string[];
  isValid: boolean;
  /** Not on the wire: the owner and the lookup hash. */
  owner: string;
  hash: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization?: string;
  readonly body?: any;
  readonly status: number;
}

/** A one-off answer for the next request (matching `method` when given), for the failure tests. */
export interface Fault {
  readonly status: number;
  readonly method?: string;
  /** Retry-After header value (seconds or an HTTP date). */
  readonly retryAfter?: string;
  /** Do the work first, then answer with the fault (a create that stored the key and then failed). */
  readonly afterWrite?: boolean;
  /** Answer with a redirect to this URL (status 302) instead. */
  readonly location?: string;
  /** Answer 203 with an HTML sign-in page instead. */
  readonly signInPage?: boolean;
}

interface FakeOrganization {
  readonly name: string;
  readonly instanceId: string;
  readonly repositories: Map<string, { id: string; project: string; name: string }>;
}

export const basicAuth = (pat: string): string => `Basic ${Buffer.from(`:${pat}`).toString('base64')}`;
export const bearerAuth = (token: string): string => `Bearer ${token}`;

/**
 * The display name as the server stores it. ADS 2022 `PlatformDelegatedAuthorizationService.cs` ~1908:
 * `AntiXssEncoder.HtmlEncode(name, false)`, which writes `& < > " '` and characters outside printable
 * ASCII as numeric references.
 */
export function htmlEncode(text: string): string {
  return [...text]
    .map((c) => {
      const code = c.codePointAt(0)!;
      if (c === '&') return '&amp;';
      if (c === '<') return '&lt;';
      if (c === '>') return '&gt;';
      if (c === '"') return '&quot;';
      if (c === "'" || code < 0x20 || code > 0x7e) return `&#${code};`;
      return c;
    })
    .join('');
}

export class FakeAzureDevOps {
  public readonly keys: FakeKey[] = [];
  public readonly requests: RecordedRequest[] = [];
  public readonly faults: Fault[] = [];
  /**
   * The maximum lifetime the server allows a key. ADS 2022 `SessionTokenLifetimePolicy.ApplyForCreate`
   * clamps a longer `validTo` to it instead of refusing; the UI allows at most one year, and an
   * organisation policy may shorten it.
   */
  public maxLifetimeDays = 365;
  public now = (): Date => new Date();
  /**
   * Test hook, not a server behaviour: answer Compact creates as if stored and store nothing, as the
   * server does for a self-describing token, to show the client notices.
   */
  public storesNothing = false;
  private readonly organizations = new Map<string, FakeOrganization>();
  private readonly tokens = new Map<string, FakeIdentity>();
  /** The server's HMAC key for the public-key index. */
  private readonly secret = randomUUID();
  private server?: http.Server;

  constructor(organizations: readonly string[] = ['contoso'], tokens: Record<string, FakeIdentity> = {}) {
    for (const name of organizations) this.addOrganization(name);
    for (const [header, identity] of Object.entries(tokens)) this.tokens.set(header, identity);
  }

  /** Organisation names are case-insensitive in URLs (dev.azure.com/Contoso is dev.azure.com/contoso). */
  public addOrganization(name: string): string {
    const instanceId = randomUUID();
    this.organizations.set(name.toLowerCase(), { name, instanceId, repositories: new Map() });
    return instanceId;
  }

  public instanceId(organization: string): string {
    return this.organizations.get(organization.toLowerCase())!.instanceId;
  }

  public addRepository(organization: string, project: string, repository: string): void {
    this.organizations.get(organization.toLowerCase())!.repositories.set(`${project}/${repository}`.toLowerCase(), {
      id: randomUUID(),
      project,
      name: repository,
    });
  }

  public addToken(authorization: string, identity: FakeIdentity): void {
    this.tokens.set(authorization, identity);
  }

  /**
   * What the SSH server would do with a login by this key: ADS 2022 `Ssh.Server/AuthenticationProvider.cs`
   * ~220 looks the key up by `Convert.ToBase64String(publicKey.PublicKeyData)` (the bare blob) through the
   * same `"{org}:{publicData}"` HMAC the create stored it under.
   */
  public sshLogin(organization: string, blob: string): boolean {
    const hash = this.hash(this.instanceId(organization), blob);
    return this.keys.some((k) => k.hash === hash && k.isValid && new Date(k.validTo) > this.now());
  }

  public async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    return listenOnLoopback(this.server);
  }

  public async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /** ADS 2022 `CryptoStringSecretGeneratorHelper.cs` ~93: stored public keys are indexed by an HMAC of `"{org}:{publicData}"`. */
  private hash(organizationId: string, publicData: string): string {
    return createHmac('sha256', this.secret).update(`${organizationId}:${publicData}`).digest('hex');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const record = (status: number): void => {
        this.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, body, status });
      };
      const send = (status: number, payload?: unknown, headers: Record<string, string> = {}): void => {
        record(status);
        const type = typeof payload === 'string' ? 'text/html' : 'application/json';
        res.writeHead(status, { 'content-type': type, ...headers });
        res.end(payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      const faultAt = this.faults.findIndex((f) => !f.method || f.method === req.method);
      const fault = faultAt >= 0 ? this.faults.splice(faultAt, 1)[0] : undefined;
      const answer = (status: number, payload?: unknown): void => {
        if (!fault) return send(status, payload);
        if (fault.location) return send(302, undefined, { location: fault.location });
        if (fault.signInPage) {
          // A token Azure DevOps does not accept can be answered 203 with an HTML sign-in page
          // (MicrosoftDocs/vsts-rest-api-specs#97 and #574; microsoft/azure-devops-auth-samples#52: GET and
          // POST with an expired token get 203, PATCH a 401).
          return send(203, '<html><body>Sign in to your account</body></html>');
        }
        // learn.microsoft.com "Rate and usage limits" (azure/devops/integrate/concepts/rate-limits): 429
        // with Retry-After once a client is throttled.
        const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
        return send(fault.status, { message: `fault ${fault.status}`, typeKey: 'FaultException' }, headers);
      };
      if (fault && !fault.afterWrite) return answer(fault.status);

      const identity = this.tokens.get(req.headers.authorization ?? '');
      // An unknown or expired token: 401 TF400813 with typeKey UnauthorizedRequestException, the body
      // quoted in microsoft/azure-devops-auth-samples#52.
      if (!identity) return send(401, { message: "TF400813: The user '' is not authorized to access this resource.", typeKey: 'UnauthorizedRequestException' });

      const parts = url.pathname.split('/').filter(Boolean);
      const org = this.organizations.get((parts[0] ?? '').toLowerCase());
      // Not modelled further: an unknown organisation (not read anywhere; a plain 404 here).
      if (!org) return send(404, { message: `organisation ${parts[0]} not found` });
      const rest = parts.slice(1).join('/');

      if (req.method === 'GET' && rest === '_apis/connectionData') {
        // Location service ConnectionData: the organisation's id (`instanceId`, what `targetAccounts`
        // holds; the reference's "org id" row) and the caller.
        return answer(200, {
          instanceId: org.instanceId,
          authenticatedUser: { id: randomUUID(), providerDisplayName: identity.name, isActive: true },
        });
      }
      const repo = rest.match(/^([^/]+)\/_apis\/git\/repositories\/([^/]+)$/);
      if (req.method === 'GET' && repo) {
        // learn.microsoft.com rest/api/azure/devops/git/repositories/get: 200 with the repository, 404 when
        // there is none (GitRepositoryNotFoundException).
        const found = org.repositories.get(`${decodeURIComponent(repo[1])}/${decodeURIComponent(repo[2])}`.toLowerCase());
        if (!found) return answer(404, { message: `TF401019: The Git repository with name or identifier ${decodeURIComponent(repo[2])} does not exist`, typeKey: 'GitRepositoryNotFoundException' });
        return answer(200, { id: found.id, name: found.name, project: { name: found.project }, sshUrl: `git@ssh.dev.azure.com:v3/${org.name}/${found.project}/${found.name}` });
      }

      const tokenPath = rest.match(/^_apis\/Token\/SessionTokens(?:\/([^/]+))?$/i);
      if (!tokenPath) return answer(404, { message: `no route ${req.method} ${url.pathname}` });
      // ADS 2022 SessionTokenController is marked [RestrictAadServicePrincipals]: the filter may answer 403 on
      // any call of a service principal; otherwise the service refuses the create with InvalidUserType
      // (PlatformDelegatedAuthorizationService.cs ~1960).
      if (identity.kind === 'servicePrincipal' && (identity.refusal ?? 403) === 403) {
        return answer(403, { message: 'Service principals are not allowed to perform this action.', typeKey: 'RestrictAadServicePrincipalsException' });
      }
      // Only public keys (isPublic=true, every row of the reference) are modelled; PATs are not.
      if (url.searchParams.get('isPublic') !== 'true') return answer(400, { message: 'only public keys are modelled' });

      if (req.method === 'GET' && !tokenPath[1]) {
        // The list is the caller's public keys from every organisation, `{count, value}`; publicData only
        // with includePublicData=true (reference table, "list" rows).
        const withData = url.searchParams.get('includePublicData') === 'true';
        const mine = this.keys
          .filter((k) => k.owner === identity.name)
          .map(({ owner: _owner, hash: _hash, ...k }) => (withData ? k : { ...k, publicData: undefined }));
        return answer(200, { count: mine.length, value: mine });
      }
      if (req.method === 'DELETE' && tokenPath[1]) {
        // ADS 2022 SessionTokenController: DELETE answers 200 with an empty body.
        const i = this.keys.findIndex((k) => k.authorizationId === decodeURIComponent(tokenPath[1]) && k.owner === identity.name);
        // Not read: what the server answers for an id it does not hold (the client never sends one).
        if (i < 0) return answer(404, { message: 'AuthorizationId not found', typeKey: 'SessionTokenNotFoundException' });
        this.keys.splice(i, 1);
        return answer(200);
      }
      if (req.method === 'POST' && !tokenPath[1]) return this.create(identity, url, body, answer);
      return answer(405, { message: `${req.method} not allowed` });
    });
  }

  private create(identity: FakeIdentity, url: URL, body: any, answer: (status: number, payload?: unknown) => void): void {
    if (identity.kind === 'servicePrincipal') {
      // ADS 2022 PlatformDelegatedAuthorizationService.cs ~1960: non-user identities get InvalidUserType.
      return answer(400, { message: 'InvalidUserType', typeKey: 'InvalidUserTypeException' });
    }
    const now = this.now();
    // ADS 2022 SessionTokenLifetimePolicy.ApplyForCreate: an over-long validTo is clamped, not refused.
    const max = new Date(now.getTime() + this.maxLifetimeDays * 86400000);
    const requested = new Date(body?.validTo ?? max);
    const validTo = (requested > max ? max : requested).toISOString();
    // ADS 2022 PlatformDelegatedAuthorizationService.cs ~1908: the display name is HTML-encoded on the way in.
    const displayName = htmlEncode(String(body?.displayName ?? ''));

    // ADS 2022 SessionTokenController.cs: a body carrying an existing authorizationId updates that
    // registration (name, expiry) instead of creating one.
    const existing = this.keys.find((k) => k.authorizationId === body?.authorizationId && k.owner === identity.name);
    if (existing) {
      Object.assign(existing, { displayName, validTo });
      const { owner: _owner, hash: _hash, ...wire } = existing;
      return answer(200, wire);
    }
    // ADS 2022 SessionTokenController.cs ~31: tokenType defaults to SelfDescribing; for it the server answers
    // with an authorizationId but stores nothing ("Skipping DB writes for self-describing session token",
    // PlatformDelegatedAuthorizationService.cs ~2102). Only Compact stores the key and its publicData
    // (~2229-2265). The web UI's PublicKeyController.cs ~110 passes Compact; Git Credential Manager for
    // Windows sends `tokentype=compact` as a query parameter when it needs a stored token (found by
    // searching public code for `_apis/token/sessiontokens`).
    const tokenType = (url.searchParams.get('tokenType') ?? url.searchParams.get('tokentype') ?? 'SelfDescribing').toLowerCase();
    const targetAccounts: string[] = Array.isArray(body?.targetAccounts) ? body.targetAccounts.map(String) : [];
    const answerFor = (authorizationId: string): Record<string, unknown> => ({
      authorizationId,
      displayName,
      validTo,
      scope: body?.scope,
      targetAccounts,
      isValid: true,
      isPublic: true,
    });
    if (tokenType !== 'compact') return answer(200, { ...answerFor(randomUUID()), token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.self-describing' });

    // The raw REST path stores publicData as given (the UI strips type and comment first,
    // PublicKeyController.cs ~80); the index is the HMAC of "{org}:{publicData}" (~93, see hash()).
    const publicData = String(body?.publicData ?? '');
    const hash = this.hash(targetAccounts[0] ?? '', publicData);
    if (this.keys.some((k) => k.hash === hash)) {
      // ADS 2022 PlatformDelegatedAuthorizationService.cs ~2245: a second Compact create of the same key in
      // the same organisation is refused with DuplicateHash. (The error enum value was read; the wire
      // form of the error body here is the usual Azure DevOps `{message, typeKey}` shape, assumed.)
      return answer(400, { message: 'DuplicateHash', typeKey: 'SessionTokenCreateException' });
    }
    const key: FakeKey = {
      authorizationId: randomUUID(),
      displayName,
      publicData,
      validTo,
      scope: String(body?.scope ?? ''),
      targetAccounts,
      isValid: true,
      owner: identity.name,
      hash,
    };
    if (!this.storesNothing) this.keys.push(key);
    return answer(200, answerFor(key.authorizationId));
  }
}
