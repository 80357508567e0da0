#!/usr/bin/env node
// Generates src/generated/scripts.ts from lua/*.lua (the source of truth).
//
//   node scripts/generate.mjs           write src/generated/scripts.ts
//   node scripts/generate.mjs --check   exit 1 when the committed file differs from what lua/ produces
//
// Paths resolve from this file's location, so a copy of the package (lua/, scripts/, src/generated/)
// works on its own. Plain Node ESM, no dependencies.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Command used in the generated banner and in error messages. */
export const REGENERATE_COMMAND = 'pnpm --filter @redis-locks/scripts generate';

/** Error raised for a Lua file whose header (or ARGV preamble) does not follow the rules. */
export class HeaderError extends Error {
  constructor(file, line, message) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`);
    this.name = 'HeaderError';
    this.file = file;
    this.line = line;
  }
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const NAME_LINE = new RegExp(`^-- (${IDENT}): (\\S.*)$`);
const ENTRY_LINE = new RegExp(`^-- (KEYS|ARGV)\\[(\\d+)\\] (${IDENT}): (\\S.*)$`);
const RETURNS_LINE = /^-- returns: (\S.*)$/;
const OPTIONAL = /\(optional\b/i;

const HEADER_HELP = [
  'A script starts with comment lines in exactly this form:',
  '  -- <name>: <description>            (name = file name without .lua)',
  '  -- KEYS[1] <name>: <description>    (one per key, in order; "(optional" in the text marks it optional)',
  '  -- ARGV[1] <name>: <description>    (one per argument, in order)',
  '  -- returns: <return value>',
].join('\n');

/**
 * Parses the header of one Lua script and checks the body against it.
 * @param {string} source exact file contents
 * @param {string} file file name, e.g. `lock_acquire.lua` (the script name must match it)
 */
export function parseScript(source, file) {
  const expectedName = file.replace(/^.*[\\/]/, '').replace(/\.lua$/, '');
  const lines = source.split('\n').map((line) => line.replace(/\r$/, ''));
  const fail = (line, message) => {
    throw new HeaderError(file, line, `${message}\n${HEADER_HELP}`);
  };

  let headerEnd = 0;
  while (headerEnd < lines.length && lines[headerEnd].startsWith('--')) headerEnd++;
  if (headerEnd === 0) fail(1, 'missing header');

  const first = NAME_LINE.exec(lines[0]);
  if (!first || first[1] === 'returns') fail(1, `expected "-- ${expectedName}: <description>"`);
  const [, name, description] = first;
  if (name !== expectedName) fail(1, `header names the script "${name}" but the file is ${expectedName}.lua`);

  const keys = [];
  const args = [];
  let returns;
  for (let i = 1; i < headerEnd; i++) {
    const text = lines[i];
    const lineNo = i + 1;
    if (returns !== undefined) fail(lineNo, 'nothing may follow "-- returns:" in the header');
    const ret = RETURNS_LINE.exec(text);
    if (ret) {
      returns = ret[1];
      continue;
    }
    const entry = ENTRY_LINE.exec(text);
    if (!entry) fail(lineNo, `malformed header line: ${JSON.stringify(text)}`);
    const [, kind, index, entryName, entryDescription] = entry;
    const list = kind === 'KEYS' ? keys : args;
    if (kind === 'KEYS' && args.length > 0) fail(lineNo, 'KEYS lines must come before ARGV lines');
    if (Number(index) !== list.length + 1) {
      fail(lineNo, `expected ${kind}[${list.length + 1}], found ${kind}[${index}]`);
    }
    if (list.some((item) => item.name === entryName)) fail(lineNo, `duplicate ${kind} name "${entryName}"`);
    const optional = OPTIONAL.test(entryDescription);
    if (!optional && list.some((item) => item.optional)) {
      fail(lineNo, `required ${kind}[${index}] follows an optional one; optional entries must come last`);
    }
    list.push({ name: entryName, description: entryDescription, optional });
  }
  if (returns === undefined) fail(headerEnd, 'header has no "-- returns: <return value>" line');

  // The body: every key within the declared KEYS, every ARGV read once into a named local up front.
  const body = lines.slice(headerEnd);
  const code = body
    .map((text, offset) => ({ text, lineNo: headerEnd + offset + 1 }))
    .filter(({ text }) => text.trim() !== '' && !text.trim().startsWith('--'));
  for (const { text, lineNo } of code) {
    for (const match of text.matchAll(/\bKEYS\[(\d+)\]/g)) {
      if (Number(match[1]) < 1 || Number(match[1]) > keys.length) {
        fail(lineNo, `KEYS[${match[1]}] is used but the header declares ${keys.length} key(s)`);
      }
    }
    if (/\bARGV\b(?!\[\d+\])/.test(text)) fail(lineNo, 'read ARGV only by literal index, e.g. ARGV[1]');
  }
  args.forEach((arg, i) => {
    const index = i + 1;
    const line = code[i];
    const pattern = new RegExp(`^local ${arg.name} = .*\\bARGV\\[${index}\\]`);
    if (!line || !pattern.test(line.text)) {
      fail(
        line?.lineNo ?? headerEnd + 1,
        `code line ${index} must read ARGV[${index}] into a local named after the header: ` +
          `"local ${arg.name} = ...ARGV[${index}]..."`,
      );
    }
    const others = [...line.text.matchAll(/\bARGV\[(\d+)\]/g)].filter((m) => Number(m[1]) !== index);
    if (others.length) fail(line.lineNo, `the line reading ARGV[${index}] reads other arguments too`);
  });
  for (const { text, lineNo } of code.slice(args.length)) {
    if (/\bARGV\[/.test(text)) fail(lineNo, 'ARGV is read only in the named locals at the top of the script');
  }

  return {
    name,
    exportName: camelCase(name),
    description,
    keys,
    args,
    returns,
    source,
    sha1: createHash('sha1').update(source, 'utf8').digest('hex'),
  };
}

/** `lock_acquire` → `lockAcquire`. */
export function camelCase(name) {
  return name.replace(/[_-]+([a-zA-Z0-9])/g, (_, c) => c.toUpperCase());
}

const docText = (text) => text.replace(/\*\//g, '*\\/');
const quote = (text) => JSON.stringify(text);

function renderScript(script) {
  const doc = [
    `/**`,
    ` * ${docText(script.name)}: ${docText(script.description)}`,
    ` *`,
    ...script.keys.map((key, i) => ` * KEYS[${i + 1}] ${key.name}: ${docText(key.description)}`),
    ...script.args.map((arg, i) => ` * ARGV[${i + 1}] ${arg.name}: ${docText(arg.description)}`),
    ` * returns: ${docText(script.returns)}`,
    ` */`,
  ];
  return [
    ...doc,
    `export const ${script.exportName}: LuaScript = {`,
    `  name: ${quote(script.name)},`,
    `  description: ${quote(script.description)},`,
    `  source: ${quote(script.source)},`,
    `  sha1: ${quote(script.sha1)},`,
    `  keys: [${script.keys.map((key) => quote(key.name)).join(', ')}],`,
    `  args: [${script.args.map((arg) => quote(arg.name)).join(', ')}],`,
    `  returns: ${quote(script.returns)},`,
    `};`,
    '',
  ].join('\n');
}

/**
 * Renders the whole generated module for the parsed scripts.
 * @returns {{ content: string, blocks: Map<string, string> }} the file and each script's block
 */
export function render(scripts) {
  const seen = new Map();
  for (const script of scripts) {
    const clash = seen.get(script.exportName);
    if (clash)
      throw new Error(`${clash}.lua and ${script.name}.lua both map to export "${script.exportName}"`);
    seen.set(script.exportName, script.name);
  }
  const blocks = new Map(scripts.map((script) => [script.name, renderScript(script)]));
  const content = [
    `// generated — do not edit; run ${REGENERATE_COMMAND}`,
    '// Source of truth: packages/scripts/lua/*.lua. `pnpm --filter @redis-locks/scripts check` fails on drift.',
    '',
    "import type { LuaScript } from '../types.js';",
    '',
    ...blocks.values(),
    '/** Every script of this package, in file-name order. */',
    `export const allScripts: readonly LuaScript[] = [${scripts.map((s) => s.exportName).join(', ')}];`,
    '',
  ].join('\n');
  return { content, blocks };
}

