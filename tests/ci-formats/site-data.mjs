// Validates a built site's data.json against the JSON Schema `accord schema -o DIR`
// writes as site-data.json (draft-07), with Ajv (pinned in package.json) and its formats.
// Usage: node site-data.mjs SCHEMA_FILE DATA_JSON
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const [schemaFile, dataFile] = process.argv.slice(2);
const read = (file) => JSON.parse(readFileSync(file, "utf8"));
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const valid = ajv.compile(read(schemaFile));
if (!valid(read(dataFile))) {
  console.error(`site-data: ${ajv.errorsText(valid.errors)}`);
  process.exit(1);
}
console.log("site-data: data.json is valid against site-data.json");
