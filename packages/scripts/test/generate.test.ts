import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HeaderError, parseScript } from '../scripts/generate.mjs';
import { allScripts } from '../src/index.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const luaFiles = readdirSync(join(packageRoot, 'lua'))
  .filter((file) => file.endsWith('.lua'))
  .sort();

const header = [
  '-- demo: A demo script.',
  '-- KEYS[1] lock: the lock key',
  '-- KEYS[2] fence: the fencing counter (optional; omit it)',
  '-- ARGV[1] token: the owner token',
  '-- ARGV[2] note: a note (optional, default none)',
  '-- returns: 1',
];
const body = [
  'local token = ARGV[1]',
  "local note = ARGV[2] or ''",
  "return redis.call('EXISTS', KEYS[1])",
  '',
];
const demo = (lines: string[] = header, code: string[] = body) => [...lines, ...code].join('\n');

/** Copies what the generator needs (lua/, scripts/, src/generated/) to a temp dir. */
const temps: string[] = [];
function tempCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'redis-locks-scripts-'));
  temps.push(dir);
  for (const part of ['lua', 'scripts', join('src', 'generated')]) {
    cpSync(join(packageRoot, part), join(dir, part), { recursive: true });
  }
  return dir;
}
function generate(dir: string, ...flags: string[]) {
  const result = spawnSync(process.execPath, [join(dir, 'scripts', 'generate.mjs'), ...flags], {
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('generated scripts', () => {
  it('the committed src/generated/scripts.ts is up to date with lua/', () => {
    const result = generate(packageRoot, '--check');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('exports one script per lua file, with its exact source and the sha1 of that source', () => {
    expect(allScripts.map((script) => `${script.name}.lua`)).toEqual(luaFiles);
    for (const script of allScripts) {
      const source = readFileSync(join(packageRoot, 'lua', `${script.name}.lua`), 'utf8');
      expect(script.source).toBe(source);
      expect(script.sha1).toBe(createHash('sha1').update(source).digest('hex'));
      expect(script.sha1).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('never interpolates: every key a script uses is one of its declared KEYS', () => {
    for (const script of allScripts) {
      const used = [...script.source.matchAll(/KEYS\[(\d+)\]/g)].map((match) => Number(match[1]));
      expect(Math.max(...used)).toBeLessThanOrEqual(script.keys.length);
      expect(script.source).not.toMatch(/\.\.\s*KEYS|KEYS\[[^\d]/);
    }
  });
});

describe('header parsing', () => {
  it('reads name, description, keys and args with their optional flag, and returns', () => {
    const parsed = parseScript(demo(), 'lua/demo.lua');
    expect(parsed.name).toBe('demo');
    expect(parsed.exportName).toBe('demo');
    expect(parsed.description).toBe('A demo script.');
    expect(parsed.keys).toEqual([
      { name: 'lock', description: 'the lock key', optional: false },
      { name: 'fence', description: 'the fencing counter (optional; omit it)', optional: true },
    ]);
    expect(parsed.args.map((arg) => [arg.name, arg.optional])).toEqual([
      ['token', false],
      ['note', true],
    ]);
    expect(parsed.returns).toBe('1');
    expect(parsed.sha1).toBe(createHash('sha1').update(demo()).digest('hex'));
  });

  it('parses the real lock_acquire header', () => {
    const source = readFileSync(join(packageRoot, 'lua', 'lock_acquire.lua'), 'utf8');
    const parsed = parseScript(source, 'lua/lock_acquire.lua');
    expect(parsed.exportName).toBe('lockAcquire');
    expect(parsed.keys.map((key) => [key.name, key.optional])).toEqual([
      ['lock', false],
      ['fence', true],
    ]);
    expect(parsed.args.map((arg) => [arg.name, arg.optional])).toEqual([
      ['token', false],
      ['ttl', false],
      ['idempotent', true],
    ]);
  });

  it.each([
    ['no header at all', demo([], body), /missing header/],
    ['a name that differs from the file', demo(['-- other: x', ...header.slice(1)]), /file is demo\.lua/],
    ['no description', demo(['-- demo:', ...header.slice(1)]), /expected "-- demo: <description>"/],
    [
      'a gap in KEYS numbering',
      demo(header.map((l) => l.replace('KEYS[2]', 'KEYS[3]'))),
      /expected KEYS\[2\]/,
    ],
    ['a malformed line', demo([...header.slice(0, 1), '-- KEYS 1 lock: x', ...header.slice(2)]), /malformed/],
    ['no returns line', demo(header.slice(0, -1)), /no "-- returns:/],
    [
      'ARGV before KEYS',
      demo([header[0]!, header[3]!, header[1]!, header[5]!]),
      /KEYS lines must come before/,
    ],
    [
      'a required key after an optional one',
      demo([...header.slice(0, 3), '-- KEYS[3] extra: required', ...header.slice(3)]),
      /optional entries must come last/,
    ],
    [
      'an ARGV not read into its named local',
      demo(header, ['local t = ARGV[1]', ...body.slice(1)]),
      /local token =/,
    ],
    [
      'ARGV read outside the preamble',
      demo(header, [...body.slice(0, 2), 'return ARGV[2]', '']),
      /ARGV is read only in the named locals/,
    ],
    [
      'an undeclared key',
      demo(header, [...body.slice(0, 2), "return redis.call('GET', KEYS[3])", '']),
      /KEYS\[3\]/,
    ],
  ])('rejects %s', (_label, source, message) => {
    expect(() => parseScript(source, 'lua/demo.lua')).toThrow(HeaderError);
    expect(() => parseScript(source, 'lua/demo.lua')).toThrow(message);
  });
});

describe('drift check (generate.mjs --check)', () => {
  it('fails, naming the drifting files, when a lua file changed and the output was not regenerated', () => {
    const dir = tempCopy();
    appendFileSync(join(dir, 'lua', 'lock_extend.lua'), '-- an edit\n');
    const result = generate(dir, '--check');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('src/generated/scripts.ts has drifted');
    expect(result.stderr).toContain('lua/lock_extend.lua');
    expect(result.stderr).not.toContain('lua/lock_acquire.lua');
    expect(result.stderr).toContain('pnpm --filter @redis-locks/scripts generate');

    expect(generate(dir).status).toBe(0);
    expect(generate(dir, '--check').status).toBe(0);
    expect(readFileSync(join(dir, 'src', 'generated', 'scripts.ts'), 'utf8')).toContain('-- an edit\\n');
  });

  it('fails when the generated file was edited by hand or is missing', () => {
    const dir = tempCopy();
    const target = join(dir, 'src', 'generated', 'scripts.ts');
    writeFileSync(target, `${readFileSync(target, 'utf8')}// hand edit\n`);
    const edited = generate(dir, '--check');
    expect(edited.status).toBe(1);
    expect(edited.stderr).toContain('src/generated/scripts.ts has drifted');
    rmSync(target);
    const missing = generate(dir, '--check');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('src/generated/scripts.ts is missing');
  });

  it('fails when a script is added without regenerating, and when a lua file has no or a malformed header', () => {
    const dir = tempCopy();
    writeFileSync(join(dir, 'lua', 'demo.lua'), demo());
    const added = generate(dir, '--check');
    expect(added.status).toBe(1);
    expect(added.stderr).toContain('lua/demo.lua');

    writeFileSync(join(dir, 'lua', 'demo.lua'), "return redis.call('PING')\n");
    for (const flags of [['--check'], []]) {
      const result = generate(dir, ...flags);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('lua/demo.lua:1: missing header');
    }

    writeFileSync(join(dir, 'lua', 'demo.lua'), demo(header.map((l) => l.replace('ARGV[2]', 'ARGV[4]'))));
    const malformed = generate(dir, '--check');
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toContain('lua/demo.lua:5: expected ARGV[2], found ARGV[4]');
  });

  it('writes nothing when generating an unchanged tree', () => {
    const dir = tempCopy();
    const result = generate(dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('up to date');
  });
});
