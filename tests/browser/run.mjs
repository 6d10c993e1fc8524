#!/usr/bin/env node
// Browser checks for a built cchc portal.
//
// Usage: node tests/browser/run.mjs <public-dir> [--pages /,/van-ban/,@document,...] [--search]
//
// Serves <public-dir> on 127.0.0.1 (ephemeral port), drives Debian's Chromium through
// playwright-core and checks each page: HTTP 200, <html lang="vi">, non-empty <title> and
// <h1>, no console errors, no failed or external requests, no horizontal overflow at 320 and
// 1280 px, zero axe-core violations; print media hides `.site-header nav` and `.no-print` on
// the document page; with --search, the /tim-kiem/ page finds Vietnamese text with and
// without diacritics. Prints `ok - …` / `not ok - …` lines and a final `N passed, M failed`;
// exits 1 on any failure, 2 on bad usage.
//
// `@document` stands for the first document page linked from /van-ban/.
// Env: CHROMIUM_PATH (default /usr/bin/chromium), OUT_SCREENSHOTS (dir for PNGs).

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

const DEFAULT_PAGES = ['/', '/van-ban/', '@document', '/don-vi/', '/nhiem-vu/', '/lich/', '/tim-kiem/'];
const WIDTHS = [320, 1280];
const SHOT_WIDTHS = [1280, 360];
const NAV_TIMEOUT = 20_000;
const SEARCH_CASES = [
  { how: 'url', query: 'cai cach hanh chinh', expect: 'cải cách hành chính' },
  { how: 'type', query: 'Đồng Tháp', expect: 'đồng tháp' },
  { how: 'type', query: 'dong thap', expect: 'đồng tháp' },
];
// Chromium as run on machines whose network is closed; see the env notes for why.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// ---------------------------------------------------------------- arguments

function usage(msg) {
  console.error(`run.mjs: ${msg}`);
  console.error('usage: node run.mjs <public-dir> [--pages /,/van-ban/,@document,...] [--search]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { root: null, pages: DEFAULT_PAGES, search: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--search') opts.search = true;
    else if (a === '--pages' || a.startsWith('--pages=')) {
      const v = a === '--pages' ? argv[++i] : a.slice('--pages='.length);
      if (v === undefined) usage('--pages needs a comma-separated list');
      opts.pages = v.split(',').map((s) => s.trim()).filter(Boolean);
    } else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (opts.root === null) opts.root = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!opts.root) usage('missing <public-dir>');
  opts.root = path.resolve(opts.root);
  if (!fs.statSync(opts.root, { throwIfNoEntry: false })?.isDirectory()) usage(`not a directory: ${opts.root}`);
  return opts;
}

// ---------------------------------------------------------------- static server

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.map': 'application/json', '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml', '.rss': 'application/rss+xml', '.atom': 'application/atom+xml',
  '.txt': 'text/plain; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.avif': 'image/avif', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2',
  '.ttf': 'font/ttf', '.otf': 'font/otf', '.pdf': 'application/pdf', '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream', '.fst': 'application/octet-stream',
};

function resolveFile(root, urlPath) {
  let rel;
  try { rel = decodeURIComponent(urlPath); } catch { return null; }
  if (rel.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (st?.isFile()) return { file };
  if (st?.isDirectory()) {
    if (!urlPath.endsWith('/')) return { redirect: urlPath + '/' };
    const index = path.join(file, 'index.html');
    if (fs.statSync(index, { throwIfNoEntry: false })?.isFile()) return { file: index };
  }
  return null;
}

function startServer(root) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const hit = (req.method === 'GET' || req.method === 'HEAD') ? resolveFile(root, url.pathname) : null;
    if (hit?.redirect) {
      res.writeHead(301, { Location: hit.redirect + url.search });
      res.end();
      return;
    }
    let status = 200;
    let file = hit?.file;
    if (!file) {
      status = 404;
      const nf = path.join(root, '404.html');
      file = fs.existsSync(nf) ? nf : null;
    }
    const type = file ? (TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream') : 'text/plain; charset=utf-8';
    const body = file ? fs.readFileSync(file) : Buffer.from('404 not found\n');
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------- reporting

let passed = 0;
let failed = 0;
let skipped = 0;

function check(name, ok, details = []) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}`);
  if (!ok) for (const d of details) console.log(`  # ${String(d).replace(/\n/g, '\n  # ')}`);
  return ok;
}

