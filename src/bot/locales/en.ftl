## Help
help-private =
    Hello, this is Huiyin, the residents' reporting service. Every matter acted on, every case answered.
    /report — report a problem
    /mine — problems you reported
    /status NUMBER — check progress, e.g. /status HY-20261126-0001
    /cancel — drop what you are filling in
    /help — show this message
help-residents =
    This is the residents' group of { $area }. Report problems here: they go to the responsible department, and progress is answered back to you.
    /report — report a problem (the bot asks questions: answer by replying to its messages)
    /mine — problems you reported
    /status NUMBER — check progress
    /hot — hot problems of this area in the last 7 days
    /cancel — drop what you are filling in
    Share a phone number only in a private chat with the bot: nobody's contact details are shown in the group.
help-handlers =
    This is the handlers' group of { $department }. Tickets assigned to the department arrive here as cards; work them with the buttons: accept, start, resolve, return, reassign, reject, progress note, ask the resident, ask for an extension (before the deadline). Where a note is needed, reply to the bot's prompt.
    /queue — open tickets of this group
    /ticket NUMBER — a ticket's card and history
    /merge MAIN MERGED — merge two tickets of one problem; /split MERGED — undo it
    /hot — hot problems of the last 7 days
    /help — show this message
help-admins =
    This is the admins' group (tickets awaiting triage).
    /bind residents AREA — make a group a residents' group
    /bind handlers DEPARTMENT_ID — make a group a department's handlers' group
    /bind admins — make a group the admins' group
    /bind cadres AREA — make a group an area's cadres' group
    Send a CSV file — import the registry of whom to visit; /registry, /coverage, /export to read it
    /leader AREA in reply to a leader's message — record that the leader covers an area with serious petitions
    /unbind — clear this group's role
    /departments — list departments
    /queue — tickets awaiting triage
    /ticket NUMBER — a ticket's card and history
    /stats — ticket figures (today, this month)
    /overdue — overdue tickets by department, with 督办 buttons; extension requests are decided here
    /supervise NUMBER REASON — supervise a ticket (督办): its handlers' group is told
    /merge MAIN MERGED — merge two tickets of one problem; /split MERGED — undo it; /hot — hot problems of the last 7 days
    /monthly [YYYY-MM] — the monthly report: districts and departments ranked, with a CSV and a chart (default: last month)
    /model NUMBER REASON — mark a resolved ticket as a model case (/model visit ID REASON for a visit note); /model lists this month's
help-unbound =
    This group has no role yet. An admin can send:
    /bind residents AREA — residents' group
    /bind handlers DEPARTMENT_ID — handlers' group (see /departments)
    /bind admins — admins' group
    Residents can already report here with /report.
