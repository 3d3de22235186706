import * as http from 'http';
import { AddressInfo } from 'net';

export interface FakeKey {
  authorizationId: string;
  displayName: string;
  publicData: string;
  validTo: string;
  scope: string;
  targetAccounts: string[];
  isValid: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization?: string;
  readonly body?: any;
}

/** How the fake misbehaves, for the failure tests. */
export interface Faults {
  /** Answer every request with this status (401, 403, ...). */
  status?: number;
  /** Answer 203 with an HTML sign-in page, as Azure DevOps does for an unaccepted token. */
  signInPage?: boolean;
  /** Answer POSTs with this status, after (`afterWrite`) or instead of storing the key. */
  postStatus?: number;
  afterWrite?: boolean;
}

/**
 * A stand-in for the parts of Azure DevOps the key script uses, on 127.0.0.1: connectionData on the
 * organisation and the SessionTokens API of the delegated-authorization service.
 */
export class FakeAzureDevOps {
  public readonly keys: FakeKey[] = [];
  public readonly requests: RecordedRequest[] = [];
  public faults: Faults = {};
  public readonly instanceId = '6e2f8d5c-1a3b-4c5d-8e9f-0a1b2c3d4e5f';
  private server?: http.Server;
  private counter = 0;

  constructor(
    public readonly organization = 'contoso',
    private readonly acceptedAuthorization?: string,
  ) {}

  public async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = raw ? JSON.parse(raw) : undefined;
      this.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, body });
      const send = (status: number, payload?: unknown, type = 'application/json'): void => {
        res.writeHead(status, { 'content-type': type });
        res.end(payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      if (this.faults.status) return send(this.faults.status, { message: 'TF400813: The user is not authorized to access this resource.' });
      if (this.faults.signInPage) return send(203, '<html><body>Sign in to your account</body></html>', 'text/html');
      if (this.acceptedAuthorization && req.headers.authorization !== this.acceptedAuthorization) return send(401, { message: 'unauthorized' });

      const org = `/${this.organization}/_apis`;
      if (req.method === 'GET' && url.pathname === `${org}/connectionData`) {
        return send(200, { instanceId: this.instanceId, authenticatedUser: { providerDisplayName: 'Flux Bot' } });
      }
      if (url.pathname === `${org}/Token/SessionTokens` && url.searchParams.get('isPublic') === 'true') {
        if (req.method === 'GET') {
          const withData = url.searchParams.get('includePublicData') === 'true';
          return send(200, { count: this.keys.length, value: this.keys.map((k) => (withData ? k : { ...k, publicData: undefined })) });
        }
        if (req.method === 'POST') {
          if (this.faults.postStatus && !this.faults.afterWrite) return send(this.faults.postStatus, { message: 'internal error' });
          let key = this.keys.find((k) => k.authorizationId === body.authorizationId);
          if (key) {
            Object.assign(key, { displayName: body.displayName, validTo: body.validTo });
          } else {
            key = {
              authorizationId: `00000000-0000-4000-8000-${String(++this.counter).padStart(12, '0')}`,
              displayName: body.displayName,
              publicData: body.publicData,
              validTo: body.validTo,
              scope: body.scope,
              targetAccounts: body.targetAccounts,
              isValid: true,
            };
            this.keys.push(key);
          }
          if (this.faults.postStatus) return send(this.faults.postStatus, { message: 'internal error' });
          return send(200, key);
        }
      }
      const revoke = url.pathname.match(new RegExp(`^${org}/Token/SessionTokens/([^/]+)$`));
      if (req.method === 'DELETE' && revoke && url.searchParams.get('isPublic') === 'true') {
        const i = this.keys.findIndex((k) => k.authorizationId === decodeURIComponent(revoke[1]));
        if (i < 0) return send(404, { message: 'AuthorizationIdNotFoundException' });
        this.keys.splice(i, 1);
        return send(200);
      }
      return send(404, { message: `no route ${req.method} ${url.pathname}` });
    });
  }
}
