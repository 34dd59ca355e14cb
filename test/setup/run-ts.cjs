// Runs a TypeScript entry of this project (e.g. `node test/setup/run-ts.cjs src/worker.ts`) in plain Node the way Jest
// runs the tests: SWC compiles every TypeScript file and every ESM package file to CommonJS, with decorator metadata,
// using jest.config.js's SWC options. tsx cannot do this (no decorator metadata; a second @nestjs/core copy).
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { transformSync } = require('@swc/core');

const typeCache = new Map();
function packageType(dir) {
  if (!typeCache.has(dir)) {
    const file = path.join(dir, 'package.json');
    const parent = path.dirname(dir);
    let type = 'commonjs';
    if (fs.existsSync(file)) type = JSON.parse(fs.readFileSync(file, 'utf8')).type ?? 'commonjs';
    else if (parent !== dir) type = packageType(parent);
    typeCache.set(dir, type);
  }
  return typeCache.get(dir);
}

function install(swcOptions) {
  const originalJs = Module._extensions['.js'];
  const compile = (module, filename) => {
    const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...swcOptions, filename });
    module._compile(code, filename);
  };
  Module._extensions['.ts'] = compile;
  Module._extensions['.mjs'] = compile;
  Module._extensions['.js'] = (module, filename) =>
    packageType(path.dirname(filename)) === 'module' ? compile(module, filename) : originalJs(module, filename);
  // Relative imports carry .js suffixes (NodeNext): fall back to the .ts file, as Jest's moduleNameMapper does.
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (err) {
      if (!request.startsWith('.') || !request.endsWith('.js')) throw err;
      return resolve.call(this, `${request.slice(0, -3)}.ts`, parent, ...rest);
    }
  };
}

const root = path.resolve(__dirname, '..', '..');
import(pathToFileURL(path.join(root, 'jest.config.js')).href).then(({ default: config }) => {
  const [, swcOptions] = Object.values(config.projects[0].transform)[0];
  install(swcOptions);
  require(path.resolve(process.argv[2]));
});
