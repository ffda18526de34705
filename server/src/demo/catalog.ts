/** Word lists and code tables of the demo customers (广东, 2026). Codes stored in the DB are the English keys. */

/** The demo's "today": contracts expiring within 90 days of it, ages and tenures count from here. */
export const TODAY = '2026-11-25';
/** The 12 months of billing facts: 2025-11 … 2026-10. */
export const FACT_MONTHS = Array.from({ length: 12 }, (_, k) => {
  const d = new Date(Date.UTC(2025, 10 + k, 1));
  return d.toISOString().slice(0, 10);
});

/** Per city: 6-digit administrative prefix (without the county digits), telephone area code, share of customers. */
export const CITY_INFO: Record<string, { area: string; tel: string; weight: number }> = {
  GZ: { area: '4401', tel: '020', weight: 16 },
  SZ: { area: '4403', tel: '0755', weight: 16 },
  ZH: { area: '4404', tel: '0756', weight: 3 },
  ST: { area: '4405', tel: '0754', weight: 4 },
  FS: { area: '4406', tel: '0757', weight: 8 },
  SG: { area: '4402', tel: '0751', weight: 2 },
  HY: { area: '4416', tel: '0762', weight: 2 },
  MZ: { area: '4414', tel: '0753', weight: 2 },
  HZ: { area: '4413', tel: '0752', weight: 5 },
  SW: { area: '4415', tel: '0660', weight: 1.5 },
  DG: { area: '4419', tel: '0769', weight: 9 },
  ZS: { area: '4420', tel: '0760', weight: 4 },
  JM: { area: '4407', tel: '0750', weight: 4 },
  YJ: { area: '4417', tel: '0662', weight: 2 },
  ZJ: { area: '4408', tel: '0759', weight: 4 },
  MM: { area: '4409', tel: '0668', weight: 3.5 },
  ZQ: { area: '4412', tel: '0758', weight: 2.5 },
  QY: { area: '4418', tel: '0763', weight: 2.5 },
  CZ: { area: '4451', tel: '0768', weight: 2 },
  JY: { area: '4452', tel: '0663', weight: 3 },
  YF: { area: '4453', tel: '0766', weight: 1.5 },
};

/** GB/T 4754-2017 sections with the words a company name of that section uses, and a weight. */
export const INDUSTRIES: { code: string; weight: number; suffixes: string[] }[] = [
  { code: 'A', weight: 2, suffixes: ['农业发展有限公司', '生态农业有限公司', '水产养殖有限公司'] },
  { code: 'B', weight: 0.5, suffixes: ['矿业有限公司', '石材开采有限公司'] },
  { code: 'C', weight: 22, suffixes: ['电子有限公司', '机械制造有限公司', '塑胶制品有限公司', '家具有限公司', '五金制品有限公司', '陶瓷有限公司', '服装有限公司', '食品有限公司', '电器股份有限公司', '新材料科技有限公司'] },
  { code: 'D', weight: 1, suffixes: ['电力有限公司', '燃气有限公司', '新能源有限公司'] },
  { code: 'E', weight: 7, suffixes: ['建筑工程有限公司', '建设集团有限公司', '装饰工程有限公司'] },
  { code: 'F', weight: 16, suffixes: ['贸易有限公司', '商贸有限公司', '进出口有限公司', '连锁超市有限公司', '医药连锁有限公司'] },
  { code: 'G', weight: 6, suffixes: ['物流有限公司', '运输有限公司', '供应链管理有限公司', '客运有限公司'] },
  { code: 'H', weight: 5, suffixes: ['酒店管理有限公司', '餐饮管理有限公司', '大酒店有限公司'] },
  { code: 'I', weight: 10, suffixes: ['科技有限公司', '信息技术有限公司', '网络科技有限公司', '软件有限公司', '数据科技有限公司'] },
  { code: 'J', weight: 3, suffixes: ['投资有限公司', '融资租赁有限公司', '小额贷款有限公司'] },
  { code: 'K', weight: 5, suffixes: ['房地产开发有限公司', '物业管理有限公司', '置业有限公司'] },
  { code: 'L', weight: 7, suffixes: ['企业管理咨询有限公司', '人力资源有限公司', '广告有限公司', '会展服务有限公司'] },
  { code: 'M', weight: 3, suffixes: ['检测技术有限公司', '工程设计有限公司', '生物科技有限公司'] },
  { code: 'N', weight: 1, suffixes: ['环保科技有限公司', '园林绿化有限公司'] },
  { code: 'O', weight: 2, suffixes: ['家政服务有限公司', '汽车维修有限公司'] },
  { code: 'P', weight: 3, suffixes: ['教育科技有限公司', '职业培训学校', '实验学校'] },
  { code: 'Q', weight: 2, suffixes: ['医院', '医疗器械有限公司', '健康管理有限公司'] },
  { code: 'R', weight: 2, suffixes: ['文化传媒有限公司', '体育发展有限公司', '影视文化有限公司'] },
  { code: 'S', weight: 1.5, suffixes: ['政务服务中心', '街道办事处', '人力资源和社会保障局'] },
];

