/**
 * Reviewer accounts (docs/design.md §5.6: only an authenticated reviewer decides, and the decision
 * records who logged in): a name and an Argon2id hash of the password in the warehouse's
 * `reviewers` table. `polluscope reviewers add` creates them; the review API checks HTTP Basic
 * credentials against them. SQL is parameterised; passwords are never stored, logged or echoed.
 */
import { hash, verify } from '@node-rs/argon2';
import type pg from 'pg';

/**
 * A reviewer's name: what the decisions record and what HTTP Basic sends before the colon, so
 * no colon, no space, nothing a log or a URL would mangle.
 */
const REVIEWER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const MAX_REVIEWER_NAME_CHARS = 64;
export const MIN_PASSWORD_CHARS = 12;
/** Argon2 takes any length; a bound keeps a request from making the server hash megabytes. */
export const MAX_PASSWORD_CHARS = 256;

/** Null when the name is acceptable, else why not. */
export function reviewerNameProblem(name: string): string | null {
  if (REVIEWER_NAME.test(name)) return null;
  return `reviewer name "${name.slice(0, 80)}": 1 to ${MAX_REVIEWER_NAME_CHARS} characters, letters, digits and . _ @ -, starting with a letter or digit`;
}

/** Null when the password is acceptable, else why not (never quoting it). */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_CHARS) return `password: at least ${MIN_PASSWORD_CHARS} characters, got ${password.length}`;
  if (password.length > MAX_PASSWORD_CHARS) return `password: at most ${MAX_PASSWORD_CHARS} characters, got ${password.length}`;
  return null;
}

/**
 * Argon2id with @node-rs/argon2's defaults (19 MiB, 2 passes, 1 lane: OWASP's recommended
 * minimum), in the PHC string format that carries its own salt and parameters.
 */
export function hashReviewerPassword(password: string): Promise<string> {
  return hash(password);
}

/** Hashed once, so that an unknown name costs as much time as a wrong password. */
let decoyHash: Promise<string> | null = null;

/** Whether `password` matches `passwordHash` (null: no such reviewer, still checked against a decoy). */
export async function passwordMatches(passwordHash: string | null, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_CHARS) return false;
  if (passwordHash === null) {
    decoyHash ??= hash('polluscope decoy, never a password');
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

/** Where the review API finds a reviewer's password hash. */
export interface ReviewerDirectory {
  passwordHash(name: string): Promise<string | null>;
}

/** Checks HTTP Basic credentials: true only for a known reviewer with the right password. */
export async function checkReviewer(directory: ReviewerDirectory, name: string, password: string): Promise<boolean> {
  const known = reviewerNameProblem(name) === null ? await directory.passwordHash(name) : null;
  return passwordMatches(known, password);
}

const PASSWORD_HASH_SQL = 'SELECT password_hash FROM reviewers WHERE name = $1';
const INSERT_REVIEWER_SQL = 'INSERT INTO reviewers (name, password_hash) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING';
// xmax is 0 on a row this statement inserted, not on one it updated.
const UPSERT_REVIEWER_SQL = `INSERT INTO reviewers (name, password_hash) VALUES ($1, $2)
  ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash
  RETURNING (xmax = 0) AS inserted`;

/** The reviewers table, read through a pool or client of the warehouse. */
export class WarehouseReviewers implements ReviewerDirectory {
  constructor(private readonly db: Pick<pg.Pool, 'query'> | Pick<pg.ClientBase, 'query'>) {}

  async passwordHash(name: string): Promise<string | null> {
    const { rows } = await this.db.query<{ password_hash: string }>(PASSWORD_HASH_SQL, [name]);
    return rows[0]?.password_hash ?? null;
  }

  /**
   * Adds a reviewer; with `replace`, an existing one's password is replaced. Returns what
   * happened: `exists` when the name is taken and `replace` is off (nothing changed).
   */
  async add(name: string, passwordHash: string, replace: boolean): Promise<'added' | 'replaced' | 'exists'> {
    if (replace) {
      const { rows } = await this.db.query<{ inserted: boolean }>(UPSERT_REVIEWER_SQL, [name, passwordHash]);
      return rows[0]?.inserted === true ? 'added' : 'replaced';
    }
    const { rowCount } = await this.db.query(INSERT_REVIEWER_SQL, [name, passwordHash]);
    return (rowCount ?? 0) > 0 ? 'added' : 'exists';
  }
}
