// A real-browser test of a site built by `accord build`.
//
//   node tests/browser/site.test.mjs SITE_DIR
//
// Drives Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) through playwright-core over
// file:// URLs: the dashboard, an agreement, its first term's owner, the term's KPI and its
// SVG chart, then every other page of the site. Fails on any failed check, console error or
// warning, uncaught page error, failed request, request for anything but a file:// URL, link
// to a missing file or anchor, root-absolute link, <script> (but search.html's two, the
// index and the search code, both from files: the search is typed into, its results shown
// and followed, keyboard included), inline event handler, or a page that scrolls sideways
// (desktop 1280 px and phone 390 px, every page). On both sizes, every page: KPI chart axis
// labels do not overlap nor leave the chart, funnel labels are drawn at 11 px or more, every
// table cell is on screen (on a phone, stacked rows that name each cell's column), and a unit
// stands beside every KPI value. With SCREENSHOT_DIR set, writes screenshots of four pages (desktop, phone, dark)
// there; it refuses a directory inside the repository.
//
// Plain Node, no test framework: prints `browser: N passed, M failed` and exits 1 on failure.

import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const TIMEOUT_MS = 15_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

function usage(message) {
  console.error(`site.test.mjs: ${message}`);
  console.error('usage: node tests/browser/site.test.mjs SITE_DIR   (SCREENSHOT_DIR=DIR optional)');
  process.exit(2);
}

if (!process.argv[2]) usage('no site directory given');
const siteDir = path.resolve(process.argv[2]);
if (!existsSync(path.join(siteDir, 'index.html'))) usage(`${siteDir}/index.html does not exist: build the site first`);
if (!existsSync(CHROMIUM)) usage(`${CHROMIUM} not found: apt-get install -y chromium`);

let shotDir = null;
if (process.env.SCREENSHOT_DIR) {
  shotDir = path.resolve(process.env.SCREENSHOT_DIR);
  const rel = path.relative(repoRoot, shotDir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    usage(`SCREENSHOT_DIR ${shotDir} is inside the repository; use a temporary directory`);
  }
  mkdirSync(shotDir, { recursive: true });
}

const siteUrl = pathToFileURL(siteDir + path.sep).href; // ends with '/'
const urlOf = (rel) => new URL(rel, siteUrl).href;
const relOf = (url) => {
  const u = new URL(url);
  u.hash = '';
  return u.href.startsWith(siteUrl) ? decodeURIComponent(u.href.slice(siteUrl.length)) : url;
};

// ---------------------------------------------------------------------------------------
// Bookkeeping: every check and every problem the browser reports.

let passed = 0;
const failures = [];
const check = (ok, what, detail = '') => {
  if (ok) passed += 1;
  else failures.push(detail ? `${what}: ${detail}` : what);
  return ok;
};
const problems = []; // console errors, page errors, failed or foreign requests
const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

function watch(context, label) {
  // Nothing may leave the machine: answer any non-file request with an abort (and record it).
  context.route((url) => url.protocol !== 'file:', (route) => route.abort('blockedbyclient'));
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('file://')) problems.push(`[${label}] request to a non-file URL: ${url} (from ${relOf(req.frame().url())})`);
  });
  context.on('requestfailed', (req) => {
    const url = req.url();
    if (!url.startsWith('file://')) return; // already recorded above
    problems.push(`[${label}] request failed: ${relOf(url)} (${req.failure()?.errorText ?? 'unknown error'})`);
  });
  context.on('page', (page) => attach(page, label));
}

