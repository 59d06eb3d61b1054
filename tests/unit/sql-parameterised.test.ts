/**
 * SQL is parameterised (issue 8, security): no value reaches a query by string building. The
 * TypeScript sources are parsed with the compiler's own parser and every template literal or `+`
 * chain that reads like SQL is checked: values belong in `$n` parameters. Identifiers cannot be
 * parameters; they go through pg's `escapeIdentifier`, which the scanner accepts (its output is
 * always one double-quoted identifier). A name interpolated into SQL is followed to its declaration
 * in the file: a `const` or function holding only quoted identifiers or literals is accepted; an
 * import, parameter, `let` or loop variable is not. The remaining sites are listed in ALLOWED.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the project's TypeScript (and the few .mjs scripts) live: the services, the console, the CLI, … */
const SCANNED = /^(services\/[^/]+\/src|console\/src|cli\/src|bench|scripts|tests)\/.*\.(ts|mts|cts|mjs|js)$/;

export interface SqlFinding {
  readonly file: string;
  readonly line: number;
  /** The interpolated expression or concatenated operand, as written. */
  readonly expression: string;
  readonly how: 'interpolation' | 'concatenation';
}

/**
 * Upper-case SQL words (the project writes SQL in upper case), or text that starts like a lower-case
 * statement. A message that merely mentions "select a file from the list" matches neither.
 */
const SQL_UPPER = /\b(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|CREATE|ALTER|DROP|TRUNCATE|GRANT|REVOKE|WHERE|VALUES|JOIN|ORDER\s+BY|GROUP\s+BY|LIMIT|OFFSET|ON\s+CONFLICT|RETURNING)\b/;
const SQL_LOWER =
  /^[\s(]*(select\s[\s\S]*\bfrom\b|with\s+\w+\s+as\s*\(|insert\s+into\s|delete\s+from\s|update\s+\S+\s+set\s|(create|alter|drop)\s+(temp|temporary|table|view|index|role|schema|extension|function)\b|truncate\s|copy\s+\S+[\s\S]*\b(from|to)\s+(stdin|stdout)\b|where\s)/;

export function looksLikeSql(text: string): boolean {
  return SQL_UPPER.test(text) || SQL_LOWER.test(text);
}

/** What a file's own declarations say about a name (see `fileConstants`). */
interface Constants {
  /** A const or function whose value is a quoted identifier, a literal, or built only of those. */
  isSafe(name: ts.Identifier): boolean;
  /** A const holding an object or array literal of string literals: any entry is a fixed literal. */
  isLiteralTable(name: ts.Identifier): boolean;
}

/**
 * An interpolation that cannot carry a value into SQL: `escapeIdentifier(x)` (pg's, as a function
 * or a method), a list of those (`xs.map((x) => escapeIdentifier(x)).join(', ')` or
 * `xs.map(escapeIdentifier).join(…)`), a literal, a template built only of those, or a name of
 * the same file that `fileConstants` finds to hold one of those.
 */
function isQuotedIdentifier(node: ts.Expression, constants: Constants): boolean {
  const e = skipWrappers(node);
  const safe = (x: ts.Expression) => isQuotedIdentifier(x, constants);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)) return true;
  if (ts.isTemplateExpression(e)) return e.templateSpans.every((span) => safe(span.expression));
  if (ts.isIdentifier(e)) return constants.isSafe(e);
  if (ts.isElementAccessExpression(e) || ts.isPropertyAccessExpression(e)) {
    const target = skipWrappers(e.expression);
    return ts.isIdentifier(target) && constants.isLiteralTable(target);
  }
  if (!ts.isCallExpression(e)) return false;
  if (isEscapeIdentifier(e.expression)) return true;
  // A function of this file that returns only quoted identifiers, whatever its arguments.
  if (ts.isIdentifier(e.expression) && constants.isSafe(e.expression)) return true;
  // xs.map(f).join(literal)
  const callee = e.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'join') return false;
  if (!e.arguments.every((a) => ts.isStringLiteral(a))) return false;
  const mapCall = skipWrappers(callee.expression);
  if (!ts.isCallExpression(mapCall) || !ts.isPropertyAccessExpression(mapCall.expression) || mapCall.expression.name.text !== 'map') return false;
  const [mapper] = mapCall.arguments;
  if (mapper === undefined || mapCall.arguments.length !== 1) return false;
  if (isEscapeIdentifier(mapper)) return true;
  return ts.isArrowFunction(mapper) && !ts.isBlock(mapper.body) && safe(mapper.body);
}

