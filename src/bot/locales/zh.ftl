## 帮助
help-private =
    您好，这里是「回音」群众诉求平台。事事有落实，件件有回音。
    /report — 反映问题（报事）
    /mine — 我反映过的问题
    /status 编号 — 查询办理进度，例如 /status HY-20261126-0001
    /cancel — 放弃正在填写的内容
    /help — 显示本说明
help-residents =
    本群是「{ $area }」居民群。遇到问题可以在这里反映，平台会分派给负责的部门，并把办理进度回复给您。
    /report — 反映问题（机器人会回复提问，请直接“回复”它的消息作答）
    /mine — 我反映过的问题
    /status 编号 — 查询办理进度
    /hot — 本片区近 7 天热点问题
    /cancel — 放弃正在填写的内容
    留电话等个人信息请私聊机器人，群里不会显示任何人的联系方式。
help-handlers =
    本群是「{ $department }」承办群。分派给本部门的工单会以卡片发到这里，点卡片下的按钮办理：受理、承办、办结、退回、转派、不予受理、进展说明、问群众、申请延期（到期前）。需要填写说明时，请“回复”机器人的提示消息。
    /queue — 本群待办工单
    /ticket 编号 — 工单详情和办理记录
    /merge 主工单 被并工单 — 并案（同一问题合并办理）；/split 被并工单 — 撤销并案
    /hot — 近 7 天热点问题
    /help — 显示本说明
help-admins =
    本群是管理员群（待分派工单）。
    /bind residents 社区名 — 把一个群设为居民群
    /bind handlers 部门编号 — 把一个群设为部门承办群
    /bind admins — 把一个群设为管理员群
    /bind cadres 区域名 — 把一个群设为某区域的干部群
    发送 CSV 文件 — 导入走访对象名册；/registry、/coverage、/export 查看
    回复领导的消息 /leader 区域名 — 登记该领导包案信访突出区域
    /unbind — 解除本群设置
    /departments — 部门列表
    /queue — 待分派工单
    /ticket 编号 — 工单详情和办理记录
    /stats — 工单统计（今日、本月）
    /overdue — 超期工单（按部门），可按按钮督办；延期申请在本群审批
    /supervise 编号 事由 — 督办工单，通知承办群
    /merge 主工单 被并工单 — 并案；/split 被并工单 — 撤销并案；/hot — 近 7 天热点问题
    /monthly [年-月] — 月度通报：区县、部门排名及明细 CSV、得分图（默认上个月）
    /model 编号 理由 — 把已办结工单标为典型案例（/model visit 编号 理由：走访记录）；/model 查看本月典型案例
help-unbound =
    本群还没有设置用途。管理员可以用：
    /bind residents 社区名 — 设为居民群
    /bind handlers 部门编号 — 设为部门承办群（/departments 查看编号）
    /bind admins — 设为管理员群
    群里的居民也可以直接用 /report 反映问题。
