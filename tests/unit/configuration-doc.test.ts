/** docs/configuration.md names every setting of every service's configuration schema, and the console's. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_SETTINGS } from '@polluscope/common';
import { classificationValidation } from '@polluscope/classification-validation';
import { gpsPreprocessing } from '@polluscope/gps-preprocessing';
import { postprocessing } from '@polluscope/postprocessing';
import { stopMoveDetection } from '@polluscope/stop-move-detection';
import { timeseriesPreprocessing } from '@polluscope/timeseries-preprocessing';
import { CONSOLE_SETTINGS } from '@polluscope/console';

const doc = readFileSync(fileURLToPath(new URL('../../docs/configuration.md', import.meta.url)), 'utf8');

describe('docs/configuration.md', () => {
  const schemas: [string, Record<string, unknown>][] = [
    ['Every service', SHARED_SETTINGS.properties],
    ...[classificationValidation, gpsPreprocessing, postprocessing, stopMoveDetection, timeseriesPreprocessing].map(
      (service): [string, Record<string, unknown>] => [service.name, service.settings?.properties ?? {}],
    ),
    ['console', CONSOLE_SETTINGS.properties],
  ];

  it.each(schemas)('names every setting of %s', (section, properties) => {
    const heading = doc.indexOf(`## ${section}`);
    if (Object.keys(properties).length > 0) expect(heading, `a section "## ${section}"`).toBeGreaterThanOrEqual(0);
    const next = doc.indexOf('\n## ', heading + 1);
    const text = doc.slice(heading, next < 0 ? undefined : next);
    for (const name of Object.keys(properties)) expect(text, `${section}: ${name}`).toContain(`\`${name}\``);
  });
});
