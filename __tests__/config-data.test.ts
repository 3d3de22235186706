import * as fs from 'fs';
import * as path from 'path';
import { urlCredentialProblem } from '../azure-devops/urls';
import {
  dataProblems,
  duplicateJsonKey,
  MAX_CONFIG_BYTES,
  MAX_CONFIG_DEPTH,
  maskTokenRuns,
  maskValue,
  readBounded,
  secretNamedProblems,
  secretShape,
  urlSecretProblem,
} from '../config/data';
import { validateConfig } from '../config/load';
import { problems } from './support/config-problems';
import { tempDir } from './support/synth';

// The checks every value of a config file passes, whatever field it is in (config/data.ts), asserted
// on the functions themselves: the loader's tests reach them only through a few fields.

const PASSWORD = 'carries a password; give secrets through the sensitive variables, never in a URL';
const USER_TOKEN = 'carries a user name that may be a token; drop the "user@" part (credentials go through the sensitive variables or a Secret)';
const webhook = (name: string) =>
  `is a ${name}, which holds its token; give it through a sensitive variable (addressFromVariable) or a Secret (secretName), never in the config`;
const HOOKS_PATH = 'looks like a webhook URL that holds its token in the path (/hooks/...); give it through a sensitive variable (addressFromVariable) or a Secret';
const query = (param: string) => `carries a credential in its query (${param}=); give it through a sensitive variable (addressFromVariable) or a Secret`;

describe('urlSecretProblem', () => {
  it.each<[string, string | undefined]>([
    ['not a url at all', undefined],
    ['hooks.slack.com/services/T0/B0/x', undefined],
    ['\u00a0https://hooks.slack.com/services/T0/B0/x', webhook('Slack webhook')],
    ['https://user:pass@example.com/x', PASSWORD],
    ['  https://user:pass@example.com/x', PASSWORD],
    // Percent-encoded: a password to every client that decodes it.
    ['https://user%3Apass@example.com/x', PASSWORD],
    ['ssh://git:pass@ssh.dev.azure.com/v3/o/p/r', PASSWORD],
    ['oci://ghp0token@registry.example.com/charts', USER_TOKEN],
    ['HTTP://ab12cd34ef56@example.com/x', urlCredentialProblem('HTTP://ab12cd34ef56@example.com/x')],
    ['ssh://git@ssh.dev.azure.com/v3/o/p/r', undefined],
    ['git+ssh://git@example.com/r.git', undefined],
    // The organisation Azure DevOps puts in its own https:// clone URLs.
    ['https://contoso@dev.azure.com/contoso/fabrikam/_git/r', undefined],
    ['https://hooks.slack.com/services/T0/B0/x', webhook('Slack webhook')],
    ['HTTPS://HOOKS.SLACK.COM./services/T0/B0/x', webhook('Slack webhook')],
    ['https://notslack-hooks.slack.com.example.org/x', undefined],
    ['https://contoso.webhook.office.com/webhookb2/x', webhook('Microsoft Teams webhook')],
    ['https://outlook.office.com/webhook/x', webhook('Microsoft Teams webhook')],
    ['https://outlook.office365.com/webhook/x', webhook('Microsoft Teams webhook')],
    ['https://outlook.office.com/mail/inbox', undefined],
    ['https://prod-1.westeurope.logic.azure.com/workflows/x', webhook('Teams workflow (Power Automate) URL')],
    ['https://discord.com/api/v10/webhooks/1/tok', webhook('Discord webhook')],
    ['https://ptb.discordapp.com/api/webhooks/1/tok', webhook('Discord webhook')],
    ['https://discord.com/channels/1', undefined],
    ['https://chat.googleapis.com/v1/spaces/x/messages', webhook('Google Chat webhook')],
    ['https://api.telegram.org/bot1:tok/sendMessage', webhook('Telegram bot URL')],
    ['https://open.feishu.cn/open-apis/bot/v2/hook/x', webhook('Lark/Feishu webhook')],
    ['https://webexapis.com/v1/webhooks/incoming/x', webhook('Webex webhook')],
    ['https://oapi.dingtalk.com/robot/send', webhook('DingTalk webhook')],
    ['https://qyapi.weixin.qq.com/cgi-bin/webhook/send', webhook('WeCom webhook')],
    ['https://ci.example.com/hooks/abcdefghijklmnop', HOOKS_PATH],
    ['https://ci.example.com/hooks/abcdefghijklmno', undefined],
    // Azure SAS: the signature alone is the credential.
    ['https://acct.blob.core.windows.net/c/b?sp=r&sig=abc', query('sig')],
    ['https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sp=r', query('sv')],
    ['https://x.azurewebsites.net/api/f?code=abc', query('code')],
    ['https://example.com/x?access_token=abc', query('access_token')],
    ['https://example.com/x?apiKey=abc', query('apiKey')],
    ['https://example.com/x?x-signature=abc', query('x-signature')],
    ['https://example.com/x?password=abc', query('password')],
    ['https://example.com/x?authorization=abc', query('authorization')],
    ['https://example.com/x?page=2&design=1&signed=1', undefined],
    ['https://exa mple.com/x', undefined],
    // Schemes compared whole: neither a longer http nor a longer ssh passes for them.
    ['xhttp://tok@example.com/x', USER_TOKEN],
    ['httpx://tok@example.com/x', USER_TOKEN],
    ['xssh://git@example.com/x', USER_TOKEN],
    ['sshx://git@example.com/x', USER_TOKEN],
    ['oci://a%zz@example.com/x', USER_TOKEN],
    // The organisation as user name is fine; the SAS signature after it is not.
    ['https://contoso@dev.azure.com/contoso/p/_git/r?sig=abc', query('sig')],
    // User info only at the start of the URL, not in a URL inside its query.
    ['https://example.com/x?r=ssh://u:p@h', undefined],
    ['mailto:ops@example.com?token=x', undefined],
  ])('%s', (url, expected) => {
    expect(urlSecretProblem(url)).toBe(expected);
  });

  it('defers https:// user names to the Azure DevOps rule, which refuses a token', () => {
    expect(urlCredentialProblem('HTTP://ab12cd34ef56@example.com/x')).toBe(
      'carries a user name that may be a token; drop the "user@" part (credentials go through the sensitive variables)',
    );
  });
});

