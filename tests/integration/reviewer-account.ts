/**
 * A reviewer account for the integration tests that decide reviews: created as an operator does,
 * with `polluscope reviewers add NAME` and the password piped on standard input (made up per run,
 * never in the repository). The Authorization header logs in as that reviewer.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { polluscopeWithInput } from './cli-run.js';
import { endpoints } from './stack.js';

export interface ReviewerLogin {
  readonly name: string;
  /** `Authorization: Basic …` for this reviewer. */
  readonly authorization: string;
  /** The same name with a wrong password. */
  readonly wrongAuthorization: string;
  /** The password itself, for a login form (the console's browser test types it). */
  readonly passphrase: string;
}

const basic = (name: string, passphrase: string): string => `Basic ${Buffer.from(`${name}:${passphrase}`).toString('base64')}`;

export async function createReviewer(label: string): Promise<ReviewerLogin> {
  const name = `it-${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const passphrase = randomBytes(18).toString('base64url');
  const added = await polluscopeWithInput(`${passphrase}\n`, 'reviewers', 'add', name, '--database-url', endpoints.warehouseUrl);
  expect(added.stderr).toBe('');
  expect(added.stdout.trim()).toBe(`reviewer ${name} added`);
  expect(added.code).toBe(0);
  return { name, authorization: basic(name, passphrase), wrongAuthorization: basic(name, `${passphrase}-wrong`), passphrase };
}
