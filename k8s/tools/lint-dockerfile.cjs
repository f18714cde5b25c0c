#!/usr/bin/env node
// Lints Dockerfiles: dockerfile-utils' validator (the one behind the VS Code Docker extension: syntax, arguments,
// flags, duplicate stage names, unknown instructions, ...) with every check raised to an error, plus the rules of
// hadolint that matter for our images (hadolint itself is a Haskell binary from GitHub, unreachable here).
// Usage: node lint-dockerfile.cjs DOCKERFILE... (needs dockerfile-utils on NODE_PATH; validate.sh sets it up).
// Exit 0 when clean, 1 with one "file:line: message" per problem otherwise.
const fs = require('node:fs');
const { validate } = require('dockerfile-utils');
const { DockerfileParser } = require('dockerfile-ast');

const ERROR = 2;
const strict = {
  deprecatedMaintainer: ERROR,
  directiveCasing: ERROR,
  emptyContinuationLine: ERROR,
  instructionCasing: ERROR,
  instructionCmdMultiple: ERROR,
  instructionEntrypointMultiple: ERROR,
  instructionHealthcheckMultiple: ERROR,
  instructionJSONInSingleQuotes: ERROR,
  instructionWorkdirRelative: ERROR,
};

/** hadolint-style rules (codes as in hadolint) over the parsed instructions. */
function policy(dockerfile) {
  const problems = [];
  const add = (instruction, code, message) =>
    problems.push({ line: instruction.getRange().start.line + 1, message: `${code} ${message}` });
  const instructions = dockerfile.getInstructions();
  const stages = dockerfile.getFROMs();
  const stageNames = new Set(stages.map((f) => f.getBuildStage()).filter(Boolean));
  for (const from of stages) {
    const image = from.getImageName();
    const tag = from.getImageTag();
    if (!image || stageNames.has(image) || image === 'scratch') continue;
    if (!tag && !from.getImageDigest()) add(from, 'DL3006', `always tag the version of an image explicitly (${image})`);
    if (tag === 'latest') add(from, 'DL3007', `do not use the latest tag (${image})`);
  }
  for (const ins of instructions) {
    const keyword = ins.getKeyword();
    const text = ins.getTextContent();
    if (keyword === 'ADD' && !/--checksum=/.test(text))
      add(ins, 'DL3020', 'use COPY instead of ADD for files and folders');
    if (keyword === 'RUN' && /(^|[;&|]\s*)(sudo)\s/.test(ins.getArgumentsContent() ?? ''))
      add(ins, 'DL3004', 'do not use sudo');
    if (keyword === 'RUN' && /apt-get\s+upgrade|apt-get\s+dist-upgrade/.test(text))
      add(ins, 'DL3005', 'do not use apt-get upgrade');
    if (keyword === 'RUN' && /(^|&&|;|\|\|)\s*cd\s/.test(ins.getArgumentsContent() ?? ''))
      add(ins, 'DL3003', 'use WORKDIR to switch to a directory');
    if ((keyword === 'CMD' || keyword === 'ENTRYPOINT') && !/^\s*\[/.test(ins.getArgumentsContent() ?? ''))
      add(ins, 'DL3025', `use JSON notation for ${keyword} (signals reach the process)`);
    if (keyword === 'RUN') {
      // DL3016: every package of a global npm install names its version (name@version, scoped or not).
      for (const m of text.matchAll(/npm\s+(?:i|install)\s+([^&;|]*)/g)) {
        const args = m[1].split(/\s+/).filter((a) => a && !a.startsWith('-') && a !== '\\');
        if (/(^|\s)(-g|--global)(\s|$)/.test(m[1]))
          for (const a of args)
            if (a.replace(/^["']|["']$/g, '').lastIndexOf('@') <= 0)
              add(ins, 'DL3016', `pin versions in npm install --global (${a})`);
      }
    }
  }
  // The image that runs: its last USER must be set and not root (DL3002), numeric so runAsNonRoot can check it.
  const last = stages[stages.length - 1];
  const lastStart = last ? last.getRange().start.line : 0;
  const users = instructions.filter((i) => i.getKeyword() === 'USER' && i.getRange().start.line > lastStart);
  const user = users[users.length - 1];
  if (!user) problems.push({ line: lastStart + 1, message: 'DL3002 the final stage must switch to a non-root USER' });
  else {
    const name = (user.getArgumentsContent() ?? '').split(':')[0].trim();
    if (name === 'root' || name === '0') add(user, 'DL3002', 'last USER should not be root');
    else if (!/^\d+$/.test(name)) add(user, 'AS001', 'use a numeric USER so Kubernetes can enforce runAsNonRoot');
  }
  return problems;
}

let failed = 0;
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: lint-dockerfile.cjs DOCKERFILE...');
  process.exit(2);
}
for (const file of files) {
  const content = fs.readFileSync(file, 'utf8');
  const problems = [
    ...validate(content, strict).map((d) => ({ line: d.range.start.line + 1, message: d.message })),
    ...policy(DockerfileParser.parse(content)),
  ].sort((a, b) => a.line - b.line);
  for (const p of problems) console.log(`${file}:${p.line}: ${p.message}`);
  failed += problems.length;
  if (problems.length === 0) console.log(`${file}: ok`);
}
process.exit(failed ? 1 : 0);