btn-report = 📝 Report a problem
btn-report-private = 🔒 Report privately
## Report
report-already-active = You have a report in progress. Answer the question above, or send /cancel to drop it.
report-ask-description = Please describe the problem: what happened, where, for how long, who is affected. You may attach a photo (write the description as its caption).
report-ask-description-group = Reply to this message in one go: what happened, where (estate, building, street), who is affected. You may attach a photo (description as its caption).
report-need-text = Please describe the problem in words (stickers, emoji or empty messages cannot be registered).
report-too-long = That is too long ({ $length } characters). Please keep it under { $max }, or send the main points.
report-too-short = That is too short: please add a few words so the department understands it (at least { $min } characters).
report-photo-kept = Photo received 📷. Now please describe the problem in words.
report-ask-location = Where is it? Give an address or a landmark (estate, street, building number).
report-ask-location-private = Where is it? Give an address or a landmark, or send a location with the button below.
report-ask-location-group = Where is it? Reply to this message with an address or landmark; reply "skip" if there is no place.
report-location-received = Location received 📍
report-ask-photo = Do you have a photo? Send up to { $max } photos, or press “Skip”.
report-ask-photo-group = Reply to this message with up to { $max } photos, then press “Done”.
report-photo-received = { $count } photo(s) received. Send more, or press “Done”.
report-photo-limit = That is the limit of { $max } photos.
report-need-photo = This step takes photos. Send a photo, or press “Skip”/“Done”.
report-ask-contact = May the department contact you if needed?
report-ask-phone = Please leave a phone number: share this account's number with the button, or type it.
report-phone-invalid = That number does not look right. Type a mobile or landline number with area code, or press “Skip”.
report-ask-reply-channel = Where should progress updates go?
report-private-not-started = The bot cannot write to you privately yet: open the private chat with the button below and press Start. Until then, updates are replied in this group.
report-classifying = Looking at your report…
report-summary-title = Please check your report:
report-summary-description = Problem:
report-summary-location = Place:
report-summary-photos = Photos: { $count }
report-summary-contact-phone = Contact: yes (phone { $phone })
report-summary-contact-chat = Contact: yes, through Telegram
report-summary-contact-none = Contact: please do not contact me
report-summary-reply-private = Updates: private message
report-summary-reply-here = Updates: replied in this group
report-summary-classification = Category: { $category } → { $department }
report-summary-type = Type: { $type } · Urgency: { $urgency }
report-not-a-report = This message does not look like a problem to report, so no ticket was filed. I can: file a problem for the authorities to handle (broken facilities, noise, water or power cuts, unpaid wages, safety hazards), show a ticket's progress with /status, and list the problems you reported with /mine. If you do want to report a problem, tap the button below.
btn-report-anyway = 📝 Report it anyway
report-summary-confirm = If everything is right, press “Submit”.
report-summary-location-missing = not given (press “Add place” to add it)
btn-add-location = 📍 Add place
btn-add-photos = 📷 Add photos
report-none = (not given)
btn-skip = Skip
btn-done = Done
btn-send-location = 📍 Send location
btn-share-phone = 📱 Share phone number
btn-contact-yes = You may contact me
btn-contact-no = Do not contact me
btn-reply-here = Reply in this group
btn-reply-private = Message me privately
btn-open-private = Open private chat
btn-confirm = ✅ Submit
btn-edit-description = ✏️ Problem
btn-edit-location = ✏️ Place
btn-edit-photos = ✏️ Photos
btn-edit-contact = ✏️ Contact
btn-cancel = ❌ Cancel
report-which-field = What would you like to change?
report-cancelled = Cancelled: nothing was registered. Send /report whenever you need.
report-nothing-to-cancel = There is nothing in progress to cancel.
report-saved = Registered ✅ number { $number }.
    It has gone to { $department }; you will hear about every step. Check: /status { $number }
report-saved-triage = Registered ✅ number { $number }.
    It is waiting to be assigned to a department; staff will decide soon and you will hear about every step. Check: /status { $number }
report-unseen = Note: your report ({ $number }) is saved, but no staff group receives new reports yet, so nobody can assign it for now. The admins have been told privately; you will hear when it is assigned.
report-queued = Received ✅ The system is busy: your report is kept safe and will be registered automatically; the number will be sent to you. No need to report again.
report-queued-stored = Your earlier report is now registered ✅ number { $number }. Check: /status { $number }
report-queued-wait = The group is busy: the bot's answer is queued and goes out in about { $seconds } s.
report-button-stale = This button has expired.
report-button-ended = This button has expired: that report was finished, cancelled or timed out. If your problem was not submitted, send /report again.
report-button-not-yours = This button belongs to someone else's report. Send /report to report your own problem.
report-reply-to-bot = Please answer by replying to the bot's question.
report-expired = The report took too long and was closed. Send /report to start again.
## Status
answered-privately = This ticket is not shown in this group; I sent it to you privately.
ask-privately = This ticket is not shown in this group. Open a private chat with @{ $bot }, press Start and send the same command there.
status-usage = Usage: /status NUMBER, e.g. /status HY-20261126-0001. Send /mine to list your reports.
status-not-found = No report numbered { $number } was found among yours.
status-title = Ticket { $number }
status-line-status = Status: { $status }
status-line-category = Category: { $category } → { $department }
status-line-created = Reported: { $time }
status-line-updated = Last update: { $time }
status-history = History:
history-earlier = …and { $count } earlier entries
mine-empty = You have not reported anything yet. Send /report to start.
mine-title = Your recent reports:
## Statuses and classification
ticket-status-needs_triage = awaiting triage
ticket-status-assigned = assigned
ticket-status-accepted = accepted
ticket-status-in_progress = in progress
ticket-status-resolved = resolved
ticket-status-closed = followed up
ticket-status-rejected = rejected
urgency-low = low
urgency-normal = normal
urgency-urgent = urgent
urgency-critical = critical
request-type-consultation = consultation
request-type-help_request = help request
request-type-complaint = complaint
request-type-tip_off = tip-off
request-type-suggestion = suggestion
department-unknown = awaiting triage
category-unknown = unclassified
## Admin
admin-only = Only admins can do that.
bind-group-only = Send this command in the group you want to set up.
bind-usage =
    Usage:
    /bind residents AREA — residents' group
    /bind handlers DEPARTMENT_ID — handlers' group
    /bind admins — admins' group
    /bind cadres AREA — the area's cadres' group (visits)
