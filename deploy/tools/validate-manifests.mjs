// usage: node validate-manifests.mjs FILE...
// Validates every document of rendered Kubernetes manifests (helm template output) against the Kubernetes API
// schemas of kubernetes-models and KEDA's CRD schemas of @kubernetes-models/keda, offline. A document whose
// apiVersion/kind has no schema here fails too: nothing passes unchecked. Prints one line per document and a
// closing "N passed, N failed"; exit code 1 when any failed.
import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import * as core from 'kubernetes-models';
import * as keda from '@kubernetes-models/keda';

// kubernetes-models exports API groups as camelCase names (apps, rbacAuthorizationK8sIo, ...) and the core group
// as its versions (v1); KEDA's as kedaSh.
function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const camel = group.split('.').map((word, i) => (i ? word[0].toUpperCase() + word.slice(1) : word)).join('');
  const module = group === 'keda.sh' ? keda.kedaSh?.[version] : group ? core[camel]?.[version] : core[version];
  return module?.[kind];
}

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(fs.readFileSync(file, 'utf8'), { uniqueKeys: true })) {
    if (document.errors.length > 0) {
      failed++;
      console.log(`FAIL ${file}: ${document.errors.map((e) => e.message).join(' | ')}`);
      continue;
    }
    const object = document.toJS();
    if (!object) continue;
    const name = `${object.kind} ${object.metadata?.name}`;
    const Model = object.apiVersion && object.kind ? modelOf(object.apiVersion, object.kind) : undefined;
    if (!Model) {
      failed++;
      console.log(`FAIL ${name}: no schema for apiVersion '${object.apiVersion}' kind '${object.kind}'`);
      continue;
    }
    try {
      new Model(object).validate();
      passed++;
      console.log(`ok   ${name}`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${name}: ${String(error.message).split('\n').slice(0, 6).join(' | ')}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
