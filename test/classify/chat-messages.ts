import type { Urgency } from '#root/classify/classification.js'
/**
 * Messages as residents type them into a community group chat, written for these tests (no real person's words):
 * typos, emoji, English mixed in, several problems at once, urgency shouted without cause, and messages that are
 * not reports at all. Each report carries the category and department a dispatcher would route it to and the
 * urgency its content warrants:
 * - critical: danger to life or property now (gas, fire, live wire, someone trapped, collapse, water entering homes);
 * - urgent: an outage or damage happening now, a standing hazard that could hurt someone, or vulnerable people
 *   (the elderly living alone, children, the sick, pregnant women, disabled people) harmed by the problem;
 * - normal: a problem to fix in the ordinary course, however loudly it is asked for;
 * - low: a question or suggestion with no time pressure.
 */
import type { NotReportReason } from '#root/classify/non-report.js'

export interface ChatReport {
  text: string
  categoryId: string
  /** Only when a dispatcher would send it elsewhere than the category's own department. */
  departmentId?: string
  urgency: Urgency
}

export interface ChatNonReport {
  text: string
  reason: NotReportReason
}

function report(categoryId: string, urgency: Urgency, text: string, departmentId?: string): ChatReport {
  return departmentId ? { text, categoryId, urgency, departmentId } : { text, categoryId, urgency }
}