function skip(name, why) {
  skipped++;
  console.log(`ok - ${name} # SKIP ${why}`);
}

const norm = (s) => (s ?? '').normalize('NFC').toLocaleLowerCase('vi');

// ---------------------------------------------------------------- page helpers

// Opens a page that records console errors, failed requests and any request that leaves
// 127.0.0.1 (those are aborted, so a page can never reach the network).
async function openPage(context, origin) {
  const page = await context.newPage();
  const log = { console: [], failed: [], external: [] };
  page.on('console', (m) => { if (m.type() === 'error') log.console.push(`console.error: ${m.text()} ${fmtLoc(m.location())}`); });
  page.on('pageerror', (e) => log.console.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!isLocal(r.url(), origin)) return; // reported as external instead
    log.failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) log.failed.push(`${r.request().method()} ${r.url()}: HTTP ${r.status()}`); });
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (isLocal(u, origin)) return route.continue();
    log.external.push(u);
    return route.abort('blockedbyclient');
  });
  return { page, log };
}

function fmtLoc(loc) {
  return loc?.url ? `(${loc.url}:${loc.lineNumber})` : '';
}

function isLocal(u, origin) {
  if (/^(data|blob|about):/.test(u)) return true;
  try { return new URL(u).origin === origin; } catch { return false; }
}

async function goto(page, url) {
  const resp = await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT });
  // Let late fetches (search index, etc.) settle without failing on long-polling pages.
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  return resp;
}

async function setWidth(page, width) {
  await page.setViewportSize({ width, height: 800 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function runAxe(page) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const res = await window.axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
}

function fmtViolations(vs) {
  const out = [];
  for (const v of vs) {
    out.push(`${v.id} [${v.impact}] ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 10)) out.push(`    ${n.target}`);
    if (v.nodes.length > 10) out.push(`    … and ${v.nodes.length - 10} more nodes`);
  }
  return out;
}

// Finds the first document page linked from /van-ban/: a[href*="van-ban/"] resolving to a
// local path below /van-ban/ that is not the list itself or one of its pagination pages.
async function findDocumentPath(context, origin) {
  const { page } = await openPage(context, origin);
  try {
    const resp = await goto(page, origin + '/van-ban/');
    if (!resp || resp.status() !== 200) return { error: `/van-ban/ answered ${resp?.status()}` };
    const hrefs = await page.$$eval('main a[href*="van-ban/"], a[href*="van-ban/"]', (as) => as.map((a) => a.href));
    for (const h of hrefs) {
      const u = new URL(h);
      if (u.origin !== origin) continue;
      const p = u.pathname;
      if (!p.startsWith('/van-ban/') || p === '/van-ban/' || p === '/van-ban/index.html') continue;
      if (/\/(trang|page)[-/]?\d+\/?$/.test(p)) continue;
      if (!/(\/|\.html?)$/.test(p)) continue; // skip downloads (.ics, .csv, .json, …)
      return { path: p };
    }
    return { error: `no document link (a[href*="van-ban/"]) on /van-ban/ among ${hrefs.length} candidates` };
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------- checks

async function checkPage(ctx, label, p, { isDocument }) {
  const { origin, context, axeContext, shots } = ctx;
  const url = origin + p;
  const { page, log } = await openPage(context, origin);
  try {
    let resp;
    try {
      resp = await goto(page, url);
    } catch (e) {
      check(`${label}: loads`, false, [e.message]);
      return;
    }
    const status = resp?.status();
    if (!check(`${label}: HTTP 200`, status === 200, [`got ${status}`])) return;

    const info = await page.evaluate(() => ({
      lang: document.documentElement.getAttribute('lang'),
      title: document.title.trim(),
      h1: document.querySelector('h1')?.textContent.trim() ?? null,
    }));
    check(`${label}: <html lang="vi">`, info.lang === 'vi', [`lang=${JSON.stringify(info.lang)}`]);
    check(`${label}: non-empty <title>`, info.title.length > 0, ['title is empty or missing']);
    check(`${label}: non-empty <h1>`, !!info.h1, [info.h1 === null ? 'no <h1>' : '<h1> is empty']);

    for (const w of WIDTHS) {
      await setWidth(page, w);
      const m = await page.evaluate(() => {
        const de = document.documentElement;
        const wide = [];
        if (de.scrollWidth > de.clientWidth + 1) {
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.right > de.clientWidth + 1 && r.width > 0) {
              wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.classList.length ? '.' + [...el.classList].join('.') : ''} right=${Math.round(r.right)}`);
              if (wide.length >= 8) break;
            }
          }
        }
        return { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, wide };
      });
      check(`${label}: no horizontal overflow at ${w}px`, m.scrollWidth <= m.clientWidth + 1,
        [`scrollWidth=${m.scrollWidth} clientWidth=${m.clientWidth}`, ...m.wide.map((s) => `too wide: ${s}`)]);
    }

    if (shots && (p === '/' || isDocument)) {
      const name = p === '/' ? 'home' : 'document';
      for (const w of SHOT_WIDTHS) {
        await setWidth(page, w);
        await page.screenshot({ path: path.join(shots, `${name}-${w}.png`), fullPage: true });
      }
      console.log(`# screenshots: ${name}-{${SHOT_WIDTHS.join(',')}}.png in ${shots}`);
    }

    if (isDocument) await checkPrint(page, label);

    // axe needs its script injected; the pages' CSP forbids that, so it runs in a second
    // context with bypassCSP while this one keeps the real CSP (so CSP breakage shows as errors).
    await checkAxe(axeContext, origin, url, label);

    check(`${label}: no console errors`, log.console.length === 0, log.console);
    check(`${label}: no failed requests`, log.failed.length === 0, log.failed);
    check(`${label}: no external requests`, log.external.length === 0, log.external);
  } finally {
    await page.close();
  }
}

