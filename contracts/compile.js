// Compiles every contracts/src/**/*.sol with the pinned npm solc through its standard JSON
// interface and writes <out>/<Name>.abi and <Name>.bin for every deployable or abstract
// contract defined in a top-level contracts/src/<Name>.sol. Settings are fixed so the output
// is byte-for-byte reproducible. Usage: node compile.js <outdir>
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const root = __dirname;
const srcDir = path.join(root, 'src');
const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node compile.js <outdir>');
  process.exit(2);
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return walk(p);
      return e.name.endsWith('.sol') ? [p] : [];
    });
}

const sources = {};
for (const file of walk(srcDir)) {
  sources[path.relative(root, file).split(path.sep).join('/')] = { content: fs.readFileSync(file, 'utf8') };
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    viaIR: true,
    evmVersion: 'cancun',
    metadata: { bytecodeHash: 'none' },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};

function findImports(importPath) {
  const candidate = path.join(root, 'node_modules', importPath);
  if (!candidate.startsWith(path.join(root, 'node_modules') + path.sep)) {
    return { error: 'import outside node_modules: ' + importPath };
  }
  try {
    return { contents: fs.readFileSync(candidate, 'utf8') };
  } catch (e) {
    return { error: 'not found: ' + importPath };
  }
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
let failed = false;
for (const e of output.errors || []) {
  if (e.severity === 'error') failed = true;
  console.error(e.formattedMessage || e.message);
}
if (failed) process.exit(1);

fs.mkdirSync(outDir, { recursive: true });
let n = 0;
for (const [file, contracts] of Object.entries(output.contracts)) {
  if (!/^src\/[^/]+\.sol$/.test(file)) continue;
  const name = path.basename(file, '.sol');
  const c = contracts[name];
  if (!c) {
    console.error(`${file}: no contract named ${name}; skipped`);
    continue;
  }
  fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, name + '.bin'), c.evm.bytecode.object + '\n');
  const size = c.evm.bytecode.object.length / 2;
  console.log(`compiled ${name}: ${size} bytes init code`);
  n++;
}
console.log(`solc ${solc.version()}: ${n} contracts`);