export const CHAT_REPORTS: readonly ChatReport[] = [
  // property
  report('property', 'urgent', '3栋电梯又坏了😡 我家老人82岁住18楼根本下不去，物业说等配件等一周？？'),
  report('property', 'normal', '物叶天天不见人，楼道里堆的纸箱子半个月了也没人清'),
  report('property', 'normal', '紧急！！！必须今天处理！！！物业费凭什么又涨了，业主群里都炸了'),
  report('property', 'normal', '小区门禁坏了一个多月，谁都能进来，保安也不管'),
  report('property', 'normal', '地下车库的灯一半不亮，停个车跟摸黑一样，跟物业讲了三次了'),
  report('property', 'normal', 'property mgmt still hasnt fixed the gate at block 5, been 2 weeks already 🙄'),
  report('property', 'normal', '请大家评评理，物业把小区绿地改成收费车位了，业委会也没开会'),
  report('property', 'critical', '电梯困人！！5号楼电梯卡在12楼和13楼中间，里面有个小孩在哭，物业电话打不通'),
  report('property', 'urgent', '顶楼漏水漏到家里了，天花板一直往下滴，物业说找开发商，开发商说找物业'),
  report('property', 'normal', '高空抛物又来了，楼下车顶被砸了个坑，物业调监控说看不清'),
  // housing-market
  report('housing-market', 'normal', '开发商说好6月交房 现在都11月了还没消息，购房合同有啥用'),
  report('housing-market', 'normal', '买的精装房墙面开裂空鼓，开发商一直拖着不修'),
  report('housing-market', 'low', '想问下公租房怎么申请，需要哪些材料？不急，先了解一下'),
  report('housing-market', 'normal', '房东押金不退还拉黑我了，租房合同写得清清楚楚'),
  report('housing-market', 'normal', '交房两年了房产证还办不下来，问开发商就说在走流程'),
  report('housing-market', 'low', 'How do I withdraw my housing fund (公积金) when I leave the city? no rush'),
  // construction
  report('construction', 'normal', '旁边工地半夜两点还在打桩🔨🔨🔨 明天还要上班啊大哥们'),
  report('construction', 'normal', '隔壁工地施工扬尘太大 阳台上全是灰 窗户都不敢开'),
  report('construction', 'urgent', '工地的塔吊吊着钢筋从我们小区幼儿园上空转来转去，太吓人了'),
  report('construction', 'normal', '老旧小区改造搞了半年，路挖开就没人管了，工程质量也很差'),
  report('construction', 'critical', '工地基坑边上的路面在往下沉，裂缝越来越大，旁边就是居民楼，现在人都跑出来了'),
  // demolition
  report('demolition', 'normal', '拆迁补偿款说好年底前发，到现在一分没见到，征收办电话没人接'),
  report('demolition', 'normal', '回迁房拖了四年还没建好，过渡费也停发了'),
  report('demolition', 'critical', '有人开着挖机来强拆我们家房子，我妈还在屋里！！'),
  // city-appearance
  report('city-appearance', 'normal', '垃圾站三天没人清运了🤢 臭得不行，苍蝇到处飞'),
  report('city-appearance', 'normal', '菜市场门口流动摊贩把路都占满了，电动车都过不去'),
  report('city-appearance', 'normal', '小区里遛狗不牵绳，狗屎到处都是，说了还骂人'),
  report('city-appearance', 'normal', 'trash bins at the east gate overflowing again, smells awful in this heat'),
  report('city-appearance', 'normal', '楼下烧烤摊每天占道经营到凌晨，地上全是竹签子和油'),
  report('city-appearance', 'urgent', '小区里有条流浪大狗追着小孩咬，已经咬伤一个了，大家接送孩子注意'),
  report('city-appearance', 'normal', '电线杆上贴满了小广告，刚撕完第二天又贴上'),
  // illegal-building
  report('illegal-building', 'normal', '顶楼那户在楼顶搭了个铁皮房，还接了水电，这不是违建吗'),
  report('illegal-building', 'normal', '一楼住户把院子圈起来盖了个阳光房，占了公共绿地'),
  report('illegal-building', 'urgent', '楼上装修把承重墙砸了！！我家墙上已经出现裂缝了'),
  report('illegal-building', 'normal', '隔壁店铺私自扩建，把消防通道都占了一半'),
  // municipal
  report('municipal', 'normal', '和平路那段路灯坏了一个星期了，晚上黑漆漆的'),
  report('municipal', 'urgent', '学校门口的井盖不见了！！一个大黑洞，放学小孩多，谁来管管'),
  report('municipal', 'normal', '幸福路上好多坑，电动车骑过去颠得要死，下雨全是水坑'),
  report('municipal', 'critical', '人民路口路面突然塌了个大坑，一辆车掉进去了，快来人'),
  report('municipal', 'urgent', '一下雨小区门口就淹，水漫到一楼门口了，下水道堵了'),
  report('municipal', 'normal', 'the streetlight on Park Road has been out for days, super dark walking home'),
  report('municipal', 'critical', '大风把路边的大树刮倒了，压在电线上，还有火花，行人还在旁边走'),
  report('municipal', 'normal', '人行道地砖松了好多块，一踩就溅一身泥水'),
  // utilities
  report('utilities', 'urgent', '我们这栋楼从昨天晚上就停水了，到现在都没来，也没通知'),
  report('utilities', 'urgent', '没电了⚡️整栋楼都黑了，冰箱里的药要冷藏，家里有病人'),
  report('utilities', 'critical', '楼道里好大一股煤气味！！！大家千万别开灯别打火，谁有燃气公司电话'),
  report('utilities', 'urgent', '暖气一点都不热，家里才12度，老人孩子都冻感冒了'),
  report('utilities', 'normal', '这个月水费比平时多了三倍，水表是不是坏了'),
  report('utilities', 'normal', '小区手机信号太差了，在家打电话都要跑到阳台上'),
  report('utilities', 'urgent', 'no water since this morning in building 7, anyone else?? need to cook for the baby'),
  report('utilities', 'normal', '宽带故障报修三天了，联通一直说派人，人呢'),
  report('utilities', 'critical', '路边一根电线断了掉在地上，还在冒火花，下雨天好多人经过'),
  report('utilities', 'normal', '自来水有点黄，烧开了有水垢，能不能检测一下水质'),
  // transport
  report('transport', 'normal', '88路公交车半小时都不来一趟，早高峰根本挤不上去'),
  report('transport', 'normal', '出租车司机不打表 从火车站到这里要我80块'),
  report('transport', 'normal', '快递丢了，快递公司客服一直踢皮球'),
  report('transport', 'low', '建议在新小区门口加一个公交站，现在要走1公里去坐车'),
  report('transport', 'normal', '村里那条路坑坑洼洼好几年了，村村通公路说修一直没修', 'transport'),
  report('transport', 'normal', 'bus 12 driver skipped our stop again this morning, third time this week'),
  // traffic-order
  report('traffic-order', 'normal', '天天有车违停在小区门口的人行道上，交警也不来贴条'),
  report('traffic-order', 'urgent', '学校门口的红绿灯坏了两天，孩子们过马路太危险了'),
  report('traffic-order', 'normal', '晚上总有人飙车炸街，轰轰轰的吵得一晚上睡不着'),
  report('traffic-order', 'normal', '电动车逆行的太多了，这个路口天天剐蹭'),
  report('traffic-order', 'critical', '高架桥下面刚出了车祸，两辆车撞了，有人受伤躺在地上，快叫人'),
  report('traffic-order', 'normal', '有人的车停在消防通道上三天了，堵着不挪'),
  // pollution
  report('pollution', 'normal', '附近的工厂晚上偷排废气，一股刺鼻的味道，窗户都不敢开'),
  report('pollution', 'normal', '楼下饭店油烟直接往我们家窗户里灌，墙都黑了'),
  report('pollution', 'normal', '广场舞音响每天开到晚上十点，声音大得吓人😫'),
  report('pollution', 'normal', '河水又黑又臭，还有死鱼漂着，是不是有人往河里排污'),
  report('pollution', 'urgent', '化工厂那边冒黄烟，味道呛得人咳嗽，小区里好多老人孩子'),
  report('pollution', 'normal', 'someone is burning trash in the field behind our building every night, the smoke comes into our flat'),
  report('pollution', 'normal', '楼下空调外机噪音太大，嗡嗡响整夜'),
  // school
  report('school', 'normal', '孩子学校又要交资料费，说是自愿其实不交不行'),
  report('school', 'low', '请问明年小孩上小学，户口在这个小区能上哪个学校？'),
  report('school', 'normal', '幼儿园老师打孩子，孩子回来胳膊上有印子，园长不承认'),
  report('school', 'normal', '学校食堂的饭菜太差了，孩子天天饿着肚子回家'),
  report('school', 'normal', 'teacher keeps forcing kids to buy extra workbooks from her, is that allowed?'),
  report('school', 'urgent', '学校门口天天有社会青年堵着学生要钱，孩子都不敢去上学了'),
  // culture-sports
  report('culture-sports', 'normal', '社区的健身器材坏了好久，单杠都锈断了'),
  report('culture-sports', 'normal', '楼下新开的网吧让未成年人进去上网，通宵的'),
  report('culture-sports', 'low', '建议社区图书馆周末也开放，上班族平时没时间去'),
  // tourism
  report('tourism', 'normal', '跟团去景区被导游拉去购物店，不买就甩脸色，旅行社不退钱'),
  report('tourism', 'normal', '景区门票说好半价，到了门口又说节假日不算，坑人'),
  report('tourism', 'normal', 'hotel near the scenic area charged us double during the holiday, is this legal'),
  // wages
  report('wages', 'normal', '老板拖欠我们三个月工资了，过年都回不了家😭'),
  report('wages', 'normal', '在工地干了一年活 包工头跑了 工钱一分没拿到'),
  report('wages', 'normal', '公司没签劳动合同，现在把我辞退了一分补偿不给'),
  report('wages', 'normal', 'my boss hasnt paid me for 2 months and now hes not answering calls'),
  report('wages', 'normal', '加班到晚上十点，周末也要上班，加班费一分没有'),
  report('wages', 'normal', '紧急紧急紧急！！！！！！工资少发了两百'),
  // social-insurance
  report('social-insurance', 'normal', '单位一直没给我交社保，快退休了才发现断缴了好几年'),
  report('social-insurance', 'low', '请问灵活就业人员怎么交养老保险？在网上没找到'),
  report('social-insurance', 'normal', '退休金这个月没到账，社保局说系统问题，都半个月了'),
  // medical-insurance
  report('medical-insurance', 'normal', '在外地住院花了三万，回来医保报销说手续不全，来回跑了五趟'),
  report('medical-insurance', 'low', '想问下异地就医备案在哪里办？下个月要去上海看病'),
  report('medical-insurance', 'normal', '药店刷医保卡要加收手续费，这合理吗'),
  // health
  report('health', 'normal', '医院挂号排了三个小时，医生看了两分钟就让去做一堆检查'),
  report('health', 'normal', '社区卫生服务中心的疫苗老是没货，孩子的针都推迟两次了'),
  report('health', 'critical', '我爸突然晕倒叫不醒，打了120半小时还没来，怎么办啊'),
  report('health', 'normal', '小区旁边有个黑诊所，没执照还在给人打吊针'),
  // market
  report('market', 'normal', '健身房办了年卡才两个月，老板跑路了😤 几十个人都没退钱'),
  report('market', 'normal', '超市的菜价标签和收银价格不一样，每次都多收几块'),
  report('market', 'normal', '网上买的电动车电池是假的，商家不给退'),
  report('market', 'normal', '楼下那个理发店办卡的时候说不限次，现在又要加钱'),
  report('market', 'normal', 'the phone shop on 2nd floor sold me a refurbished phone as new and refuses refund'),
  // food-drug
  report('food-drug', 'normal', '在楼下快餐店吃出一只蟑螂🤮 老板还说是花椒'),
  report('food-drug', 'urgent', '学校门口小卖部卖过期辣条，好几个孩子吃了拉肚子'),
  report('food-drug', 'normal', '外卖店后厨脏得要命，老鼠在操作台上跑'),
  report('food-drug', 'critical', '婚宴吃完一桌人都上吐下泻，有两个老人已经站不起来了，疑似食物中毒'),
  // public-security
  report('public-security', 'normal', '昨晚车棚里的电动车被偷了，监控也是坏的'),
  report('public-security', 'urgent', '最近小区里有个陌生男的老跟着放学的女孩子，家长们小心，能不能加强巡逻'),
  report('public-security', 'critical', '楼下有人拿刀打架！！！已经有人流血了'),
  report('public-security', 'normal', '接到冒充公检法的诈骗电话，骗走了我妈两万块钱，派出所说立案了就没下文'),
  report('public-security', 'urgent', '楼道里好几户在飞线给电动车充电，电线拖得到处都是，早晚出事'),
  report('public-security', 'low', '想问下孩子上户口需要带什么？新生儿的'),
  // civil-affairs
  report('civil-affairs', 'urgent', '隔壁独居的王奶奶两天没出门了，敲门也没人应，大家帮忙看看'),
  report('civil-affairs', 'normal', '申请低保交了材料三个月没消息，家里就靠我一个人打零工'),
  report('civil-affairs', 'low', '残疾人两项补贴怎么申请？家里有个重度残疾的弟弟'),
  report('civil-affairs', 'normal', '小区里有人乱搭灵堂办丧事，吹吹打打三天了'),
  // agriculture
  report('agriculture', 'normal', '村里的账目好几年没公开过，村干部说不清钱去哪了'),
  report('agriculture', 'normal', '土地流转费拖了两年没给，村委会说公司还没打款'),
  report('agriculture', 'critical', '水库的堤坝在渗水，越来越大，下游就是村子！！'),
  report('agriculture', 'normal', '买到假种子，一亩地的玉米都没出苗，卖种子的不认账'),
  report('agriculture', 'normal', '有人在河里电鱼，鱼都电死了一片'),
  // land
  report('land', 'normal', '村边的基本农田被人挖了个大坑在取土卖'),
  report('land', 'normal', '不动产登记中心办个证要跑好几趟，材料一次说不清'),
  report('land', 'urgent', '后山这两天一直在掉石头，雨再下怕要滑坡，山脚下住着好几户'),
  // several problems at once: the first and main one decides
  report('property', 'normal', '物业的问题说一下：1.电梯老是停 2.垃圾不及时清 3.绿化没人剪，交了物业费什么都不干'),
  report('municipal', 'urgent', '路灯不亮 + 井盖松动 + 路面坑，东门那条路晚上根本不敢走'),
  report('pollution', 'normal', '楼下烧烤店油烟大、噪音大，还占道摆桌子，每天到两点'),
  report('utilities', 'urgent', '停电又停水😩😩 热水器用不了 手机也快没电了 到底什么时候来电'),
  report('wages', 'normal', '工厂拖欠工资还不给交社保，我们十几个工人都是这样'),
]

