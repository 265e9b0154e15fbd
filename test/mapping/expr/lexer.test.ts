import { CompileError } from '../../../src/mapping/expr';
import { lex, type Token } from '../../../src/mapping/expr/lexer';

function tokens(source: string, start?: number, end?: number): readonly Token[] {
  const result = lex(source, start, end);
  if (result instanceof CompileError) throw new Error(`unexpected error: ${result.message}`);
  return result;
}

function lexError(source: string): [string, number, number] {
  const result = lex(source);
  if (!(result instanceof CompileError)) throw new Error(`expected an error for ${source}`);
  expect(result.code).toBe('syntax');
  return [result.message, result.offset, result.length];
}

describe('lexer', () => {
  it('splits an expression into typed tokens with absolute offsets', () => {
    const result = tokens(`deck.bpm >= 1.5e3 && 'a\\'b' != "c"`);
    expect(result.map((t) => [t.type, t.text, t.value, t.start, t.end])).toEqual([
      ['name', 'deck', null, 0, 4],
      ['operator', '.', null, 4, 5],
      ['name', 'bpm', null, 5, 8],
      ['operator', '>=', null, 9, 11],
      ['number', '1.5e3', 1500, 12, 17],
      ['operator', '&&', null, 18, 20],
      ['string', `'a\\'b'`, "a'b", 21, 27],
      ['operator', '!=', null, 28, 30],
      ['string', '"c"', 'c', 31, 34],
      ['end', '', null, 34, 34],
    ]);
  });

  it.each([
    ['1', 1],
    ['0.5', 0.5],
    ['1e3', 1000],
    ['2.5E-2', 0.025],
    ['1e+2', 100],
    ['007', 7],
  ])('reads the number %s', (source, value) => {
    expect(tokens(source)[0]).toMatchObject({ type: 'number', value, start: 0, end: source.length });
  });

  it('leaves a dot that is not followed by a digit to the parser', () => {
    expect(tokens('1.x').map((t) => t.text)).toEqual(['1', '.', 'x', '']);
  });

  it('decodes every escape', () => {
    expect(tokens(`'\\\\ \\' \\" \\n \\r \\t \\u00e9'`)[0]?.value).toBe('\\ \' " \n \r \t é');
    expect(tokens(`"it's"`)[0]?.value).toBe("it's");
  });

  it('reads only the requested range and reports offsets within the whole text', () => {
    const result = tokens('xx {{ 1 + a }} yy', 5, 12);
    expect(result.map((t) => [t.text, t.start])).toEqual([
      ['1', 6],
      ['+', 8],
      ['a', 10],
      ['', 12],
    ]);
  });

  it.each([
    ["'abc", 'unterminated string (close it with the same quote it opens with)', 0, 4],
    ["'line\nbreak'", 'unterminated string (close it with the same quote it opens with)', 0, 5],
    ['"a\\qb"', 'unknown escape "\\q" (use \\\\, \\\', \\", \\n, \\r, \\t or \\uXXXX)', 2, 2],
    ["'\\u12'", '"\\u" needs four hex digits, as in \\u00e9', 1, 5],
    ["'a\\", 'unterminated string (close it with the same quote it opens with)', 0, 3],
    ['12ab', 'malformed number "12ab"', 0, 4],
    ['1e', 'malformed number "1e"', 0, 2],
    ['x + 1e+', 'malformed number "1e+"', 4, 3],
    ['1.5.2x', 'malformed number "2x"', 4, 2],
    ['1e999', 'number 1e999 is too large', 0, 5],
    ['a = 1', '"=" is not an operator (use "==" to compare)', 2, 1],
    ['a === 1', '"===" is not an operator (use "==", which never converts types)', 2, 3],
    ['a !== 1', '"!==" is not an operator (use "!=", which never converts types)', 2, 3],
    ['a & b', '"&" is not an operator (use "&&" or "and")', 2, 1],
    ['a | b', '"|" is not an operator (use "||" or "or")', 2, 1],
    ['a # b', 'unexpected character "#"', 2, 1],
    ['a\u00a0b', 'unexpected character U+00A0', 1, 1],
    ['x + \u{1f600}', 'unexpected character U+1F600', 4, 2],
    ['deck?.bpm', '"?." is not needed: a field of null is already null (write a.b)', 4, 2],
    ['{ a }', 'unexpected character "{"', 0, 1],
  ])('refuses %j', (source, message, offset, length) => {
    expect(lexError(source)).toEqual([message, offset, length]);
  });
});