/** Reads and parses every `lua/*.lua` under `root`, in file-name order. */
export function loadScripts(root) {
  const luaDir = join(root, 'lua');
  if (!existsSync(luaDir)) throw new Error(`no lua/ directory in ${root}`);
  const files = readdirSync(luaDir)
    .filter((file) => file.endsWith('.lua'))
    .sort();
  if (files.length === 0) throw new Error(`no .lua files in ${luaDir}`);
  return files.map((file) => parseScript(readFileSync(join(luaDir, file), 'utf8'), `lua/${file}`));
}

/** Generates (or, with `check`, verifies) `src/generated/scripts.ts` under `root`. Returns the exit code. */
export function run({ root, check = false, log = console.log, error = console.error }) {
  const target = join(root, 'src', 'generated', 'scripts.ts');
  const targetName = relative(root, target).split('\\').join('/');
  let generated;
  try {
    generated = render(loadScripts(root));
  } catch (err) {
    error(`generate: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const { content, blocks } = generated;
  if (!check) {
    mkdirSync(dirname(target), { recursive: true });
    const previous = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (previous === content) {
      log(`generate: ${targetName} is up to date (${blocks.size} scripts)`);
    } else {
      writeFileSync(target, content);
      log(`generate: wrote ${targetName} (${blocks.size} scripts)`);
    }
    return 0;
  }
  if (!existsSync(target)) {
    error(`generate --check: ${targetName} is missing. Run: ${REGENERATE_COMMAND}`);
    return 1;
  }
  const committed = readFileSync(target, 'utf8');
  if (committed === content) {
    log(`generate --check: ${targetName} matches lua/ (${blocks.size} scripts)`);
    return 0;
  }
  const drifting = [...blocks]
    .filter(([, block]) => !committed.includes(block))
    .map(([name]) => `lua/${name}.lua`);
  const detail = drifting.length
    ? ` for ${drifting.join(', ')}`
    : ' (a script was removed or renamed, or the file was edited by hand)';
  error(
    `generate --check: ${targetName} has drifted from lua/${detail}.\n` +
      `It is generated and must not be edited by hand. Run: ${REGENERATE_COMMAND}, then commit the result.`,
  );
  return 1;
}

const isMain =
  process.argv[1] !== undefined &&
  realpathSync(fileURLToPath(import.meta.url)) === realpathSync(process.argv[1]);
if (isMain) {
  const unknown = process.argv.slice(2).filter((arg) => arg !== '--check');
  if (unknown.length) {
    console.error(`generate: unknown argument(s) ${unknown.join(' ')}; usage: generate.mjs [--check]`);
    process.exit(2);
  }
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  process.exitCode = run({ root, check: process.argv.includes('--check') });
}
