// Reads the CODEOWNERS that `accord codeowners` wrote for example-org (copied to its own
// repository, so paths are not prefixed) with an independent parser, the `codeowners`
// package from npm, and asserts the owners of one file of every kind (SPEC 7.5).
// Usage: node check.mjs REPO   (REPO holds the org and the generated CODEOWNERS)
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const Codeowners = createRequire(import.meta.url)("codeowners");
const repo = process.argv[2];
assert.ok(repo, "usage: node check.mjs REPO");
const owners = new Codeowners(repo);

// What accord intends for example-org: the leads of its six teams for the files every
// lead reviews; the people bound by each entity file for the others.
const leads = [
  "@carmen-nunez", "@inigo-munoz", "@jmartinez-calderon",
  "@lucia-fdez", "@ramon-jimenez", "@sofia-herrera",
];
const expected = {
  "accord.toml": leads,
  "people.toml": leads,
  "teams/commercial/marketing.toml": ["@lucia-fdez"],
  "personas/operations-director.toml": ["@jmartinez-calderon", "@lucia-fdez"],
  "kpis/funnel/leads-created.toml": ["@lucia-fdez"],
  "actuals/leads-created.csv": ["@lucia-fdez"],
  "agreements/marketing-sales-sla-2026.toml": ["@jmartinez-calderon", "@lucia-fdez"],
  "meetings/smarketing-weekly.toml": ["@inigo-munoz"],
  "docs/how-to-change-an-agreement.md": leads,
  "docs/playbook/new-page.md": leads,
  "static/logo.svg": leads,
  "templates/base.html": leads,
  "CODEOWNERS": leads,
  ".github/workflows/accord.yml": leads,
  ".gitlab-ci.yml": leads,
};
for (const [file, want] of Object.entries(expected)) {
  assert.deepEqual([...owners.getOwner(file)].sort(), [...want].sort(), file);
}
console.log(`codeowners: the owners of ${Object.keys(expected).length} files agree`);