async function checkAxe(axeContext, origin, url, label) {
  const { page } = await openPage(axeContext, origin);
  try {
    await goto(page, url);
    for (const w of WIDTHS) {
      await setWidth(page, w);
      let vs;
      try {
        vs = await runAxe(page);
      } catch (e) {
        check(`${label}: axe-core at ${w}px`, false, [`axe failed to run: ${e.message}`]);
        continue;
      }
      check(`${label}: axe-core finds no violations at ${w}px`, vs.length === 0, fmtViolations(vs));
    }
  } finally {
    await page.close();
  }
}

async function checkPrint(page, label) {
  await setWidth(page, 1280);
  await page.emulateMedia({ media: 'print' });
  try {
    const r = await page.evaluate(() => {
      const els = [...new Set(document.querySelectorAll('.site-header nav, .no-print'))];
      const shown = els.filter((el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true }));
      const desc = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.classList.length ? '.' + [...el.classList].join('.') : ''}`;
      return { count: els.length, shown: shown.map(desc) };
    });
    if (r.count === 0) {
      console.log('# print check: no `.site-header nav` or `.no-print` elements on the document page');
      skip(`${label}: print media hides navigation`, 'no .site-header nav / .no-print elements');
    } else {
      check(`${label}: print media hides .site-header nav and .no-print (${r.count} elements)`, r.shown.length === 0,
        r.shown.map((s) => `still visible in print: ${s}`));
    }
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
}

async function checkSearch(ctx) {
  const { origin, context } = ctx;
  for (const c of SEARCH_CASES) {
    const label = c.how === 'url' ? `search ?q=${c.query}` : `search typed "${c.query}"`;
    const { page, log } = await openPage(context, origin);
    try {
      const start = c.how === 'url' ? `/tim-kiem/?q=${encodeURIComponent(c.query)}` : '/tim-kiem/';
      let resp;
      try {
        resp = await goto(page, origin + start);
      } catch (e) {
        check(`${label}: loads`, false, [e.message]);
        continue;
      }
      if (!check(`${label}: ${start} answers 200`, resp?.status() === 200, [`got ${resp?.status()}`])) continue;
      if (c.how === 'type') {
        if (!check(`${label}: has input #q`, (await page.$('#q')) !== null, ['no #q on /tim-kiem/'])) continue;
        await page.fill('#q', '');
        await page.type('#q', c.query, { delay: 20 });
        // Live search should answer on input; if not, submitting the form must.
        const live = await waitForHit(page, c.expect, 4_000);
        if (!live) await Promise.all([page.waitForLoadState('load'), page.press('#q', 'Enter')]);
      }
      const ok = await waitForHit(page, c.expect, 10_000);
      if (c.how === 'url') await checkGroups(page, label);
      const texts = await page.$$eval('#search-results li', (lis) => lis.map((li) => li.textContent.replace(/\s+/g, ' ').trim()));
      check(`${label}: a result in #search-results li contains "${c.expect}"`, ok,
        [`${texts.length} results`, ...texts.slice(0, 5).map((t) => `result: ${t.slice(0, 160)}`)]);
      check(`${label}: no console errors, failed or external requests`,
        log.console.length + log.failed.length + log.external.length === 0,
        [...log.console, ...log.failed, ...log.external.map((u) => `external: ${u}`)]);
    } finally {
      await page.close();
    }
  }
}