describe('dataProblems', () => {
  it('reports a value shaped like a credential, wherever it stands, without showing it', () => {
    expect(dataProblems({ notes: ['AccountKey=abc'] }, 'c')).toEqual([
      {
        path: 'c.notes[0]',
        value: undefined,
        message: 'holds what looks like an Azure Storage connection string with its key; give secrets through the sensitive variables or a Secret, never in the config',
      },
    ]);
  });

  it('reports markers, unsafe numbers, prototype keys and URL secrets, in file order, with their paths', () => {
    const root = JSON.parse(
      '{"a": "x${TfToken[TOKEN.1]}", "list": [1, 1e300, "#{TfToken[2]}"], "&{TfToken[3]}": 1, "odd key": {"__proto__": {"deep": "https://u:p@h/x"}}, "ok": [' +
        `${Number.MAX_SAFE_INTEGER}, ${-Number.MAX_SAFE_INTEGER}, "https://example.com/x"]}`,
    );
    // A key is reported with its object, before the values below it.
    expect(dataProblems(root, 'clusters[0]')).toEqual([
      { path: 'clusters[0]."&{TfToken[3]}"', value: undefined, message: 'is a key holding a cdktf token marker (TfToken[...]); config keys are literal text' },
      { path: 'clusters[0].a', value: 'x${TfToken[TOKEN.1]}', message: 'holds a cdktf token marker (TfToken[...]); config strings are literal text' },
      { path: 'clusters[0].list[1]', value: 1e300, message: 'is not a number in the safe range' },
      { path: 'clusters[0].list[2]', value: '#{TfToken[2]}', message: 'holds a cdktf token marker (TfToken[...]); config strings are literal text' },
      { path: 'clusters[0]."odd key".__proto__', value: undefined, message: 'is not allowed as a key: "__proto__" names JavaScript\'s object machinery, never a config field' },
    ]);
  });

  it('refuses numbers past 2^53 either side, NaN and Infinity (cdktf encodes number tokens as huge doubles)', () => {
    expect(dataProblems([-(Number.MAX_SAFE_INTEGER + 2), Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, 0.5]).map((p) => p.path)).toEqual(['[0]', '[1]', '[2]', '[3]']);
  });

  it('reports a string holding both a marker and a URL secret twice, and names the root by its path', () => {
    expect(dataProblems('https://u:p@h/${TfToken[1]}').map((p) => [p.path, p.message])).toEqual([
      ['', 'holds a cdktf token marker (TfToken[...]); config strings are literal text'],
      ['', PASSWORD],
    ]);
  });

  it(`takes ${MAX_CONFIG_DEPTH} levels of nesting and refuses one more, once`, () => {
    const nest = (levels: number): unknown => (levels === 0 ? 'x' : [nest(levels - 1)]);
    expect(dataProblems(nest(MAX_CONFIG_DEPTH))).toEqual([]);
    expect(dataProblems({ k: nest(MAX_CONFIG_DEPTH) })).toEqual([
      { path: `k${'[0]'.repeat(MAX_CONFIG_DEPTH - 1)}`, value: undefined, message: `is nested deeper than ${MAX_CONFIG_DEPTH} levels` },
    ]);
  });

  it('walks past null and reads no key of a list as a key', () => {
    expect(dataProblems({ a: null, b: [null, { c: null }] })).toEqual([]);
  });

  it('refuses constructor and prototype keys as well', () => {
    expect(dataProblems(JSON.parse('{"constructor": 1, "x": {"prototype": 2}}')).map((p) => p.path)).toEqual(['constructor', 'x.prototype']);
  });
});

