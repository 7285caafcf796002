import type { MessageEntity } from 'grammy/types'
import type { ApiError } from './api-error.js'
import { badRequest } from './api-error.js'

/** Text after Telegram's formatting step: markup removed, entities with UTF-16 offsets. */
export interface FormattedText {
  text: string
  entities: MessageEntity[]
}

function cantParse(detail: string): ApiError {
  return badRequest(`can't parse entities: ${detail}`)
}

/** Telegram reports parse errors at UTF-8 byte offsets of the original text, not at JS string indices. */
function byteOffset(src: string, index: number): number {
  return Buffer.byteLength(src.slice(0, index), 'utf8')
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v'
}

/** Roughly tdlib's `check_url`: an absolute http(s)/tg/ton URL, or a bare domain that Telegram prefixes with http://. */
function checkUrl(url: string): string | undefined {
  const trimmed = url.trim()
  if (/^(https?|tg|ton):\/\/\S+$/i.test(trimmed))
    return trimmed
  if (/^[\p{L}\p{N}_-]+(\.[\p{L}\p{N}_-]+)*\.\p{L}{2,}(:\d{1,5})?([/?#]\S*)?$/u.test(trimmed))
    return `http://${trimmed}`
  return undefined
}

function linkEntity(offset: number, length: number, url: string): MessageEntity | undefined {
  const checked = checkUrl(url)
  return checked === undefined ? undefined : { type: 'text_link', offset, length, url: checked }
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length)
}

/**
 * Applies a `parse_mode` the way Telegram does, or throws Telegram's `can't parse entities: …` error.
 * Unknown parse modes are rejected like Telegram rejects them.
 */
export function parseFormatted(src: string, parseMode: string): FormattedText {
  switch (parseMode.toLowerCase()) {
    case 'markdown':
      return parseMarkdown(src)
    case 'markdownv2':
      return parseMarkdownV2(src)
    case 'html':
      return parseHtml(src)
    default:
      throw badRequest('unsupported parse_mode')
  }
}

/** Legacy Markdown: `*bold*`, `_italic_`, `` `code` ``, ```` ```pre``` ````, `[text](url)`; no nesting. */
export function parseMarkdown(src: string): FormattedText {
  let out = ''
  const entities: MessageEntity[] = []
  const at = (i: number): string => src[i] ?? '\0'
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!
    if (c === '\\' && '_*`['.includes(at(i + 1)) && at(i + 1) !== '\0') {
      out += src[++i]
      continue
    }
    if (c !== '_' && c !== '*' && c !== '`' && c !== '[') {
      out += c
      continue
    }
    const begin = i
    const end = c === '[' ? ']' : c
    i++
    let isPre = false
    let language = ''
    if (c === '`' && at(i) === '`' && at(i + 1) === '`') {
      i += 2
      isPre = true
      let languageEnd = i
      while (languageEnd < src.length && !isSpace(src[languageEnd]!) && src[languageEnd] !== '`') languageEnd++
      if (i !== languageEnd && languageEnd < src.length && src[languageEnd] !== '`') {
        language = src.slice(i, languageEnd)
        i = languageEnd
      }
      i = skipOneNewline(src, i)
    }
    const offset = out.length
    while (i < src.length && (src[i] !== end || (isPre && !(at(i + 1) === '`' && at(i + 2) === '`')))) out += src[i++]
    if (i >= src.length)
      throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(src, begin)}`)
    const length = out.length - offset
    if (length > 0) {
      if (c === '_') {
        entities.push({ type: 'italic', offset, length })
      }
      else if (c === '*') {
        entities.push({ type: 'bold', offset, length })
      }
      else if (c === '`') {
        if (!isPre)
          entities.push({ type: 'code', offset, length })
        else entities.push(language === '' ? { type: 'pre', offset, length } : { type: 'pre', offset, length, language })
      }
      else {
        let url = src.slice(begin + 1, i)
        if (at(i + 1) === '(') {
          i += 2
          url = ''
          while (i < src.length && src[i] !== ')') url += src[i++]
        }
        const link = linkEntity(offset, length, url)
        if (link !== undefined)
          entities.push(link)
      }
    }
    if (isPre)
      i += 2
  }
  return { text: out, entities: sortEntities(entities) }
}

function skipOneNewline(src: string, i: number): number {
  const c = src[i]
  if (c !== '\n' && c !== '\r')
    return i
  const d = src[i + 1]
  return (d === '\n' || d === '\r') && d !== c ? i + 2 : i + 1
}

