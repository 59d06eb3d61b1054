import { fileURLToPath } from 'node:url';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

const packages = [
  'common',
  'timeseries-preprocessing',
  'classification-validation',
  'gps-preprocessing',
  'stop-move-detection',
  'postprocessing',
];

// Tests run against the TypeScript sources, not the compiled dist folders.
const alias = [
  ...packages.flatMap((name) => [
    {
      find: new RegExp(`^@polluscope/${name}/domain$`),
      replacement: fileURLToPath(new URL(`./services/${name}/src/domain/index.ts`, import.meta.url)),
    },
    {
      find: new RegExp(`^@polluscope/${name}$`),
      replacement: fileURLToPath(new URL(`./services/${name}/src/index.ts`, import.meta.url)),
    },
  ]),
  { find: /^@polluscope\/console$/, replacement: fileURLToPath(new URL('./console/src/index.ts', import.meta.url)) },
  { find: /^@polluscope\/cli$/, replacement: fileURLToPath(new URL('./cli/src/index.ts', import.meta.url)) },
];

/**
 * Integration files run one at a time in name order, except the console's browser tests (the day
 * view, the review queue), after the others have put participants into the warehouse for them to
 * draw and review, and the bulk loads, last: the
 * 120,000 rows they put into rawdata flow through the whole pipeline and would otherwise delay the
 * time-bounded checks of the files after them.
 */
class IntegrationOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => (/load-csv/.test(f.moduleId) ? 2 : /console(-review)?\.test/.test(f.moduleId) ? 1 : 0);
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  resolve: { alias },
  test: {
    sequence: { sequencer: IntegrationOrder },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['services/*/src/**/*.test.ts', 'console/src/**/*.test.ts', 'cli/src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          // Each worker imports the workspaces once, not once per file; the files leave no global
          // state (they also pass all in one worker): 254 s with isolation, 75 s without (2 cores).
          isolate: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // One stack is shared by every integration file; running them one at a time keeps
          // consumer groups and timings predictable on a 2-core machine.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
          globalSetup: ['tests/integration/global-setup.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
          globalSetup: ['tests/faults/global-setup.ts'],
        },
      },
    ],
  },
});