function attach(page, label) {
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on('console', (msg) => {
    const type = msg.type();
    if (type === 'error' || type === 'warning') {
      const loc = msg.location();
      const where = loc?.url ? ` at ${relOf(loc.url)}${loc.lineNumber ? `:${loc.lineNumber}` : ''}` : '';
      problems.push(`[${label}] console ${type} on ${relOf(page.url())}${where}: ${squash(msg.text())}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`[${label}] page error on ${relOf(page.url())}: ${err.message}`));
}

// ---------------------------------------------------------------------------------------
// Checks that hold on every page.

const pageIds = new Map(); // site-relative path -> Set of element ids
const linksSeen = []; // { from, href, url }

async function commonChecks(page, label) {
  const at = `${label} ${relOf(page.url())}`;
  const facts = await page.evaluate(() => {
    const attrs = [];
    for (const el of document.querySelectorAll('[href], [src]')) {
      for (const name of ['href', 'src']) {
        const raw = el.getAttribute(name);
        if (raw !== null) attrs.push({ tag: el.tagName.toLowerCase(), name, raw, url: el[name] || raw });
      }
    }
    // file:// pages are opaque origins, so cssRules cannot be read: test that the sheet is
    // attached and took effect (it hides the skip link until it is focused).
    const sheet = [...document.styleSheets].some((s) => s.href && /(^|\/)style\.css$/.test(s.href));
    const skip = document.querySelector('a.skip');
    const skipBox = skip ? skip.getBoundingClientRect() : null;
    return {
      title: document.title,
      h1: [...document.querySelectorAll('h1')].map((h) => h.textContent),
      scripts: [...document.querySelectorAll('script')].map((s) => ({ src: s.getAttribute('src'), inline: s.textContent.trim() !== '' })),
      handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
      attrs,
      ids: [...document.querySelectorAll('[id]')].map((el) => el.id),
      names: [...document.querySelectorAll('a[name]')].map((el) => el.getAttribute('name')),
      sheet,
      skipHidden: skipBox ? skipBox.right <= 0 || skipBox.bottom <= 0 : null,
      main: !!document.querySelector('main#main'),
      footerDate: document.querySelector('footer time')?.getAttribute('datetime') ?? null,
    };
  });
  check(facts.title.trim() !== '', `${at}: has a <title>`);
  check(facts.h1.length === 1, `${at}: has exactly one <h1>`, `found ${facts.h1.length}`);
  // The site's only script is the search, on its page: the index, then the code.
  const scripts = facts.scripts.map((s) => (s.inline ? 'inline' : s.src)).join(', ');
  const allowed = relOf(page.url()).replace(/\?.*$/, '') === 'search.html' ? 'search-index.js, search.js' : '';
  check(scripts === allowed && facts.handlers === 0, `${at}: no JavaScript${allowed ? ` but ${allowed}` : ''}`,
    `<script>: ${scripts || 'none'}; ${facts.handlers} on* attributes`);
  check(facts.sheet, `${at}: links style.css`);
  check(facts.skipHidden === true, `${at}: style.css applied (skip link hidden until focused)`,
    facts.skipHidden === null ? 'no a.skip' : 'skip link is on screen');
  check(facts.main, `${at}: has main#main (skip link target)`);
  check(facts.footerDate !== null, `${at}: footer carries the build date`);
  const absolute = facts.attrs.filter((a) => a.raw.startsWith('/') || a.raw.startsWith('file:'));
  check(absolute.length === 0, `${at}: every link relative`,
    [...new Set(absolute.map((a) => `${a.tag} ${a.name}="${a.raw}"`))].join(', '));
  pageIds.set(relOf(page.url()), new Set([...facts.ids, ...facts.names]));
  for (const a of facts.attrs) {
    if (a.url.startsWith('file:')) linksSeen.push({ from: relOf(page.url()), raw: a.raw, url: a.url });
  }
}

// Links are checked once every page has been seen, so that #fragments can be resolved.
function checkLinks() {
  const missingFiles = new Map();
  const missingAnchors = new Map();
  for (const { from, raw, url } of linksSeen) {
    const u = new URL(url);
    let file;
    try { file = fileURLToPath(u); } catch { missingFiles.set(`${from} -> ${raw}`, 1); continue; }
    if (!existsSync(file) || statSync(file).isDirectory()) {
      missingFiles.set(`${from} -> ${raw}`, 1);
      continue;
    }
    const frag = u.hash ? decodeURIComponent(u.hash.slice(1)) : '';
    if (frag && file.endsWith('.html')) {
      const ids = pageIds.get(relOf(url));
      if (ids && !ids.has(frag)) missingAnchors.set(`${from} -> ${raw}`, 1);
    }
  }
  check(missingFiles.size === 0, `every link points at an existing file (${linksSeen.length} links)`,
    [...missingFiles.keys()].join('; '));
  check(missingAnchors.size === 0, 'every #fragment exists on its page', [...missingAnchors.keys()].join('; '));
}

// The dashboard opens with what needs attention (SPEC 7.8): the first section of <main>,
// right after the title and description, either one line per kind (each with its count and
// a link to the full list, wholly on screen) or one green line saying nothing does.
async function attentionChecks(p, label) {
  const first = await p.evaluate(() => document.querySelector('main section')?.id ?? null);
  check(first === 'attention', `${label} index: the first section is "needs attention"`, `first section: ${first}`);
  const lines = p.locator('#attention ul.attention > li');
  const allGood = await p.locator('#attention .callout.good').count();
  check((await lines.count() > 0) !== (allGood === 1), `${label} index: attention lines, or one green line`);
  const width = p.viewportSize().width;
  for (const li of await lines.all()) {
    const text = squash(await li.textContent());
    check(/: \d+/.test(text), `${label} index: the attention line "${text}" has a count`);
    check(await li.locator('a.all').count() === 1, `${label} index: the attention line "${text}" links its full list`);
    const box = await li.boundingBox();
    check(box && box.x >= 0 && box.x + box.width <= width + 0.5, `${label} index: the attention line "${text}" is on screen`, JSON.stringify(box));
  }
}

async function noSidewaysScroll(page, label) {
  const { scroll, client, wide } = await page.evaluate(() => {
    const root = document.documentElement;
    const wide = [];
    for (const el of document.querySelectorAll('main *, header *, footer *')) {
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1 && getComputedStyle(el).position !== 'fixed') {
        // Report the outermost offender only.
        if (!wide.some((w) => w.el.contains(el))) wide.push({ el, desc: `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} (right edge ${Math.round(r.right)}px)` });
      }
    }
    return { scroll: document.scrollingElement.scrollWidth, client: window.innerWidth, wide: wide.slice(0, 4).map((w) => w.desc) };
  });
  check(scroll <= client, `${label} ${relOf(page.url())}: no sideways scrolling`,
    `page is ${scroll}px wide in a ${client}px viewport; too wide: ${wide.join(', ')}`);
}

// What a reader of this viewport sees of the charts, the tables and the values: chart
// axis labels whose boxes neither intersect nor leave the chart, funnel labels of at
// least 11 px as drawn (font size times the chart's scale), every table cell on screen
// (on a phone each row stacks, each cell named by its column's data-label), and a unit
// beside every value whose KPI has one.
async function layoutChecks(page, label) {
  const at = `${label} ${relOf(page.url())}`;
  const facts = await page.evaluate(() => {
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      return getComputedStyle(el).display !== 'none' && r.width > 0 && r.height > 0;
    };
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: el.textContent };
    };
    const charts = [...document.querySelectorAll('svg.chart:not(.funnel)')].map((svg) => ({
      svg: box(svg),
      labels: [...svg.querySelectorAll('text')].filter(visible).map(box),
    }));
    const funnel = [...document.querySelectorAll('svg.funnel text')].map((t) => {
      const scale = t.ownerSVGElement.getScreenCTM()?.a ?? 1;
      return { text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale };
    });
    const width = document.documentElement.clientWidth;
    const cells = [...document.querySelectorAll('main table td')].map((td) => {
      const r = td.getBoundingClientRect();
      const headed = !!td.closest('table').querySelector('thead');
      return {
        text: td.textContent.trim().slice(0, 40),
        shown: td.textContent.trim() === '' || (visible(td) && r.left >= -1 && r.right <= width + 1),
        labelled: !headed || td.hasAttribute('data-label'),
        named: td.hasAttribute('data-label'),
        // A table that keeps its columns shows their names in its header row.
        stacked: getComputedStyle(td.closest('table')).display === 'block',
        header: headed && visible(td.closest('table').querySelector('thead'))
          && getComputedStyle(td.closest('table').querySelector('thead')).clipPath === 'none',
        before: getComputedStyle(td, '::before').content,
      };
    });
    const values = [...document.querySelectorAll('.value')].map((v) => ({
      unit: v.dataset.unit, text: v.textContent.replace(/\s+/g, ' ').trim(),
    }));
    const actualRows = [...document.querySelectorAll('#actuals tbody tr')].map((tr) => !!tr.querySelector('.value'));
    const kpiRows = [...document.querySelectorAll('#kpis tbody tr')].map((tr) => tr.querySelectorAll('.value').length);
    return { charts, funnel, cells, values, actualRows, kpiRows, narrow: width <= 640 };
  });
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  for (const [i, chart] of facts.charts.entries()) {
    const clash = [];
    for (let j = 0; j < chart.labels.length; j += 1) {
      for (let k = j + 1; k < chart.labels.length; k += 1) {
        if (overlaps(chart.labels[j], chart.labels[k])) clash.push(`${chart.labels[j].text} / ${chart.labels[k].text}`);
      }
    }
    check(chart.labels.length > 1 && clash.length === 0, `${at}: chart ${i + 1}: ${chart.labels.length} axis labels, none overlapping`, clash.join(', '));
    const out = chart.labels.filter((l) => l.left < chart.svg.left - 0.5 || l.right > chart.svg.right + 0.5);
    check(out.length === 0, `${at}: chart ${i + 1}: every axis label inside the chart`, out.map((l) => l.text).join(', '));
  }
  const small = facts.funnel.filter((t) => !(t.px >= 11));
  check(small.length === 0, `${at}: funnel labels at least 11px`, small.map((t) => `${t.text} ${t.px.toFixed(1)}px`).join(', '));
  const hidden = facts.cells.filter((c) => !c.shown);
  check(hidden.length === 0, `${at}: every table cell on screen`, hidden.map((c) => c.text).slice(0, 4).join(' | '));
  const unlabelled = facts.cells.filter((c) => !c.labelled);
  check(unlabelled.length === 0, `${at}: every cell of a table with a header names its column`, unlabelled.map((c) => c.text).slice(0, 4).join(' | '));
  if (facts.narrow) {
    const bare = facts.cells.filter((c) => c.text !== '' && (c.stacked
      ? c.named && !/^".+"$/.test(c.before)
      : c.labelled && !c.header && c.named));
    check(bare.length === 0, `${at}: on a phone every cell shows its column's name`, bare.map((c) => c.text).slice(0, 4).join(' | '));
  }
  const unitless = facts.values.filter((v) => v.unit && v.unit !== 'count' && !/\d\s*(%|\p{L}+)$/u.test(v.text));
  check(unitless.length === 0, `${at}: a unit beside every value`, unitless.map((v) => `${v.text} (${v.unit})`).join(', '));
  check(facts.actualRows.every(Boolean), `${at}: every actual is a value with its unit`);
  check(facts.kpiRows.every((n) => n >= 1), `${at}: every KPI row of the dashboard shows its target as a value with its unit`);
}