/**
 * With no kind chosen, a query matching several kinds shows one section per kind (heading with
 * the kind and its count, at most 4 rows) and a "see all" link that keeps the query and picks
 * the kind.
 */
async function checkGroups(page, label) {
  const groups = await page.$$eval('#search-results > li.search-group', (lis) => lis.map((li) => ({
    heading: li.querySelector('h2')?.textContent || '',
    rows: li.querySelectorAll('ol > li').length,
    all: li.querySelector('a.search-all')?.getAttribute('href') || '',
  })));
  const problems = [];
  if (groups.length < 2) problems.push(`${groups.length} groups`);
  for (const g of groups) {
    if (!/^(Văn bản|Nhiệm vụ|Đơn vị) \([\d.]+\)$/.test(g.heading)) problems.push(`heading "${g.heading}"`);
    if (g.rows < 1 || g.rows > 4) problems.push(`${g.heading}: ${g.rows} rows`);
    const n = Number((g.heading.match(/\(([\d.]+)\)/) || [])[1]?.replace(/\./g, ''));
    if (n > g.rows && !(g.all.includes('q=') && g.all.includes('loai='))) problems.push(`${g.heading}: link "${g.all}"`);
  }
  check(`${label}: results grouped by kind with counts and a link to all`, problems.length === 0, problems);
  const link = await page.$('#search-results a.search-all');
  if (link) {
    await link.click();
    const only = await page.waitForFunction(() => {
      const kinds = document.querySelectorAll('#search-results > li.search-group').length;
      const rows = document.querySelectorAll('#search-results > li.search-result').length;
      return kinds === 0 && rows > 0 && new URL(location.href).searchParams.get('loai');
    }, null, { timeout: 10_000 }).then(() => true, () => false);
    check(`${label}: "see all" shows one kind with the query kept`, only, ['no single-kind list after the click']);
  }
}

async function waitForHit(page, expect, timeout) {
  try {
    await page.waitForFunction((want) => [...document.querySelectorAll('#search-results li')]
      .some((li) => li.textContent.normalize('NFC').toLocaleLowerCase('vi').includes(want)),
    norm(expect), { timeout, polling: 100 });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    console.error(`run.mjs: no Chromium at ${executablePath} (install Debian's chromium package)`);
    process.exit(2);
  }
  const shots = process.env.OUT_SCREENSHOTS ? path.resolve(process.env.OUT_SCREENSHOTS) : null;
  if (shots) fs.mkdirSync(shots, { recursive: true });

  const server = await startServer(opts.root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`# serving ${opts.root} at ${origin}`);
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  console.log(`# chromium ${browser.version()} (${executablePath})`);
  const ctxOpts = { viewport: { width: 1280, height: 800 }, locale: 'vi-VN', serviceWorkers: 'block' };
  const context = await browser.newContext(ctxOpts);
  const axeContext = await browser.newContext({ ...ctxOpts, bypassCSP: true });
  const ctx = { origin, context, axeContext, shots };
  try {
    for (const p of opts.pages) {
      if (p === '@document') {
        const found = await findDocumentPath(context, origin);
        if (!check('document page: found from /van-ban/', !!found.path, [found.error])) continue;
        console.log(`# document page: ${found.path}`);
        await checkPage(ctx, `document ${found.path}`, found.path, { isDocument: true });
      } else {
        await checkPage(ctx, p, p.startsWith('/') ? p : '/' + p, { isDocument: false });
      }
    }
    if (opts.search) await checkSearch(ctx);
  } finally {
    await browser.close();
    server.close();
  }
  if (passed + failed === 0) check('ran at least one check', false, ['no checks ran']);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`not ok - browser suite crashed: ${e.stack || e}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
