/** A command-line option or argument that is wrong: `main` prints it and exits 2, as for bad input files. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