async function shoot(page, name) {
  if (!shotDir) return;
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

// ---------------------------------------------------------------------------------------

function listPages(dir, base = '') {
  const out = [];
  for (const entry of readdirSync(path.join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listPages(dir, rel));
    else if (entry.name.endsWith('.html')) out.push(rel);
  }
  return out.sort();
}

// The search: the header's form leads to search.html?q=, which shows what it found;
// typing on the search page finds across accents, case and scripts (Peñalara as
// "penalara", Łucja as "lucja", "лид" in Russian text); a result is followed by keyboard
// and by mouse; nothing found says so; with JavaScript off the page says what to do.
async function searchChecks(browser, page) {
  const results = page.locator('#search-results > li');
  const status = page.locator('#search-status');
  const typeQuery = async (query) => {
    await page.locator('#q').fill('');
    await page.locator('#q').pressSequentially(query);
  };

  await page.goto(urlOf('index.html'));
  check(await page.locator('header form[role="search"][action="search.html"][method="get"] input[name="q"]').count() === 1,
    'index: the header has a search form (GET search.html, field q)');
  await page.locator('#site-search').fill('LUCJA');
  await page.locator('#site-search').press('Enter');
  await page.waitForLoadState('load');
  check(relOf(page.url()) === 'search.html?q=LUCJA', 'the header form opens search.html?q=', relOf(page.url()));
  check(await page.locator('#q').inputValue() === 'LUCJA', 'search: the field holds the query of the URL');
  const lucja = results.filter({ has: page.locator('a', { hasText: 'Łucja Żurawska' }) });
  check(await lucja.count() === 1, 'search: "LUCJA" finds Łucja Żurawska', squash(await page.locator('main').textContent()));
  if (await lucja.count() === 1) {
    check(squash(await lucja.locator('.kind').textContent()) !== '', 'search: a result names its kind');
  }

  await typeQuery('penalara');
  const penalara = await results.count();
  check(penalara > 0, 'search: typing "penalara" shows results', squash(await status.textContent()));
  check(/\d/.test(squash(await status.textContent())), 'search: the status says how many were found', squash(await status.textContent()));
  const marks = await results.locator('mark').allTextContents();
  check(marks.length > 0 && marks.every((m) => m.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase() === 'penalara'),
    'search: each excerpt marks the match as written (Peñalara)', marks.join(', '));
  const firstHref = await results.first().locator('a').getAttribute('href');
  // By keyboard: Down from the field to the first result, Enter follows it.
  await page.locator('#q').press('ArrowDown');
  check(await page.evaluate(() => document.activeElement?.matches('#search-results li:first-child a') ?? false),
    'search: Down from the field focuses the first result');
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => !url.href.includes('search.html'), { timeout: 5_000 }).catch(() => {});
  check(relOf(page.url()) === firstHref, 'search: Enter on the first result opens it', `${relOf(page.url())}, expected ${firstHref}`);
  check((await page.locator('main').textContent()).includes('Peñalara'), 'search: the page found for "penalara" says Peñalara');

  await page.goto(urlOf('search.html'));
  check(squash(await status.textContent()) === '' && await results.count() === 0, 'search: no query, no results');
  await typeQuery('лид');
  check(await results.count() > 0, 'search: typing "лид" shows results', squash(await status.textContent()));
  const first = results.first().locator('a');
  const title = squash(await first.textContent());
  await first.click();
  await page.waitForLoadState('load');
  check(squash(await page.locator('h1').textContent()) === title, 'search: clicking the first result for "лид" opens its page',
    `h1 "${squash(await page.locator('h1').textContent())}", result "${title}"`);
  check(/Лид/.test(await page.locator('main').textContent()), 'search: the page found for "лид" says Лид');

  await page.goto(urlOf('search.html'));
  await typeQuery('zzqxj');
  check(await results.count() === 0 && squash(await status.textContent()).includes('zzqxj'),
    'search: a query that matches nothing says so', squash(await status.textContent()));

  // A phone shows results without sideways scrolling; with JavaScript off the page says why
  // there are none.
  const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  watch(phone, 'phone-search');
  const p = await phone.newPage();
  await p.goto(urlOf('search.html?q=penalara'));
  check(await p.locator('#search-results > li').count() === penalara, 'phone search: the same results');
  await noSidewaysScroll(p, 'phone-search');
  await phone.close();
  const noJs = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
  watch(noJs, 'no-js');
  const q = await noJs.newPage();
  await q.goto(urlOf('search.html?q=penalara'));
  check(await q.locator('noscript').count() === 1 && await q.locator('#search-results > li').count() === 0,
    'search without JavaScript: no results, a <noscript> note instead');
  await noJs.close();
}

