/** The shared part of reading checked input: field paths, quoted values, one-line problems. */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { check, checkJson, fieldPath, shown } from '../src/validate.js';

describe('validate', () => {
  it('writes field paths as a reader would type them', () => {
    expect(fieldPath([])).toBe('');
    expect(fieldPath(['feeds', 0, 'url'])).toBe('feeds[0].url');
    expect(fieldPath(['guilds', '123'])).toBe('guilds.123');
    expect(fieldPath(['files', 'data.json', 'sha256'])).toBe('files["data.json"].sha256');
    expect(fieldPath(['a b'])).toBe('["a b"]');
  });

  it('quotes values as JSON on one line, cut short', () => {
    expect(shown('two\nlines')).toBe('"two\\nlines"');
    expect(shown(undefined)).toBe('undefined');
    expect(shown('x'.repeat(100))).toHaveLength(60);
  });

  it('gives the first problem of a parse as one line, the field first', () => {
    const schema = z.object({ items: z.array(z.object({ size: z.number(), name: z.string().regex(/^[a-z]+$/, { error: 'is not lower-case letters' }) })) });
    expect(check(schema, { items: [{ size: 1, name: 'ok' }, { size: '2', name: 'ok' }] })).toEqual({ ok: false, problem: 'items[1].size: expected a number, found a text' });
    expect(check(schema, { items: [{ size: 1, name: 'Bad' }] })).toEqual({ ok: false, problem: 'items[0].name: "Bad" is not lower-case letters' });
    expect(check(schema, { items: [{ name: 'ok' }] })).toEqual({ ok: false, problem: 'items[0].size: is missing' });
    expect(check(z.string(), 5, ['title'])).toEqual({ ok: false, problem: 'title: expected a text, found a number' });
    expect(check(z.strictObject({}), { a: 1, b: 2 })).toEqual({ ok: false, problem: 'unknown fields "a", "b"' });
    expect(check(z.enum(['x', 'y']), 'z')).toEqual({ ok: false, problem: '"z" is not one of x, y' });
    expect(checkJson(schema, '{"items": [}')).toMatchObject({ ok: false, problem: expect.stringMatching(/^not valid JSON \([^\n]+\)$/) });
    expect(checkJson(schema, '{"items": []}')).toEqual({ ok: true, value: { items: [] } });
  });
});
