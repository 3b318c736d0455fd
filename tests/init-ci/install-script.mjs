// Prints the install script of action.yml (its first step's `run:`) or of the GitLab
// template (the `.accord` job's before_script, one line per entry), so that .ci/run
// can execute the very script users get against a local copy of a release.
// Usage: node install-script.mjs action.yml | ci/accord.gitlab-ci.yml
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const [file] = process.argv.slice(2);
const document = parse(readFileSync(file, "utf8"));
const script = document.runs?.steps?.[0]?.run ?? document[".accord"]?.before_script?.join("\n");
if (!script) {
  console.error(`install-script: ${file} has no install script where expected`);
  process.exit(1);
}
process.stdout.write(`${script}\n`);
