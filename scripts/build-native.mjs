#!/usr/bin/env node
/**
 * Builds hnswlib-node's native addon with node-gyp, run by this package's own `install` script
 * (so by `npm install`, `npm ci` and `npm rebuild`). package.json's `allowScripts` keeps npm from
 * running hnswlib-node's own install step, which would call node-gyp without telling it where the
 * headers are: node-gyp would then try to download them, and fail on a machine without that
 * network.
 *
 * Which Node headers are used, first match wins:
 * 1. `nodedir` from npm's config (`npm_config_nodedir`), when it holds `include/node/node.h`;
 * 2. the running Node's own, next to its binary (`<prefix>/bin/node` and
 *    `<prefix>/include/node/node.h`: the layout of the official tarballs, nvm, Homebrew, Debian);
 * 3. otherwise node-gyp's default (its header cache, downloading them when needed).
 *
 * An addon that already loads in this Node is kept, except under `npm rebuild` (or with
 * `--force`). A failure ends with one line that says what to do.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'hnswlib-node';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

function fail(reason) {
  console.error(`verbatim: could not build ${PACKAGE}'s native addon: ${reason}. It needs Python 3, make, a C++ compiler and this Node's headers; with those in place run \`npm rebuild\` (headers elsewhere: \`npm_config_nodedir=<prefix with include/node/node.h> npm rebuild\`).`);
  process.exit(1);
}

const hasHeaders = (prefix) => Boolean(prefix) && existsSync(join(prefix, 'include', 'node', 'node.h'));

/** Where the headers are, or undefined for node-gyp's default; and what to say about it. */
function chooseNodedir() {
  const configured = process.env.npm_config_nodedir;
  if (configured && hasHeaders(configured)) return { nodedir: configured, source: 'npm config nodedir' };
  const own = dirname(dirname(process.execPath));
  if (process.platform !== 'win32' && hasHeaders(own)) return { nodedir: own, source: 'beside this Node' };
  return { nodedir: undefined, source: `none beside ${process.execPath}, so node-gyp's own (its cache, or a download)` };
}

/** True when the addon loads in this Node, tried in a child process so a failed load leaves nothing behind. */
function loads(cwd) {
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(PACKAGE)})`], { cwd, stdio: 'ignore' });
  return probe.status === 0;
}

/** npm's own node-gyp (npm passes its path to scripts), else the one on PATH. */
function nodeGypCommand() {
  const bundled = process.env.npm_config_node_gyp;
  if (bundled && existsSync(bundled)) return [process.execPath, bundled];
  const besideNpm = join(dirname(dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (existsSync(besideNpm)) return [process.execPath, besideNpm];
  return [process.platform === 'win32' ? 'node-gyp.cmd' : 'node-gyp'];
}

let packageDir;
try {
  packageDir = dirname(require.resolve(`${PACKAGE}/package.json`));
} catch {
  fail(`${PACKAGE} is not installed (run \`npm install\` first)`);
}

const force = process.argv.includes('--force') || process.env.npm_command === 'rebuild';
if (!force && loads(root)) {
  console.log(`verbatim: ${PACKAGE}'s native addon is already built.`);
  process.exit(0);
}

const { nodedir, source } = chooseNodedir();
const env = { ...process.env, PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter) };
// node-gyp reads npm_config_* from the environment after its command line, so the choice goes there.
if (nodedir) env.npm_config_nodedir = nodedir;
else delete env.npm_config_nodedir;

const [command, ...prefix] = nodeGypCommand();
const build = spawnSync(command, [...prefix, 'rebuild', '--release'], { cwd: packageDir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (build.error) fail(`node-gyp did not start (${build.error.message})`);
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  fail(`node-gyp exited with ${build.status ?? build.signal} (Node headers: ${nodedir ? join(nodedir, 'include', 'node') : source})`);
}
if (!loads(root)) fail('the built addon does not load in this Node');
console.log(`verbatim: built ${PACKAGE}'s native addon (Node headers: ${nodedir ? `${join(nodedir, 'include', 'node')}, ${source}` : source}).`);
