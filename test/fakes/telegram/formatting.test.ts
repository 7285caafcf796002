import { describe, expect, it } from 'vitest'
import { ApiError } from './api-error.js'
import { detectEntities, parseHtml, parseMarkdown, parseMarkdownV2 } from './formatting.js'

function errorOf(parse: () => unknown): string {
  try {
    parse()
  }
  catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    return (error as ApiError).description.replace('Bad Request: can\'t parse entities: ', '')
  }
  throw new Error('expected a parse error')
}

describe('legacy Markdown', () => {
  it('turns markup into entities', () => {
    expect(parseMarkdown('*Ticket* _new_ `#12` [map](https://example.com/m)')).toEqual({
      text: 'Ticket new #12 map',
      entities: [
        { type: 'bold', offset: 0, length: 6 },
        { type: 'italic', offset: 7, length: 3 },
        { type: 'code', offset: 11, length: 3 },
        { type: 'text_link', offset: 15, length: 3, url: 'https://example.com/m' },
      ],
    })
    expect(parseMarkdown('```python\nprint(1)```')).toEqual({
      text: 'print(1)',
      entities: [{ type: 'pre', offset: 0, length: 8, language: 'python' }],
    })
    expect(parseMarkdown('a\\_b')).toEqual({ text: 'a_b', entities: [] })
  })

  it('fails on an unclosed marker, at the UTF-8 byte offset', () => {
    expect(errorOf(() => parseMarkdown('street snake_case'))).toBe('Can\'t find end of the entity starting at byte offset 12')
    expect(errorOf(() => parseMarkdown('路灯 *坏了'))).toBe('Can\'t find end of the entity starting at byte offset 7')
  })
})

describe('markdownV2', () => {
  it('parses nested entities, escapes and links', () => {
    expect(parseMarkdownV2('*bold _both_*\\! __u__ ~s~ ||sp|| [a\\]](https://x.org/\\)) `c\\`d`')).toEqual({
      text: 'bold both! u s sp a] c`d',
      entities: [
        { type: 'bold', offset: 0, length: 9 },
        { type: 'italic', offset: 5, length: 4 },
        { type: 'underline', offset: 11, length: 1 },
        { type: 'strikethrough', offset: 13, length: 1 },
        { type: 'spoiler', offset: 15, length: 2 },
        { type: 'text_link', offset: 18, length: 2, url: 'https://x.org/)' },
        { type: 'code', offset: 21, length: 3 },
      ],
    })
    expect(parseMarkdownV2('```ts\nconst a = 1```')).toEqual({
      text: 'const a = 1',
      entities: [{ type: 'pre', offset: 0, length: 11, language: 'ts' }],
    })
  })

  it('parses block quotes line by line', () => {
    expect(parseMarkdownV2('>first\n>second\nafter')).toEqual({
      text: 'first\nsecond\nafter',
      entities: [{ type: 'blockquote', offset: 0, length: 12 }],
    })
  })

  it('rejects unescaped reserved characters and unclosed entities', () => {
    expect(errorOf(() => parseMarkdownV2('Done.'))).toBe('Character \'.\' is reserved and must be escaped with the preceding \'\\\'')
    expect(errorOf(() => parseMarkdownV2('call 12-34'))).toBe('Character \'-\' is reserved and must be escaped with the preceding \'\\\'')
    expect(errorOf(() => parseMarkdownV2('x *bold'))).toBe('Can\'t find end of Bold entity at byte offset 2')
    expect(errorOf(() => parseMarkdownV2('__u'))).toBe('Can\'t find end of Underline entity at byte offset 0')
    expect(errorOf(() => parseMarkdownV2('[a](https://x.org'))).toBe('Can\'t find end of a URL at byte offset 4')
  })
})

describe('hTML', () => {
  it('parses nested tags, links, spoilers, pre with language and character references', () => {
    expect(parseHtml('<b>bold <i>both</i></b> <a href="https://x.org/?a=1&amp;b=2">x</a> <tg-spoiler>s</tg-spoiler>')).toEqual({
      text: 'bold both x s',
      entities: [
        { type: 'bold', offset: 0, length: 9 },
        { type: 'italic', offset: 5, length: 4 },
        { type: 'text_link', offset: 10, length: 1, url: 'https://x.org/?a=1&b=2' },
        { type: 'spoiler', offset: 12, length: 1 },
      ],
    })
    expect(parseHtml('<pre><code class="language-ts">let a</code></pre>')).toEqual({
      text: 'let a',
      entities: [{ type: 'pre', offset: 0, length: 5, language: 'ts' }],
    })
    expect(parseHtml('&lt;&gt;&amp;&quot;&#33;&#x41; &copy; AT&T')).toEqual({ text: '<>&"!A &copy; AT&T', entities: [] })
    expect(parseHtml('<blockquote expandable>q</blockquote>').entities).toEqual([
      { type: 'expandable_blockquote', offset: 0, length: 1 },
    ])
  })

  it('rejects what Telegram\'s HTML parser rejects', () => {
    expect(errorOf(() => parseHtml('<b>open'))).toBe('Can\'t find end tag corresponding to start tag "b"')
    expect(errorOf(() => parseHtml('x</b>'))).toBe('Unexpected end tag at byte offset 1')
    expect(errorOf(() => parseHtml('<div>x</div>'))).toBe('Unsupported start tag "div" at byte offset 0')
    expect(errorOf(() => parseHtml('1 < 2'))).toBe('Unsupported start tag "" at byte offset 2')
    expect(errorOf(() => parseHtml('<b'))).toBe('Unclosed start tag at byte offset 0')
    expect(errorOf(() => parseHtml('<span>x</span>'))).toBe('Tag "span" must have class "tg-spoiler" at byte offset 0')
  })
})

describe('entities Telegram detects in user messages', () => {
  it('finds commands, mentions, hashtags and URLs', () => {
    const text = '/report@huiyin_bot broken light, cc @city_office #lights https://map.example/x?y=1.'
    expect(detectEntities(text).map(e => [e.type, text.slice(e.offset, e.offset + e.length)])).toEqual([
      ['bot_command', '/report@huiyin_bot'],
      ['mention', '@city_office'],
      ['hashtag', '#lights'],
      ['url', 'https://map.example/x?y=1'],
    ])
  })

  it('does not see commands or mentions inside words or paths', () => {
    expect(detectEntities('a/b and mail@example.com and 1/2')).toEqual([])
  })
})
