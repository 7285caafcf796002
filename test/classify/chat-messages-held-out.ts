/**
 * A second set of hand-written group-chat messages, written after the lexicon and rules were settled and not used
 * to adjust them: its figures say how the classifier does on messages it was not shaped on. Same conventions as
 * chat-messages.ts.
 */
import type { ChatNonReport, ChatReport } from './chat-messages.js'

export const HELD_OUT_REPORTS: readonly ChatReport[] = [
  { text: '楼顶水箱好像很久没洗了，放出来的水有股铁锈味', categoryId: 'property', urgency: 'normal' },
  { text: '物业把单元门的锁拆了说要换新的，三天了还没装', categoryId: 'property', urgency: 'normal' },
  { text: '车库入口的道闸老是抬不起来，早上排队排到马路上', categoryId: 'property', urgency: 'normal' },
  { text: '开发商承诺的小区幼儿园变成了商铺在卖', categoryId: 'housing-market', urgency: 'normal' },
  { text: '中介带看的时候说满五唯一，过户才发现不是，多交了好几万税', categoryId: 'housing-market', urgency: 'normal' },
  { text: '对面楼盘工地周日早上六点就开始切割钢管，刺耳得很', categoryId: 'construction', urgency: 'normal' },
  { text: '施工围挡倒了一半压在人行道上，没人扶', categoryId: 'construction', urgency: 'urgent' },
  { text: '征收评估价比周边二手房低一半，这个补偿标准谁定的', categoryId: 'demolition', urgency: 'normal' },
  { text: '垃圾分类的桶都是摆设，收的时候还是混在一起倒', categoryId: 'city-appearance', urgency: 'normal' },
  { text: '路口那家水果店把摊子摆到了盲道上', categoryId: 'city-appearance', urgency: 'normal' },
  { text: '邻居在绿化带里搭了个鸡棚养鸡🐔', categoryId: 'illegal-building', urgency: 'normal' },
  { text: '雨水箅子被树叶堵死了，路边一大片积水', categoryId: 'municipal', urgency: 'normal' },
  { text: 'the tree outside no. 14 is leaning badly over the footpath after the storm', categoryId: 'municipal', urgency: 'urgent' },
  { text: '整个片区又停电了 这个月第三次了 到底怎么回事', categoryId: 'utilities', urgency: 'urgent' },
  { text: '燃气公司上门安检说要换管子收三百，是真的吗', categoryId: 'utilities', urgency: 'normal' },
  { text: '夜班公交取消了，下夜班的工人只能走回家', categoryId: 'transport', urgency: 'normal' },
  { text: '网约车司机中途把我丢在高架下面，还扣了全程的钱', categoryId: 'transport', urgency: 'normal' },
  { text: '学校门口早晚高峰家长的车把路堵得死死的', categoryId: 'traffic-order', urgency: 'normal' },
  { text: '这个路口没有红绿灯，车速又快，上周刚撞了一个老人', categoryId: 'traffic-order', urgency: 'urgent' },
  { text: '洗车店的污水直接排进雨水管，流到河里都是泡沫', categoryId: 'pollution', urgency: 'normal' },
  { text: '隔壁厂房的机器二十四小时轰轰响，晚上睡不着觉', categoryId: 'pollution', urgency: 'normal' },
  { text: '孩子被分到离家八公里的学校，对口的学校说满了', categoryId: 'school', urgency: 'normal' },
  { text: '培训班老师在群里暗示不报班就跟不上', categoryId: 'school', urgency: 'normal' },
  { text: '社区篮球场的篮筐被人拆走了', categoryId: 'culture-sports', urgency: 'normal' },
  { text: '古镇景区停车场一小时收二十块，也没有公示', categoryId: 'tourism', urgency: 'normal' },
  { text: '装修队干完活老板不给钱，我们五个人的工钱拖了两个月', categoryId: 'wages', urgency: 'normal' },
  { text: '试用期干了三个月说我不合格，一分钱补偿都没有', categoryId: 'wages', urgency: 'normal' },
  { text: '异地转社保，转出地说办好了，转入地说没收到', categoryId: 'social-insurance', urgency: 'normal' },
  { text: '买药的时候医保卡显示余额被冻结了', categoryId: 'medical-insurance', urgency: 'normal' },
  { text: '社区医院晚上没有医生值班，孩子发高烧只能去市里', categoryId: 'health', urgency: 'urgent' },
  { text: '药店把过期的感冒药重新贴了标签在卖', categoryId: 'food-drug', urgency: 'normal' },
  { text: '菜市场卖的猪肉有股怪味，怀疑是注水肉', categoryId: 'food-drug', urgency: 'normal' },
  { text: '网上买的空气净化器标的除甲醛，检测一点用都没有', categoryId: 'market', urgency: 'normal' },
  { text: '加油站加的油不足量，加满才四十升，油箱是五十升的', categoryId: 'market', urgency: 'normal' },
  { text: '小区里有人半夜撬车门，好几辆车的玻璃都被砸了', categoryId: 'public-security', urgency: 'normal' },
  { text: '有人冒充社区工作人员上门收什么登记费，大家别信', categoryId: 'public-security', urgency: 'normal' },
  { text: '家里八十多岁的老父亲走丢了，穿灰色外套，有人看到吗', categoryId: 'public-security', urgency: 'critical' },
  { text: '我妈退休后一直一个人住，想申请社区的助餐服务', categoryId: 'civil-affairs', urgency: 'low' },
  { text: '村里修路的钱说是上面拨了，路到现在都没修', categoryId: 'agriculture', urgency: 'normal' },
  { text: '旁边村子有人在耕地上盖厂房', categoryId: 'land', urgency: 'normal' },
]

export const HELD_OUT_URGENCY: readonly { text: string, urgency: ChatReport['urgency'] }[] = [
  { text: '地下室冒出好大的烟，还有焦味', urgency: 'critical' },
  { text: '一个小孩爬到了五楼窗户外面的空调架上', urgency: 'critical' },
  { text: '楼梯扶手松了，老人上下楼扶着晃', urgency: 'urgent' },
  { text: '家里突然没有热水也没有暖气，宝宝才三个月', urgency: 'urgent' },
  { text: '请尽快！！！十万火急！！！小区公告栏的字褪色了', urgency: 'normal' },
  { text: 'EMERGENCY!! the vending machine ate my coins', urgency: 'normal' },
  { text: '想问一下垃圾分类的积分怎么兑换', urgency: 'low' },
  { text: 'could the library open on sundays? just a suggestion', urgency: 'low' },
]

export const HELD_OUT_NON_REPORTS: readonly ChatNonReport[] = [
  { text: '各位邻居中午好🌞', reason: 'greeting' },
  { text: '感谢网格员今天上门帮忙🌹', reason: 'thanks' },
  { text: '本周末小区门口有免费义诊，欢迎参加，咨询电话88886666', reason: 'advertisement' },
  { text: '私人订制蛋糕，加V：cake888，送货上门', reason: 'advertisement' },
  { text: '嗯嗯', reason: 'chatter' },
  { text: '今天的晚霞好美啊', reason: 'chatter' },
  { text: '有人知道附近哪里能配钥匙吗', reason: 'question' },
  { text: '谁家小孩的滑板车落在楼下了？', reason: 'question' },
]