/** 字号 (trade names) of companies: two characters, as real ones mostly are. */
export const TRADE_NAMES =
  '恒信 华润 粤海 新城 宏达 金盛 永利 嘉禾 汇丰 安盛 鸿图 景泰 锦程 中天 天信 瑞丰 众诚 海德 南方 珠江 岭南 天成 博远 创新 星河 卓越 富安 宝利 联合 万达 美好 佳兴 和信 利达 荣昌 立信 德盛 名扬 兴业 广信 东升 华辉 新世纪 精工 科达 雅居 绿源 金鹏 奥华 凯旋 东方 三和 顺达 益民 长青 诚信 隆盛 通达 泰和 聚能 云帆 智汇 腾飞 信达 骏马 国泰'.split(' ');

export const REVENUE_BANDS = ['<500万', '500万-2000万', '2000万-1亿', '1亿-10亿', '>10亿'];

export const ROADS = '人民路 中山路 解放路 建设路 环城路 东风路 新华路 工业大道 滨江路 迎宾大道 创业路 科技路 文化路 青年路 金融街 商业街 朝阳路 沿江路 学府路 体育路'.split(' ');

export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡余杜叶程苏魏吕丁任沈姚卢钟谭陆汪范金廖贾夏韦方白邹熊邱江黎'.split('');
/** Guangdong's common surnames come more often (陈李黄张梁林刘吴罗郑). */
export const SURNAMES_GD = '陈李黄张梁林刘吴罗郑何杨周谢叶'.split('');
export const GIVEN_CHARS = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玲红建国志海燕晓东文博嘉怡子轩浩然梓涵宇航思远雨婷俊欣颖锦辉荣坤健斌丹雪琳慧'.split('');

export const BRANDS = [
  { code: 'gotone', weight: 60, plans: ['全球通尊享套餐588元', '全球通尊享套餐388元', '全球通畅享套餐288元', '全球通畅享套餐188元', '全球通5G套餐128元'] },
  { code: 'mzone', weight: 20, plans: ['动感地带5G套餐98元', '动感地带芒果卡58元', '动感地带潮玩卡39元'] },
  { code: 'easyown', weight: 20, plans: ['神州行5G智享套餐68元', '神州行畅听卡38元', '神州行守护卡19元'] },
];
export const GROUP_PLANS = ['集团商务5G套餐398元', '集团统付5G套餐298元', '集团V网成员套餐128元', '移动总机坐席套餐200元', '集团尊享5G套餐598元', '物联网专用套餐30元'];

