import type { CampaignDependencies } from '#root/bot/features/visits.js'
import type { Classifier } from '#root/classify/classification.js'
import type { Config } from '#root/config.js'
import type { Logger } from '#root/logger.js'
import type { Database } from '#root/store/database.js'
import { readFile } from 'node:fs/promises'
import { loadAreaFile } from '#root/areas/area-file.js'
import { loadPrompt } from '#root/classify/prompts.js'
import { createAreaTree } from '#root/domain/area.js'
import { createAreaStore } from '#root/store/area-store.js'
import { createCoverageStore } from '#root/store/coverage-store.js'
import { createLeaderCoverStore } from '#root/store/leader-cover-store.js'
import { createRegistryStore } from '#root/store/registry-store.js'
import { createSpotCheckStore } from '#root/store/spot-check-store.js'
import { createThreadedCoverageStore } from '#root/store/threaded-coverage-store.js'
import { createVisitStore } from '#root/store/visit-store.js'
import { offlineVisitExtractor } from '#root/visits/offline-visit-extractor.js'
import { createOpenAiVisitExtractor } from '#root/visits/openai-visit-extractor.js'
import { Api } from 'grammy'
import OpenAI, { toFile } from 'openai'

/** The visit campaign: the area tree synced from its file, the registry, visit notes and coverage. */
export async function createCampaign(
  config: Config,
  database: Database,
  logger: Logger,
  classifier: Classifier,
  storeTicket: CampaignDependencies['ticketDeps']['storeTicket'],
): Promise<CampaignDependencies> {
  const areaStore = createAreaStore(database)
  logger.info(await areaStore.sync(await loadAreaFile(config.areasFile)), 'areas loaded')
  const tree = createAreaTree(await areaStore.load())
  const areas = () => tree
  const registry = createRegistryStore(database)
  const visits = createVisitStore(database)
  const llm = config.openai
  const threaded = database.provider === 'sqlite' ? createThreadedCoverageStore(config.databaseUrl) : null
  const reports = threaded ?? createCoverageStore(database)
  return {
    areas,
    registry,
    visits,
    // On SQLite a report runs in a worker thread: libSQL would otherwise hold the thread every chat is served on.
    coverage: reports,
    spotChecks: createSpotCheckStore(database),
    leaders: createLeaderCoverStore(database),
    extract: llm
      ? createOpenAiVisitExtractor({
          openai: new OpenAI({ apiKey: llm.apiKey, baseURL: llm.baseUrl, maxRetries: 0 }),
          model: llm.model,
          prompt: await loadPrompt('extract-visit'),
          timeoutMs: llm.timeoutMs,
          structuredOutput: llm.responseFormat,
          logger,
        })
      : offlineVisitExtractor,
    extractorName: llm ? `llm:${llm.model}` : 'offline',
    ...(llm?.transcribeModel ? { transcribe: createTranscriber(llm, llm.transcribeModel, fetchFile, logger) } : {}),
    ticketDeps: { visits, registry, classifier, areas, logger, storeTicket },
    downloadFile,
    close: async () => threaded?.close(),
  }

  async function fetchFile(fileId: string): Promise<Uint8Array> {
    return downloadFile((await new Api(config.botToken, { apiRoot: config.telegramApiRoot }).getFile(fileId)).file_path ?? '')
  }

  async function downloadFile(filePath: string): Promise<Uint8Array> {
    // The Bot API's file URL; a local Bot API server gives an absolute path, which is read from disk instead.
    if (filePath.startsWith('/'))
      return new Uint8Array(await readFile(filePath))
    const response = await fetch(`${config.telegramApiRoot}/file/bot${config.botToken}/${filePath}`)
    if (!response.ok)
      throw new Error(`downloading a file failed: HTTP ${response.status}`)
    return new Uint8Array(await response.arrayBuffer())
  }
}

/** Voice notes to text through the endpoint's /audio/transcriptions; any failure leaves the note to be typed. */
function createTranscriber(llm: NonNullable<Config['openai']>, model: string, fetchFile: (fileId: string) => Promise<Uint8Array>, logger: Logger) {
  const openai = new OpenAI({ apiKey: llm.apiKey, baseURL: llm.baseUrl, maxRetries: 0 })
  return async (fileId: string): Promise<string | null> => {
    try {
      const bytes = await fetchFile(fileId)
      const result = await openai.audio.transcriptions.create({ model, file: await toFile(bytes, 'voice.ogg') }, { timeout: llm.timeoutMs * 3 })
      return result.text.trim() || null
    }
    catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'a voice note could not be transcribed; the cadre is asked to type it')
      return null
    }
  }
}