bind-need-area = Add the community or street name, e.g. /bind residents Jinji Lake
bind-unknown-department = There is no department “{ $id }”. Send /departments to see them.
bind-choose-department = Choose this group's department:
bind-done-residents = Done: this is now the residents' group of { $area }.
bind-done-handlers = Done: this is now the handlers' group of { $department }.
bind-done-admins = Done: this is now the admins' group; tickets no department fits arrive here.
unbind-done = This group's role is cleared.
unbind-none = This group has no role.
bind-missing-handlers = Departments with no handlers' group yet (their tickets wait for triage in the admins' group): { $departments }
bind-missing-none = Every department has a handlers' group.
admin-ticket-unseen = ⚠️ New ticket { $number } ({ $department }) is seen by no group: its department has no handlers' group and there is no admins' group. Send /bind admins in the admins' group or /bind handlers in a department's group, then assign it with /ticket { $number }.
departments-title = Departments (id — name):
## Handling
card-title = Ticket { $number } · { $status }
card-classification = { $category } → { $department } · { $urgency } · { $type }
card-summary = Summary: { $summary }
card-location = Place: { $location }
card-area = From: { $area }
card-time = Time: { $time }
card-photos = Photos: { $count } (above)
card-contact-phone = Contact: { $name }, phone { $phone }
card-contact-chat = Contact: { $name } (through Telegram)
card-contact-none = Contact: the resident does not wish to be contacted
card-contact-hidden = Contact: allowed; see it privately with /ticket
card-description = Report:
card-last = Latest: { $what } · { $actor } · { $time }
card-moved = ➡️ Moved to { $department }; nothing to do here.
card-undeliverable = ⚠️ { $count } message(s) could not reach the resident: { $reason }
role-reporter = resident
role-handler = handler
role-admin = admin
role-system = system
event-note = progress note
event-question = question to the resident
event-reporter_reply = resident's answer
event-delivery_failed = message not delivered
undeliverable-blocked = the resident blocked the bot
undeliverable-chat_not_found = the chat no longer exists
undeliverable-not_in_chat = the bot is no longer in that group
undeliverable-private_chat_not_started = the resident never opened a private chat
undeliverable-rejected = Telegram refused it
undeliverable-gave_up = failed after many retries
btn-action-assign = Assign
btn-action-accept = Accept
btn-action-start = Start
btn-action-resolve = Resolve
btn-action-return = Return
btn-action-reassign = Reassign
btn-action-reject = Reject
btn-action-note = Progress note
btn-action-ask = Ask resident
handling-not-allowed = Only members of this ticket's handlers' group and admins can act on it.
handling-not-found = Ticket not found.
handling-done = Ticket { $number }: { $status }.
handling-note-done = Recorded and passed to the resident (ticket { $number }).
handling-choose-department = Which department should take ticket { $number }?
handling-prompt-resolve = Reply to this message with the resolution of ticket { $number } (the resident reads it).
handling-prompt-return = Reply to this message with the reason for returning ticket { $number }.
handling-prompt-reassign = Reply to this message with the reason for moving ticket { $number } to { $department }.
handling-prompt-reject = Reply to this message with the reason for rejecting ticket { $number } (the resident reads it).
handling-prompt-note = Reply to this message with a progress note on ticket { $number } (the resident reads it).
handling-prompt-ask = Reply to this message with your question for the resident (ticket { $number }).
handling-prompt-sent = Reply to the bot's prompt to fill it in.
handling-prompt-not-yours = That prompt is for a colleague.
handling-need-text = Please reply with text.
handling-note-too-long = Too long ({ $length } characters); keep it under { $max }.
handling-error-ALREADY_DONE = The ticket is already { $status }; nothing to do.
handling-error-INVALID_TRANSITION = The ticket is { $status } now; that is not possible.
handling-error-CONFLICT = Someone else just acted on this ticket; see its current state.
handling-error-FORBIDDEN = You cannot do that.
handling-error-NOTE_REQUIRED = A note is needed.
handling-error-DEPARTMENT_REQUIRED = Choose a department.
handling-error-SAME_DEPARTMENT = The ticket is with that department already.
handling-error-NOT_FOUND = Ticket not found.
ticket-usage = Usage: /ticket NUMBER
queue-empty = No open tickets here 👍
queue-title = Open tickets, oldest first:
queue-not-here = Use /queue in a handlers' group or the admins' group.
## Notifications
notify-assigned = Your report ({ $number }) has gone to { $department }.
notify-accepted = Your report ({ $number }) was accepted by { $department }.
notify-in_progress = Your report ({ $number }) is being worked on by { $department }.
notify-resolved = Your report ({ $number }) was resolved by { $department }.
notify-closed = Your report ({ $number }) is closed. Thank you.
notify-rejected = Your report ({ $number }) was not accepted.
notify-needs_triage = Your report ({ $number }) is being routed to the right department again.
notify-note = There is news on your report ({ $number }).
notify-question = About your report ({ $number }), the department asks:
notify-note-label = Note:{" "}
notify-question-label = Question:{" "}
notify-question-how = Please answer by replying to this message.
notify-check = Check progress: /status { $number }
relay-reporter-reply = Ticket { $number }, the resident answers: { $text }
reporter-reply-relayed = Passed on to the department, thank you.
## Follow-up
followup-ask = Is it solved? Please rate with the buttons below.
followup-satisfied = Satisfied
followup-partly_satisfied = Partly satisfied
followup-not_satisfied = Not satisfied
followup-thanks = Thank you for your rating!
followup-not-yours = Only the person who reported this can rate it.
followup-already = This ticket is { $status } now; no rating needed.
followup-ask-reason = Reply to this message: what is still not solved (ticket { $number })? It will be reworked.
followup-reopened = Ticket { $number } will be reworked; you will hear about every step.
relay-closed = Ticket { $number }, the resident rates it: { $satisfaction }.
relay-reopened = ⚠️ Ticket { $number }: the resident is not satisfied; reopened: { $text }
## Other
error-retrying = Busy: trying again, one moment…
error-generic = Sorry, something went wrong; nothing you sent is lost. Please try again shortly.
unknown-command = There is no such command. Send /help to see what you can do.
## Stats
stats-where = Statistics are given only in the admins' group or in a private chat with the bot.
stats-title = 📊 Ticket statistics (as of { $time }, { $timezone })
stats-today = ▸ Today, { $date }
stats-month = ▸ This month, { $month }
stats-none = No new tickets.
stats-total = New tickets: { $count }
stats-by-status = By status:
stats-by-department = By department:
stats-by-category = By category:
stats-item = · { $name }: { $count }
stats-more = · … and { $count } more
stats-no-department = no department yet
stats-no-category = unclassified
stats-to-accept = Median time to accept: { $duration } ({ $count ->
        [one] 1 ticket
       *[other] { $count } tickets
    })
