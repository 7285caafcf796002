import type { IncomingMessage } from 'node:http'
import { badRequest } from './api-error.js'

/** A file part of a multipart upload. */
export interface UploadedFile {
  /** The part's form field name: `photo` for a direct upload, the random id for an `attach://<id>` reference. */
  field: string
  filename: string
  contentType: string
  data: Buffer
}

/** A request body as the Bot API understands it: string-ish values by field name, and any uploaded files. */
export interface ParsedBody {
  /** JSON bodies keep their types; form bodies give strings (the Bot API coerces per field later). */
  fields: Record<string, unknown>
  /** Uploaded file parts by field name. */
  files: Map<string, UploadedFile>
}

/** Reads the whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
}

/**
 * Parses a Bot API request body: JSON, `application/x-www-form-urlencoded` or `multipart/form-data`, plus the query
 * string (Telegram accepts parameters there too, body wins).
 */
export function parseBody(contentType: string | undefined, body: Buffer, query: URLSearchParams): ParsedBody {
  const fields: Record<string, unknown> = {}
  for (const [key, value] of query) fields[key] = value
  const files = new Map<string, UploadedFile>()
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (body.length === 0)
    return { fields, files }
  if (type === 'application/json') {
    let parsed: unknown
    try {
      parsed = JSON.parse(body.toString('utf8'))
    }
    catch {
      throw badRequest('can\'t parse JSON encoded request parameters')
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      Object.assign(fields, parsed)
    return { fields, files }
  }
  if (type === 'application/x-www-form-urlencoded') {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) fields[key] = value
    return { fields, files }
  }
  if (type === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '')
    const name = boundary?.[1] ?? boundary?.[2]
    if (name === undefined)
      throw badRequest('multipart boundary not found')
    for (const part of parseMultipart(body, name.trim())) {
      if (part.filename === undefined)
        fields[part.name] = part.data.toString('utf8')
      else files.set(part.name, { field: part.name, filename: part.filename, contentType: part.contentType, data: part.data })
    }
    return { fields, files }
  }
  // Telegram ignores bodies it does not understand rather than failing; the method then sees missing parameters.
  return { fields, files }
}

interface MultipartPart {
  name: string
  filename: string | undefined
  contentType: string
  data: Buffer
}

/**
 * A small multipart/form-data parser. Node's built-in one (via `Request.formData()`) rejects grammY's parts, which
 * are written as `content-disposition:form-data;name="x";filename=photo.jpg` (no spaces, unquoted filename).
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const parts: MultipartPart[] = []
  const delimiter = Buffer.from(`--${boundary}`)
  let pos = body.indexOf(delimiter)
  if (pos < 0)
    throw badRequest('multipart body has no boundary')
  for (;;) {
    pos += delimiter.length
    // `--` right after a delimiter closes the body.
    if (body[pos] === 0x2D && body[pos + 1] === 0x2D)
      break
    if (body[pos] === 0x0D && body[pos + 1] === 0x0A)
      pos += 2
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), pos)
    if (next < 0)
      throw badRequest('multipart body is truncated')
    const headerEnd = body.indexOf('\r\n\r\n', pos)
    if (headerEnd < 0 || headerEnd > next)
      throw badRequest('multipart part without headers')
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n')
    let name: string | undefined
    let filename: string | undefined
    let contentType = 'application/octet-stream'
    for (const line of headers) {
      const colon = line.indexOf(':')
      if (colon < 0)
        continue
      const key = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      if (key === 'content-type')
        contentType = value
      if (key !== 'content-disposition')
        continue
      for (const m of value.matchAll(/;\s*([a-z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/gi)) {
        const param = m[1]!.toLowerCase()
        const paramValue = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim()
        if (param === 'name')
          name = paramValue
        if (param === 'filename')
          filename = paramValue
      }
    }
    if (name !== undefined) {
      parts.push({ name, filename, contentType, data: body.subarray(headerEnd + 4, next) })
    }
    pos = next + 2
  }
  return parts
}