type V2Type = 'bold' | 'italic' | 'underline' | 'strikethrough' | 'spoiler' | 'code' | 'pre' | 'text_link' | 'custom_emoji'

/** tdlib's names, as they appear in "Can't find end of Bold entity at byte offset N". */
const TDLIB_NAMES: Record<V2Type, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  code: 'Code',
  pre: 'Pre',
  text_link: 'TextUrl',
  custom_emoji: 'CustomEmoji',
}

const RESERVED_V2 = '_*[]()~`>#+-=|{}.!'

/**
 * MarkdownV2, following tdlib's `do_parse_markdown_v2`: every reserved character outside an entity marker must be
 * escaped, which is exactly what user-supplied text breaks (a `.` or `-` is enough).
 */
export function parseMarkdownV2(src: string): FormattedText {
  let out = ''
  const entities: MessageEntity[] = []
  const stack: Array<{ type: V2Type, language: string, offset: number, byte: number }> = []
  let quote: { offset: number } | undefined
  const at = (i: number): string => src[i] ?? '\0'
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!
    const top = stack[stack.length - 1]
    const inCode = top !== undefined && (top.type === 'code' || top.type === 'pre')
    // Block quotes are line-based: a `>` that starts a line opens or continues one, a line without it closes it.
    if (!inCode && (i === 0 || src[i - 1] === '\n')) {
      if (c === '>') {
        quote ??= { offset: out.length }
        continue
      }
      if (quote !== undefined) {
        const end = out.endsWith('\n') ? out.length - 1 : out.length
        if (end > quote.offset)
          entities.push({ type: 'blockquote', offset: quote.offset, length: end - quote.offset })
        quote = undefined
      }
    }
    if (c === '\\' && at(i + 1) !== '\0' && at(i + 1).charCodeAt(0) <= 126) {
      out += src[++i]
      continue
    }
    const reserved = inCode ? '`' : RESERVED_V2
    if (!reserved.includes(c)) {
      out += c
      continue
    }
    let isEnd = false
    if (top !== undefined) {
      switch (top.type) {
        case 'bold': isEnd = c === '*'; break
        case 'italic': isEnd = c === '_' && at(i + 1) !== '_'; break
        case 'underline': isEnd = c === '_' && at(i + 1) === '_'; break
        case 'strikethrough': isEnd = c === '~'; break
        case 'spoiler': isEnd = c === '|' && at(i + 1) === '|'; break
        case 'code': isEnd = c === '`'; break
        case 'pre': isEnd = c === '`' && at(i + 1) === '`' && at(i + 2) === '`'; break
        case 'text_link':
        case 'custom_emoji': isEnd = c === ']'; break
      }
    }
    if (!isEnd) {
      const byte = i
      let type: V2Type
      let language = ''
      switch (c) {
        case '_':
          if (at(i + 1) === '_') {
            type = 'underline'
            i++
          }
          else {
            type = 'italic'
          }
          break
        case '*': type = 'bold'; break
        case '~': type = 'strikethrough'; break
        case '[': type = 'text_link'; break
        case '|':
          if (at(i + 1) !== '|')
            throw reservedV2(c)
          type = 'spoiler'
          i++
          break
        case '!':
          if (at(i + 1) !== '[')
            throw reservedV2(c)
          type = 'custom_emoji'
          i++
          break
        case '`':
          if (at(i + 1) === '`' && at(i + 2) === '`') {
            type = 'pre'
            i += 3
            let languageEnd = i
            while (languageEnd < src.length && !isSpace(src[languageEnd]!) && src[languageEnd] !== '`') languageEnd++
            if (i !== languageEnd && languageEnd < src.length && src[languageEnd] !== '`') {
              language = src.slice(i, languageEnd)
              i = languageEnd
            }
            i = skipOneNewline(src, i) - 1
          }
          else {
            type = 'code'
          }
          break
        default:
          throw reservedV2(c)
      }
      stack.push({ type, language, offset: out.length, byte })
      continue
    }
    const open = stack.pop()!
    const skip = out.length === open.offset
    let url: string | undefined
    if (open.type === 'underline' || open.type === 'spoiler') {
      i++
    }
    else if (open.type === 'pre') {
      i += 2
    }
    else if (open.type === 'text_link' || open.type === 'custom_emoji') {
      url = out.slice(open.offset)
      if (at(i + 1) === '(') {
        i += 2
        const urlBegin = i
        url = ''
        while (i < src.length && src[i] !== ')') {
          if (src[i] === '\\' && at(i + 1) !== '\0' && at(i + 1).charCodeAt(0) <= 126) {
            url += src[i + 1]
            i += 2
            continue
          }
          url += src[i++]
        }
        if (at(i) !== ')')
          throw cantParse(`Can't find end of a URL at byte offset ${byteOffset(src, urlBegin)}`)
      }
      else if (open.type === 'custom_emoji') {
        throw cantParse(`Custom emoji entity must contain a tg://emoji URL`)
      }
    }
    if (skip)
      continue
    const offset = open.offset
    const length = out.length - offset
    if (open.type === 'text_link') {
      const link = linkEntity(offset, length, url ?? '')
      if (link !== undefined)
        entities.push(link)
    }
    else if (open.type === 'custom_emoji') {
      const id = /^tg:\/\/emoji\?id=(\d+)$/.exec(url ?? '')?.[1]
      if (id === undefined)
        throw cantParse('Custom emoji URL must have an emoji identifier')
      entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: id })
    }
    else if (open.type === 'pre') {
      entities.push(open.language === '' ? { type: 'pre', offset, length } : { type: 'pre', offset, length, language: open.language })
    }
    else {
      entities.push({ type: open.type, offset, length })
    }
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1]!
    throw cantParse(`Can't find end of ${TDLIB_NAMES[open.type]} entity at byte offset ${byteOffset(src, open.byte)}`)
  }
  if (quote !== undefined && out.length > quote.offset) {
    entities.push({ type: 'blockquote', offset: quote.offset, length: out.length - quote.offset })
  }
  return { text: out, entities: sortEntities(entities) }
}