stats-to-accept-none = Median time to accept: no ticket accepted yet
stats-to-resolve = Median time to resolve: { $duration } ({ $count ->
        [one] 1 ticket
       *[other] { $count } tickets
    })
stats-to-resolve-none = Median time to resolve: no ticket resolved yet
stats-routing = Routed automatically: { $automatic }, first route stood for { $stood } ({ $percent }%)
stats-routing-none = Routed automatically: none yet
stats-follow-up = Follow-up: rated by the reporter { $rated }, satisfied or partly satisfied { $satisfied } ({ $percent }%); closed with no response { $unrated }
stats-follow-up-none = Follow-up: none yet
stats-rework = Rework: { $reworked } of { $resolved } resolved tickets reopened ({ $percent }%)
stats-rework-none = Rework: no ticket resolved yet
stats-duration-days-hours = { $days } d { $hours } h
stats-duration-days = { $days } d
stats-duration-hours-minutes = { $hours } h { $minutes } min
stats-duration-hours = { $hours } h
stats-duration-minutes = { $minutes } min
stats-duration-under-a-minute = under 1 min
stats-note = Tickets count for the day or month they were created in, under their current status; times run from creation to the first acceptance (or start of work) and to the first resolution. An automatically routed ticket that was returned and assigned elsewhere, or reassigned, counts as a first route that did not stand. Follow-ups count each ticket by its latest rating; rework is a resolved ticket reopened because the reporter was not satisfied.

