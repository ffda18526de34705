/**
 * 广东省 and its 21 prefecture-level cities with their county-level units, with English names. 东莞 and
 * 中山 have no counties; their streets and towns stand in, as the operator's branches are organised there.
 * The cities are listed in the order the list was first written (the demo's ids follow it); their
 * official order, which the organisation tree follows, is that of their division codes (catalog.ts).
 */
import { CITY_INFO } from './catalog.js';

/** A county-level unit: its Chinese and English names. */
export type County = readonly [name: string, nameEn: string];

export interface CityData {
  code: string;
  name: string;
  nameEn: string;
  counties: readonly County[];
}

export const PROVINCE = { code: 'GD', name: '广东公司', nameEn: 'Guangdong Branch' };

export const CITIES: CityData[] = [
  {
    code: 'GZ', name: '广州', nameEn: 'Guangzhou',
    counties: [['越秀区', 'Yuexiu District'], ['海珠区', 'Haizhu District'], ['荔湾区', 'Liwan District'], ['天河区', 'Tianhe District'], ['白云区', 'Baiyun District'], ['黄埔区', 'Huangpu District'], ['番禺区', 'Panyu District'], ['花都区', 'Huadu District'], ['南沙区', 'Nansha District'], ['从化区', 'Conghua District'], ['增城区', 'Zengcheng District']],
  },
  {
    code: 'SZ', name: '深圳', nameEn: 'Shenzhen',
    counties: [['罗湖区', 'Luohu District'], ['福田区', 'Futian District'], ['南山区', 'Nanshan District'], ['宝安区', "Bao'an District"], ['龙岗区', 'Longgang District'], ['盐田区', 'Yantian District'], ['龙华区', 'Longhua District'], ['坪山区', 'Pingshan District'], ['光明区', 'Guangming District']],
  },
  { code: 'ZH', name: '珠海', nameEn: 'Zhuhai', counties: [['香洲区', 'Xiangzhou District'], ['斗门区', 'Doumen District'], ['金湾区', 'Jinwan District']] },
  {
    code: 'ST', name: '汕头', nameEn: 'Shantou',
    counties: [['龙湖区', 'Longhu District'], ['金平区', 'Jinping District'], ['濠江区', 'Haojiang District'], ['潮阳区', 'Chaoyang District'], ['潮南区', 'Chaonan District'], ['澄海区', 'Chenghai District'], ['南澳县', "Nan'ao County"]],
  },
  { code: 'FS', name: '佛山', nameEn: 'Foshan', counties: [['禅城区', 'Chancheng District'], ['南海区', 'Nanhai District'], ['顺德区', 'Shunde District'], ['三水区', 'Sanshui District'], ['高明区', 'Gaoming District']] },
  {
    code: 'SG', name: '韶关', nameEn: 'Shaoguan',
    counties: [['浈江区', 'Zhenjiang District'], ['武江区', 'Wujiang District'], ['曲江区', 'Qujiang District'], ['乐昌市', 'Lechang City'], ['南雄市', 'Nanxiong City'], ['始兴县', 'Shixing County'], ['仁化县', 'Renhua County'], ['翁源县', 'Wengyuan County'], ['新丰县', 'Xinfeng County'], ['乳源瑶族自治县', 'Ruyuan Yao Autonomous County']],
  },
  {
    code: 'HY', name: '河源', nameEn: 'Heyuan',
    counties: [['源城区', 'Yuancheng District'], ['东源县', 'Dongyuan County'], ['和平县', 'Heping County'], ['龙川县', 'Longchuan County'], ['紫金县', 'Zijin County'], ['连平县', 'Lianping County']],
  },
  {
    code: 'MZ', name: '梅州', nameEn: 'Meizhou',
    counties: [['梅江区', 'Meijiang District'], ['梅县区', 'Meixian District'], ['兴宁市', 'Xingning City'], ['大埔县', 'Dabu County'], ['丰顺县', 'Fengshun County'], ['五华县', 'Wuhua County'], ['平远县', 'Pingyuan County'], ['蕉岭县', 'Jiaoling County']],
  },
  { code: 'HZ', name: '惠州', nameEn: 'Huizhou', counties: [['惠城区', 'Huicheng District'], ['惠阳区', 'Huiyang District'], ['博罗县', 'Boluo County'], ['惠东县', 'Huidong County'], ['龙门县', 'Longmen County']] },
  { code: 'SW', name: '汕尾', nameEn: 'Shanwei', counties: [['城区', 'Chengqu District'], ['海丰县', 'Haifeng County'], ['陆丰市', 'Lufeng City'], ['陆河县', 'Luhe County']] },
  {
    code: 'DG', name: '东莞', nameEn: 'Dongguan',
    counties: [['莞城街道', 'Guancheng Subdistrict'], ['南城街道', 'Nancheng Subdistrict'], ['东城街道', 'Dongcheng Subdistrict'], ['万江街道', 'Wanjiang Subdistrict'], ['虎门镇', 'Humen Town'], ['长安镇', "Chang'an Town"], ['常平镇', 'Changping Town'], ['塘厦镇', 'Tangxia Town']],
  },
  {
    code: 'ZS', name: '中山', nameEn: 'Zhongshan',
    counties: [['石岐街道', 'Shiqi Subdistrict'], ['东区街道', 'Dongqu Subdistrict'], ['西区街道', 'Xiqu Subdistrict'], ['南区街道', 'Nanqu Subdistrict'], ['小榄镇', 'Xiaolan Town'], ['古镇镇', 'Guzhen Town'], ['三乡镇', 'Sanxiang Town']],
  },
  {
    code: 'JM', name: '江门', nameEn: 'Jiangmen',
    counties: [['蓬江区', 'Pengjiang District'], ['江海区', 'Jianghai District'], ['新会区', 'Xinhui District'], ['台山市', 'Taishan City'], ['开平市', 'Kaiping City'], ['鹤山市', 'Heshan City'], ['恩平市', 'Enping City']],
  },
  { code: 'YJ', name: '阳江', nameEn: 'Yangjiang', counties: [['江城区', 'Jiangcheng District'], ['阳东区', 'Yangdong District'], ['阳春市', 'Yangchun City'], ['阳西县', 'Yangxi County']] },
  {
    code: 'ZJ', name: '湛江', nameEn: 'Zhanjiang',
    counties: [['赤坎区', 'Chikan District'], ['霞山区', 'Xiashan District'], ['坡头区', 'Potou District'], ['麻章区', 'Mazhang District'], ['廉江市', 'Lianjiang City'], ['雷州市', 'Leizhou City'], ['吴川市', 'Wuchuan City'], ['遂溪县', 'Suixi County'], ['徐闻县', 'Xuwen County']],
  },
  { code: 'MM', name: '茂名', nameEn: 'Maoming', counties: [['茂南区', 'Maonan District'], ['电白区', 'Dianbai District'], ['高州市', 'Gaozhou City'], ['化州市', 'Huazhou City'], ['信宜市', 'Xinyi City']] },
  {
    code: 'ZQ', name: '肇庆', nameEn: 'Zhaoqing',
    counties: [['端州区', 'Duanzhou District'], ['鼎湖区', 'Dinghu District'], ['高要区', 'Gaoyao District'], ['四会市', 'Sihui City'], ['广宁县', 'Guangning County'], ['怀集县', 'Huaiji County'], ['封开县', 'Fengkai County'], ['德庆县', 'Deqing County']],
  },
  {
    code: 'QY', name: '清远', nameEn: 'Qingyuan',
    counties: [['清城区', 'Qingcheng District'], ['清新区', 'Qingxin District'], ['英德市', 'Yingde City'], ['连州市', 'Lianzhou City'], ['佛冈县', 'Fogang County'], ['阳山县', 'Yangshan County'], ['连山壮族瑶族自治县', 'Lianshan Zhuang and Yao Autonomous County'], ['连南瑶族自治县', 'Liannan Yao Autonomous County']],
  },
  { code: 'CZ', name: '潮州', nameEn: 'Chaozhou', counties: [['湘桥区', 'Xiangqiao District'], ['潮安区', "Chao'an District"], ['饶平县', 'Raoping County']] },
  { code: 'JY', name: '揭阳', nameEn: 'Jieyang', counties: [['榕城区', 'Rongcheng District'], ['揭东区', 'Jiedong District'], ['普宁市', 'Puning City'], ['揭西县', 'Jiexi County'], ['惠来县', 'Huilai County']] },
  { code: 'YF', name: '云浮', nameEn: 'Yunfu', counties: [['云城区', 'Yuncheng District'], ['云安区', "Yun'an District"], ['罗定市', 'Luoding City'], ['新兴县', 'Xinxing County'], ['郁南县', 'Yunan County']] },
];

const division = (city: CityData) => CITY_INFO[city.code]!.area;
/** A city's place in the official order of the province's cities (行政区划代码, GB/T 2260; 1: 广州). */
export const cityRank = (city: CityData) => CITIES.filter((c) => division(c) < division(city)).length + 1;

/** The demo's unit names: a county branch and its outlet, in both languages. */
export const countyUnitNames = ([name, nameEn]: County) => ({
  county: { name: `${name}分公司`, nameEn: `${nameEn} Branch` },
  outlet: { name: `${name}中心营业厅`, nameEn: `${nameEn} Central Outlet` },
});
