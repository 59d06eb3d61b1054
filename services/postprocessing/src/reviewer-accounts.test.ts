import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkReviewer, hashReviewerPassword, passwordMatches, passwordProblem, reviewerNameProblem, type ReviewerDirectory } from './reviewer-accounts.js';

const passphrase = randomBytes(12).toString('base64url');

describe('reviewer names', () => {
  it.each(['alice', 'a', 'bob.smith', 'r_2', 'jo@lab-1', 'x'.repeat(64)])('accepts %s', (name) => {
    expect(reviewerNameProblem(name)).toBeNull();
  });

  it.each(['', 'al ice', 'al:ice', '-alice', '.alice', 'x'.repeat(65), 'élise', 'a\nb'])('refuses %j, saying what a name may hold', (name) => {
    expect(reviewerNameProblem(name)).toMatch(/: 1 to 64 characters, letters, digits and \. _ @ -, starting with a letter or digit$/);
  });
});

describe('passwords', () => {
  it('between 12 and 256 characters; the message never quotes the password', () => {
    expect(passwordProblem('a'.repeat(12))).toBeNull();
    expect(passwordProblem('a'.repeat(256))).toBeNull();
    expect(passwordProblem('short-one')).toBe('password: at least 12 characters, got 9');
    expect(passwordProblem('a'.repeat(257))).toBe('password: at most 256 characters, got 257');
  });

  it('are stored as Argon2id hashes with their own salt, and match only themselves', async () => {
    const first = await hashReviewerPassword(passphrase);
    const second = await hashReviewerPassword(passphrase);
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain(passphrase);
    expect(await passwordMatches(first, passphrase)).toBe(true);
    expect(await passwordMatches(first, `${passphrase} `)).toBe(false);
    expect(await passwordMatches('not a hash', passphrase)).toBe(false);
    expect(await passwordMatches(null, passphrase)).toBe(false);
  });
});

describe('checkReviewer', () => {
  const hashed = hashReviewerPassword(passphrase);
  const asked: string[] = [];
  const directory: ReviewerDirectory = {
    passwordHash: async (name) => {
      asked.push(name);
      return name === 'alice' ? hashed : null;
    },
  };

  it('true for the right name and password only', async () => {
    expect(await checkReviewer(directory, 'alice', passphrase)).toBe(true);
    expect(await checkReviewer(directory, 'alice', 'x'.repeat(20))).toBe(false);
    expect(await checkReviewer(directory, 'bob', passphrase)).toBe(false);
  });

  it('does not look up a name that cannot be a reviewer', async () => {
    asked.length = 0;
    expect(await checkReviewer(directory, "alice' OR '1'='1", passphrase)).toBe(false);
    expect(asked).toEqual([]);
  });
});
