import type { Dialog } from '#root/bot/conversations/dialog.js'
import type { VisitFields } from '#root/domain/visit.js'
import { VISIT_GOAL_NAMES, VISIT_GOALS } from '#root/domain/visit.js'
import { extractVisitOffline } from '#root/visits/offline-visit-extractor.js'
import { PROBLEM_MAX_LENGTH, PROBLEMS_MAX } from '#root/visits/visit-fields-schema.js'
import { InlineKeyboard } from 'grammy'

const LETTERS = 'abcdefghijklmnop'
const ANSWER_MAX = 500
const DAYS = ['今天', '昨天', '前天'] as const
const NONE = /^(?:无|没有|没|none|no)$/i
/** Words after /visit that ask for the steps instead of a note. */
export const VISIT_STEPS_WORDS = ['分步', 'steps']

/**
 * The visit asked step by step, for cadres who prefer questions to writing a note: whom, when, what was heard, the
 * problems (one per line), the goals. The answers become the same fields a note is read into, and the note kept with
 * the visit is the answers themselves. Pure over the dialog: it only asks and waits.
 */
export async function askVisitSteps(dialog: Dialog, t: (key: string) => string, input: { today: string, areaNames: readonly string[] }): Promise<{ fields: VisitFields, note: string }> {
  const text = async (question: string, markup?: InlineKeyboard): Promise<{ text: string } | { button: string }> => {
    await dialog.ask(question, markup ? { inline: markup } : undefined)
    for (;;) {
      const answer = await dialog.nextAnswer()
      if (answer.kind === 'text' && answer.text.trim())
        return { text: [...answer.text.trim()].slice(0, ANSWER_MAX).join('') }
      if (answer.kind === 'button')
        return { button: answer.action }
    }
  }
  const required = async (question: string): Promise<string> => {
    for (;;) {
      const answer = await text(question)
      if ('text' in answer)
        return answer.text
    }
  }

  const whom = [...await required(t('visit-step-whom'))].slice(0, 40).join('')
  let visitedOn: string | null = null
  while (visitedOn === null) {
    const answer = await text(t('visit-step-when'), DAYS.reduce((keyboard, day, i) => keyboard.text(day, dialog.button(`day-${LETTERS[i]}`)), new InlineKeyboard()))
    const said = 'button' in answer ? DAYS[LETTERS.indexOf(answer.button.slice(4))] ?? '今天' : answer.text
    const day = /^\d{4}-\d{2}-\d{2}$/.test(said) ? said : extractVisitOffline({ text: said, today: input.today, areaNames: input.areaNames }).visitedOn
    if (day && day <= input.today)
      visitedOn = day
  }
  const heard = await required(t('visit-step-heard'))
  // In a group a question with buttons cannot open the reply field, and typing is this step's usual answer.
  const problemsAnswer = await text(t('visit-step-problems'), dialog.isGroup ? undefined : new InlineKeyboard().text(t('visit-step-no-problems'), dialog.button('no-problems')))
  const problems = 'text' in problemsAnswer && !NONE.test(problemsAnswer.text)
    ? problemsAnswer.text.split(/\n|；|;/).map(p => p.replace(/^\s*\d+[.、)）]\s*/, '').trim()).filter(Boolean).slice(0, PROBLEMS_MAX).map(p => [...p].slice(0, PROBLEM_MAX_LENGTH).join(''))
    : []

  // The goals the answers point to are ticked already; the cadre corrects them in place and goes on.
  let goals = extractVisitOffline({ text: `${heard}。${problems.join('。')}`, today: input.today, areaNames: input.areaNames }).goals
  const goalsKeyboard = () => {
    const keyboard = new InlineKeyboard()
    VISIT_GOALS.forEach((goal, i) => {
      keyboard.text(`${goals.includes(goal) ? '✅' : '⬜'} ${VISIT_GOAL_NAMES[goal]}`, dialog.button(`goal-${LETTERS[i]}`))
      if (i % 2 === 1)
        keyboard.row()
    })
    return keyboard.text(t('visit-step-next'), dialog.button('goals-done'))
  }
  const question = await dialog.ask(t('visit-step-goals'), { inline: goalsKeyboard() })
  for (;;) {
    const action = await dialog.nextButton()
    if (action === 'goals-done')
      break
    const goal = VISIT_GOALS[LETTERS.indexOf(action.slice(5))]
    if (action.startsWith('goal-') && goal)
      goals = goals.includes(goal) ? goals.filter(g => g !== goal) : VISIT_GOALS.filter(g => g === goal || goals.includes(g))
    await dialog.edit(question, t('visit-step-goals'), goalsKeyboard())
  }

  const entityKind = extractVisitOffline({ text: `走访了${whom}`, today: input.today, areaNames: input.areaNames }).entityKind
  const fields: VisitFields = { entityName: whom, entityKind, visitedOn, place: null, metWith: null, heard, goals, problems }
  const note = [`走访对象：${whom}`, `时间：${visitedOn}`, `听到：${heard}`, ...problems.map((p, i) => `问题${i + 1}：${p}`)].join('\n')
  return { fields, note }
}