btn-report = 📝 反映问题
btn-report-private = 🔒 私聊反映
## 报事
report-already-active = 您有一份正在填写的反映。请接着回答上面的问题，或发送 /cancel 放弃。
report-ask-description = 请描述遇到的问题：发生了什么、在哪里、持续多久、影响到谁。可以附上照片（把描述写在照片说明里）。
report-ask-description-group = 请回复本消息，描述遇到的问题：发生了什么、在哪里（小区、楼号、路名）、影响到谁。可以附照片（描述写在照片说明里）。
report-need-text = 请用文字描述问题（贴纸、表情或空白内容无法登记）。
report-too-long = 内容太长了（{ $length } 字），请精简到 { $max } 字以内，或分成要点再发。
report-too-short = 描述太短了，请多写几句，让承办部门看得懂（至少 { $min } 个字）。
report-photo-kept = 照片已收到 📷。请再用文字描述问题。
report-ask-location = 问题发生在哪里？请写出地址或明显的地标（小区、路名、门牌）。
report-ask-location-private = 问题发生在哪里？请写出地址或地标，也可以点下方按钮发送位置。
report-ask-location-group = 问题发生在哪里？请回复本消息写出地址或地标；不涉及地点请回复“跳过”。
report-location-received = 位置已收到 📍
report-ask-photo = 有现场照片吗？请发送照片（最多 { $max } 张），没有就点“跳过”。
report-ask-photo-group = 请回复本消息发送照片（最多 { $max } 张），发完后点“完成”。
report-photo-received = 已收到 { $count } 张照片。可以继续发送，或点“完成”。
report-photo-limit = 已达到 { $max } 张照片的上限。
report-need-photo = 这一步需要照片。请发送照片，或点“跳过”/“完成”。
report-ask-contact = 承办部门需要时可以联系您吗？
report-ask-phone = 请留下联系电话：点下方按钮分享本账号的电话，或直接输入号码。
report-phone-invalid = 这个号码看起来不对。请输入 11 位手机号或带区号的座机号，或点“跳过”。
report-ask-reply-channel = 办理进度发到哪里？
report-private-not-started = 机器人还不能私信您：请点下方按钮打开私聊并点“开始”。在那之前，进度会回复在本群。
report-classifying = 正在分析您反映的问题…
report-summary-title = 请核对您反映的问题：
report-summary-description = 问题：
report-summary-location = 地点：
report-summary-photos = 照片：{ $count } 张
report-summary-contact-phone = 联系方式：可以联系（电话 { $phone }）
report-summary-contact-chat = 联系方式：可以通过 Telegram 联系
report-summary-contact-none = 联系方式：不需要联系我
report-summary-reply-private = 进度通知：私信
report-summary-reply-here = 进度通知：回复在本群
report-summary-classification = 分类：{ $category } → { $department }
report-summary-type = 类型：{ $type } · 紧急程度：{ $urgency }
report-not-a-report = 这条消息看起来不是要反映的问题，所以还没有登记工单。我可以帮您：登记需要政府部门处理的问题（比如设施损坏、噪音扰民、停水停电、欠薪、安全隐患），用 /status 查询工单进度，用 /mine 查看您反映过的问题。如果确实要反映问题，请点下面的按钮。
btn-report-anyway = 📝 仍然登记为问题
report-summary-confirm = 确认无误请点“确认提交”。
report-summary-location-missing = 未写明（点“补充地点”可以补上）
btn-add-location = 📍 补充地点
btn-add-photos = 📷 添加照片
report-none = （未提供）
btn-skip = 跳过
btn-done = 完成
btn-send-location = 📍 发送位置
btn-share-phone = 📱 分享电话
btn-contact-yes = 可以联系我
btn-contact-no = 不用联系我
btn-reply-here = 回复在本群
btn-reply-private = 私信通知我
btn-open-private = 打开私聊
btn-confirm = ✅ 确认提交
btn-edit-description = ✏️ 改问题
btn-edit-location = ✏️ 改地点
btn-edit-photos = ✏️ 改照片
btn-edit-contact = ✏️ 改联系方式
btn-cancel = ❌ 取消
report-which-field = 要修改哪一项？
report-cancelled = 已取消，没有登记任何内容。需要时再发 /report。
report-nothing-to-cancel = 现在没有正在填写的内容。
report-saved = 已登记 ✅ 编号 { $number }。
    我们已把它交给「{ $department }」，办理进度会及时告诉您。查询：/status { $number }
report-saved-triage = 已登记 ✅ 编号 { $number }。
    它正在等待分派承办部门，工作人员会尽快确认，进度会及时告诉您。查询：/status { $number }
