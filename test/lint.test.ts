import { spawnSync } from 'node:child_process';

/** CI runs the linters through the test command: ESLint (typescript-eslint) and Prettier, as `npm run lint`. */
describe('lint', () => {
  const run = (bin: string, args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 180_000 });

  it('ESLint reports no problem in the tree', () => {
    const result = run('node_modules/eslint/bin/eslint.js', ['.', '--max-warnings=0']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('every file is formatted by Prettier (npm run format fixes it)', () => {
    const result = run('node_modules/prettier/bin/prettier.cjs', ['--list-different', '.']);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
