/**
 * Callback data of the report conversation's buttons: `r:<user id>:<nonce>:<action>`.
 * The user id tells a stranger's press from the reporter's; the nonce, chosen per report, makes the buttons
 * of an earlier or cancelled report stale.
 */
export interface ReportCallback {
  userId: number
  nonce: string
  action: string
}

export const REPORT_CALLBACK_PATTERN = /^r:(\d+):([a-z0-9]+):([a-z-]+)$/

export function reportCallback({ userId, nonce, action }: ReportCallback): string {
  return `r:${userId}:${nonce}:${action}`
}

export function parseReportCallback(data: string | undefined): ReportCallback | null {
  const match = data ? REPORT_CALLBACK_PATTERN.exec(data) : null
  return match ? { userId: Number(match[1]), nonce: match[2]!, action: match[3]! } : null
}