report-unseen = 说明：您的问题（{ $number }）已保存，但目前还没有工作人员群接收新问题，暂时无人分派。我们已单独通知管理员，分派后会告诉您。
report-queued = 已收到 ✅ 系统暂时繁忙，您的反映已妥善保存，稍后自动登记并把编号发给您，不需要重新提交。
report-queued-stored = 您之前反映的问题已登记 ✅ 编号 { $number }。查询：/status { $number }
report-queued-wait = 群里消息较多，机器人的回复正在排队，大约 { $seconds } 秒后发出，请稍候。
report-button-stale = 这个按钮已失效。
report-button-ended = 这个按钮已失效：这次登记已经结束、取消或过期。如果问题还没有提交，请重新发送 /report。
report-button-not-yours = 这是别人的报事按钮，您可以发送 /report 反映自己的问题。
report-reply-to-bot = 请“回复”机器人的提问消息作答。
report-expired = 填写时间过长，本次反映已自动结束。需要时请重新发送 /report。
## 查询
answered-privately = 这个工单的内容不在本群显示，已私信发给您。
ask-privately = 这个工单的内容不在本群显示。请打开与 @{ $bot } 的私聊并点“开始”，再在私聊中发送同样的命令。
status-usage = 用法：/status 编号，例如 /status HY-20261126-0001。发送 /mine 查看您反映过的问题。
status-not-found = 没有找到编号为 { $number } 的、由您反映的问题。
status-title = 工单 { $number }
status-line-status = 状态：{ $status }
status-line-category = 分类：{ $category } → { $department }
status-line-created = 反映时间：{ $time }
status-line-updated = 最近更新：{ $time }
status-history = 办理记录：
history-earlier = …以及更早的 { $count } 条记录
mine-empty = 您还没有反映过问题。发送 /report 开始。
mine-title = 您最近反映的问题：
## 状态与分类
ticket-status-needs_triage = 待分派
ticket-status-assigned = 已交办
ticket-status-accepted = 已受理
ticket-status-in_progress = 办理中
ticket-status-resolved = 已办结
ticket-status-closed = 已回访
ticket-status-rejected = 不予受理
urgency-low = 不急
urgency-normal = 一般
urgency-urgent = 紧急
urgency-critical = 特急
request-type-consultation = 咨询
request-type-help_request = 求助
request-type-complaint = 投诉
request-type-tip_off = 举报
request-type-suggestion = 建议
department-unknown = 待分派
category-unknown = 未分类
## 管理
admin-only = 只有管理员可以这样做。
bind-group-only = 请在要设置的群里发送这个命令。
bind-usage =
    用法：
    /bind residents 社区名 — 居民群
    /bind handlers 部门编号 — 部门承办群
    /bind admins — 管理员群
    /bind cadres 区域名 — 该区域的干部群（走访）