describe('secretNamedProblems', () => {
  const MESSAGE =
    'is named like a secret, and config values land in the state and the cluster in clear; take it from a Secret (postBuild.substituteFrom, secretName) or a sensitive variable, or rename the key if it is not a secret';

  it('flags values by their key or env entry name, never names of Secrets or empty values, sorted by path', () => {
    const root = {
      substitute: { DB_PASSWORD: 'x', db_passwd: 'x', PWD: 'x', apiKey: 'x', 'api-key': 'x', private_key: 'x', accessKey: 'x', credential: 'x', credentials: 'x', secret: 'x' },
      names: { secretName: 'flux-git-auth', tlsSecretName: 'tls', tokenName: 'x', EMPTY_TOKEN: '' },
      extraEnv: [
        { name: 'GITHUB_TOKEN', value: 'v' },
        { name: 'GITHUB_TOKEN', value: '' },
        { name: 'HOME', value: '/root' },
        { name: 'API_TOKEN', value: 5 },
      ],
      nested: [{ token: 'x' }, { token: 5 }],
    };
    expect(secretNamedProblems(root, 'c')).toEqual(
      [
        'c.extraEnv[0].value',
        'c.nested[0].token',
        'c.substitute.DB_PASSWORD',
        'c.substitute.PWD',
        'c.substitute.accessKey',
        'c.substitute.api-key',
        'c.substitute.apiKey',
        'c.substitute.credential',
        'c.substitute.credentials',
        'c.substitute.db_passwd',
        'c.substitute.private_key',
        'c.substitute.secret',
      ].map((p) => ({ path: p, value: undefined, message: MESSAGE })),
    );
  });
});

describe('secretShape', () => {
  const PAT = 'an Azure DevOps personal access token';
  const alnum76 = 'a1B2c3D4e5'.repeat(7) + 'f6G7h8';
  const base32 = (digits: number) => 'abcdefghijklmnopqrstuvwxyz'.repeat(2).slice(0, 52 - digits) + '234567'.slice(0, digits);

  it.each<[string, string, string | undefined]>([
    ['an 84-character PAT', `${alnum76}AZDOwxyz`, PAT],
    ['one after a separator', `pat: ${alnum76}AZDOwxyz;`, PAT],
    ['AZDO one place later (a longer run)', `x${alnum76}AZDOwxyz`, undefined],
    ['a longer run after the signature', `${alnum76}AZDOwxyz9`, undefined],
    ['52 base32 characters with two digits', base32(2), PAT],
    ['the same after a space', ` ${base32(3)} `, PAT],
    ['52 base32 characters with one digit (a word, more likely)', base32(1), undefined],
    ['52 letters', base32(0), undefined],
    ['53 base32 characters', `a${base32(2)}`, undefined],
    ['base32 right after a letter', `${base32(2)}x`, undefined],
    ['a storage connection string', 'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc', 'an Azure Storage connection string with its key'],
    ['one starting with its key, in other case', 'accountkey=abc', 'an Azure Storage connection string with its key'],
    ['a SAS in a connection string', 'BlobEndpoint=x; SharedAccessSignature=sv=1', 'an Azure Storage connection string with its key'],
    ['a Service Bus key', 'Endpoint=sb://x/;SharedAccessKey=abc', 'an Azure Storage connection string with its key'],
    ['a key name inside a word', 'MyAccountKey=abc', undefined],
    ['a SAS signature', 'https://st.example/c?sv=1&SIG=abcdefgh', 'a shared access signature (sig=)'],
    ['one at the start', 'sig=abcdefgh', 'a shared access signature (sig=)'],
    ['a signature of 7 characters', '?sig=abcdefg', undefined],
    ['sig inside a word', '?xsig=abcdefghij', undefined],
    ['a JWT', 'Bearer eyJhbGci.eyJzdWIi.', 'a JSON Web Token'],
    ['JWT parts of 3 characters', 'eyJhbG.eyJzdW.x', undefined],
    ['plain text', 'nothing to see', undefined],
  ])('%s', (_, text, found) => {
    expect(secretShape(text)).toBe(found);
  });
});