## Visits
help-cadres =
    This is the cadres' group of { $area }. Its members are the area's cadres.
    /visit NOTE — record a visit in one message
    /myvisits — your visit notes and the progress of their tickets
    /coverage [AREA] [PERIOD] — visit coverage, e.g. /coverage 黄埭镇 2026-11
    /registry [NAME|unvisited] — the area's registry of whom to visit
    A note sent to the bot privately is recorded too.
bind-done-cadres = Done: this group is now the cadres' group of { $area }; its members are that area's cadres.
bind-unknown-area = There is no area named "{ $area }". Use a name from the areas file, e.g. /bind cadres 黄埭镇
cadre-only = Only cadres and admins can do this.
visit-admin-needs-area = Record visits in an area's cadres' group.
visit-ask-note = Reply to this message with the visit in a few words: where, whom you met, what problems you heard.
visit-ask-whom = Reply to this message with whom you visited (enterprise, head of household, project, village).
visit-summary-title = 📝 Visit note (check it, correct with the buttons, then save)
visit-cancelled = This visit note was dropped.
visit-none-yet = You have no visit notes yet. Record one with /visit.
coverage-usage = Usage: /coverage [AREA] [PERIOD], a period like 2026-11, 2026, month, last-month, 2026-11-01..2026-11-15
coverage-not-your-area = You can see your own area and the areas under it only.
registry-title = Registry:
registry-unvisited-title = Not visited yet:
registry-empty = No entities found.
registry-file-too-big = The file is too big (20 MB at most).
registry-imported = Registry imported ({ $encoding }): { $created } new, { $updated } updated, { $unchanged } unchanged, { $errors } rows with errors.
registry-ignored-columns = Unknown columns, ignored: { $columns }
registry-file-refused = This file cannot be imported: { $reason }
spotcheck-usage =
    Usage:
    /spotcheck draw DISTRICT [ENTERPRISES] [HOUSEHOLDS] [SEED] — draw a random sample of visited entities (default 3 and 10)
    /spotcheck assign ID — as a reply to the inspector's message, make them its inspector
    /spotcheck ID — the spot check and its outcomes
    /spotcheck ID ITEM confirmed|not_visited|unresolved|unaware [NOTE] — record one outcome
