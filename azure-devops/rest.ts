/**
 * Reading the Azure DevOps REST API with the token in the environment. The transport is the key
 * script's (assets/ssh-keys.js `request`): the same token variables (AZDO_ENTRA_TOKEN as Bearer,
 * else AZDO_PERSONAL_ACCESS_TOKEN as Basic), the same service-root rules for AZDO_DEV_URL (https, or
 * http on loopback), redirects never followed, 429/5xx retried within a budget honouring Retry-After,
 * and no token in any message. This adds what a reader of many calls needs: bounded concurrency,
 * a per-call timeout, a call count, and one message for a refused token that names what reading needs.
 */
import * as ssh from '../assets/ssh-keys';

export interface AzureDevOpsReadOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Calls in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Per call (each attempt). @default 15000 */
  readonly timeoutMs?: number;
  /** Retries of 429 and 5xx. @default - 4 attempts within 30 s, 0.5 s first back-off */
  readonly retry?: { readonly attempts: number; readonly budgetMs: number; readonly baseMs: number };
  /** Waits between attempts (tests record them). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Retry notes, one line each. @default - dropped */
  readonly log?: (line: string) => void;
}

export const READ_RETRY = { attempts: 4, budgetMs: 30000, baseMs: 500 } as const;

/** Why a read failed: `auth` (the token was refused or is missing), `http` (another answer), `network`. */
export class AzureDevOpsReadError extends Error {
  constructor(
    message: string,
    public readonly kind: 'auth' | 'http' | 'network',
    public readonly status?: number,
  ) {
    super(message);
    this.name = 'AzureDevOpsReadError';
  }
}

const ENTRA_HINT = 'az account get-access-token --resource 499b84ac-1321-427f-aa17-267ca6975798 --query accessToken -o tsv';

export interface AzureDevOpsReader {
  /** The service root (https://dev.azure.com, or AZDO_DEV_URL). */
  readonly devUrl: string;
  /** Calls made so far (each attempt of a retried call counts once). */
  readonly calls: () => number;
  get(url: string): Promise<{ body: any; headers: Headers | undefined }>;
  post(url: string, body: unknown): Promise<{ body: any; headers: Headers | undefined }>;
}

/** A reader for the token in `env`; throws an AzureDevOpsReadError (kind `auth`) when there is none or it is malformed. */
export function azureDevOpsReader(options: AzureDevOpsReadOptions): AzureDevOpsReader {
  let base: ReturnType<typeof ssh.optionsFromEnv>;
  try {
    // The key script wants an organisation; reading names its own in each URL.
    base = ssh.optionsFromEnv('list', { ...options.env, FLUX_SSH_KEY_ORGANIZATION: 'reader' }, () => undefined);
  } catch (e) {
    const missing = /missing input/.test((e as Error).message);
    throw new AzureDevOpsReadError(
      missing
        ? `no Azure DevOps token in the environment: set AZDO_PERSONAL_ACCESS_TOKEN (a PAT with Code: Read) or AZDO_ENTRA_TOKEN=$(${ENTRA_HINT})`
        : (e as Error).message,
      'auth',
    );
  }
  const tokenName = base.token.kind === 'entra' ? 'Entra ID token (AZDO_ENTRA_TOKEN)' : 'PAT (AZDO_PERSONAL_ACCESS_TOKEN)';
  const limit = Math.max(1, options.concurrency ?? 8);
  let active = 0;
  let calls = 0;
  const queue: (() => void)[] = [];
  const acquire = (): Promise<void> =>
    active < limit
      ? (active++, Promise.resolve())
      : new Promise<void>((resolve) => queue.push(() => (active++, resolve())));
  const release = (): void => {
    active--;
    queue.shift()?.();
  };

  const send = async (method: string, url: string, body?: unknown) => {
    await acquire();
    let headers: Headers | undefined;
    try {
      const o = {
        ...base,
        retry: options.retry ?? READ_RETRY,
        // Each wait is one more attempt of the call.
        sleep: (ms: number) => {
          calls++;
          return (options.sleep ?? ((t: number) => new Promise<void>((resolve) => setTimeout(resolve, t))))(ms);
        },
        timeoutMs: options.timeoutMs ?? 15000,
        log: options.log ?? (() => undefined),
        onHeaders: (h: Headers) => {
          calls++;
          headers = h;
        },
      };
      const answer = await ssh.request(o, method, url, body);
      return { body: answer, headers };
    } catch (e) {
      const status = (e as { status?: number }).status;
      const what = `${method} ${url.split('?')[0]}`;
      // 401/403, a redirect (never followed) and a 203 sign-in page: how Azure DevOps turns a token down.
      if (status === 401 || status === 403 || status === 203 || (status !== undefined && status >= 300 && status < 400)) {
        throw new AzureDevOpsReadError(
          `Azure DevOps refused the ${tokenName} (HTTP ${status}) at ${what}: reading needs a token of this organisation ` +
            `with Code (Read) (vso.code); check that it has not expired, or use AZDO_ENTRA_TOKEN=$(${ENTRA_HINT}). The token is not shown.`,
          'auth',
          status,
        );
      }
      if (status === 429 || (status !== undefined && status >= 500)) {
        throw new AzureDevOpsReadError(`${what}: Azure DevOps answered HTTP ${status} to every attempt; try again later`, 'http', status);
      }
      throw new AzureDevOpsReadError((e as Error).message, status === undefined ? 'network' : 'http', status);
    } finally {
      release();
    }
  };
  return {
    devUrl: base.devUrl,
    calls: () => calls,
    get: (url) => send('GET', url),
    post: (url, body) => send('POST', url, body),
  };
}