bind-need-area = 请写上社区或街道名，例如：/bind residents 金鸡湖社区
bind-unknown-department = 没有编号为“{ $id }”的部门。发送 /departments 查看。
bind-choose-department = 请选择本群对应的部门：
bind-done-residents = 好的，本群已设为「{ $area }」居民群。
bind-done-handlers = 好的，本群已设为「{ $department }」承办群。
bind-done-admins = 好的，本群已设为管理员群，无法确定部门的工单会发到这里。
unbind-done = 已解除本群的设置。
unbind-none = 本群没有设置用途。
bind-missing-handlers = 还没有承办群的部门（它们的工单会发到管理员群等待分派）：{ $departments }
bind-missing-none = 每个部门都已有承办群。
admin-ticket-unseen = ⚠️ 新工单 { $number }（{ $department }）没有任何群能看到：它的部门没有承办群，也没有管理员群。请在管理员群发送 /bind admins，或在部门群发送 /bind handlers，然后用 /ticket { $number } 分派。
departments-title = 部门列表（编号 — 名称）：
## 办理
card-title = 工单 { $number } · { $status }
card-classification = { $category } → { $department } · { $urgency } · { $type }
card-summary = 摘要：{ $summary }
card-location = 地点：{ $location }
card-area = 来自：{ $area }
card-time = 时间：{ $time }
card-photos = 照片：{ $count } 张（见上）
card-contact-phone = 联系：{ $name }，电话 { $phone }
card-contact-chat = 联系：{ $name }（可通过 Telegram 联系）
card-contact-none = 联系：群众不希望被联系
card-contact-hidden = 联系：群众同意被联系，联系方式请在私聊中用 /ticket 查看
card-description = 原文：
card-last = 最近：{ $what } · { $actor } · { $time }
card-moved = ➡️ 已转至「{ $department }」，本群无需处理。
card-undeliverable = ⚠️ { $count } 条消息无法送达群众：{ $reason }
role-reporter = 群众
role-handler = 承办人
role-admin = 管理员
role-system = 系统
event-note = 进展说明
event-question = 向群众提问
event-reporter_reply = 群众回复
event-delivery_failed = 消息未送达
undeliverable-blocked = 群众已屏蔽机器人
undeliverable-chat_not_found = 聊天已不存在
undeliverable-not_in_chat = 机器人已不在该群
undeliverable-private_chat_not_started = 群众未开启私聊
undeliverable-rejected = Telegram 拒收
undeliverable-gave_up = 多次重试失败
btn-action-assign = 分派
btn-action-accept = 受理
btn-action-start = 承办
btn-action-resolve = 办结
btn-action-return = 退回
btn-action-reassign = 转派
btn-action-reject = 不予受理
btn-action-note = 进展说明
btn-action-ask = 问群众
handling-not-allowed = 只有该工单承办群的成员和管理员可以操作。
handling-not-found = 没有找到这张工单。
handling-done = 工单 { $number }：{ $status }。
handling-note-done = 已记录并告知群众（工单 { $number }）。
handling-choose-department = 工单 { $number } 转给哪个部门？
handling-prompt-resolve = 请回复本消息，填写工单 { $number } 的办结说明（群众会看到）。
handling-prompt-return = 请回复本消息，填写退回工单 { $number } 的理由。
handling-prompt-reassign = 请回复本消息，填写把工单 { $number } 转给「{ $department }」的理由。
handling-prompt-reject = 请回复本消息，填写不予受理工单 { $number } 的理由（群众会看到）。
handling-prompt-note = 请回复本消息，填写工单 { $number } 的进展说明（群众会看到）。
handling-prompt-ask = 请回复本消息，写下要问群众的问题（工单 { $number }）。
handling-prompt-sent = 请回复机器人的提示消息填写。
handling-prompt-not-yours = 这条提示是给另一位同事的。
handling-need-text = 请用文字回复。
handling-note-too-long = 太长了（{ $length } 字），请控制在 { $max } 字以内。
handling-error-ALREADY_DONE = 工单已经是「{ $status }」了，无需重复操作。
handling-error-INVALID_TRANSITION = 工单现在是「{ $status }」，不能这样操作。
handling-error-CONFLICT = 刚刚有人处理了这张工单，请看最新状态。
handling-error-FORBIDDEN = 您不能进行这项操作。
handling-error-NOTE_REQUIRED = 需要填写说明。
handling-error-DEPARTMENT_REQUIRED = 需要选择部门。
handling-error-SAME_DEPARTMENT = 工单已经在这个部门了。
handling-error-NOT_FOUND = 没有找到这张工单。
ticket-usage = 用法：/ticket 编号
queue-empty = 本群没有待办工单 👍
queue-title = 待办工单（最早的在前）：
queue-not-here = /queue 在承办群或管理员群里使用。
## 通知
notify-assigned = 您反映的问题（{ $number }）已交由「{ $department }」办理。
notify-accepted = 您反映的问题（{ $number }）已由「{ $department }」受理。
notify-in_progress = 您反映的问题（{ $number }）正在由「{ $department }」办理。
notify-resolved = 您反映的问题（{ $number }）已由「{ $department }」办结。
notify-closed = 您反映的问题（{ $number }）已回访归档，谢谢您。
notify-rejected = 您反映的问题（{ $number }）不予受理。
notify-needs_triage = 您反映的问题（{ $number }）正在重新确认承办部门。
notify-note = 您反映的问题（{ $number }）有新进展。
notify-question = 关于您反映的问题（{ $number }），承办部门想向您了解：
notify-note-label = 说明：
notify-question-label = 问题：
notify-question-how = 请直接回复本消息作答。
notify-check = 查询进度：/status { $number }
relay-reporter-reply = 工单 { $number } 群众回复：{ $text }
reporter-reply-relayed = 已转达承办部门，谢谢。
## 回访
followup-ask = 问题解决了吗？请点下方按钮评价。
followup-satisfied = 满意
followup-partly_satisfied = 基本满意
followup-not_satisfied = 不满意
followup-thanks = 感谢您的评价！
followup-not-yours = 只有反映这个问题的群众可以评价。
followup-already = 这张工单现在是「{ $status }」，无需再评价。
followup-ask-reason = 请回复本消息，说说哪里还没有解决（工单 { $number }），我们会要求重新办理。
followup-reopened = 已要求重新办理工单 { $number }，进展会及时告诉您。
relay-closed = 工单 { $number } 群众评价：{ $satisfaction }。
relay-reopened = ⚠️ 工单 { $number } 群众不满意，已重新办理：{ $text }
## 其他
error-retrying = 网络繁忙，正在重试，请稍候…
error-generic = 抱歉，出了点问题，您的内容没有丢失。请稍后再试。
unknown-command = 没有这个命令。发送 /help 查看能做什么。
## 统计
stats-where = 统计只在管理员群或与机器人的私聊中提供。
stats-title = 📊 工单统计（截至 { $time }，{ $timezone }）
stats-today = 【今日 · { $date }】
stats-month = 【本月 · { $month }】
stats-none = 暂无新工单。
stats-total = 新增工单：{ $count } 件
stats-by-status = 按状态：
stats-by-department = 按部门：
stats-by-category = 按分类：
stats-item = · { $name }：{ $count }
stats-more = · …等 { $count } 项
stats-no-department = 未定部门
stats-no-category = 未分类
stats-to-accept = 受理用时中位数：{ $duration }（{ $count } 件）
stats-to-accept-none = 受理用时中位数：暂无已受理工单
stats-to-resolve = 办结用时中位数：{ $duration }（{ $count } 件）
stats-to-resolve-none = 办结用时中位数：暂无已办结工单
stats-routing = 自动分派：{ $automatic } 件，首次分派未被改派 { $stood } 件（{ $percent }%）
stats-routing-none = 自动分派：暂无
stats-follow-up = 回访：群众评价 { $rated } 件，满意（含基本满意）{ $satisfied } 件（满意率 { $percent }%）；未评价（超时无回应）结案 { $unrated } 件
stats-follow-up-none = 回访：暂无
stats-rework = 重办：已办结 { $resolved } 件中重办 { $reworked } 件（重办率 { $percent }%）
stats-rework-none = 重办：暂无已办结工单
stats-duration-days-hours = { $days } 天 { $hours } 小时
stats-duration-days = { $days } 天
stats-duration-hours-minutes = { $hours } 小时 { $minutes } 分
stats-duration-hours = { $hours } 小时
stats-duration-minutes = { $minutes } 分
stats-duration-under-a-minute = 不到 1 分
stats-note = 按工单创建时间归入今日或本月，状态为当前状态；用时从创建算起，到首次受理（或直接开始办理）、首次办结为止。自动分派的工单被退回后改派到其他部门，或被直接转派，即算首次分派未成立。回访按每件工单最近一次评价计；重办指办结后因群众不满意而重新办理。

