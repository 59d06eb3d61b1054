/**
 * An in-process algorithm benchmark: `npm run bench` builds inputs of growing size, runs each
 * prepared function on one core and reports units per second beside the target of its issue.
 */
export interface AlgorithmBenchmark {
  /** What is measured, e.g. `gps clean + rasterise + hilbert`. */
  readonly name: string;
  /** The unit counted: `rows`, `points`, `segments`. */
  readonly unit: string;
  /** Units per second the issue asks for, on one core of the reference machine. */
  readonly targetPerS?: number;
  /** Input sizes to run, in units (the harness runs each at least once, usually 10×, 100×, 1000×). */
  readonly sizes: readonly number[];
  /** Builds an input of `size` units (not timed) and returns the function that processes it once (timed). */
  prepare(size: number): () => unknown;
  /**
   * A line about what the last run returned (e.g. the state it ended with), printed after its
   * size; `medianWallMs` is the median run's wall time, for figures per unit of the output.
   */
  report?(output: unknown, size: number, medianWallMs: number): string;
}
