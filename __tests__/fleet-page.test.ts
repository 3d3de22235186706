/**
 * The fleet page (fleet-status/html.ts) opened from disk in a real Chromium (Debian's, driven by
 * playwright-core): what it fetches, what the matrix says, the filters, escaping, axe-core, and the
 * screenshot in docs/. Skipped with a message where no Chromium is installed.
 *
 * docs/fleet-page.png is written only when it is missing or FLEET_PAGE_SCREENSHOT=1 asks for it, so
 * that a test run does not dirty the tree (font rendering differs between machines).
 */
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (The functions given to page.evaluate run in the page: they need the DOM's types.)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { duration, embedJson, escapeHtml, httpUrl, renderFleetPage } from '../fleet-status/html';
import type { FleetSnapshot } from '../fleet-status/snapshot';
import { statusCommand } from '../cli/status';
import { findChromium, launchChromium, NO_CHROMIUM } from './support/chromium';
import { fleetSnapshotFixture, HOSTILE_MESSAGE, HOSTILE_NAME, HOSTILE_REASON, HOSTILE_TARGET_URL } from './support/snapshot-fixtures';

const ROOT = path.join(__dirname, '..');
const SCREENSHOT = path.join(ROOT, 'docs', 'fleet-page.png');
const BROWSER_TIMEOUT = 120_000;

describe('the fleet page as markup (no browser)', () => {
  const snapshot = fleetSnapshotFixture();
  const page = renderFleetPage(snapshot);

  it('is what status --snapshot IN --html OUT writes, beside the table, and a file it cannot write is exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-page-cli-'));
    const saved = path.join(dir, 'snapshot.json');
    fs.writeFileSync(saved, JSON.stringify(snapshot));
    const out: string[] = [];
    const err: string[] = [];
    const code = await statusCommand(['--snapshot', saved, '--html', path.join(dir, 'fleet.html')], {}, (t) => out.push(t), (t) => err.push(t));
    expect({ code, err }).toEqual({ code: 0, err: [`status: wrote the fleet page to ${path.join(dir, 'fleet.html')}`] });
    expect(fs.readFileSync(path.join(dir, 'fleet.html'), 'utf8') === page).toBe(true);
    expect(out.join('')).toMatch(/^RING 1$/m);
    const missing = path.join(dir, 'no-such-folder', 'fleet.html');
    expect(await statusCommand(['--snapshot', saved, '--html', missing], {}, () => undefined, (t) => err.push(t))).toBe(2);
    expect(err[err.length - 1]).toBe(`status: cannot write ${missing}: ENOENT`);
  });

  // (Booleans and counts, not toContain: a failure would print the whole page.)
  it('has no hostile string of the snapshot unescaped', () => {
    // (In the embedded JSON a quote is \" and harmless: only the markup before it must have none.)
    const markup = page.slice(0, page.indexOf('<script type="application/json"'));
    expect([page.includes(escapeHtml(HOSTILE_NAME)), page.includes(HOSTILE_NAME), page.includes('</script><script>alert(2)'), markup.includes('" autofocus')]).toEqual([true, false, false, false]);
    // Exactly the two scripts of the page: the snapshot and the filters.
    expect(page.match(/<script\b/g)).toEqual(['<script', '<script']);
  });

  it('embeds the snapshot so that it parses back to the same value', () => {
    const embedded = /<script type="application\/json" id="fleet-snapshot">([^]*?)<\/script>/.exec(page)![1];
    expect(JSON.parse(embedded)).toEqual(snapshot);
    // Nothing in it that an HTML parser or an old JavaScript parser would take for markup or a line end.
    expect(embedded.match(/[<>&\u2028\u2029]/g)).toBeNull();
    expect(embedJson({ s: '</script><!--&\u2028\u2029' })).toBe('{"s":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029"}');
  });

  it('is ASCII, with references in the markup and escapes in the style and the scripts', () => {
    expect(page.match(/[^\x00-\x7f]/g)).toBeNull();
    // A reference would not be decoded in the style or a script: nothing there may have become one.
    const raw = [...page.matchAll(/<(style|script)\b[^>]*>([^]*?)<\/\1>/g)].map((m) => m[2]);
    expect([raw.length, raw.filter((text) => text.includes('&#x')).length]).toEqual([3, 0]);
    expect([page.includes('Zo&#xeb; M&#xfc;ller'), page.includes('(Gr&#xf6;&#xdf;e &#x2192; 2 replicas)'), page.includes('&lt;!-- &#x2028;&#x2029; &#x1f680;')]).toEqual([true, true, true]);
  });

  it('makes links of http(s) URLs only', () => {
    expect(['https://dev.azure.com/o/p/_git/r', 'http://x.example/a', HOSTILE_TARGET_URL, 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'vbscript:x', '//evil.example', 'not a url'].map(httpUrl)).toEqual([
      'https://dev.azure.com/o/p/_git/r',
      'http://x.example/a',
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('gives ages in the two largest units', () => {
    expect([0, 59.6, 60, 3599, 3600, 3660, 86399, 86400, 90000, 200000, -5, NaN].map(duration)).toEqual(['0s', '1m', '1m', '59m', '1h', '1h 1m', '23h 59m', '1d', '1d 1h', '2d 7h', '0s', '?']);
  });

  it('names an unreachable cluster in the attention list, with why, and marks each of its rows', () => {
    // The fixture makes the 14th cluster of a bigger fleet unreachable.
    const fleet = fleetSnapshotFixture({ clusters: 14, hostile: false });
    const rendered = renderFleetPage(fleet);
    const attention = /<table id="attention"[^]*?<\/table>/.exec(rendered)![0];
    const rows = [...attention.matchAll(/<tr data-ring="(\d+)" data-cluster="([^"]+)" data-repo="[^"]*" data-state="(\w+)">[^]*?<td class="reason">([^<]*)/g)].map((m) => m.slice(1));
    expect(rows.filter((r) => r[2] === 'unknown')).toEqual([['3', 'aks-014', 'unknown', 'cluster unreachable: dial tcp 10.20.0.4:443: i/o timeout']]);
    const matrixRows = [...rendered.matchAll(/<tr(?: class="first")? data-ring="(\d+)" data-cluster="([^"]+)" data-repo="[^"]*"><th scope="row">([^]*?)<\/th>/g)];
    const marked = matrixRows.filter((m) => m[3].includes('<span class="unreachable">unreachable</span>')).map((m) => [m[1], m[2], m[3].startsWith('<span class="cname">aks-014</span> <span class="ringof">ring 3</span>')]);
    expect(marked).toEqual(Array(fleet.clusters.find((c) => c.name === 'aks-014')!.kustomizations.length).fill(['3', 'aks-014', true]));
    expect(marked.length).toBeGreaterThan(0);
    expect(/<p class="headline bad">(\d+) clusters need attention<\/p>/.exec(rendered)![1]).toBe(String(new Set(rows.map((r) => r[1])).size));
  });

  it('renders a snapshot with no cluster and no commit', () => {
    const empty: FleetSnapshot = { ...fleetSnapshotFixture(), rings: [], clusters: [], commits: [], repositories: [], leadTime: {} };
    const rendered = renderFleetPage(empty);
    expect([rendered.includes('<p class="headline">The snapshot has no cluster</p>'), rendered.includes('<p>No cluster reports a Kustomization.</p>'), rendered.includes('<p>No repository was read.</p>')]).toEqual([true, true, true]);
  });

  it('is the same page for the same snapshot (a pipeline can diff two runs)', () => {
    expect(renderFleetPage(fleetSnapshotFixture())).toBe(page);
  });
});