## 走访
help-cadres =
    本群是「{ $area }」干部群。群成员即本区域的走访干部。
    /visit 走访情况 — 一条消息记一次走访，例如：/visit 下午去了黄埭镇李记五金厂，老板说厂门口货车天天堵路，还问技改补贴怎么申请
    /myvisits — 我的走访记录和转出工单的进度
    /coverage [区域] [时间] — 走访覆盖率，例如 /coverage 黄埭镇 2026-11
    /registry [名称|未走访] — 本区域走访对象名册
    私聊机器人直接发走访情况也可以记录。
bind-done-cadres = 好的，本群已设为「{ $area }」干部群，群成员即该区域的走访干部。
bind-unknown-area = 没有名为“{ $area }”的区域。请使用区域文件中的名称，例如：/bind cadres 黄埭镇
cadre-only = 只有走访干部和管理员可以这样做。
visit-admin-needs-area = 请在某个区域的干部群里记录走访。
visit-ask-note = 请回复本消息，用一段话写下这次走访：去了哪里、见了谁、听到了什么问题。
visit-ask-whom = 请回复本消息，写下走访对象的名称（企业名、户主姓名、项目或村/社区名）。
visit-summary-title = 📝 走访记录（请核对，点按钮修改后保存）
visit-cancelled = 已取消这条走访记录。
visit-none-yet = 您还没有走访记录。用 /visit 记一条。
coverage-usage = 用法：/coverage [区域名] [时间]，时间如 2026-11、2026、本月、上月、2026-11-01..2026-11-15
coverage-not-your-area = 只能查看本区域及下级区域的覆盖情况。
registry-title = 走访对象名册：
registry-unvisited-title = 尚未走访的对象：
registry-empty = 没有找到走访对象。
registry-file-too-big = 文件太大（最多 20 MB）。
registry-imported = 名册已导入（{ $encoding }）：新增 { $created }，更新 { $updated }，未变 { $unchanged }，有误 { $errors } 行。
registry-ignored-columns = 以下列不认识，已忽略：{ $columns }
registry-file-refused = 无法导入这个文件：{ $reason }
spotcheck-usage =
    用法：
    /spotcheck draw 区名 [企业数] [户数] [种子] — 从已记录走访的对象中随机抽取（默认 3 家企业、10 户）
    /spotcheck assign 编号 — 回复督查人的消息，指定其负责该抽查
    /spotcheck 编号 — 查看抽查结果
    /spotcheck 编号 序号 属实|未走访|未解决|不知情 [说明] — 记录一项的结果
