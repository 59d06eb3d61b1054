/**
 * No credentials in the repository (issue 8, security), except the documented local-development
 * defaults. Every tracked text file is scanned for private keys, well-known token formats,
 * password-like settings with a literal value, passwords inside connection URLs and SQL
 * `PASSWORD '…'` clauses. Each value allowed below names the document that tells readers it is a
 * public default to change on a shared machine, and the test checks that the document says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SecretFinding {
  readonly line: number;
  readonly kind: string;
  readonly value: string;
}

/** Token formats whose mere presence is a leak, whatever the surrounding text. */
const TOKEN_FORMATS: readonly [kind: string, pattern: RegExp][] = [
  ['private key', /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY( BLOCK)?-----/g],
  ['AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g],
  ['GitHub token', /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/g],
  ['npm token', /\bnpm_[A-Za-z0-9]{36}\b/g],
  ['Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/g],
  ['Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/g],
  ['Stripe live key', /\b[rs]k_live_[0-9A-Za-z]{16,}/g],
  ['JSON web token', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g],
];

/**
 * A value following a password-like name: `password: 'x'`, `"database.password": "x"`,
 * `PGPASSWORD=x`, a fallback in code (`pgPassword: env.X ?? 'x'`) or a shell/compose default
 * (`${DB_PASSWORD:-x}`).
 */
const SECRET_SETTING =
  /\b[\w.-]*(?:password|passwd|secret|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token)["']?\s*[:=]\s*(?:[\w.]+\s*(?:\?\?|\|\|)\s*)?(?:"([^"\n]*)"|'([^'\n]*)'|`([^`\n]*)`|([^\s"'`,;)}\]]+))/gi;
/** user:password@ in a URL. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`]+:([^\s@/"'`]+)@/gi;
/** CREATE/ALTER ROLE … PASSWORD 'x'. */
const SQL_PASSWORD = /\bPASSWORD\s+'([^']*)'/gi;

/** Variables, templates and elisions stand for a value given elsewhere: not a secret. */
export function isPlaceholder(value: string): boolean {
  return (
    value === '' ||
    value.startsWith('$') ||
    value.includes('${') ||
    value.includes('{{') ||
    /^<[^>]*>$/.test(value) ||
    /^(…|\.\.\.|\*+|x+|changeme|change-me)$/i.test(value)
  );
}

const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/**
 * Secrets-looking values in one file's text. In code only string literals count as values
 * (`password: config.pgPassword` reads a setting, it holds none).
 */
export function findSecrets(text: string, file: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const code = CODE.test(file);
  text.split('\n').forEach((line, index) => {
    const add = (kind: string, value: string) => {
      if (!isPlaceholder(value)) findings.push({ line: index + 1, kind, value });
    };
    for (const [kind, pattern] of TOKEN_FORMATS) for (const m of line.matchAll(pattern)) add(kind, m[0]);
    for (const m of line.matchAll(SECRET_SETTING)) {
      const quoted = m[1] ?? m[2] ?? m[3];
      const bare = m[4] ?? '';
      if (quoted !== undefined) add('password-like setting', quoted);
      // ${NAME:?message} is a required variable; ${NAME:-value} gives a default value.
      else if (!code && !bare.startsWith('?')) add('password-like setting', bare.replace(/^-/, ''));
    }
    for (const m of line.matchAll(URL_PASSWORD)) add('password in a URL', decodeURIComponent(m[1] ?? ''));
    for (const m of line.matchAll(SQL_PASSWORD)) add('SQL password', m[1] ?? '');
  });
  return findings;
}

/**
 * The only literal credentials the repository may hold: public local-development defaults. Each
 * is allowed in the listed files only, and `documentedIn` must contain `documentedAs`.
 */
const ALLOWED: readonly { value: string | RegExp; files: readonly string[]; documentedIn: string; documentedAs: string; why: string }[] = [
  {
    value: 'polluscope',
    files: ['cli/src/infra/stack-config.ts', 'services/postprocessing/src/service.ts'],
    documentedIn: 'README.md',
    documentedAs: '`polluscope` / `polluscope` (`POLLUSCOPE_PG_USER`, `POLLUSCOPE_PG_PASSWORD`)',
    why: 'password of the application role of the embedded local stack (databases listen on 127.0.0.1 only); POLLUSCOPE_PG_PASSWORD overrides it',
  },
  {
    value: 'researcher',
    files: [
      'infrastructure/postgres/warehouse/004-roles.sql',
      'docs/warehouse.md',
      'tests/integration/stack.ts',
      // The console's default WAREHOUSE_URL is that login, as are its test's.
      'console/src/server/config.ts',
      'console/src/server/config.test.ts',
      'tests/integration/console.test.ts',
      'tests/integration/console-review.test.ts',
    ],
    documentedIn: 'docs/warehouse.md',
    documentedAs: '`researcher_login` is its local-development login (password `researcher`',
    why: 'read-only researcher login of a local warehouse; docs/warehouse.md says to change it on a shared machine',
  },
  {
    value: /^[a-z-]+-local-dev-only$/,
    files: ['.env.example'],
    documentedIn: '.env.example',
    documentedAs: 'The values here are LOCAL-DEVELOPMENT DEFAULTS, public in the repository',
    why: 'placeholders copied to the git-ignored .env, whose header says to change every password',
  },
  {
    value: 'not-the-password',
    files: ['tests/integration/register-connectors.test.ts'],
    documentedIn: 'tests/integration/register-connectors.test.ts',
    documentedAs: "'not-the-password'",
    why: 'a deliberately wrong password, to make a sink fail; it opens nothing',
  },
  {
    value: 'p',
    files: ['cli/src/commands/load-csv.test.ts'],
    documentedIn: 'cli/src/commands/load-csv.test.ts',
    documentedAs: 'u:p@127.0.0.1:5435',
    why: 'a connection string the option parser is tested with; no database has this user',
  },
];

const matchesValue = (allowed: string | RegExp, value: string) => (typeof allowed === 'string' ? allowed === value : allowed.test(value));

function trackedTextFiles(): { file: string; text: string }[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    // A file deleted in the working tree but not yet in a commit is gone: nothing to scan.
    .filter((file) => file !== '' && existsSync(join(ROOT, file)))
    .map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }))
    .filter(({ text }) => !text.includes('\0'));
}

