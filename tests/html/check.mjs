// Every page of a built site is valid HTML (the Nu HTML Checker) and has no
// accessibility violation (axe-core, in Chromium, on a desktop and on a phone).
//
//   node tests/html/check.mjs SITE_DIR
//
// vnu runs on Java (`java` on PATH; .ci/run installs a JRE); axe-core is injected into
// each page opened from file://. Prints `html: N pages valid, M violations`, exits 1 on
// any error or violation.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const siteDir = process.argv[2] && path.resolve(process.argv[2]);
if (!siteDir || !existsSync(path.join(siteDir, 'index.html'))) {
  console.error('usage: node tests/html/check.mjs SITE_DIR');
  process.exit(2);
}

function pages(dir, base = '') {
  return readdirSync(path.join(dir, base), { withFileTypes: true }).flatMap((entry) => {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return pages(dir, rel);
    return entry.name.endsWith('.html') ? [rel] : [];
  }).sort();
}

const failures = [];
const all = pages(siteDir);

// 1. The Nu HTML Checker over the whole site: any error fails (info warnings do not).
const vnu = require.resolve('vnu-jar/build/dist/vnu.jar');
try {
  execFileSync('java', ['-jar', vnu, '--errors-only', '--skip-non-html', siteDir], { stdio: 'pipe' });
} catch (e) {
  failures.push(`vnu: ${String(e.stderr || e.message).trim()}`);
}

// 2. axe-core on every page, on a desktop and on a phone.
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
let checked = 0;
try {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    const page = await browser.newPage({ viewport });
    for (const rel of all) {
      await page.goto(pathToFileURL(path.join(siteDir, rel)).href);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      });
      for (const v of violations) failures.push(`axe ${viewport.width}px ${rel}: ${v}`);
      checked += 1;
    }
    await page.close();
  }
} finally {
  await browser.close();
}
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`html: ${all.length} pages valid, ${checked} axe runs, ${failures.length} problems`);
process.exit(failures.length === 0 ? 0 : 1);