const started = Date.now();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, timeout: 60_000 });
let exitCode = 0;
try {
  // ---- 1. The walk a new user takes, at desktop size.
  const desktop = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light' });
  watch(desktop, 'desktop');
  const page = await desktop.newPage();

  await page.goto(urlOf('index.html'));
  const siteTitle = squash(await page.locator('header .brand').textContent());
  check(siteTitle !== '', 'index: the header names the site');
  check(squash(await page.title()) === siteTitle, 'index: <title> is the site title', `title "${await page.title()}", brand "${siteTitle}"`);
  check(squash(await page.locator('h1').textContent()) === siteTitle, 'index: <h1> is the site title');
  const agreementsTable = page.locator('#agreements table');
  check(await agreementsTable.count() === 1, 'index: #agreements has a table');
  const agreementRows = await agreementsTable.locator('tbody tr').count();
  check(agreementRows > 0, 'index: the agreements table has rows', 'example org has agreements, table is empty');
  check(await page.locator('#kpis table tbody tr').count() > 0, 'index: the KPI table has rows');
  await attentionChecks(page, 'desktop');
  // Keyboard users: the first Tab shows the skip link, and following it lands in <main>.
  await page.keyboard.press('Tab');
  const skipShown = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    return a.matches('a.skip') && r.left >= 0 && r.top >= 0 && r.width > 0;
  });
  check(skipShown, 'index: the first Tab focuses a visible skip link');

  const firstAgreement = page.locator('#agreements').getByRole('link').and(page.locator('a[href^="agreements/"]')).first();
  const agreementName = squash(await firstAgreement.textContent());
  await firstAgreement.click();
  await page.waitForLoadState('load');
  const agreementUrl = page.url();
  check(/\/agreements\/[^/]+\.html$/.test(agreementUrl), 'clicking the first agreement opens agreements/<id>.html', relOf(agreementUrl));
  check(squash(await page.locator('h1').textContent()) === agreementName, 'agreement: <h1> is the name that was clicked',
    `h1 "${squash(await page.locator('h1').textContent())}", link "${agreementName}"`);
  const firstTerm = page.locator('.term').first();
  check(await page.locator('.term').count() > 0, 'agreement: has at least one .term section');
  check(await page.locator('.signatures table').count() === 1, 'agreement: has a signatures table');

  // The owner is the only people/ link among the term's facts (providers are teams).
  const ownerLink = firstTerm.locator('dl.facts a[href^="../people/"]').first();
  check(await ownerLink.count() === 1, 'agreement: the first term names an owner (a people/ link)');
  const ownerName = squash(await ownerLink.textContent());
  await ownerLink.click();
  await page.waitForLoadState('load');
  check(/\/people\/[^/]+\.html$/.test(page.url()), 'clicking the owner opens people/<id>.html', relOf(page.url()));
  const personH1 = squash(await page.locator('h1').textContent());
  check(personH1 === ownerName, 'person: <h1> equals the owner link text', `h1 "${personH1}", link "${ownerName}"`);
  check(await page.locator(`a[href$="${relOf(agreementUrl).split('/').pop()}"], a[href*="${relOf(agreementUrl).split('/').pop()}#"]`).count() > 0,
    'person: links back to the agreement they own a term of');

  // To a KPI: the person page has none of its own, so back to the agreement and through the
  // first term that is measured by one.
  let kpiLink = page.locator('main a[href^="../kpis/"]').first();
  if (await kpiLink.count() === 0) {
    await page.goBack();
    await page.waitForLoadState('load');
    check(page.url() === agreementUrl, 'browser back returns to the agreement', relOf(page.url()));
    kpiLink = page.locator('.term a[href^="../kpis/"]').first();
  }
  check(await kpiLink.count() === 1, 'a link to a KPI page is reachable from the agreement');
  const kpiName = squash(await kpiLink.textContent());
  await kpiLink.click();
  await page.waitForLoadState('load');
  check(/\/kpis\/[^/]+\.html$/.test(page.url()), 'clicking the KPI opens kpis/<id>.html', relOf(page.url()));
  check(squash(await page.locator('h1').textContent()) === kpiName, 'kpi: <h1> equals the KPI link text');
  const kpiUrl = page.url();
  const chart = page.locator('svg.chart').first();
  check(await chart.count() === 1, 'kpi: has an inline svg.chart');
  if (await chart.count() === 1) {
    check(await chart.locator('rect').count() > 0, 'kpi: the chart has at least one <rect>');
    check(await chart.isVisible(), 'kpi: the chart is visible');
    const box = await chart.boundingBox();
    check(box && box.width > 0 && box.height > 0, 'kpi: the chart has a non-zero bounding box', JSON.stringify(box));
    const bars = await chart.locator('rect').evaluateAll((rs) => rs.filter((r) => {
      const b = r.getBoundingClientRect();
      return b.width > 0 && b.height > 0;
    }).length);
    check(bars > 0, 'kpi: at least one chart <rect> is drawn with a non-zero size');
    check(await page.locator('#actuals table tbody tr').count() > 0, 'kpi: the actuals table has rows');
  }
  const agreementRel = relOf(agreementUrl);

  // ---- 1b. Search, from the header of any page and on search.html, from file://.
  await searchChecks(browser, page);
  const kpiRel = relOf(kpiUrl);

  // ---- 2. Every page of the site, once, at desktop size.
  const pages = listPages(siteDir);
  const kinds = ['index.html', 'agreements.html', 'kpis.html', 'owners.html', 'plan.html', 'health.html', 'agreements/', 'kpis/',
    'teams/', 'people/', 'personas/', 'meetings/', 'docs/'];
  for (const kind of kinds) {
    check(pages.some((p) => (kind.endsWith('/') ? p.startsWith(kind) : p === kind)), `site has a ${kind} page`);
  }
  for (const rel of pages) {
    await page.goto(urlOf(rel));
    await commonChecks(page, 'desktop');
    await noSidewaysScroll(page, 'desktop');
    await layoutChecks(page, 'desktop');
  }
  checkLinks();
  await page.goto(urlOf('plan.html'));
  check(await page.locator('main svg').count() > 0, 'plan: the funnel is drawn as an inline SVG');

  const showcase = ['index.html', agreementRel, kpiRel, 'owners.html'];
  const shotName = (rel) => rel.replace(/\.html$/, '').replace(/\//g, '-');
  for (const rel of showcase) {
    await page.goto(urlOf(rel));
    await shoot(page, `desktop-light-${shotName(rel)}`);
  }
  await desktop.close();

  // ---- 3. Phone and dark mode: layout and colours.
  const bodyColours = async (p) => p.evaluate(() => {
    const cs = getComputedStyle(document.body);
    const bg = getComputedStyle(document.documentElement).backgroundColor;
    return { body: cs.backgroundColor, root: bg, fg: cs.color };
  });
  const luminance = (rgb) => {
    const m = rgb.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/);
    if (!m || m[4] === '0') return null; // transparent
    const [r, g, b] = [m[1], m[2], m[3]].map((v) => Number(v) / 255);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const effectiveBg = (c) => (luminance(c.body) !== null ? c.body : c.root);

  const variants = [
    { label: 'phone-light', viewport: PHONE, colorScheme: 'light', isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
    { label: 'desktop-dark', viewport: DESKTOP, colorScheme: 'dark' },
    { label: 'phone-dark', viewport: PHONE, colorScheme: 'dark', isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  ];
  for (const { label, ...options } of variants) {
    const context = await browser.newContext(options);
    watch(context, label);
    const p = await context.newPage();
    for (const rel of showcase) {
      await p.goto(urlOf(rel));
      if (label.startsWith('phone')) await noSidewaysScroll(p, label);
      if (label === 'phone-light') await layoutChecks(p, label);
      if (rel === 'index.html') await attentionChecks(p, label);
      if (label.endsWith('dark')) {
        const c = await bodyColours(p);
        const bg = luminance(effectiveBg(c));
        const fg = luminance(c.fg);
        check(bg !== null && bg < 0.3 && fg !== null && fg > 0.6, `${label} ${rel}: dark background, light text`,
          `background ${effectiveBg(c)}, text ${c.fg}`);
      }
      await shoot(p, `${label}-${shotName(rel)}`);
    }
    if (label === 'phone-light') {
      // The rest of the site on a phone too: sideways scrolling is the usual way a table breaks.
      for (const rel of listPages(siteDir)) {
        if (showcase.includes(rel)) continue;
        await p.goto(urlOf(rel));
        await noSidewaysScroll(p, label);
        await layoutChecks(p, label);
      }
    }
    await context.close();
  }
} catch (err) {
  failures.push(`test aborted: ${err.stack || err.message}`);
} finally {
  await browser.close();
}

// The same problem seen twice in one context (a page visited twice) is reported once.
for (const problem of new Set(problems)) failures.push(problem);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length > 0) {
  console.error(`FAILED (${failures.length}):`);
  for (const f of failures) console.error(`  - ${f}`);
  exitCode = 1;
} else {
  console.log(`site ${siteDir}: ${pageIds.size} pages, ${linksSeen.length} links, no console errors, no failed or non-file requests`);
  if (shotDir) console.log(`screenshots in ${shotDir}`);
}
console.log(`browser: ${passed} passed, ${failures.length} failed (${seconds}s)`);
process.exit(exitCode);
