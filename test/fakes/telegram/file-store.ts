import type { PhotoSize } from 'grammy/types'
import { randomBytes } from 'node:crypto'

/** What kind of media a file id stands for; Telegram refuses to send a document's id as a photo. */
export type FileKind = 'photo' | 'document' | 'video' | 'audio' | 'voice' | 'sticker' | 'animation'

/** A file Telegram knows about. */
export interface StoredFile {
  file_id: string
  file_unique_id: string
  file_size: number
  file_path: string
  kind: FileKind
  /** Uploaded bytes; files that only exist as metadata are served as zero-filled bytes of `file_size`. */
  data?: Buffer
}

/** Real file ids start with a type-specific prefix; keeping it makes ids in logs look like the real thing. */
const ID_PREFIX: Record<FileKind, string> = {
  photo: 'AgACAgIAAxkBAAI',
  document: 'BQACAgIAAxkBAAI',
  video: 'BAACAgIAAxkBAAI',
  audio: 'CQACAgIAAxkBAAI',
  voice: 'AwACAgIAAxkBAAI',
  sticker: 'CAACAgIAAxkBAAI',
  animation: 'CgACAgIAAxkBAAI',
}

const FOLDER: Record<FileKind, string> = {
  photo: 'photos',
  document: 'documents',
  video: 'videos',
  audio: 'music',
  voice: 'voice',
  sticker: 'stickers',
  animation: 'animations',
}

const EXTENSION: Record<FileKind, string> = {
  photo: 'jpg',
  document: 'dat',
  video: 'mp4',
  audio: 'mp3',
  voice: 'oga',
  sticker: 'webp',
  animation: 'mp4',
}

/** The Bot API serves files up to 20 MB to bots. */
export const MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024

/** Every file the fake Telegram knows: by file id, by path, and photos by any of their sizes. */
export class FileStore {
  private readonly byId = new Map<string, StoredFile>()
  private readonly byPath = new Map<string, StoredFile>()
  private readonly photoSets = new Map<string, PhotoSize[]>()
  private counter = 0

  /** Registers a file and returns it with fresh, unique ids. */
  add(kind: FileKind, size: number, data?: Buffer, filename?: string): StoredFile {
    this.counter++
    const extension = /\.([a-z0-9]{1,5})$/i.exec(filename ?? '')?.[1] ?? EXTENSION[kind]
    const file: StoredFile = {
      file_id: `${ID_PREFIX[kind]}${randomBytes(42).toString('base64url')}`,
      file_unique_id: `AQAD${randomBytes(9).toString('base64url')}`,
      file_size: size,
      file_path: `${FOLDER[kind]}/file_${this.counter}.${extension}`,
      kind,
      ...(data === undefined ? {} : { data }),
    }
    this.byId.set(file.file_id, file)
    this.byPath.set(file.file_path, file)
    return file
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId)
  }

  getByPath(path: string): StoredFile | undefined {
    return this.byPath.get(path)
  }

  /**
   * Creates the PhotoSize array Telegram makes from one photo: thumbnails with the longer side at 90, 320 and 800 px
   * and the photo itself scaled to at most 1280 px, each a separate file. The uploaded bytes stand for the largest.
   */
  addPhoto(width: number, height: number, data?: Buffer): PhotoSize[] {
    const longer = Math.max(width, height)
    const sides = [90, 320, 800].filter(side => side < longer)
    sides.push(Math.min(longer, 1280))
    const sizes = sides.map((side, index): PhotoSize => {
      const scale = side / longer
      const w = Math.max(1, Math.round(width * scale))
      const h = Math.max(1, Math.round(height * scale))
      const isLargest = index === sides.length - 1
      const bytes = isLargest && data !== undefined ? data.length : Math.max(600, Math.round(w * h * 0.12))
      const file = this.add('photo', bytes, isLargest ? data : undefined)
      return { file_id: file.file_id, file_unique_id: file.file_unique_id, width: w, height: h, file_size: bytes }
    })
    for (const size of sizes) this.photoSets.set(size.file_id, sizes)
    return sizes
  }

  /** The whole size set a photo file id belongs to (Telegram sends all sizes again when a bot resends any of them). */
  photoSet(fileId: string): PhotoSize[] | undefined {
    return this.photoSets.get(fileId)
  }
}

/** Reads the pixel size of a JPEG, PNG, GIF or WebP; `undefined` if the bytes are none of those. */
export function imageSize(data: Buffer): { width: number, height: number } | undefined {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504E47) {
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) }
  }
  if (data.length >= 10 && data.toString('latin1', 0, 3) === 'GIF') {
    return { width: data.readUInt16LE(6), height: data.readUInt16LE(8) }
  }
  if (data.length >= 30 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') {
    const chunk = data.toString('latin1', 12, 16)
    if (chunk === 'VP8 ')
      return { width: data.readUInt16LE(26) & 0x3FFF, height: data.readUInt16LE(28) & 0x3FFF }
    if (chunk === 'VP8L') {
      const bits = data.readUInt32LE(21)
      return { width: (bits & 0x3FFF) + 1, height: ((bits >> 14) & 0x3FFF) + 1 }
    }
    if (chunk === 'VP8X')
      return { width: data.readUIntLE(24, 3) + 1, height: data.readUIntLE(27, 3) + 1 }
    return undefined
  }
  if (data.length >= 4 && data[0] === 0xFF && data[1] === 0xD8) {
    let pos = 2
    while (pos + 9 < data.length) {
      if (data[pos] !== 0xFF)
        return undefined
      const marker = data[pos + 1]!
      // SOF markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
      if (marker >= 0xC0 && marker <= 0xCF && marker !== 0xC4 && marker !== 0xC8 && marker !== 0xCC) {
        return { width: data.readUInt16BE(pos + 7), height: data.readUInt16BE(pos + 5) }
      }
      pos += 2 + data.readUInt16BE(pos + 2)
    }
  }
  return undefined
}

/** A valid 1×1 PNG, for tests that need to upload "a photo" without a fixture file. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)
