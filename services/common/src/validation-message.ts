/**
 * The message of a 400 answer to a request that failed its route's JSON schema: which part of the
 * request (querystring, params, body), which parameter, and what was wrong, e.g.
 * `querystring parameter "day" must match format "date"`. Fastify's own message leaves out the
 * name of an unknown parameter, and a caller cannot fix what is not named.
 */
export interface SchemaValidationProblem {
  readonly keyword: string;
  /** JSON pointer of the bad value inside the part, '' for the part itself. */
  readonly instancePath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

export function validationMessage(problems: readonly SchemaValidationProblem[], part: string): string {
  // Ajv reports each failed alternative of an anyOf, then the anyOf itself: say "a or b" once.
  const anyOfPaths = new Set(problems.filter((p) => p.keyword === 'anyOf').map((p) => p.instancePath));
  const lines: string[] = [];
  for (const path of new Set(problems.map((p) => p.instancePath))) {
    const atPath = problems.filter((p) => p.instancePath === path);
    if (anyOfPaths.has(path)) {
      const alternatives = atPath.filter((p) => p.keyword !== 'anyOf').map(whatIsWrong);
      lines.push(describeProblem({ ...atPath[0]!, keyword: 'anyOf', message: alternatives.join(' or ') }, part));
    } else lines.push(...atPath.map((p) => describeProblem(p, part)));
  }
  return lines.join('; ');
}

function whatIsWrong(problem: SchemaValidationProblem): string {
  return problem.message ?? `fails ${problem.keyword}`;
}

function describeProblem(problem: SchemaValidationProblem, part: string): string {
  const what = whatIsWrong(problem);
  if (problem.keyword === 'additionalProperties') return `${part}: unknown parameter "${String(problem.params['additionalProperty'])}"`;
  if (problem.keyword === 'required') return `${part}: missing parameter "${String(problem.params['missingProperty'])}"`;
  const name = problem.instancePath.replace(/^\//, '').replaceAll('/', '.').replaceAll('~1', '/').replaceAll('~0', '~');
  return name === '' ? `${part} ${what}` : `${part} parameter "${name}" ${what}`;
}