function isEscapeIdentifier(callee: ts.Node): boolean {
  return (ts.isIdentifier(callee) && callee.text === 'escapeIdentifier') || (ts.isPropertyAccessExpression(callee) && callee.name.text === 'escapeIdentifier');
}

/** `(x)`, `x as T`, `x satisfies T`, `<T>x`, `x!`: the same value. */
function skipWrappers(node: ts.Expression): ts.Expression {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) {
    return skipWrappers(node.expression);
  }
  return node;
}

function isLiteralTable(node: ts.Expression): boolean {
  const e = skipWrappers(node);
  const literal = (x: ts.Expression) => ts.isStringLiteral(skipWrappers(x)) || ts.isNoSubstitutionTemplateLiteral(skipWrappers(x));
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => literal(x));
  if (ts.isObjectLiteralExpression(e)) return e.properties.every((p) => ts.isPropertyAssignment(p) && literal(p.initializer));
  return false;
}

/** Expressions a function returns; null when its body is not a plain list of statements. */
function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] | null {
  if (fn.body === undefined) return null;
  if (!ts.isBlock(fn.body)) return [fn.body];
  const returned: ts.Expression[] = [];
  let bare = false;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return; // a nested function's returns are its own
    if (ts.isReturnStatement(node)) {
      if (node.expression === undefined) bare = true;
      else returned.push(node.expression);
    }
    ts.forEachChild(node, visit);
  };
  fn.body.statements.forEach(visit);
  return bare || returned.length === 0 ? null : returned;
}

/**
 * The file bound on its own (no library, no imports resolved), so that each name is looked up in
 * its own scope: an imported name, a parameter, a `let` or a loop variable is never safe; a
 * `const` or function of the file is safe when what it holds or returns is.
 */
function fileConstants(sourceFile: ts.SourceFile): Constants {
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === sourceFile.fileName ? sourceFile : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => name === sourceFile.fileName,
    readFile: () => undefined,
  };
  const options: ts.CompilerOptions = { noLib: true, noResolve: true, allowJs: true, types: [] };
  const checker = ts.createProgram({ rootNames: [sourceFile.fileName], options, host }).getTypeChecker();

  const declarationsOf = (name: ts.Identifier): readonly ts.Declaration[] => checker.getSymbolAtLocation(name)?.declarations ?? [];
  const constInitialiser = (d: ts.Declaration): ts.Expression | null =>
    ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.initializer !== undefined && (d.parent.flags & ts.NodeFlags.Const) !== 0 ? d.initializer : null;

  const memo = new Map<ts.Declaration, boolean>();
  const constants: Constants = {
    isLiteralTable: (name) => {
      const declarations = declarationsOf(name);
      return declarations.length > 0 && declarations.every((d) => {
        const init = constInitialiser(d);
        return init !== null && isLiteralTable(init);
      });
    },
    isSafe: (name) => {
      const declarations = declarationsOf(name);
      return declarations.length > 0 && declarations.every((d) => {
        const known = memo.get(d);
        if (known !== undefined) return known;
        memo.set(d, false); // a name built from itself is not safe
        const safe = declaresSafeValue(d, constants);
        memo.set(d, safe);
        return safe;
      });
    },
  };
  const declaresSafeValue = (d: ts.Declaration, c: Constants): boolean => {
    const returnsSafe = (fn: ts.FunctionLikeDeclaration) => {
      const returned = returnedExpressions(fn);
      return returned !== null && returned.every((x) => isQuotedIdentifier(x, c));
    };
    if (ts.isFunctionDeclaration(d)) return returnsSafe(d);
    const init = constInitialiser(d);
    if (init === null) return false;
    const value = skipWrappers(init);
    return ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? returnsSafe(value) : isQuotedIdentifier(value, c);
  };
  return constants;
}

