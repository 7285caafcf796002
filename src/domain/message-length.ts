/**
 * Telegram refuses a message longer than 4,096 characters (counted after entities are parsed); the bot sends no
 * captions (photos go without, the card follows them), whose limit would be 1,024. Lengths here are UTF-16 code
 * units, which is what Telegram counts, so an emoji costs two.
 */
export const MESSAGE_LIMIT = 4096

/** Cuts `text` to at most `max` characters, ending in "…" when cut, never splitting a surrogate pair. */
export function fitText(text: string, max: number): string {
  if (text.length <= max)
    return text
  if (max <= 0)
    return ''
  let cut = text.slice(0, max - 1)
  if (/[\uD800-\uDBFF]$/.test(cut))
    cut = cut.slice(0, -1)
  return `${cut}…`
}

/**
 * Keeps the latest entries of a history that fit in `budget` characters (joined with line breaks), and says how
 * many earlier ones were left out with `omitted(n)` as the first line. Each entry is first cut to `entryMax`.
 */
export function fitLatestLines(entries: readonly string[], budget: number, omitted: (count: number) => string, entryMax = 1200): string[] {
  const cut = entries.map(entry => fitText(entry, entryMax))
  const kept: string[] = []
  let used = 0
  for (let i = cut.length - 1; i >= 0; i--) {
    const entry = cut[i]!
    const left = i
    const notice = left > 0 ? omitted(left).length + 1 : 0
    if (used + entry.length + (kept.length > 0 ? 1 : 0) + notice > budget) {
      // Not even this entry fits next to the notice: the notice stands for it too.
      return [omitted(i + 1), ...kept]
    }
    kept.unshift(entry)
    used += entry.length + (kept.length > 1 ? 1 : 0)
  }
  return kept
}