spotcheck-draw-usage = Usage: /spotcheck draw DISTRICT [ENTERPRISES] [HOUSEHOLDS] [SEED], counts 0 to 50.
spotcheck-assign-usage = Reply to a message of the inspector with /spotcheck assign ID.
spotcheck-assign-hint = Reply /spotcheck assign { $id } to a message of the inspector to assign it.
spotcheck-assigned = Spot check #{ $id } is assigned to { $inspector }.
spotcheck-unknown = There is no spot check { $id }.
spotcheck-not-yours = Only admins and the spot check's inspector can see and record it.
spotcheck-no-item = This spot check has no item { $position }.
export-usage = Usage: /export [registry|visits] [PERIOD], e.g. /export visits 2026-11
visit-ask-note-voice = The voice note is kept with the visit. Reply to this message with the visit in a few words: where, whom you met, what problems you heard.
## Deadlines and supervision
due-line = ⏰ Due: { $due } ({ $span } left)
due-line-overdue = ⏰ Due: { $due } (overdue by { $span })
due-span-days = { $days }d { $hours }h
due-span-hours = { $hours }h { $minutes }min
chase-reminder = ⏰ Reminder: ticket { $number } ({ $summary }) is due { $due }.
chase-overdue = ❗ Overdue: ticket { $number } ({ $summary }) passed its deadline { $due }; act on it now and report progress.
chase-escalation = 🚨 Supervision: ticket { $number } of { $department } ({ $summary }) is overdue (due { $due }).
event-chase = chase
event-extension_requested = extension requested
event-extension_approved = extension approved
event-extension_refused = extension refused
followup-no_response = no response
btn-action-extend = Ask for extension
handling-prompt-extend = Reply to this message with the working days to add and the reason (ticket { $number }), e.g.: 5 waiting for spare parts.
handling-extension-usage = Write the working days first (1 to { $max }), then the reason, e.g.: 5 waiting for spare parts.
handling-extension-sent = The extension request went to the supervisors (ticket { $number }).
handling-error-EXTENSION_TOO_LATE = The deadline has passed: an extension can no longer be asked for.
handling-error-EXTENSION_PENDING = An extension request for this ticket is waiting for a decision already.
extension-request = 📅 Extension request: ticket { $number } asks for { $days } more working days, from { $due } to { $proposed }. By { $actor }. Reason: { $reason }
btn-extension-approve = Approve
btn-extension-refuse = Refuse
extension-approved = Extension of ticket { $number } approved.
extension-refused = Extension of ticket { $number } refused.
extension-decided-already = This extension request was decided already.
extension-not-allowed = Only the supervisors' group and admins decide extensions.
notify-extended = The deadline of your report ({ $number }) moved to { $due }; we keep following it up.
overdue-not-here = Use /overdue in the admins' (supervisors') group.
overdue-none = No ticket is overdue.
overdue-title = Overdue tickets ({ $count }), by department, longest overdue first:
overdue-line = · { $number } · { $status } · overdue { $days }d { $hours }h · { $summary }
due-line-accept = ⏰ Accept by: { $due } ({ $span } left)
event-chase-reminder = deadline reminder
event-chase-overdue = overdue notice
event-chase-escalation = escalated to supervisors
due-line-accept-overdue = ⏰ Accept by: { $due } (overdue by { $span })
chase-accept_overdue = 📮 Not accepted: ticket { $number } ({ $summary }) passed its acceptance deadline { $due }; accept it now.
event-chase-accept_overdue = acceptance reminder
event-supervised = supervised
supervise-notice = 🚩 Supervision: { $actor } presses on ticket { $number } ({ $summary }): { $reason }. Act on it and report progress.
supervise-done = Ticket { $number } supervised; its handlers' group was told.
supervise-too-soon = Ticket { $number } was supervised a moment ago; try again in { $minutes } minutes.
supervise-not-open = Ticket { $number } is resolved or closed: nothing to supervise.
supervise-usage = Usage: /supervise TICKET REASON, e.g. /supervise HY-20261203-0001 answer the resident today
supervise-not-allowed = Only the supervisors' group and admins supervise tickets.
supervise-not-found = No ticket { $number }.
supervise-default-reason = overdue, act on it now
btn-supervise = 🚩 Supervise { $number }
calendar-uncovered = 📆 The holiday schedule lacks { $year }: until it is added, deadlines in { $year } count Monday to Friday, skipping only the holidays fixed by date in law (1 January, 1-2 May, 1-3 October); the Spring Festival, Qingming, Dragon Boat and Mid-Autumn count as working days and 调休 working weekends do not. When the State Council publishes its notice, add the year's days off and working weekends to { $file } and restart the bot.

