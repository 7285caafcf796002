import type { ClassificationInput, ClassificationResult, Classifier } from '#root/classify/classification.js'
import type { Logger } from '#root/logger.js'
import { ClassificationError } from '#root/classify/openai-classifier.js'

export interface FallbackClassifierOptions {
  /** Tried first, usually the LLM classifier. */
  primary: Classifier
  /** Used whenever the primary fails, usually the offline keyword classifier; it should not fail itself. */
  fallback: Classifier
  logger: Logger
}

/**
 * Creates a `Classifier` that asks the primary and, on any failure, answers with the fallback instead, recording
 * why in `fallbackReason` (`llm_timeout`, `llm_invalid_output`, … or `llm_error` for an unexpected failure).
 * A resident's report is never lost to an LLM outage; it is only classified less well.
 * When the caller's signal aborts, it throws instead of falling back: nobody is waiting for the answer any more.
 */
export function createFallbackClassifier(options: FallbackClassifierOptions): Classifier {
  const { primary, fallback, logger } = options
  return {
    async classify(input: ClassificationInput, callOptions: { signal?: AbortSignal } = {}): Promise<ClassificationResult> {
      const { signal } = callOptions
      signal?.throwIfAborted()
      try {
        return await primary.classify(input, callOptions)
      }
      catch (error) {
        signal?.throwIfAborted()
        const fallbackReason = error instanceof ClassificationError ? `llm_${error.reason}` : 'llm_error'
        // Only the failure's kind and our own messages: an unknown error's message might quote the report.
        logger.warn(
          {
            fallbackReason,
            error: error instanceof Error ? error.name : typeof error,
            ...(error instanceof ClassificationError ? { detail: error.message, attempts: error.attempts, status: error.status } : {}),
          },
          'primary classifier failed; using the fallback classifier',
        )
        const result = await fallback.classify(input, callOptions)
        return { ...result, fallbackReason }
      }
    },
  }
}
