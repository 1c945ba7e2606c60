// usage: node yaml-to-json.mjs FILE
// Prints the YAML documents of FILE (docker-compose config or helm template output) as one JSON array, for the
// deploy tests, which check what the files say in C#. Duplicate keys are an error, as they are for Kubernetes.
import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';

const documents = [];
for (const document of parseAllDocuments(fs.readFileSync(process.argv[2], 'utf8'), { uniqueKeys: true })) {
  if (document.errors.length > 0) {
    console.error(document.errors.map((e) => e.message).join('\n'));
    process.exit(1);
  }
  const value = document.toJS();
  if (value !== null && value !== undefined) documents.push(value);
}
console.log(JSON.stringify(documents));