spotcheck-draw-usage = 用法：/spotcheck draw 区名 [企业数] [户数] [种子]，区名如 相城区，数量 0～50。
spotcheck-assign-usage = 请回复督查人发的一条消息，写 /spotcheck assign 抽查编号。
spotcheck-assign-hint = 回复督查人的消息发送 /spotcheck assign { $id } 即可指定督查人。
spotcheck-assigned = 抽查 #{ $id } 已交给 { $inspector }。
spotcheck-unknown = 没有编号为 { $id } 的抽查。
spotcheck-not-yours = 只有管理员和该抽查的督查人可以查看和记录。
spotcheck-no-item = 这次抽查没有第 { $position } 项。
export-usage = 用法：/export [registry|visits] [时间]，例如 /export visits 2026-11
visit-ask-note-voice = 语音已随走访记录保存。请回复本消息，用文字简单写下这次走访：去了哪里、见了谁、听到了什么问题。
## Deadlines and supervision
due-line = ⏰ 办结时限：{ $due }（剩余 { $span }）
due-line-overdue = ⏰ 办结时限：{ $due }（已超期 { $span }）
due-span-days = { $days }天{ $hours }小时
due-span-hours = { $hours }小时{ $minutes }分
chase-reminder = ⏰ 到期提醒：工单 { $number }（{ $summary }）将于 { $due } 到期，请抓紧办理。
chase-overdue = ❗ 催办：工单 { $number }（{ $summary }）已超过办结时限 { $due }，请立即办理并说明进展。
chase-escalation = 🚨 督办：{ $department } 的工单 { $number }（{ $summary }）超期未办结（时限 { $due }），请督办。
event-chase = 催办督办
event-extension_requested = 申请延期
event-extension_approved = 同意延期
event-extension_refused = 不同意延期
followup-no_response = 未评价
btn-action-extend = 申请延期
handling-prompt-extend = 请回复本消息，写明延期的工作日数和理由（工单 { $number }），例如：5 需要等待配件到货。
handling-extension-usage = 请先写延期的工作日数（1 到 { $max }），再写理由，例如：5 需要等待配件到货。
handling-extension-sent = 延期申请已提交督办群审批（工单 { $number }）。
handling-error-EXTENSION_TOO_LATE = 已过办结时限，不能再申请延期。
handling-error-EXTENSION_PENDING = 这张工单已有延期申请在等待审批。
extension-request = 📅 延期申请：工单 { $number } 申请延期 { $days } 个工作日，办结时限由 { $due } 延至 { $proposed }。申请人：{ $actor }。理由：{ $reason }
btn-extension-approve = 同意延期
btn-extension-refuse = 不同意
extension-approved = 已同意工单 { $number } 延期。
extension-refused = 已不同意工单 { $number } 延期。
extension-decided-already = 这条延期申请已经处理过了。
extension-not-allowed = 只有督办群成员和管理员可以审批延期。
notify-extended = 您反映的问题（{ $number }）办理时限已延长至 { $due }，我们会继续跟进。
overdue-not-here = /overdue 在管理员群（督办群）中使用。
overdue-none = 目前没有超期工单。
overdue-title = 超期工单（{ $count }），按部门、超期最久在前：
overdue-line = · { $number } · { $status } · 超期 { $days }天{ $hours }小时 · { $summary }
due-line-accept = ⏰ 受理时限：{ $due }（剩余 { $span }）
event-chase-reminder = 到期提醒
event-chase-overdue = 催办
event-chase-escalation = 督办
due-line-accept-overdue = ⏰ 受理时限：{ $due }（已超期 { $span }）
chase-accept_overdue = 📮 催签收：工单 { $number }（{ $summary }）已过受理时限 { $due } 仍未受理，请立即签收受理。
event-chase-accept_overdue = 催签收
event-supervised = 督办
supervise-notice = 🚩 督办：{ $actor } 督办工单 { $number }（{ $summary }）：{ $reason }。请抓紧办理并报告进展。
supervise-done = 已督办工单 { $number }，已通知承办群。
supervise-too-soon = 工单 { $number } 刚督办过，请 { $minutes } 分钟后再督办。
supervise-not-open = 工单 { $number } 已办结或关闭，无需督办。
supervise-usage = 用法：/supervise 工单编号 督办事由，例如：/supervise HY-20261203-0001 请今天内答复群众
supervise-not-allowed = 只有督办群成员和管理员可以督办。
supervise-not-found = 没有找到工单 { $number }。
supervise-default-reason = 超期未办结，请尽快办理
btn-supervise = 🚩 督办 { $number }
calendar-uncovered = 📆 节假日安排缺少 { $year } 年：在补上之前，{ $year } 年的时限按周一至周五计算，只跳过法定固定日期的元旦、五一（5月1-2日）和国庆（10月1-3日）；春节、清明、端午、中秋按工作日算，调休上班的周末不算。国务院办公厅发布通知后，请把该年的放假日期和调休上班日加入 { $file } 并重启机器人。