function reservedV2(c: string): ApiError {
  return cantParse(`Character '${c}' is reserved and must be escaped with the preceding '\\'`)
}

const HTML_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  's',
  'strike',
  'del',
  'u',
  'ins',
  'pre',
  'code',
  'span',
  'tg-spoiler',
  'tg-emoji',
  'blockquote',
])

/** Decodes one HTML character reference at `pos` the way tdlib does; `undefined` leaves the `&` as a literal. */
function decodeHtmlEntity(src: string, pos: number): { char: string, end: number } | undefined {
  let end = pos + 1
  let code = 0
  if (src[end] === '#') {
    end++
    if (src[end] === 'x') {
      end++
      while (end < src.length && /[0-9a-f]/i.test(src[end]!)) code = code * 16 + Number.parseInt(src[end++]!, 16)
    }
    else {
      while (end < src.length && /\d/.test(src[end]!)) code = code * 10 + Number(src[end++])
    }
    if (code === 0 || code >= 0x10FFFF || end - pos >= 10)
      return undefined
  }
  else {
    while (end < src.length && /[a-z]/i.test(src[end]!)) end++
    const name = src.slice(pos + 1, end)
    const named: Record<string, number> = { lt: 60, gt: 62, amp: 38, quot: 34 }
    if (named[name] === undefined)
      return undefined
    code = named[name]
  }
  if (src[end] === ';')
    end++
  return { char: String.fromCodePoint(code), end }
}