describe('secretNamedProblems: what it walks past', () => {
  it('names the root by the path it is given, or none, and skips null and env pairs whose name is no text', () => {
    const MESSAGE =
      'is named like a secret, and config values land in the state and the cluster in clear; take it from a Secret (postBuild.substituteFrom, secretName) or a sensitive variable, or rename the key if it is not a secret';
    expect(secretNamedProblems({ token: 'x', none: null, env: [{ name: ['GITHUB_TOKEN'], value: 'v' }, null] })).toEqual([{ path: 'token', value: undefined, message: MESSAGE }]);
  });
});

describe('secretNamedProblems: annotations that name a Secret', () => {
  const MESSAGE =
    'is named like a secret, and config values land in the state and the cluster in clear; take it from a Secret (postBuild.substituteFrom, secretName) or a sensitive variable, or rename the key if it is not a secret';
  const key = 'nginx.ingress.kubernetes.io/auth-secret';

  it.each([['basic-auth'], ['ingress/basic-auth'], ['a.b-c9'], ['n/a'], ['a'.repeat(253)]])('takes %s as the name of a Secret', (name) => {
    expect(secretNamedProblems({ annotations: { [key]: name } }, 'c')).toEqual([]);
  });

  it.each([
    ['a name past 253 characters', key, 'a'.repeat(254), `c.annotations.${JSON.stringify(key)}`],
    ['a name in capitals', key, 'Basic-Auth', `c.annotations.${JSON.stringify(key)}`],
    ['a name ending in a dash', key, 'basic-', `c.annotations.${JSON.stringify(key)}`],
    ['two slashes', key, 'a/b/c', `c.annotations.${JSON.stringify(key)}`],
    ['a key without a prefix', 'auth-secret', 'basic-auth', 'c.annotations.auth-secret'],
    ['a key not ending in secret', 'example.com/secret-token', 'basic-auth', 'c.annotations."example.com/secret-token"'],
  ])('flags %s', (_, k, value, at) => {
    expect(secretNamedProblems({ annotations: { [k]: value } }, 'c')).toEqual([{ path: at, value: undefined, message: MESSAGE }]);
  });
});

