import { spawnSync } from 'node:child_process';

/**
 * The shape of the house (STYLE.md), checked with dependency-cruiser (.ci/dependency-cruiser.cjs):
 * contexts reach each other only through libs/contracts, domain/ is framework-free, libs/ never
 * import src/, the platform never imports a context.
 */
describe('architecture', () => {
  it('no module breaks the dependency rules of the bounded contexts', () => {
    const run = spawnSync(
      process.execPath,
      [
        'node_modules/dependency-cruiser/bin/dependency-cruise.mjs',
        'src',
        'libs',
        '--config',
        '.ci/dependency-cruiser.cjs',
        '--output-type',
        'err',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.stdout + run.stderr).not.toMatch(/error /);
    expect(run.status).toBe(0);
  });
});