/** Telegram's HTML subset, following tdlib's `do_parse_html` (nested tags, its error messages). */
export function parseHtml(src: string): FormattedText {
  let out = ''
  const entities: MessageEntity[] = []
  const stack: Array<{ tag: string, argument: string, offset: number, byte: number }> = []
  // A code entity's `class="language-…"`, kept aside because the Bot API's code entity has no language field.
  const codeLanguages = new Map<MessageEntity, string>()
  const at = (i: number): string => src[i] ?? '\0'
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!
    if (c === '&') {
      const decoded = decodeHtmlEntity(src, i)
      if (decoded !== undefined) {
        out += decoded.char
        i = decoded.end - 1
        continue
      }
    }
    if (c !== '<') {
      out += c
      continue
    }
    const begin = i++
    if (at(i) !== '/') {
      while (at(i) !== '\0' && !isSpace(at(i)) && at(i) !== '>') i++
      if (at(i) === '\0')
        throw cantParse(`Unclosed start tag at byte offset ${byteOffset(src, begin)}`)
      const tag = src.slice(begin + 1, i).toLowerCase()
      if (!HTML_TAGS.has(tag))
        throw cantParse(`Unsupported start tag "${tag}" at byte offset ${byteOffset(src, begin)}`)
      let argument = ''
      while (at(i) !== '>') {
        while (at(i) !== '\0' && isSpace(at(i))) i++
        if (at(i) === '>')
          break
        const attributeBegin = i
        while (at(i) !== '\0' && !isSpace(at(i)) && at(i) !== '=' && at(i) !== '>') i++
        const attribute = src.slice(attributeBegin, i).toLowerCase()
        if (attribute === '') {
          throw cantParse(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(src, begin)}`)
        }
        while (at(i) !== '\0' && isSpace(at(i))) i++
        let value = ''
        if (at(i) !== '=') {
          // Telegram accepts the valueless `expandable` attribute of <blockquote>.
          if (!(tag === 'blockquote' && attribute === 'expandable')) {
            throw cantParse(
              `Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${byteOffset(src, begin)}`,
            )
          }
          argument = 'expandable'
          continue
        }
        i++
        while (at(i) !== '\0' && isSpace(at(i))) i++
        if (at(i) === '\0')
          throw cantParse(`Unclosed start tag "${tag}" at byte offset ${byteOffset(src, begin)}`)
        if (at(i) !== '\'' && at(i) !== '"') {
          const tokenBegin = i
          while (/[\p{L}\p{N}.-]/u.test(at(i))) i++
          value = src.slice(tokenBegin, i).toLowerCase()
          if (!isSpace(at(i)) && at(i) !== '>') {
            throw cantParse(`Unexpected end of name token at byte offset ${byteOffset(src, tokenBegin)}`)
          }
        }
        else {
          const quoteChar = src[i++]
          while (at(i) !== quoteChar && at(i) !== '\0') {
            if (at(i) === '&') {
              const decoded = decodeHtmlEntity(src, i)
              if (decoded !== undefined) {
                value += decoded.char
                i = decoded.end
                continue
              }
            }
            value += src[i++]
          }
          if (at(i) === quoteChar)
            i++
        }
        if (at(i) === '\0')
          throw cantParse(`Unclosed start tag at byte offset ${byteOffset(src, begin)}`)
        if (tag === 'a' && attribute === 'href')
          argument = value
        if (tag === 'code' && attribute === 'class' && value.startsWith('language-'))
          argument = value.slice(9)
        if (tag === 'span' && attribute === 'class')
          argument = value
        if (tag === 'tg-emoji' && attribute === 'emoji-id')
          argument = value
      }
      if (tag === 'span' && argument !== 'tg-spoiler') {
        throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(src, begin)}`)
      }
      stack.push({ tag, argument, offset: out.length, byte: begin })
      continue
    }
    if (stack.length === 0)
      throw cantParse(`Unexpected end tag at byte offset ${byteOffset(src, begin)}`)
    while (at(i) !== '\0' && !isSpace(at(i)) && at(i) !== '>') i++
    const endTag = src.slice(begin + 2, i).toLowerCase()
    while (at(i) !== '\0' && isSpace(at(i))) i++
    if (at(i) !== '>')
      throw cantParse(`Unclosed end tag at byte offset ${byteOffset(src, begin)}`)
    const open = stack.pop()!
    if (endTag !== '' && endTag !== open.tag) {
      throw cantParse(
        `Unmatched end tag at byte offset ${byteOffset(src, begin)}, expected "</${open.tag}>", found "</${endTag}>"`,
      )
    }
    const offset = open.offset
    const length = out.length - offset
    if (length === 0)
      continue
    switch (open.tag) {
      case 'b': case 'strong': entities.push({ type: 'bold', offset, length }); break
      case 'i': case 'em': entities.push({ type: 'italic', offset, length }); break
      case 's': case 'strike': case 'del': entities.push({ type: 'strikethrough', offset, length }); break
      case 'u': case 'ins': entities.push({ type: 'underline', offset, length }); break
      case 'span': case 'tg-spoiler': entities.push({ type: 'spoiler', offset, length }); break
      case 'blockquote':
        entities.push({ type: open.argument === 'expandable' ? 'expandable_blockquote' : 'blockquote', offset, length })
        break
      case 'tg-emoji':
        if (!/^\d+$/.test(open.argument))
          throw cantParse('Custom emoji entity must have a valid emoji-id')
        entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: open.argument })
        break
      case 'a': {
        const link = linkEntity(offset, length, open.argument === '' ? out.slice(offset) : open.argument)
        if (link !== undefined)
          entities.push(link)
        break
      }
      case 'pre': {
        const last = entities[entities.length - 1]
        // <pre><code class="language-x"> is one pre entity with a language, as in tdlib.
        if (last?.type === 'code' && last.offset === offset && last.length === length && codeLanguages.has(last)) {
          entities[entities.length - 1] = { type: 'pre', offset, length, language: codeLanguages.get(last)! }
        }
        else {
          entities.push({ type: 'pre', offset, length })
        }
        break
      }
      case 'code': {
        const entity: MessageEntity = { type: 'code', offset, length }
        if (open.argument !== '')
          codeLanguages.set(entity, open.argument)
        entities.push(entity)
        break
      }
    }
  }
  if (stack.length > 0)
    throw cantParse(`Can't find end tag corresponding to start tag "${stack[stack.length - 1]!.tag}"`)
  return { text: out, entities: sortEntities(entities) }
}

