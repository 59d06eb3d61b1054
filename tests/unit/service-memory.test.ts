import { describe, expect, it } from 'vitest';
import { heapFigures } from '../../bench/pipeline/service-memory.js';

describe('heapFigures', () => {
  it('reads the reserved heap and the old space in use', () => {
    const text = [
      '# HELP nodejs_heap_size_total_bytes Process heap size from Node.js in bytes.',
      'nodejs_heap_size_total_bytes{service="gps-preprocessing"} 162529280',
      'nodejs_heap_space_size_used_bytes{space="new",service="gps-preprocessing"} 15728640',
      'nodejs_heap_space_size_used_bytes{space="old",service="gps-preprocessing"} 124780544',
    ].join('\n');
    expect(heapFigures(text)).toEqual({ totalBytes: 162529280, oldSpaceUsedBytes: 124780544 });
  });

  it('gives null when a figure is missing', () => {
    expect(heapFigures('nodejs_heap_size_total_bytes 1\n')).toBeNull();
  });
});