describe('the scanner (hand-made texts)', () => {
  // Samples are assembled at run time so that this file itself holds none of them.
  const join2 = (...parts: string[]) => parts.join('');

  it('finds private keys and token formats', () => {
    const text = [join2('-----BEGIN RSA ', 'PRIVATE KEY-----'), join2('key = AKIA', 'ABCDEFGHIJKLMNOP'), join2('gh', 'p_', 'a'.repeat(36))].join('\n');
    expect(findSecrets(text, 'notes.md').map((f) => [f.line, f.kind])).toEqual([
      [1, 'private key'],
      [2, 'AWS access key id'],
      [3, 'GitHub token'],
    ]);
  });

  it('finds password settings in config files, string literals in code, URLs and SQL', () => {
    expect(findSecrets(join2('DB_PASS', 'WORD=s3cret'), 'app.env')).toEqual([{ line: 1, kind: 'password-like setting', value: 's3cret' }]);
    expect(findSecrets(join2('  "database.pass', 'word": "s3cret"'), 'c.json').map((f) => f.value)).toEqual(['s3cret']);
    expect(findSecrets(join2('const c = { pass', "word: 'hunter2' };"), 'a.ts').map((f) => f.value)).toEqual(['hunter2']);
    expect(findSecrets(join2('url: postgres://app:hunter', '2@db:5432/x'), 'a.yml').map((f) => f.value)).toEqual(['hunter2']);
    expect(findSecrets(join2("CREATE ROLE app LOGIN PASS", "WORD 'hunter2';"), 'a.sql').map((f) => f.value)).toEqual(['hunter2']);
    expect(findSecrets(join2("const pass", "word = env.DB_PASSWORD ?? 'hunter2';"), 'a.ts').map((f) => f.value)).toEqual(['hunter2']);
    expect(findSecrets(join2('DB_URL: postgres://app:${DB_PASS', 'WORD:-hunter2}@db/x'), 'a.yml').map((f) => f.value)).toEqual(['hunter2']);
  });

  it('ignores variables, placeholders and settings read from configuration in code', () => {
    const text = [
      join2('POSTGRES_PASS', 'WORD: ${POLLUSCOPE_POSTGRES_PASSWORD:?set it}'),
      join2('"connection.pass', 'word": "${env:POLLUSCOPE_PG_PASSWORD}"'),
      join2("ALTER ROLE polluscope PASS", "WORD '…'"),
      join2('url = `postgresql://${user}:${pass', 'word}@${host}/db`'),
    ].join('\n');
    expect(findSecrets(text, 'mixed.md')).toEqual([]);
    expect(findSecrets(join2('new pg.Client({ pass', 'word: config.pgPassword })'), 'a.ts')).toEqual([]);
  });
});

describe('the tracked files', () => {
  const files = trackedTextFiles();
  const findings = files.flatMap(({ file, text }) => findSecrets(text, file).map((f) => ({ file, ...f })));

  it('reads every tracked text file', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['.env.example', 'docker-compose.infra.yml', 'package-lock.json']));
  });

  it('hold no credential but the documented local-development defaults', () => {
    const leaks = findings
      .filter((f) => !ALLOWED.some((a) => matchesValue(a.value, f.value) && a.files.includes(f.file)))
      .map((f) => `${f.file}:${f.line}: ${f.kind} ${JSON.stringify(f.value)}`);
    expect(leaks, `credentials in tracked files:\n${leaks.join('\n')}`).toEqual([]);
  });

  it.each(ALLOWED.map((a) => [String(a.value), a] as const))('the allowed value %s is documented where the list says, and still used', (_v, allowed) => {
    expect(readFileSync(join(ROOT, allowed.documentedIn), 'utf8'), allowed.why).toContain(allowed.documentedAs);
    for (const file of allowed.files) {
      expect(
        findings.some((f) => f.file === file && matchesValue(allowed.value, f.value)),
        `${file} no longer holds ${String(allowed.value)}: drop it from ALLOWED`,
      ).toBe(true);
    }
  });
});

describe('env files', () => {
  const ignored = (path: string) => spawnSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: ROOT }).status === 0;

  it('every .env file but .env.example is git-ignored, here and in subfolders', () => {
    for (const path of ['.env', '.env.local', '.env.production', 'infrastructure/.env', 'services/postprocessing/.env.test']) {
      expect(ignored(path), path).toBe(true);
    }
    expect(ignored('.env.example')).toBe(false);
  });

  it('no env file is tracked but .env.example', () => {
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
    expect(tracked.filter((f) => /(^|\/)\.env(\.|$)/.test(f))).toEqual(['.env.example']);
  });
});
