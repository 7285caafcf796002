import type { Report, TicketClassification } from '#root/domain/ticket.js'

/** A resident's confirmed report from a residents' group; tests override what they look at. */
export function sampleReport(overrides: Partial<Report> = {}): Report {
  return {
    reporterId: 5_000_000_001,
    reporterName: '王阿姨',
    reporterLanguage: 'zh',
    sourceChatId: -1_001_234_567_890,
    sourceChatType: 'supergroup',
    sourceMessageId: 17,
    areaName: '金鸡湖社区',
    description: '小区门口的路灯坏了一个星期，晚上很黑',
    locationText: '星湖街 8 号',
    latitude: null,
    longitude: null,
    photoFileIds: [],
    contactAllowed: false,
    contactPhone: null,
    replyPrivately: false,
    ...overrides,
  }
}

/** What a ticket records of an offline classification of that report. */
export function sampleClassification(overrides: Partial<TicketClassification> = {}): TicketClassification {
  return {
    categoryId: 'streetlights',
    departmentId: 'city',
    urgency: 'normal',
    requestType: 'complaint',
    summary: '路灯不亮',
    extractedLocation: null,
    confidence: 0.9,
    classifier: 'offline',
    classifierModel: null,
    promptVersion: null,
    classifierNote: null,
    ...overrides,
  }
}