/** Operands of a `+` chain, left to right. */
function plusOperands(node: ts.Expression): ts.Expression[] {
  const e = skipWrappers(node);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return [...plusOperands(e.left), ...plusOperands(e.right)];
  return [e];
}

function isPlusChain(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

/** The text a reader sees of a template or string: literal parts only. */
function literalText(node: ts.Expression): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return null;
}

/** SQL built from strings in one source file: interpolations and concatenations of anything but quoted identifiers. */
export function findStringBuiltSql(source: string, file: string): SqlFinding[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const findings: SqlFinding[] = [];
  const constants = fileConstants(sourceFile);
  const report = (node: ts.Node, how: SqlFinding['how']) => {
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
    findings.push({ file, line, expression: node.getText(sourceFile), how });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isTemplateExpression(node) && looksLikeSql(literalText(node) ?? '')) {
      for (const span of node.templateSpans) if (!isQuotedIdentifier(span.expression, constants)) report(span.expression, 'interpolation');
    }
    if (isPlusChain(node) && !isPlusChain(node.parent)) {
      const operands = plusOperands(node);
      if (operands.some((o) => looksLikeSql(literalText(o) ?? ''))) {
        for (const operand of operands) if (!isQuotedIdentifier(operand, constants)) report(operand, 'concatenation');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return findings;
}

/**
 * Sites where SQL is built from fixed identifiers without escapeIdentifier, each with its reason.
 * An entry that no longer matches anything fails the test, so the list only shrinks.
 */
const ALLOWED: readonly { file: string; expressions: readonly string[]; why: string }[] = [];

function trackedSources(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => SCANNED.test(f) && !/(^|\/)(node_modules|dist)\//.test(f) && !f.endsWith('.d.ts'))
    // A file deleted in the working tree but not yet in a commit is gone: nothing to scan.
    .filter((f) => existsSync(join(ROOT, f)));
}

describe('the scanner (hand-made sources)', () => {
  const find = (source: string) => findStringBuiltSql(source, 'example.ts').map(({ line, expression, how }) => ({ line, expression, how }));

  it('flags a value interpolated into a query, with its line', () => {
    const source = ['async function byId(id: string) {', '  return pool.query(`SELECT * FROM t WHERE id = ${id}`);', '}'].join('\n');
    expect(find(source)).toEqual([{ line: 2, expression: 'id', how: 'interpolation' }]);
  });

  it('flags SQL assembled in a variable first, and multi-line templates', () => {
    const source = ['const filter = `WHERE name = ${name}`;', 'const sql = `', '  SELECT count(*)', '  FROM t ${filter}`;'].join('\n');
    expect(find(source)).toEqual([
      { line: 1, expression: 'name', how: 'interpolation' },
      { line: 4, expression: 'filter', how: 'interpolation' },
    ]);
  });

  it('flags concatenation into SQL, once per chain', () => {
    const source = "client.query('DELETE FROM t WHERE a = ' + a + ' AND b = ' + b);";
    expect(find(source)).toEqual([
      { line: 1, expression: 'a', how: 'concatenation' },
      { line: 1, expression: 'b', how: 'concatenation' },
    ]);
  });

  it('flags lower-case SQL and every statement kind', () => {
    for (const sql of ['select * from t where a = ', ' insert into t values (', 'update t set a = ', 'create table ', 'where a = ', 'COPY t FROM STDIN -- ', 'DROP TABLE ', 'ALTER ROLE ']) {
      expect(find(`q(\`${sql}\${x}\`);`), sql).toHaveLength(1);
    }
  });

  it('accepts parameters, escapeIdentifier, lists of escaped identifiers and plain messages', () => {
    const source = [
      "await pool.query('SELECT * FROM t WHERE id = $1', [id]);",
      'await pool.query(`SELECT * FROM ${pg.escapeIdentifier(table)} WHERE id = $1`, [id]);',
      'await client.query(`SELECT ${COLUMNS.map((c) => client.escapeIdentifier(c)).join(\', \')} FROM t`);',
      "const list = `SELECT ${cols.map(escapeIdentifier).join(', ')}, ${cols.map((c) => `s.${escapeIdentifier(c)}`).join(', ')} FROM s`;",
      'throw new Error(`cannot read ${file}: select a file from the list`);',
      "console.log('rows: ' + n);",
    ].join('\n');
    expect(find(source)).toEqual([]);
  });

  it('follows names to their declarations in the file, scope by scope', () => {
    const source = [
      "const OPTIONS = { csv: '(FORMAT csv)', binary: '(FORMAT binary)' } as const;",
      "const COLUMNS = ['a', 'b'].map((c) => pg.escapeIdentifier(c)).join(', ');",
      'const quoted = (name: string) => pg.escapeIdentifier(name);',
      'function statement(format: keyof typeof OPTIONS): string {',
      '  const table = quoted(RAW.table);',
      '  return `COPY ${table} (${COLUMNS}) FROM STDIN WITH ${OPTIONS[format]}`;',
      '}',
      'function other(table: string, limit: number) {',
      '  let where = `WHERE a = $1`;',
      '  return `SELECT ${COLUMNS} FROM ${table} ${where} LIMIT ${limit}`;',
      '}',
      "import { FILTER } from './filters.js';",
      'q(`SELECT 1 ${FILTER}`);',
    ].join('\n');
    expect(find(source).map((f) => [f.line, f.expression])).toEqual([
      [10, 'table'],
      [10, 'where'],
      [10, 'limit'],
      [13, 'FILTER'],
    ]);
  });

  it('does not accept a hand-quoted identifier or a call that merely looks safe', () => {
    const source = ['q(`SELECT * FROM "${table}"`);', 'q(`SELECT * FROM ${quote(table)}`);', "q(`SELECT ${cols.map((c) => `\"${c}\"`).join(', ')} FROM t`);"].join('\n');
    expect(find(source).map((f) => f.line)).toEqual([1, 2, 3]);
  });
});

describe('the project sources', () => {
  const files = trackedSources();
  const findings = files.flatMap((file) => findStringBuiltSql(readFileSync(join(ROOT, file), 'utf8'), file));
  const allowed = (f: SqlFinding) => ALLOWED.some((a) => a.file === f.file && a.expressions.includes(f.expression));

  it('scans the services, the console, the CLI, benchmarks, scripts and tests', () => {
    for (const folder of ['services/postprocessing/src/', 'services/common/src/', 'console/src/', 'cli/src/', 'bench/', 'tests/']) {
      expect(files.some((f) => f.startsWith(folder)), folder).toBe(true);
    }
    expect(files).toContain('services/postprocessing/src/warehouse-reviews.ts');
    expect(files).toContain('console/src/server/warehouse-reader.ts');
  });

  it('build no SQL from strings: values go in $n parameters, identifiers through escapeIdentifier', () => {
    const offending = findings.filter((f) => !allowed(f)).map((f) => `${f.file}:${f.line}: ${f.how} of \`${f.expression}\``);
    expect(offending, `string-built SQL:\n${offending.join('\n')}`).toEqual([]);
  });

  it('every allowed site still exists (remove entries that were fixed)', () => {
    for (const entry of ALLOWED) {
      for (const expression of entry.expressions) {
        expect(
          findings.some((f) => f.file === entry.file && f.expression === expression),
          `${entry.file}: \`${expression}\` is no longer built into SQL; drop it from ALLOWED`,
        ).toBe(true);
      }
    }
  });
});