const chromiumPath = findChromium();

(chromiumPath ? describe : describe.skip)(`the fleet page in Chromium${chromiumPath ? '' : ` (${NO_CHROMIUM})`}`, () => {
  let browser: Browser;
  let dir: string;
  const snapshot = fleetSnapshotFixture();

  /** Writes the page of `s` to disk and returns its file: URL. */
  function pageFile(name: string, s: FleetSnapshot): string {
    const file = path.join(dir, `${name}.html`);
    fs.writeFileSync(file, renderFleetPage(s));
    return `file://${file}`;
  }

  /** A page opened from disk in a fresh context, with every request but the file's aborted and recorded. */
  async function open(url: string, options: { colorScheme?: 'light' | 'dark'; bypassCSP?: boolean } = {}): Promise<{ page: Page; context: BrowserContext; requests: string[]; dialogs: string[]; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: options.colorScheme ?? 'light', bypassCSP: options.bypassCSP ?? false });
    const requests: string[] = [];
    const dialogs: string[] = [];
    const errors: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
    return { page, context, requests, dialogs, errors };
  }

  /**
   * The fleet page of the snapshot as first opened, shared by the tests that only read it (each open is
   * a context and a renderer process, about 0.4 s of CPU): they must not click, resize or emulate.
   */
  let opened: ReturnType<typeof open> | undefined;
  const readOnlyPage = () => (opened ??= open(pageFile('fleet', snapshot)));

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-page-'));
    browser = await launchChromium(chromiumPath!);
  }, BROWSER_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, BROWSER_TIMEOUT);

  it('opens from disk and requests nothing but the file', async () => {
    const url = pageFile('fleet', snapshot);
    const { page, context, requests, errors } = await open(url);
    // Use it a little, as a person would: a filter, a print layout.
    await page.click('button[data-state="failed"]');
    await page.emulateMedia({ media: 'print' });
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    // Nothing in the markup that could fetch later either.
    expect(await page.evaluate(() => document.querySelectorAll('[src], link, iframe, object, embed, img, form[action]').length)).toBe(0);
    await context.close();
  }, BROWSER_TIMEOUT);

  it("shows one row per cluster and Kustomization, its live short SHA, state word and commits behind under its cluster's ring, rings in order", async () => {
    const { page } = await readOnlyPage();
    const shown = await page.evaluate(() => {
      const table = document.getElementById('matrix') as HTMLTableElement;
      const rings = [...table.querySelectorAll<HTMLElement>('thead th[data-ring-head]')].map((th) => th.textContent!);
      const rows = [...table.querySelectorAll<HTMLTableRowElement>('tbody tr')].map((tr) => {
        const tds = [...tr.querySelectorAll('td')];
        const at = tds.findIndex((td) => td.hasAttribute('data-state'));
        const td = tds[at];
        return {
          cluster: tr.dataset.cluster!,
          header: [tr.querySelector('th .cname')!.textContent, tr.querySelector('th .ringof')!.textContent],
          k: tr.querySelector('th .kname')!.textContent!,
          cell: { ring: rings[at], sha: td.querySelector('.sha, .none')!.textContent!, state: td.querySelector('b')!.textContent!, behind: td.querySelector('.m')?.textContent ?? null },
          // Every other cell of the row: empty but for a dash from the style sheet, whose alternative text says "other ring".
          others: tds.filter((_, i) => i !== at).map((o) => [o.className, o.textContent, getComputedStyle(o, '::before').content]),
        };
      });
      return { rings, rows };
    });
    const ringOf = new Map(snapshot.clusters.map((c) => [c.name, c.ring]));
    const expected = snapshot.rings.flatMap((r) => r.clusters).flatMap((name) =>
      snapshot.clusters.find((c) => c.name === name)!.kustomizations.map((k) => ({
        cluster: name,
        header: [name, `ring ${ringOf.get(name)}`],
        k: `${k.namespace}/${k.name}`,
        cell: {
          ring: `Ring ${ringOf.get(name)}`,
          sha: k.revision === null ? 'no revision' : k.revision.slice(0, 7),
          state: k.state,
          behind: k.commitsBehind === null ? null : k.commitsBehind === 0 ? 'up to date' : `${k.commitsBehind} behind`,
        },
        others: [['na', '', '"—" / "other ring"'], ['na', '', '"—" / "other ring"']],
      })),
    );
    expect(shown.rows).toEqual(expected);
    expect(shown.rings).toEqual(['Ring 1', 'Ring 2', 'Ring 3']);
    // The fixture's cells that need a person, and the failed one's details, as a person reads them.
    expect(expected.map((r) => r.cell.state).sort()).toEqual([...Array(14).fill('ready'), 'failed', 'missing', 'progressing', 'silent'].sort());
    expect((await page.locator('#matrix td[data-state="failed"]').innerText()).split('\n')).toEqual(['5c8e502', 'failed for 42m', '1 behind']);
    // As a screen reader gets the first row: its header, its cell under Ring 1, and the other rings' cells as "other ring".
    const aria = (await page.locator('#matrix tbody tr').first().ariaSnapshot()).split('\n');
    expect(aria.filter((line) => /^ {2}- '?(rowheader|cell)/.test(line)).map((line) => line.replace(/^ {2}- '?(\w+) "(.*?)".*$/, '$1: $2'))).toEqual([
      'rowheader: dev-weu ring 1 flux-system/infrastructure platform-config',
      `cell: 2deb53f ready for 33m up to date status: ${HOSTILE_TARGET_URL}`,
      'cell: other ring',
      'cell: other ring',
    ]);
    // The row header stays in view when the matrix scrolls sideways.
    expect(await page.$eval('#matrix tbody th', (th) => getComputedStyle(th).position)).toBe('sticky');
  }, BROWSER_TIMEOUT);

  it('puts what needs attention first, with the reason, and says how many clusters need it', async () => {
    const { page } = await readOnlyPage();
    expect(await page.locator('.headline').textContent()).toBe('4 clusters need attention');
    const rows = await page.$$eval('#attention tbody tr', (trs) => trs.map((tr) => [tr.querySelector('b')!.textContent, tr.querySelector('th')!.textContent, tr.querySelector('.reason')!.textContent]));
    const cell = (cluster: string, state: string) => snapshot.clusters.find((c) => c.name === cluster)!.kustomizations.find((k) => k.state === state || (state === 'disagreeing' && k.disagreement !== null))!;
    expect(rows).toEqual([
      ['failed', 'test-weu', cell('test-weu', 'failed').reason],
      ['silent', 'prod-sea', cell('prod-sea', 'silent').reason],
      ['missing', 'prod-neu', cell('prod-neu', 'missing').reason],
      ['ready', 'prod-weu', `${cell('prod-weu', 'disagreeing').reason}; ${cell('prod-weu', 'disagreeing').disagreement}`],
    ]);
    // In the matrix, the cells that need a person stand out (the rows keep ring order).
    const highlighted = await page.$$eval('#matrix td[data-attn]', (tds) => tds.map((td) => [td.closest('tr')!.dataset.cluster, td.getAttribute('data-state'), getComputedStyle(td).backgroundColor]));
    const plain = await page.$eval('#matrix td[data-state="ready"]:not([data-attn])', (td) => getComputedStyle(td).backgroundColor);
    expect(highlighted.map((h) => h.slice(0, 2)).sort()).toEqual([['prod-neu', 'missing'], ['prod-sea', 'silent'], ['prod-weu', 'ready'], ['test-weu', 'failed']]);
    expect(highlighted.filter((h) => h[2] === plain)).toEqual([]);
  }, BROWSER_TIMEOUT);

  it('filters by state, ring, cluster and repository, from the keyboard too', async () => {
    const { page, context } = await open(pageFile('fleet', snapshot));
    const visible = () =>
      page.evaluate(() => {
        const shown = (sel: string, root: ParentNode = document) => [...root.querySelectorAll<HTMLElement>(sel)].filter((e) => e.offsetParent !== null || e.getClientRects().length > 0);
        return {
          clusters: [...new Set(shown('#matrix tbody tr').map((tr) => tr.dataset.cluster))],
          rings: shown('#matrix th[data-ring-head]').map((th) => th.textContent),
          rows: shown('#matrix tbody tr').map((tr) => `${tr.dataset.cluster} ${tr.querySelector('.kname')!.textContent}`),
          // Each shown row has exactly as many shown cells as there are shown ring columns.
          cellsPerRow: [...new Set(shown('#matrix tbody tr').map((tr) => shown('td', tr).length))],
          attention: shown('#attention tbody tr').map((tr) => tr.querySelector('th')!.textContent),
          timelines: shown('.timeline').map((s) => s.dataset.repo),
          count: document.getElementById('f-count')!.textContent,
        };
      });
    const before = await visible();
    expect([before.clusters.length, before.rows.length, before.rings, before.cellsPerRow, before.attention.length, before.count]).toEqual([6, 18, ['Ring 1', 'Ring 2', 'Ring 3'], [3], 4, 'Showing 18 of 18 rows (6 of 6 clusters)']);

    await page.click('button[data-state="failed"]');
    expect(await visible()).toEqual({
      clusters: ['test-weu'],
      rings: ['Ring 1'],
      rows: ['test-weu flux-system/infrastructure'],
      cellsPerRow: [1],
      attention: ['test-weu'],
      timelines: ['contoso/fleet/platform-config', 'contoso/fleet/apps-config'],
      count: 'Showing 1 of 18 rows (1 of 6 clusters)',
    });

    // Back to all states from the keyboard: the state buttons are real buttons.
    await page.focus('button[data-state=""]');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('button[data-state=""]', 'aria-pressed')).toBe('true');
    await page.selectOption('#f-ring', '2');
    const ring2 = await visible();
    expect([ring2.clusters, ring2.rings, ring2.cellsPerRow, ring2.rows.length, ring2.attention, ring2.count]).toEqual([['prod-weu', 'prod-neu'], ['Ring 2'], [1], 6, ['prod-neu', 'prod-weu'], 'Showing 6 of 18 rows (2 of 6 clusters)']);

    await page.selectOption('#f-ring', '');
    await page.selectOption('#f-cluster', 'prod-sea');
    const sea = await visible();
    expect([sea.clusters, sea.rings, sea.rows.length]).toEqual([['prod-sea'], ['Ring 3'], 3]);

    await page.selectOption('#f-cluster', '');
    await page.selectOption('#f-repo', 'contoso/fleet/apps-config');
    const apps = await visible();
    expect([apps.rows, apps.rings, apps.cellsPerRow, apps.timelines, apps.attention]).toEqual([snapshot.rings.flatMap((r) => r.clusters).map((c) => `${c} flux-system/apps`), ['Ring 1', 'Ring 2', 'Ring 3'], [3], ['contoso/fleet/apps-config'], ['prod-sea']]);

    // Focus is visible on the controls (keyboard focus, not a click).
    await page.focus('#f-repo');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => [document.activeElement!.getAttribute('data-state'), getComputedStyle(document.activeElement!).outlineStyle])).toEqual(['', 'solid']);
    await context.close();
  }, BROWSER_TIMEOUT);

  it('shows hostile config strings as text: no element, no script, no javascript: link', async () => {
    // Dialogs and errors since the shared page was opened, whichever test ran first.
    const { page, dialogs, errors } = await readOnlyPage();
    const facts = await page.evaluate(() => ({
      images: document.querySelectorAll('img').length,
      handlers: [...document.querySelectorAll('*')].flatMap((e) => e.getAttributeNames().filter((a) => a.startsWith('on') || a === 'autofocus')),
      titles: [...document.querySelectorAll('#matrix td[title]')].map((e) => e.getAttribute('title')),
      scripts: document.scripts.length,
      rowNames: [...document.querySelectorAll('#matrix tbody th .kname')].map((e) => e.textContent),
      linkProtocols: [...new Set([...document.querySelectorAll('a')].map((a) => a.protocol))],
      rawTargets: [...document.querySelectorAll('.target.raw code')].map((e) => e.textContent),
      message: document.querySelector('.timeline .msg')!.textContent,
      authors: [...new Set([...document.querySelectorAll('.timeline .author')].map((e) => e.textContent))].sort(),
      messages: [...new Set([...document.querySelectorAll('.timeline .msg')].map((e) => e.textContent))].filter((m) => m!.endsWith('replicas)')),
      embedded: JSON.parse(document.getElementById('fleet-snapshot')!.textContent!),
    }));
    expect(facts.images).toBe(0);
    expect(facts.handlers).toEqual([]);
    expect(facts.titles).toContain(HOSTILE_REASON);
    expect(facts.scripts).toBe(2);
    expect(facts.rowNames).toContain(`flux-system/${HOSTILE_NAME}`);
    expect(facts.linkProtocols).toEqual(['https:']);
    // The hostile targetUrl is on a ready cell: shown once, in the matrix, as text.
    expect(facts.rawTargets).toEqual([HOSTILE_TARGET_URL]);
    expect(facts.message).toBe(HOSTILE_MESSAGE);
    // Written in ASCII, read as they are.
    expect([facts.authors, facts.messages]).toEqual([['Ada Okafor', 'Lin Wei', 'Noor Haddad', 'Zoë Müller'], ['Roll back the API gateway image (Größe → 2 replicas)']]);
    expect(facts.embedded).toEqual(snapshot);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  }, BROWSER_TIMEOUT);

  it('prints: no filters, no scrolling boxes, the matrix within an A4 landscape page', async () => {
    const { page, context } = await open(pageFile('fleet', snapshot));
    // A4 landscape at 96 dpi, less 1 cm margins.
    await page.setViewportSize({ width: 1047, height: 718 });
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const printed = await page.evaluate(() => ({
      filters: getComputedStyle(document.getElementById('filters')!).display,
      overflow: [...new Set([...document.querySelectorAll('.scroll')].map((e) => getComputedStyle(e).overflowX))],
      matrixRight: Math.ceil(document.getElementById('matrix')!.getBoundingClientRect().right),
      background: getComputedStyle(document.body).backgroundColor,
    }));
    expect([printed.filters, printed.overflow, printed.background]).toEqual(['none', ['visible'], 'rgb(255, 255, 255)']);
    expect(printed.matrixRight).toBeLessThanOrEqual(1047);
    await context.close();
  }, BROWSER_TIMEOUT);

  /**
   * One page for both colour schemes (each test sets its own with emulateMedia, as a context's colorScheme
   * does): opening it is a context, a renderer and axe's injection. axe is injected as a script: the
   * page's own policy would refuse it.
   */
  let axePage: Promise<{ page: Page }> | undefined;
  const pageWithAxe = () =>
    (axePage ??= open(pageFile('fleet-axe', snapshot), { bypassCSP: true }).then(async (opened) => {
      await opened.page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      // Everything laid out, as when scrolled through: axe judges contrast on what is rendered.
      await opened.page.evaluate(() => document.querySelectorAll<HTMLElement>('.cv').forEach((e) => e.style.setProperty('content-visibility', 'visible')));
      return opened;
    }));

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious or critical axe-core violation (${colorScheme})`, async () => {
      const { page } = await pageWithAxe();
      await page.emulateMedia({ colorScheme });
      expect(await page.evaluate(() => matchMedia(`(prefers-color-scheme: dark)`).matches)).toBe(colorScheme === 'dark');
      const { unstated, violations } = await page.evaluate(async () => {
        const axe = (window as any).axe;
        // Every rule of axe-core 4.14 states its impact, and a violation's impact is then its rule's
        // (axe.js _finalizeRuleResult sets each check's impact to the rule's before they are summed up):
        // a minor or moderate rule cannot report what this test looks for, so it is left out (the run
        // goes from 91 rules to 65, ~0.4 s less of the page's CPU). A rule without an impact would be kept.
        const rules: { id: string; impact?: string }[] = axe._audit.rules;
        const unstated = rules.filter((r) => !['minor', 'moderate', 'serious', 'critical'].includes(r.impact!)).map((r) => r.id);
        const off = Object.fromEntries(rules.filter((r) => r.impact === 'minor' || r.impact === 'moderate').map((r) => [r.id, { enabled: false }]));
        const result = await axe.run(document, { resultTypes: ['violations'], rules: off });
        return { unstated, violations: result.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: any) => n.target.join(' ')).slice(0, 5) })) };
      });
      expect(unstated).toEqual([]);
      expect(violations.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    }, BROWSER_TIMEOUT);
  }

  it('renders the screenshot of a realistic fleet (docs/fleet-page.png)', async () => {
    const realistic = fleetSnapshotFixture({ clusters: 6, kustomizations: 3, commits: 4, hostile: false });
    const { page, context } = await open(pageFile('realistic', realistic));
    // A full-page capture does not scroll, and what lies below the viewport is content-visibility: auto:
    // show it as it is once scrolled to.
    await page.evaluate(() => document.querySelectorAll<HTMLElement>('.cv').forEach((e) => e.style.setProperty('content-visibility', 'visible')));
    const png = await page.screenshot({ fullPage: true });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    if (process.env.FLEET_PAGE_SCREENSHOT === '1' || !fs.existsSync(SCREENSHOT)) fs.writeFileSync(SCREENSHOT, png);
    await context.close();
  }, BROWSER_TIMEOUT);
});
