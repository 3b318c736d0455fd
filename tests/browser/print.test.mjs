// Every agreement of a built site prints on as few A4 pages as its content needs.
//
//   node tests/browser/print.test.mjs SITE_DIR
//
// Chromium prints each agreements/*.html to PDF (A4, 15 mm margins); the pages of the
// PDF are counted and compared with the height of the page laid out for print at the
// printable width: a card pushed onto a new page, or signatures alone on the last one,
// would add a page. One page more than the height needs is allowed only where the
// content ends within the last 15 % of a page (a row or heading that cannot be split
// may carry over there). Plain Node: prints `print: N passed, M failed`, exits 1 on
// failure.

import { chromium } from 'playwright-core';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MM = 96 / 25.4;
const PRINTABLE = { width: 180 * MM, height: 267 * MM };

const siteDir = process.argv[2] && path.resolve(process.argv[2]);
if (!siteDir || !existsSync(path.join(siteDir, 'agreements'))) {
  console.error('usage: node tests/browser/print.test.mjs SITE_DIR (a built site with agreements/)');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
let passed = 0;
let failed = 0;
try {
  const page = await browser.newPage({
    viewport: { width: Math.round(PRINTABLE.width), height: Math.round(PRINTABLE.height) },
  });
  await page.emulateMedia({ media: 'print' });
  for (const name of readdirSync(path.join(siteDir, 'agreements')).filter((n) => n.endsWith('.html')).sort()) {
    await page.goto(pathToFileURL(path.join(siteDir, 'agreements', name)).href);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const pdf = await page.pdf({
      format: 'A4',
      margin: { top: '15mm', bottom: '15mm', left: '15mm', right: '15mm' },
    });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    const needed = Math.ceil(height / PRINTABLE.height);
    const nearlyFull = height / PRINTABLE.height - Math.floor(height / PRINTABLE.height) > 0.85;
    const allowed = needed + (nearlyFull ? 1 : 0);
    if (pages >= 1 && pages <= allowed) {
      passed += 1;
      console.log(`ok ${name}: ${pages} page(s) for ${(height / PRINTABLE.height).toFixed(2)} pages of content`);
    } else {
      failed += 1;
      console.log(`FAIL ${name}: ${pages} page(s) printed, ${needed} needed for ${height} px of content`);
    }
  }
} finally {
  await browser.close();
}
console.log(`print: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
