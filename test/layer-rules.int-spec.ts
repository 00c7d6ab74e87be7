import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The layer rules run on every `npm test`; this proves they catch each kind of violation, on a
// fixture tree with one file per rule (and one allowed import that must stay unreported).
describe('dependency-cruiser layer rules', () => {
  const root = join(__dirname, '..');
  const fixture = join(__dirname, 'fixtures', 'layering');

  const cruise = () =>
    spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', '.bin', 'depcruise'),
        'apps',
        'libs',
        '--config',
        join(root, '.dependency-cruiser.js'),
      ],
      { cwd: fixture, encoding: 'utf8' },
    );

  it('fails on an app importing an app, a deep import into a library, and an impure domain', () => {
    const result = cruise();
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status).not.toBe(0);
    expect(output).toMatch(/app-imports-app.*apps\/alpha\/src\/reaches-other-app\.ts/);
    expect(output).toMatch(/deep-import-into-lib.*apps\/alpha\/src\/reaches-into-lib\.ts/);
    expect(output).toMatch(/domain-is-pure.*libs\/domain\/src\/impure\.ts/);
    expect(output).not.toMatch(/uses-lib-front-door/);
  });
});
