import { describe, expect, it } from 'vitest';
import { validationMessage } from './validation-message.js';

describe('validationMessage', () => {
  it('names the bad parameter and what was wrong', () => {
    expect(validationMessage([{ keyword: 'format', instancePath: '/day', params: { format: 'date' }, message: 'must match format "date"' }], 'querystring')).toBe(
      'querystring parameter "day" must match format "date"',
    );
  });

  it('names an unknown parameter and a missing one', () => {
    expect(validationMessage([{ keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'dya' } }], 'querystring')).toBe(
      'querystring: unknown parameter "dya"',
    );
    expect(validationMessage([{ keyword: 'required', instancePath: '', params: { missingProperty: 'label' } }], 'body')).toBe('body: missing parameter "label"');
  });

  it('says the alternatives of an anyOf once', () => {
    expect(
      validationMessage(
        [
          { keyword: 'pattern', instancePath: '/segmentStart', params: {}, message: 'must match pattern "^\\d+$"' },
          { keyword: 'format', instancePath: '/segmentStart', params: {}, message: 'must match format "date-time"' },
          { keyword: 'anyOf', instancePath: '/segmentStart', params: {}, message: 'must match a schema in anyOf' },
        ],
        'params',
      ),
    ).toBe('params parameter "segmentStart" must match pattern "^\\d+$" or must match format "date-time"');
  });

  it('joins several problems and unescapes nested pointers', () => {
    expect(
      validationMessage(
        [
          { keyword: 'type', instancePath: '/limit', params: {}, message: 'must be integer' },
          { keyword: 'maxLength', instancePath: '/a~1b/c', params: {}, message: 'must NOT have more than 3 characters' },
        ],
        'body',
      ),
    ).toBe('body parameter "limit" must be integer; body parameter "a/b.c" must NOT have more than 3 characters');
  });
});