admin-only-leader = 只有管理员可以登记领导包案。
leader-usage = 用法：回复领导的一条消息，发送 /leader 区域名（如 /leader 东北街社区），登记该领导包案此区域。
leader-recorded = 已登记：{ $leader } 包案「{ $area }」（信访突出区域）。
leader-recorded-unflagged = 已登记：{ $leader } 包案「{ $area }」。注意：该区域未在区域文件中标为信访突出区域。
visit-steps-button = 📋 分步填写
visit-step-whom = 第 1 步：请回复本消息，写下走访对象（企业名、户主姓名、项目或村/社区名）。
visit-step-when = 第 2 步：哪天走访的？点按钮，或回复日期（如 2026-11-20、11月20日、上周三）。
visit-step-heard = 第 3 步：请回复本消息，简单写下听到的情况。
visit-step-problems = 第 4 步：听到了哪些问题？请回复本消息，每行写一个（每个可单独转为工单），没有就写“无”。
visit-step-no-problems = 没有问题
visit-step-goals = 第 5 步：这次走访服务了哪些“六个一”目标？点选后按“下一步”。
visit-step-next = 下一步 ➡️
visit-ask-note-group = 请回复本消息，用一段话写下这次走访：去了哪里、见了谁、听到了什么问题。想一步一步填写，请发送 /visit 分步。

## 重复件、并案与热点问题
ticket-status-merged = 已并案
btn-join = 🙋 我也遇到了（加入 { $number }）
report-duplicate = 🔁 类似问题已有工单 { $number }（{ $category } · { $status } · { $reporters } 人反映）
report-duplicate-summary = 摘要：{ $summary }
report-summary-confirm-or-join = 如果是同一个问题，点“我也遇到了”加入，办理进展会同样告诉您；不是的话请点“确认提交”。
report-joined = 已加入工单 { $number } ✅ 现在共 { $reporters } 人反映这个问题，办理进展和回访会同样告诉您。查询进度：/status { $number }
event-joined = 群众“我也遇到了”
event-merged = 已并案
event-merge_received = 并入工单
event-split = 撤销并案
event-split_released = 撤销并案
event-follower_rated = 共同反映人评价
card-reporters = 反映人数：{ $count } 人（含“我也遇到了”及并案转入）
card-merged-into = 🔗 已并入工单 { $number }，请在该工单办理。
card-merged-from = 🔗 已并入本工单：{ $numbers }
notify-followers = 致本群同样反映此问题的 { $count } 位居民：
notify-merged = 您反映的问题（{ $number }）与工单 { $target } 是同一问题，已并入 { $target } 一并办理，进展会继续告诉您。查询进度：/status { $target }
notify-split = 您反映的问题（{ $number }）已恢复单独办理（不再并入 { $target }），当前状态：{ $status }。查询进度：/status { $number }
merge-usage = 用法：/merge 主工单编号 被并工单编号，例如 /merge HY-20261126-0001 HY-20261126-0007（后者并入前者）。撤销：/split 被并工单编号
split-usage = 用法：/split 被并工单编号，例如 /split HY-20261126-0007
merge-not-here = 并案和撤销并案请在工单所属部门的承办群或管理员群里操作。
merge-not-allowed = 只有工单所属部门的承办群或管理员可以并案：{ $number } 不归本群办理。
merge-done = 已将工单 { $source } 并入 { $target }，转入 { $people } 位反映人；他们会收到通知。
split-done = 已撤销并案：工单 { $source } 恢复单独办理（{ $status }），{ $people } 位反映人离开 { $target }；他们会收到通知。
handling-error-SAME_TICKET = 不能把工单并入它自己。
handling-error-NOT_OPEN = 工单现在是「{ $status }」，只有办理中的工单可以并案。
handling-error-NOT_MERGED = 这张工单没有并入其他工单。
hot-title = 🔥 近 7 天热点问题（按反映人数）
hot-area = 【{ $area }】
hot-area-none = 【未标明片区】
hot-line = { $rank }. { $number } · { $category } · { $status } · { $reporters } 人反映
hot-empty = 近 7 天还没有多人反映的问题。
followup-follower-thanks = 感谢您的评价，已记录。工单是否结束由首位反映人的回访决定。
followup-follower-already = 您已经评价过了，谢谢。
mine-joined-title = 您点过“我也遇到了”的问题：
relay-follower-not-satisfied = ⚠️ 工单 { $number } 的一位共同反映人对办理结果不满意。

