/**
 * A service's V8 heap from its Prometheus metrics (prom-client's default Node.js metrics): how
 * much of its resident set is heap, and how much of the heap is old space, which holds garbage
 * until a major collection, whatever the service's live state.
 */
export interface HeapFigures {
  /** Heap V8 has reserved, bytes (`nodejs_heap_size_total_bytes`). */
  readonly totalBytes: number;
  /** Old space in use, live and not yet collected, bytes (`nodejs_heap_space_size_used_bytes{space="old"}`). */
  readonly oldSpaceUsedBytes: number;
}

/** The heap figures of a `/metrics` text, or null when either is missing. */
export function heapFigures(metricsText: string): HeapFigures | null {
  let total: number | null = null;
  let old: number | null = null;
  for (const line of metricsText.split('\n')) {
    if (line.startsWith('nodejs_heap_size_total_bytes')) total = Number(line.slice(line.lastIndexOf(' ') + 1));
    else if (line.startsWith('nodejs_heap_space_size_used_bytes') && line.includes('space="old"')) old = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total === null || old === null || !Number.isFinite(total) || !Number.isFinite(old) ? null : { totalBytes: total, oldSpaceUsedBytes: old };
}
