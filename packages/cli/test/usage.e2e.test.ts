import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runBin } from './run-bin.js';

beforeAll(() => assertBuilt());

describe('redis-locks usage', () => {
  it('--help exits 0 and lists the commands with examples', async () => {
    const { code, stdout } = await runBin(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/compare/);
    expect(stdout).toMatch(/inspect/);
    expect(stdout).toMatch(/release/);
    expect(stdout).toMatch(/Examples:/);
  });

  it('compare --help exits 0 and documents options, examples and exit codes', async () => {
    const { code, stdout } = await runBin(['compare', '--help']);
    expect(code).toBe(0);
    for (const option of ['--url', '--strategies', '--duration', '--json', '--html <file>']) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toContain('redis-locks compare --html compare.html');
    expect(stdout).toMatch(/Examples:/);
    expect(stdout).toMatch(/Exit codes:/);
  });

  it('--version prints the package version and exits 0', async () => {
    const { code, stdout } = await runBin(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['compare', '--duration', 'soon']],
    [['compare', '--duration', '5']],
    [['compare', '--processes', '1']],
    [['compare', '--strategies', 'nope']],
    [['compare', '--url', 'http://example.com']],
    [['compare', '--frobnicate']],
    [['compare', '--html', '/nonexistent-directory/report.html']],
    [['compare', '--html', '.']],
    [['compare', '--html']],
    [['frobnicate']],
    [[]],
    [['release', 'orders:42']],
    [['release', '--force']],
  ])('usage error %j exits 2 with a message on stderr', async (args) => {
    const { code, stderr, stdout } = await runBin(args);
    expect(code).toBe(2);
    expect(stderr.length).toBeGreaterThan(0);
    expect(stdout).toBe('');
  });

  it.each([
    [['compare', '--url', 'redis://127.0.0.1:1', '--strategies', 'redlock'], '1 --url given'],
    [
      ['compare', '--url', 'redis://127.0.0.1:1,redis://127.0.0.1:2', '--strategies', 'redlock'],
      '2 --url given',
    ],
    [
      [
        'compare',
        '--url',
        'redis://127.0.0.1:1',
        '--url',
        'redis://127.0.0.1:1',
        '--url',
        'redis://127.0.0.1:2',
        '--strategies',
        'redlock',
      ],
      'given twice',
    ],
    [['inspect', '--url', 'redis://127.0.0.1:1', '--strategies', 'redlock'], '1 --url given'],
    [['release', '--force', 'x', '--url', 'redis://127.0.0.1:1', '--strategy', 'redlock'], '1 --url given'],
  ])('redlock with too few nodes: %j exits 2 naming it, before connecting', async (args, reason) => {
    const { code, stderr, stdout } = await runBin(args);
    expect(code).toBe(2);
    expect(stderr).toContain('redlock needs');
    expect(stderr).toContain(reason);
    expect(stdout).toBe('');
  });

  it('an unreachable Redis exits 3 with the reason', async () => {
    const { code, stderr } = await runBin(['inspect', '--url', 'redis://127.0.0.1:1']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/cannot connect to redis:\/\/127\.0\.0\.1:1/);
  });
});
