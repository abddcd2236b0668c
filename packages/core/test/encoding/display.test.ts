// escapeForDisplay (encoding/display.ts): what a terminal or an annotation could be made to
// lie with is written as \u{...}; everything else, including non-Latin scripts and emoji, is
// left as it is.
import { describe, expect, it } from 'vitest';
import { escapeForDisplay } from '../../src/encoding/display.ts';

describe('escapeForDisplay', () => {
  it.each([
    ['\u202e', '\\u{202E}'], // RIGHT-TO-LEFT OVERRIDE
    ['\u2066', '\\u{2066}'], // LEFT-TO-RIGHT ISOLATE
    ['\u200b', '\\u{200B}'], // ZERO WIDTH SPACE
    ['\u200d', '\\u{200D}'], // ZERO WIDTH JOINER
    ['\ufeff', '\\u{FEFF}'], // BYTE ORDER MARK
    ['\u00ad', '\\u{AD}'], // SOFT HYPHEN
    ['\u2028', '\\u{2028}'], // LINE SEPARATOR
    ['\u001b', '\\u{1B}'], // ESC (terminal escape sequences)
    ['\r', '\\u{D}'],
    ['\n', '\\u{A}'],
    ['\u0085', '\\u{85}'], // NEXT LINE (C1)
    ['\u3164', '\\u{3164}'], // HANGUL FILLER (default ignorable, looks blank)
    ['\u{e0041}', '\\u{E0041}'], // TAG LATIN CAPITAL LETTER A
    ['\ud800', '\\u{D800}'], // a lone surrogate
    ['\u0600', '\\u{600}'], // ARABIC NUMBER SIGN (Cf, not default ignorable)
    ['\u2029', '\\u{2029}'], // PARAGRAPH SEPARATOR
  ])('escapes %j, between visible text and alone', (c, shown) => {
    expect(escapeForDisplay(`a${c}b`)).toBe(`a${shown}b`);
    expect(escapeForDisplay(c)).toBe(shown);
    expect(escapeForDisplay(`${c}${c}`)).toBe(`${shown}${shown}`);
  });

  it('leaves visible text alone, and returns the same string when there is nothing to escape', () => {
    const text = 'CN=Grüße 東京 😀 Ωmega, O=Contoso';
    expect(escapeForDisplay(text)).toBe(text);
  });

  it('keeps the characters it is told to keep', () => {
    expect(escapeForDisplay('{\n  "a": "\u202e"\n}', '\n')).toBe('{\n  "a": "\\u{202E}"\n}');
    expect(escapeForDisplay('a\r\nb\u0007', '\r\n')).toBe('a\r\nb\\u{7}');
  });
});