/** Cases for urgency alone, beyond the reports above: danger in few words, and urgency demanded without cause. */
export const URGENCY_CASES: readonly { text: string, urgency: Urgency }[] = [
  { text: '着火了着火了 2单元3楼冒黑烟！！！', urgency: 'critical' },
  { text: 'gas smell in the hallway of block 3, really strong', urgency: 'critical' },
  { text: '有人掉河里了，桥下面，快', urgency: 'critical' },
  { text: '小孩被锁在车里了，太阳这么大，车主不在', urgency: 'critical' },
  { text: '楼上的阳台玻璃掉下来了，还有一块摇摇欲坠，下面就是人行道', urgency: 'critical' },
  { text: '配电箱在冒烟，还有噼里啪啦的声音', urgency: 'critical' },
  { text: '地下车库进水了，水已经到膝盖，还在涨', urgency: 'critical' },
  { text: 'someone collapsed at the bus stop and is not breathing properly', urgency: 'critical' },
  { text: '电瓶车在楼道里烧起来了', urgency: 'critical' },
  { text: '外墙脱落的瓷砖已经砸到人了，头破了', urgency: 'critical' },
  { text: '家里的水管爆了，水一直喷，总阀关不上', urgency: 'urgent' },
  { text: '化粪池堵了，污水从一楼地漏往外冒', urgency: 'urgent' },
  { text: '楼下井盖松动，晚上看不见，很容易踩空', urgency: 'urgent' },
  { text: '独居老人家的暖气坏了，屋里冷得不行', urgency: 'urgent' },
  { text: '小区里有条狗咬了人，狗主人不管，还在外面跑', urgency: 'urgent' },
  { text: '停电快一天了，家里有用呼吸机的病人', urgency: 'urgent' },
  { text: 'the lift has been down for 3 days and my neighbour in a wheelchair cant get out', urgency: 'urgent' },
  { text: '楼道里的电线外皮都破了，裸露在外面，孩子们经常摸', urgency: 'urgent' },
  { text: '紧急！！！必须今天处理！！！小区的健身器材掉漆了', urgency: 'normal' },
  { text: 'URGENT!!! please fix the bench in the park today!!!', urgency: 'normal' },
  { text: '十万火急‼️ 楼下的快递柜收费太贵了', urgency: 'normal' },
  { text: '特急特急！马上处理！物业的保安态度太差', urgency: 'normal' },
  { text: '急急急！！！路边的广告牌有点旧了，影响市容', urgency: 'normal' },
  { text: '必须马上处理！不然我就打12345投诉到底！垃圾桶颜色不对', urgency: 'normal' },
  { text: '火速解决！！！公交站的站牌字太小看不清', urgency: 'normal' },
  { text: '非常紧急 立刻马上 我的快递三天了还没到', urgency: 'normal' },
  { text: 'ASAP!!!! the parking fee went up again', urgency: 'normal' },
  { text: '请问办居住证要多长时间？', urgency: 'low' },
  { text: '想了解一下老旧小区加装电梯的政策，有空回复就行', urgency: 'low' },
  { text: '建议公园里多设几个垃圾桶', urgency: 'low' },
  { text: '咨询一下，社保卡丢了怎么补办', urgency: 'low' },
  { text: 'just wondering how to apply for a library card, no hurry', urgency: 'low' },
  { text: '火锅店的油烟太大了', urgency: 'normal' },
  { text: '电梯的防火门关不上，一直开着', urgency: 'normal' },
  { text: '上次说的着火的事已经处理好了，谢谢', urgency: 'normal' },
]