describe('maskValue', () => {
  it.each<[unknown, unknown]>([
    ['https://user:pass@example.com/x', 'https://***@example.com/x'],
    ['  https://user:pass@example.com/x', '  https://***@example.com/x'],
    ['https://acct.blob.core.windows.net/c/b?sp=r&sig=abc#f', 'https://acct.blob.core.windows.net/c/b?sp=***&sig=***#f'],
    ['https://hooks.slack.com./services/T0/B0/xyz?a=1', 'https://hooks.slack.com./***'],
    ['https://ci.example.com/hooks/x', 'https://ci.example.com/***'],
    ['https://ci.example.com/other/x', 'https://ci.example.com/other/x'],
    // A no-break space in front (a paste from a web page): the URL is read all the same.
    ['\u00a0https://hooks.slack.com/services/T0/B0/xyz', 'https://hooks.slack.com/***'],
    ['https://h.example/x?=secretvalue&b=2', 'https://h.example/x?=***&b=***'],
    ['plain ?a=b text', 'plain ?a=b text'],
    // A PAT pasted into the wrong field: only its first characters are shown.
    ['abcdefghij0123456789ABCD', 'abcd***'],
    ['abcdefghij0123456789ABC', 'abcdefghij0123456789ABC'],
    ['abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwxyz'],
    ['012345678901234567890123456789', '012345678901234567890123456789'],
    ['a'.repeat(100), 'a'.repeat(100)],
    ['a b '.repeat(40), `${'a b '.repeat(40).slice(0, 97)}...`],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    [5, 5],
    [null, null],
    [true, true],
    [['https://u:p@h/x', 1], ['https://***@h/x', 1]],
    [{ 'key abcdefghij0123456789ABCD': { url: 'https://u:p@h/x' } }, { 'key abcd***': { url: 'https://***@h/x' } }],
  ])('%j', (value, masked) => {
    expect(maskValue(value)).toEqual(masked);
  });

  it('keeps a long token-like run out of a config error', () => {
    const pat = 'f9k2m4p6q8s0u2w4y6a8c0e2g4i6k8m0o2q4s6u8w0y2a4c6';
    const listed = problems(() => validateConfig({ clusters: [{ name: 'dev', repositories: [{ name: 'a', url: pat }] }] }, 'x'));
    // The one problem, the run cut to its first four characters.
    expect(listed).toEqual([
      'clusters[0].repositories[0].url: is not a git URL Flux can use over ssh; give an Azure Repos URL (git@ssh.dev.azure.com:v3/org/project/repo, https://dev.azure.com/org/project/_git/repo or ssh://git@ssh.dev.azure.com/v3/org/project/repo) or an ssh:// / https:// URL (got "f9k2***")',
    ]);
  });

  it('maskTokenRuns cuts each run in a key path, leaving the rest', () => {
    expect(maskTokenRuns('a.b0123456789abcdefghijklmn.c and x0123456789abcdefghijklmn')).toBe('a.b012***.c and x012***');
  });
});

describe('duplicateJsonKey', () => {
  it.each<[string, number]>([
    ['{"a":1,"a":2}', 7],
    ['{"x":{"a":1,"a":2}}', 12],
    ['{"a":{"b":1},"b":2}', -1],
    ['[{"a":1},{"a":1}]', -1],
    ['{"a":"a","b":"b"}', -1],
    ['{"a":["a","a"],"b":1}', -1],
    ['{"a\\"b":1,"a\\"b":2}', 10],
    ['{"a":1,"b":{},"a":3}', 14],
    ['{"\\u0061":1,"a":2}', 12],
    ['{"a":[1],"a":2}', 9],
    ['"a"', -1],
    ['["a",{"a":1}]', -1],
  ])('%s', (text, offset) => {
    expect(duplicateJsonKey(text)).toBe(offset);
  });
});

describe('readBounded', () => {
  const dir = tempDir('config-data-');
  const file = (name: string, content: string | Buffer): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it(`reads a file of up to ${MAX_CONFIG_BYTES} bytes whole, and refuses one byte more`, () => {
    expect(readBounded(file('small.yaml', 'clusters: []\n'))).toBe('clusters: []\n');
    expect(readBounded(file('max.yaml', Buffer.alloc(MAX_CONFIG_BYTES, 'a'))).length).toBe(MAX_CONFIG_BYTES);
    expect(() => readBounded(file('over.yaml', Buffer.alloc(MAX_CONFIG_BYTES + 1, 'a')))).toThrow(new Error(`is larger than ${MAX_CONFIG_BYTES} bytes`));
  });

  it('closes what it opens, also when it refuses the file', () => {
    const open = () => fs.readdirSync('/proc/self/fd').length;
    const small = file('fd.yaml', 'a: 1\n');
    const big = file('fd-big.yaml', Buffer.alloc(MAX_CONFIG_BYTES + 1, 'a'));
    const before = open();
    for (let i = 0; i < 5; i++) {
      readBounded(small);
      expect(() => readBounded(big)).toThrow();
    }
    expect(open()).toBe(before);
  });

  it('reads a file in a folder merely named proc', () => {
    fs.mkdirSync(path.join(dir, 'proc'));
    expect(readBounded(file('proc/c.yaml', 'x'))).toBe('x');
  });

  it('refuses a folder, a device and /proc, also through a symbolic link', () => {
    expect(() => readBounded(dir)).toThrow(new Error('is not a regular file (a folder, a FIFO or a device)'));
    expect(() => readBounded('/dev/null')).toThrow(new Error('is not a regular file (a folder, a FIFO or a device)'));
    const link = path.join(dir, 'status.yaml');
    fs.symlinkSync('/proc/self/status', link);
    expect(() => readBounded(link)).toThrow(new Error('is under /proc, /sys or /dev, never a config file'));
  });
});
