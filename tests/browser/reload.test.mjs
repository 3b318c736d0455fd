// A real-browser test of `accord serve`'s live reload.
//
//   node tests/browser/reload.test.mjs ACCORD_BINARY ORG_DIR
//
// Starts `accord serve ORG_DIR --port 0`, opens the marketing team page in Debian's
// Chromium, edits teams/marketing.toml (or the first team file) on disk and waits for
// the open page to reload by itself and show the new name; then breaks the file and
// waits for the page to show the findings; then fixes it and waits for the page to come
// back; then searches over HTTP and follows the first result. Before the edit it reloads
// the page more times than the server allows event streams at once, so a stream that
// outlives its page would be caught. ORG_DIR is modified: pass a copy. Exits 1 on failure.

import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const [binary, orgDir] = process.argv.slice(2);
if (!binary || !orgDir) {
  console.error('usage: node tests/browser/reload.test.mjs ACCORD_BINARY ORG_DIR');
  process.exit(2);
}

function firstTeamFile(dir) {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      const found = firstTeamFile(full);
      if (found) return found;
    } else if (name.endsWith('.toml')) {
      return full;
    }
  }
  return null;
}

const teamFile = firstTeamFile(path.join(orgDir, 'teams'));
const teamId = path.basename(teamFile, '.toml');
const original = readFileSync(teamFile, 'utf8');
const nameMatch = original.match(/^name = "(.*)"$/m);
if (!nameMatch) throw new Error(`no name in ${teamFile}`);

const server = spawn(binary, ['serve', orgDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const serverExit = new Promise((resolve) => server.on('exit', resolve));
const url = await new Promise((resolve, reject) => {
  const lines = readline.createInterface({ input: server.stdout });
  lines.on('line', (line) => {
    const match = line.match(/(http:\/\/\S+\/)/);
    if (match) resolve(match[1]);
  });
  server.on('exit', (code) => reject(new Error(`accord serve exited with ${code}`)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});
const failures = [];
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  const loads = [];
  page.on('load', () => loads.push(Date.now()));
  await page.goto(`${url}teams/${teamId}.html`);
  const h1 = page.locator('h1');
  if ((await h1.textContent()) !== nameMatch[1]) failures.push(`the page shows ${await h1.textContent()}`);
  // Each load opens an event stream and closes it on pagehide. The server holds at most
  // 16 at once (503 beyond), so reloading more often than that must not use them up:
  // the edit below only reloads the page if its stream got a place.
  for (let i = 0; i < 20; i++) await page.reload();
  // The reload script holds an event stream open; give it a moment to connect.
  await page.waitForTimeout(300);
  const loadsBefore = loads.length;

  const renamed = `${nameMatch[1]} (renamed)`;
  const edited = Date.now();
  writeFileSync(teamFile, original.replace(nameMatch[0], `name = "${renamed}"`));
  await page.waitForFunction((text) => document.querySelector('h1')?.textContent === text, renamed, { timeout: 10_000 });
  if (loads.length <= loadsBefore) failures.push('the page changed without reloading');
  console.log(`reloaded by itself ${Date.now() - edited} ms after the edit`);

  writeFileSync(teamFile, `${original}\nnmae = "typo"\n`);
  await page.waitForFunction(() => document.body.textContent.includes('unknown-key'), null, { timeout: 10_000 });
  const errorText = await page.locator('body').textContent();
  if (!errorText.includes(path.relative(orgDir, teamFile).split(path.sep).join('/'))) {
    failures.push('the error page does not name the file');
  }

  writeFileSync(teamFile, original);
  await page.waitForFunction((text) => document.querySelector('h1')?.textContent === text, nameMatch[1], { timeout: 10_000 });

  // The search over HTTP too: search.html?q= shows results from the served index, and the
  // first one opens its page.
  await page.goto(`${url}search.html?q=${encodeURIComponent('лид')}`);
  const first = page.locator('#search-results > li a').first();
  await first.waitFor({ timeout: 10_000 });
  const title = await first.textContent();
  await first.click();
  await page.waitForURL((u) => !u.href.includes('search.html'), { timeout: 10_000 });
  if ((await page.locator('h1').textContent()) !== title) failures.push(`the first search result "${title}" opened ${page.url()}`);
} catch (e) {
  failures.push(e.message);
} finally {
  writeFileSync(teamFile, original);
  await browser.close();
  server.kill('SIGINT');
  await serverExit;
}

if (failures.length) {
  console.error(`FAILED (${failures.length}):\n  - ${failures.join('\n  - ')}`);
  console.log('reload: failed');
  process.exit(1);
}
console.log('reload: passed (edit -> reload, break -> findings, fix -> page back, search over HTTP)');