/** Not reports: greetings, thanks, advertisements, chatter, questions for the group. */
export const CHAT_NON_REPORTS: readonly ChatNonReport[] = [
  { text: '大家好👋', reason: 'greeting' },
  { text: '早上好☀️', reason: 'greeting' },
  { text: 'hi everyone', reason: 'greeting' },
  { text: '新人报到，请多关照', reason: 'greeting' },
  { text: '晚安各位', reason: 'greeting' },
  { text: '在吗', reason: 'greeting' },
  { text: '谢谢！问题已经解决了👍', reason: 'thanks' },
  { text: '感谢物业师傅，昨天修得很快', reason: 'thanks' },
  { text: 'thanks a lot, all fixed now 🙏', reason: 'thanks' },
  { text: '辛苦了辛苦了', reason: 'thanks' },
  { text: '收到，谢谢', reason: 'thanks' },
  { text: '好的👌', reason: 'chatter' },
  { text: '哈哈哈哈哈', reason: 'chatter' },
  { text: '今天天气真好', reason: 'chatter' },
  { text: '😂😂😂', reason: 'chatter' },
  { text: '有人一起拼车去机场吗', reason: 'question' },
  { text: '谁家有多余的纸箱子？搬家用', reason: 'question' },
  { text: '附近哪家理发店好一点？', reason: 'question' },
  { text: '请问群里有人知道小区快递点几点关门吗', reason: 'question' },
  { text: 'does anyone know a good plumber?', reason: 'question' },
  { text: '有没有人捡到一串钥匙，上面有个小熊挂件', reason: 'question' },
  { text: '【限时特惠】家电清洗99元三件，加微信xx123预约', reason: 'advertisement' },
  { text: '专业疏通下水道、开锁换锁，电话13800000000', reason: 'advertisement' },
  { text: '新店开业全场五折，扫码进群领优惠券🎁', reason: 'advertisement' },
  { text: '兼职刷单日结300，宝妈学生都可以，私聊', reason: 'advertisement' },
  { text: '出售二手婴儿车，九成新，200元，需要的私我', reason: 'advertisement' },
  { text: 'Cheap loans, no credit check, DM me', reason: 'advertisement' },
  { text: '楼下新开的面馆挺好吃的，推荐', reason: 'chatter' },
  { text: '明天几点开会来着', reason: 'question' },
  { text: '+1', reason: 'chatter' },
]