export const JOB_TITLES = ['总经理', '董事长', '副总经理', '部门经理', '高级工程师', '律师', '医生', '教师', '公务员', '个体经营者', '财务总监', '销售总监', '项目经理', '自由职业'];
export const PREFERENCES = ['高尔夫', '茶艺', '摄影', '自驾游', '羽毛球', '健身', '粤剧', '收藏', '钓鱼', '美食', '阅读', '马拉松', '红酒', '书法'];
export const SERVICE_PREFS = ['上门服务', '专属客服', '短信提醒', '免打扰', '机场贵宾厅', '优先办理'];
export const CONTACT_CHANNELS = [
  { code: 'phone', weight: 45 },
  { code: 'wechat', weight: 30 },
  { code: 'sms', weight: 15 },
  { code: 'email', weight: 5 },
  { code: 'visit', weight: 5 },
];
export const IT_NEEDS = ['视频会议系统升级', '多地分支机构组网专线', '业务系统上云迁移', '网络安全防护', '5G专网与物联网', '呼叫中心建设', '千兆光纤接入'];

export const KEY_PERSON_ROLES: { role: string; titles: string[] }[] = [
  { role: 'decision_maker', titles: ['董事长', '总经理', '副总经理', '院长', '主任'] },
  { role: 'it_contact', titles: ['信息部经理', 'IT主管', '网络管理员', '信息中心主任'] },
  { role: 'finance_contact', titles: ['财务总监', '财务经理', '会计主管'] },
  { role: 'other', titles: ['行政主管', '办公室主任', '采购经理'] },
];

/** Our products for group customers, with a typical monthly fee (元). */
export const OUR_GROUP_PRODUCTS: [string, number][] = [
  ['集团V网', 300],
  ['互联网专线', 3000],
  ['数据专线', 5000],
  ['移动总机', 800],
  ['企业短信', 500],
  ['云视讯', 1200],
  ['移动云主机', 2000],
  ['和对讲', 400],
  ['物联网卡', 600],
  ['5G专网', 20000],
];
export const OUR_PERSONAL_PRODUCTS: [string, number][] = [
  ['家庭宽带千兆', 129],
  ['咪咕视频钻石会员', 30],
  ['和彩云', 10],
  ['移动看家', 15],
];
export const COMPETITORS: { name: string; products: [string, number][] }[] = [
  { name: '中国电信', products: [['天翼云', 3000], ['电信互联网专线', 2500], ['电信宽带', 150], ['天翼云电脑', 600]] },
  { name: '中国联通', products: [['联通数据专线', 4000], ['沃云', 1500], ['联通宽带', 120]] },
  { name: '中国广电', products: [['广电宽带', 99], ['广电5G套餐', 58]] },
];

export const CONTRACT_TITLES = ['集团V网业务合作协议', '互联网专线服务合同', '移动总机服务协议', '企业短信服务合同', '云视讯服务协议', '5G专网建设合同'];

/** Reasons of moves into the retained archive (保留档案库) and how the customer's numbers end. */
export const RETAIN_REASONS: { code: string; label: string; weight: number; subStatus: string }[] = [
  { code: 'port_out', label: '携号转网', weight: 50, subStatus: 'ported_out' },
  { code: 'closure', label: '销户', weight: 30, subStatus: 'closed' },
  { code: 'lost_status', label: '降级（不再满足大客户标准）', weight: 20, subStatus: 'normal' },
];

export const VISIT_CHANNELS = ['visit', 'phone', 'wechat', 'meeting'];
export const VISIT_SUMMARIES = [
  '走访客户，了解近期通信需求，介绍5G套餐升级方案',
  '电话回访，客户对网络质量满意，提出账单明细需求',
  '上门拜访关键人，沟通专线扩容及合同续签事宜',
  '微信沟通，确认新增成员号码及集团V网入网',
  '年度服务座谈，收集对营业厅服务的意见',
  '生日关怀，赠送积分兑换礼品',
];
export const CHANGE_SOURCES = ['boss_import', 'manager_visit', 'self_report', 'service_agent'];
