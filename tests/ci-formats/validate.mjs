// Validates the CI reports of `accord check` with independent tools (SPEC 7.6):
//   SARIF  against the SARIF 2.1.0 JSON Schema (the copy Microsoft's SARIF SDK ships in
//          @microsoft/jest-sarif, sarif-2.1.0-rtm.5.json, the OASIS 2.1.0 schema), with
//          Ajv and its formats (uri, uri-reference, date-time);
//   JUnit  with fast-xml-parser's validator (well-formed XML) and junit2json, a JUnit
//          XML reader, which must see one test case with one failure per finding;
//   GitLab against the fields GitLab's Code Quality report requires.
// Usage: node validate.mjs SARIF_FILE JUNIT_FILE GITLAB_FILE FINDING_COUNT
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { XMLValidator } from "fast-xml-parser";
import { parse as parseJunit } from "junit2json";

const [sarifFile, junitFile, gitlabFile, countText] = process.argv.slice(2);
const count = Number(countText);
const fail = (what) => {
  console.error(`ci-formats: ${what}`);
  process.exit(1);
};
if (!(count > 0)) fail("the fixture must have findings");

const require = createRequire(import.meta.url);
const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
// unicodeRegExp off: the schema's language-tag pattern is not valid with the `u` flag.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validSarif = ajv.compile(schema);
const sarif = JSON.parse(readFileSync(sarifFile, "utf8"));
if (!validSarif(sarif)) fail(`SARIF: ${ajv.errorsText(validSarif.errors)}`);
if (sarif.runs[0].results.length !== count) fail("SARIF: one result per finding");

const junit = readFileSync(junitFile, "utf8");
const wellFormed = XMLValidator.validate(junit);
if (wellFormed !== true) fail(`JUnit: ${JSON.stringify(wellFormed.err)}`);
const report = await parseJunit(junit);
const cases = (report.testsuite ?? []).flatMap((suite) => suite.testcase ?? []);
if (cases.length !== count) fail(`JUnit: ${cases.length} test cases for ${count} findings`);
for (const testcase of cases) {
  if ((testcase.failure ?? []).length !== 1) fail(`JUnit: ${testcase.name} has not one failure`);
}

const issues = JSON.parse(readFileSync(gitlabFile, "utf8"));
if (!Array.isArray(issues) || issues.length !== count) fail("GitLab: one issue per finding");
const severities = ["info", "minor", "major", "critical", "blocker"];
for (const issue of issues) {
  const ok =
    typeof issue.description === "string" && issue.description !== "" &&
    typeof issue.check_name === "string" && issue.check_name !== "" &&
    typeof issue.fingerprint === "string" && issue.fingerprint !== "" &&
    severities.includes(issue.severity) &&
    typeof issue.location?.path === "string" &&
    Number.isInteger(issue.location?.lines?.begin) && issue.location.lines.begin >= 1;
  if (!ok) fail(`GitLab: ${JSON.stringify(issue)}`);
}
if (new Set(issues.map((i) => i.fingerprint)).size !== count) fail("GitLab: fingerprints repeat");
console.log(`ci-formats: SARIF, JUnit and GitLab reports of ${count} findings are valid`);