admin-only-leader = Only admins can record which leader covers an area.
leader-usage = Usage: reply to a leader's message with /leader AREA (e.g. /leader 东北街社区) to record that the leader covers that area.
leader-recorded = Recorded: { $leader } covers “{ $area }” (an area with serious petitions).
leader-recorded-unflagged = Recorded: { $leader } covers “{ $area }”. Note: the areas file does not mark this area as having serious petitions.
visit-steps-button = 📋 Step by step
visit-step-whom = Step 1: reply to this message with whom you visited (enterprise, head of household, project, village).
visit-step-when = Step 2: which day was the visit? Press a button or reply with a date (2026-11-20, 11月20日, 上周三).
visit-step-heard = Step 3: reply to this message with what you heard, in brief.
visit-step-problems = Step 4: which problems did you hear? Reply to this message with one per line (each can become a ticket), or “none”.
visit-step-no-problems = No problems
visit-step-goals = Step 5: which of the six goals did the visit serve? Tick them, then press “Next”.
visit-step-next = Next ➡️
visit-ask-note-group = Reply to this message with the visit in a few words: where, whom you met, what problems you heard. To answer step by step instead, send /visit steps.

## Duplicates, merges and hot problems
ticket-status-merged = merged
btn-join = 🙋 Me too (join { $number })
report-duplicate = 🔁 A ticket for a similar problem is open: { $number } ({ $category } · { $status } · { $reporters } reporter(s))
report-duplicate-summary = Summary: { $summary }
report-summary-confirm-or-join = If it is the same problem, press “Me too” to join it: you will hear about its progress too. If not, press “Submit”.
report-joined = You joined ticket { $number } ✅ { $reporters } people now report this problem; you will hear about its progress and its follow-up. Check progress: /status { $number }
event-joined = resident: “me too”
event-merged = merged
event-merge_received = ticket merged in
event-split = merge undone
event-split_released = merge undone
event-follower_rated = co-reporter's rating
card-reporters = Reporters: { $count } (with “me too” and merged tickets)
card-merged-into = 🔗 Merged into ticket { $number }: work that one.
card-merged-from = 🔗 Merged into this ticket: { $numbers }
notify-followers = To the { $count } residents of this group who reported the same problem:
notify-merged = Your report ({ $number }) is the same problem as ticket { $target } and is now handled as part of it; you will keep hearing about its progress. Check progress: /status { $target }
notify-split = Your report ({ $number }) is handled on its own again (no longer part of { $target }); its status: { $status }. Check progress: /status { $number }
merge-usage = Usage: /merge MAIN_NUMBER MERGED_NUMBER, e.g. /merge HY-20261126-0001 HY-20261126-0007 (the second goes into the first). To undo: /split MERGED_NUMBER
split-usage = Usage: /split MERGED_NUMBER, e.g. /split HY-20261126-0007
merge-not-here = Merge and split in the handlers' group of the tickets' department, or in the admins' group.
merge-not-allowed = Only the handlers' group of a ticket's department or an admin may merge it: { $number } is not worked here.
merge-done = Ticket { $source } merged into { $target }: { $people } reporter(s) moved over; they are told.
split-done = Merge undone: ticket { $source } is handled on its own again ({ $status }); { $people } reporter(s) left { $target }; they are told.
handling-error-SAME_TICKET = A ticket cannot be merged into itself.
handling-error-NOT_OPEN = The ticket is { $status }: only open tickets can be merged.
handling-error-NOT_MERGED = This ticket is not merged into another.
hot-title = 🔥 Hot problems of the last 7 days (by number of reporters)
hot-area = 【{ $area }】
hot-area-none = 【no area】
hot-line = { $rank }. { $number } · { $category } · { $status } · { $reporters } reporters
hot-empty = No problem was reported by several people in the last 7 days.
followup-follower-thanks = Thank you, your rating is recorded. Whether the ticket ends is decided by the first reporter's rating.
followup-follower-already = You rated it already, thank you.
mine-joined-title = Problems you joined (“me too”):
relay-follower-not-satisfied = ⚠️ A co-reporter of ticket { $number } is not satisfied with the result.

