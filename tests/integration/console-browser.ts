/**
 * The console under test in headless Chromium: its app listening on a free port, one page, and
 * every request that left for another host (the console must never fetch from the network).
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH } from '../../console/src/index.js';

export interface ConsoleInBrowser {
  readonly baseUrl: string;
  readonly browser: Browser;
  readonly page: Page;
  /** URLs the page requested outside the console (data: URLs aside). */
  readonly remoteRequests: string[];
}

export async function openConsoleInChromium(app: FastifyInstance): Promise<ConsoleInBrowser> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const remoteRequests: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:')) remoteRequests.push(request.url());
  });
  return { baseUrl, browser, page, remoteRequests };
}