## Monthly report and model cases
monthly-title = 📊 { $month } 月度通报（12345 诉求办理）
monthly-partial = （本月尚未结束，数据截至目前）
monthly-districts = 【区县排名】
monthly-departments = 【部门排名】
monthly-none = 本月无数据。
monthly-unit = { $rank }. { $name }　{ $score } 分　{ $change }
monthly-unit-unscored = —. { $name }　无可计分数据
monthly-unit-rates = 　受理 { $received } · 按时签收 { $acceptance } · 按时办结 { $completion } · 超期 { $overdue } · 延期 { $extensions } · 重办率 { $rework } · 满意率 { $satisfaction } · 回访应答 { $response }
monthly-unit-rates-short = 　按时办结 { $completion } · 满意率 { $satisfaction } · 超期 { $overdue }
monthly-unit-visits = 　走访 { $visits } 次 · 覆盖率 { $coverage }
monthly-total = 合计：受理 { $received } · 按时签收 { $acceptance } · 按时办结 { $completion } · 超期 { $overdue } · 满意率 { $satisfaction }
monthly-more = 　……另有 { $count } 个单位，见 CSV
monthly-model-cases = 【典型案例】{ $count } 件
monthly-model-cases-none = 【典型案例】本月暂无。督办人可用 /model 编号 理由 标记。
monthly-model-case-ticket = · { $reference }（{ $unit }）{ $summary }——{ $reason }
monthly-model-case-visit = · 走访 #{ $reference }（{ $unit }，{ $day }）{ $summary }——{ $reason }
monthly-formula = 综合得分 = { $formula }，按权重折算为百分制；“—”表示该项本月无基数，不计入得分。排名变化对比 { $previous }，“新”为上月未排名。
monthly-files = 附：明细 CSV 与得分图。
monthly-new = 新
monthly-rate-onTimeAcceptance = 按时签收率
monthly-rate-onTimeCompletion = 按时办结率
monthly-rate-rework = (1−重办率)
monthly-rate-satisfaction = 满意率
monthly-rate-response = 回访应答率
monthly-rate-coverage = 覆盖率
monthly-not-here = /monthly 在督办群（管理员群）或管理员私聊中使用。
monthly-bad-month = 月份写法不对：请写成 /monthly 2026-11（年-月），不写月份则为上个月。
monthly-future-month = { $month } 还没到，无法出具通报。
monthly-chart-caption = { $month } 综合得分排名
monthly-unavailable = 月度通报暂不可用：统计数据尚未接入。
model-not-here = /model 在督办群（管理员群）或管理员私聊中使用。
model-usage =
    用法：
    /model HY-20261101-0001 理由 — 把已办结的工单标为典型案例
    /model visit 123 理由 — 把一条走访记录标为典型案例
    /model — 本月典型案例
model-reason-too-long = 理由请写一句话（不超过 { $max } 字）。
model-ticket-not-found = 没有找到工单 { $number }。
model-visit-not-found = 没有找到走访记录 #{ $id }。
model-ticket-not-resolved = 工单 { $number } 尚未办结（{ $status }），办结后才能标为典型案例。
model-already = 已是典型案例（{ $by } 标记，理由：{ $reason }）。
model-marked-ticket = ✅ 工单 { $number } 已标为典型案例，将列入 { $month } 月度通报。
model-marked-visit = ✅ 走访记录 #{ $id } 已标为典型案例，将列入 { $month } 月度通报。
model-list-title = { $month } 典型案例（{ $count } 件）：
model-list-none = { $month } 暂无典型案例。
event-model_case = 典型案例