## Monthly report and model cases
monthly-title = 📊 Monthly report { $month } (12345 case handling)
monthly-partial = (the month is not over: figures so far)
monthly-districts = [Districts]
monthly-departments = [Departments]
monthly-none = No figures this month.
monthly-unit = { $rank }. { $name }  { $score } pts  { $change }
monthly-unit-unscored = —. { $name }  nothing to score
monthly-unit-rates = {"  "}received { $received } · accepted on time { $acceptance } · resolved on time { $completion } · overdue { $overdue } · extensions { $extensions } · rework { $rework } · satisfied { $satisfaction } · follow-ups answered { $response }
monthly-unit-rates-short = {"  "}resolved on time { $completion } · satisfied { $satisfaction } · overdue { $overdue }
monthly-unit-visits = {"  "}visits { $visits } · coverage { $coverage }
monthly-total = Total: received { $received } · accepted on time { $acceptance } · resolved on time { $completion } · overdue { $overdue } · satisfied { $satisfaction }
monthly-more = {"  "}… { $count } more units in the CSV
monthly-model-cases = [Model cases] { $count }
monthly-model-cases-none = [Model cases] none this month. Supervisors mark one with /model NUMBER REASON.
monthly-model-case-ticket = · { $reference } ({ $unit }) { $summary } — { $reason }
monthly-model-case-visit = · Visit #{ $reference } ({ $unit }, { $day }) { $summary } — { $reason }
monthly-formula = Score = { $formula }, scaled to 100 by the weights; "—" means the rate has no base this month and does not count. Rank changes compare with { $previous }; "new": not ranked then.
monthly-files = The CSV and the chart follow.
monthly-new = new
monthly-rate-onTimeAcceptance = on-time acceptance
monthly-rate-onTimeCompletion = on-time completion
monthly-rate-rework = (1 − rework rate)
monthly-rate-satisfaction = satisfaction
monthly-rate-response = follow-up response
monthly-rate-coverage = coverage
monthly-not-here = Use /monthly in the admins' (supervisors') group or privately as an admin.
monthly-bad-month = Write the month as /monthly 2026-11 (year-month); without a month you get last month's.
monthly-future-month = { $month } has not come yet: there is no report for it.
monthly-chart-caption = { $month }: scores and ranking
monthly-unavailable = The monthly report is not available: its figures are not connected yet.
model-not-here = Use /model in the admins' (supervisors') group or privately as an admin.
model-usage =
    Usage:
    /model HY-20261101-0001 REASON — mark a resolved ticket as a model case
    /model visit 123 REASON — mark a visit note as a model case
    /model — this month's model cases
model-reason-too-long = Give the reason in one line (at most { $max } characters).
model-ticket-not-found = No ticket { $number }.
model-visit-not-found = No visit note #{ $id }.
model-ticket-not-resolved = Ticket { $number } is not resolved ({ $status }); only resolved work can be a model case.
model-already = Already a model case (marked by { $by }: { $reason }).
model-marked-ticket = ✅ Ticket { $number } is now a model case; it will be listed in the report for { $month }.
model-marked-visit = ✅ Visit note #{ $id } is now a model case; it will be listed in the report for { $month }.
model-list-title = Model cases of { $month } ({ $count }):
model-list-none = No model case in { $month } yet.
event-model_case = Model case
