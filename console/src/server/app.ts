/**
 * The console's Fastify app, built without listening: the JSON API under /api and the built pages
 * (Vite's output) at /. The warehouse is passed in, so tests give rows of their own.
 */
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { buildParticipantDay } from '../day/build-participant-day.js';
import { summariseParticipants } from '../day/summarise-participants.js';
import type { ConsoleWarehouse } from './warehouse-reader.js';

export interface ConsoleAppOptions {
  readonly warehouse: ConsoleWarehouse;
  readonly timeZone: string;
  readonly tileUrl: string | null;
  /** Folder of the built pages (console/dist/public); null or missing: the API alone. */
  readonly pagesDir: string | null;
  readonly logLevel?: string;
  /**
   * Further routes, registered after the API: the review queue and reviewers' login
   * (review-routes.ts, docs/design.md §5.6) plug in here, in a scope of their own; the pages and
   * the API above read the warehouse only and need no login.
   */
  readonly plugins?: readonly FastifyPluginAsync[];
}

const PARTICIPANT = { type: 'string', minLength: 1, maxLength: 200 } as const;
// format "date" checks the month and the day as well, so 2026-13-45 is a 400 here, not a SQL error.
const DAY = { type: 'string', format: 'date' } as const;

export function buildConsoleApp(options: ConsoleAppOptions): FastifyInstance {
  // Long enough for any id the schema accepts, so the schema (a 400 naming the parameter) decides.
  const app = Fastify({ logger: { level: options.logLevel ?? 'info' }, routerOptions: { maxParamLength: 256 } });

  app.get('/health', async () => ({ live: true }));

  app.get('/api/settings', async () => ({ timeZone: options.timeZone, tileUrl: options.tileUrl }));

  app.get('/api/participants', async () => ({ participants: summariseParticipants(await options.warehouse.participantDays()) }));

  app.get<{ Params: { participant: string; day: string } }>(
    '/api/participants/:participant/days/:day',
    {
      schema: {
        params: {
          type: 'object',
          required: ['participant', 'day'],
          additionalProperties: false,
          properties: { participant: PARTICIPANT, day: DAY },
        },
      },
    },
    async (request, reply) => {
      const { participant, day } = request.params;
      const rows = await options.warehouse.participantDay(participant, day);
      if (rows.minutes.length === 0 && rows.timeline.length === 0 && rows.fixes.length === 0) {
        return reply.code(404).send({ error: 'Not Found', message: `no data for ${participant} on ${day}` });
      }
      return buildParticipantDay({ participant, day, timeZone: options.timeZone, ...rows });
    },
  );

  for (const plugin of options.plugins ?? []) void app.register(plugin);

  if (options.pagesDir !== null && existsSync(options.pagesDir)) {
    void app.register(fastifyStatic, { root: options.pagesDir, index: 'index.html' });
  }

  app.addHook('onClose', async () => {
    await options.warehouse.close();
  });
  return app;
}