const ENTITY_TYPES = new Set<string>([
  'mention',
  'hashtag',
  'cashtag',
  'bot_command',
  'url',
  'email',
  'phone_number',
  'bold',
  'italic',
  'underline',
  'strikethrough',
  'spoiler',
  'blockquote',
  'expandable_blockquote',
  'code',
  'pre',
  'text_link',
  'text_mention',
  'custom_emoji',
  'date_time',
])

/**
 * Checks explicit `entities` / `caption_entities` against the text.
 *
 * Real Telegram rejects malformed entities but silently clips ones that run past the end of the text; this fake
 * rejects those too, because an entity past the end is always an offset bug in the bot (usually UTF-16 vs code
 * points), and a silently lost format is hard to notice in production.
 */
export function checkEntities(text: string, raw: unknown, field: string): MessageEntity[] {
  if (!Array.isArray(raw))
    throw badRequest(`can't parse entities: field "${field}" must be an Array`)
  const entities: MessageEntity[] = []
  raw.forEach((entity: unknown, index) => {
    if (entity === null || typeof entity !== 'object')
      throw cantParse(`entity ${index} must be an Object`)
    const e = entity as Record<string, unknown>
    if (typeof e.type !== 'string' || !ENTITY_TYPES.has(e.type)) {
      throw cantParse(`Unsupported type "${String(e.type)}" of entity ${index}`)
    }
    if (!Number.isInteger(e.offset) || (e.offset as number) < 0)
      throw cantParse(`wrong offset of entity ${index}`)
    if (!Number.isInteger(e.length) || (e.length as number) <= 0)
      throw cantParse(`wrong length of entity ${index}`)
    const end = (e.offset as number) + (e.length as number)
    if (end > text.length) {
      throw cantParse(
        `entity ${index} (${e.type}, offset ${String(e.offset)}, length ${String(e.length)}) ends after the end of the `
        + `text (${text.length} UTF-16 code units)`,
      )
    }
    if (e.type === 'text_link' && (typeof e.url !== 'string' || checkUrl(e.url) === undefined)) {
      throw cantParse(`wrong URL of text_link entity ${index}`)
    }
    if (e.type === 'text_mention' && (e.user === null || typeof e.user !== 'object')) {
      throw cantParse(`text_mention entity ${index} must have a user`)
    }
    if (e.type === 'custom_emoji' && typeof e.custom_emoji_id !== 'string') {
      throw cantParse(`custom_emoji entity ${index} must have a custom_emoji_id`)
    }
    entities.push(e as unknown as MessageEntity)
  })
  return entities
}

const WORD = String.raw`\p{L}\p{N}_`

/**
 * Entities Telegram detects by itself in what users send: bot commands, @mentions, #hashtags and URLs.
 * The bot's privacy-mode filter relies on the first two.
 */
export function detectEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = []
  const add = (type: 'bot_command' | 'mention' | 'hashtag' | 'url', re: RegExp, check?: (m: string) => boolean): void => {
    for (const m of text.matchAll(re)) {
      if (check === undefined || check(m[0]))
        entities.push({ type, offset: m.index, length: m[0].length })
    }
  }
  add('bot_command', new RegExp(String.raw`(?<![${WORD}/<>])/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?(?![${WORD}/<>@])`, 'gu'))
  add('mention', new RegExp(String.raw`(?<![${WORD}/@])@[a-zA-Z0-9_]{4,32}(?![${WORD}])`, 'gu'))
  add('hashtag', new RegExp(String.raw`(?<![${WORD}\u200c#])#[${WORD}\u200c]{1,256}(?![${WORD}\u200c]*#)`, 'gu'), m =>
    /\p{L}/u.test(m))
  for (const m of text.matchAll(/\bhttps?:\/\/[^\s<>"«»]+/giu)) {
    const url = m[0].replace(/[.:;,('?!`]+$/, '')
    entities.push({ type: 'url', offset: m.index, length: url.length })
  }
  return sortEntities(entities)
}
