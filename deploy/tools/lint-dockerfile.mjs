// usage: node lint-dockerfile.mjs DOCKERFILE
// Lints a Dockerfile where hadolint is not installable (Debian has no package; its binary is a download): the
// parser and validator of the VS Code Docker extension (dockerfile-utils), plus the hadolint rules below that the
// worker images must keep, under hadolint's own codes. Prints JSON: {"problems":[{line,rule,message}],
// "stages":[{name,from,user,entrypoint,env}]} (stages: what each stage runs, for the configuration tests).
import fs from 'node:fs';
import { validate } from 'dockerfile-utils';
import { DockerfileParser } from 'dockerfile-ast';

const file = process.argv[2];
const content = fs.readFileSync(file, 'utf8');
const problems = validate(content).map((d) => ({ line: d.range.start.line + 1, rule: `dockerfile-utils:${d.code}`, message: d.message }));
const report = (instruction, rule, message) => problems.push({ line: instruction.getRange().start.line + 1, rule, message });

const dockerfile = DockerfileParser.parse(content);
const globalArgs = {};
const stages = [];
let stage = null;
let pipefail = false;

for (const instruction of dockerfile.getInstructions()) {
  const keyword = instruction.getKeyword();
  const text = instruction.getArgumentsContent() ?? '';
  if (keyword === 'ARG' && stage === null) {
    for (const property of instruction.getProperties()) globalArgs[property.getName()] = property.getValue() ?? '';
    continue;
  }
  if (keyword === 'FROM') {
    const words = text.split(/\s+/);
    const image = words[0].replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => globalArgs[a ?? b] ?? `<unset ${a ?? b}>`);
    const name = words.length >= 3 && words[1].toUpperCase() === 'AS' ? words[2] : null;
    const parent = stages.find((s) => s.name === image);
    if (image.includes('<unset')) report(instruction, 'DL3006', `FROM ${words[0]}: an ARG it uses has no default before the first FROM`);
    else if (!parent && !image.includes('@')) {
      const tag = image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : '';
      if (!tag || tag.includes('/')) report(instruction, 'DL3006', `FROM ${image}: pin the image with a tag`);
      else if (tag === 'latest') report(instruction, 'DL3007', `FROM ${image}: 'latest' is not a pin; name a version`);
    }
    stage = { name, from: image, user: parent?.user ?? null, entrypoint: parent?.entrypoint ?? null, env: { ...(parent?.env ?? {}) } };
    stages.push(stage);
    pipefail = false;
    continue;
  }
  if (stage === null) continue;
  switch (keyword) {
    case 'ENV':
      for (const property of instruction.getProperties()) stage.env[property.getName()] = property.getValue() ?? '';
      break;
    case 'WORKDIR':
      if (!text.trim().startsWith('/') && !text.trim().startsWith('$')) report(instruction, 'DL3000', `WORKDIR ${text.trim()}: use an absolute path`);
      break;
    case 'USER':
      stage.user = text.trim();
      break;
    case 'SHELL':
      pipefail = /pipefail/.test(text);
      break;
    case 'ADD':
      report(instruction, 'DL3020', 'use COPY for files and folders (ADD also fetches URLs and unpacks archives)');
      break;
    case 'MAINTAINER':
      report(instruction, 'DL4000', 'MAINTAINER is deprecated; use a LABEL');
      break;
    case 'ENTRYPOINT':
    case 'CMD': {
      let args = null;
      try { args = JSON.parse(text); } catch { /* shell form */ }
      if (!Array.isArray(args)) report(instruction, 'DL3025', `${keyword} in JSON form, so signals (SIGTERM drains the worker) reach the process`);
      else if (keyword === 'ENTRYPOINT') stage.entrypoint = args;
      break;
    }
    case 'RUN': {
      if (/(^|[;&|]\s*)cd\s/.test(text)) report(instruction, 'DL3003', 'use WORKDIR to change folders, not cd');
      if (/\|/.test(text.replace(/\|\|/g, '')) && !pipefail) report(instruction, 'DL4006', 'a RUN with a pipe needs SHELL ["/bin/bash", "-o", "pipefail", "-c"] first');
      if (/apt-get\s+(-\S+\s+)*install/.test(text)) {
        if (!/(\s-y\b|--yes|--assume-yes)/.test(text)) report(instruction, 'DL3014', 'apt-get install needs -y');
        if (!/--no-install-recommends/.test(text)) report(instruction, 'DL3015', 'apt-get install needs --no-install-recommends');
        if (!/rm -rf \/var\/lib\/apt\/lists/.test(text)) report(instruction, 'DL3009', 'delete /var/lib/apt/lists in the same RUN as apt-get install');
      }
      break;
    }
    default:
      break;
  }
}

// DL3002: every stage that runs something ends as a user other than root.
for (const s of stages.filter((s) => s.entrypoint)) {
  if (!s.user || /^(root|0)(:|$)/.test(s.user)) {
    problems.push({ line: 0, rule: 'DL3002', message: `stage ${s.name ?? s.from} runs as ${s.user ?? 'root (no USER)'}; switch to a non-root USER` });
  }
}

console.log(JSON.stringify({ problems, stages }, null, 1));
