/**
 * 广东省 and its 21 prefecture-level cities with their county-level units. 东莞 and 中山 have no
 * counties; their streets and towns stand in, as the operator's branches are organised there.
 */
export interface CityData {
  code: string;
  name: string;
  nameEn: string;
  counties: string[];
}

export const PROVINCE = { code: 'GD', name: '广东公司', nameEn: 'Guangdong Branch' };

export const CITIES: CityData[] = [
  { code: 'GZ', name: '广州', nameEn: 'Guangzhou', counties: ['越秀区', '海珠区', '荔湾区', '天河区', '白云区', '黄埔区', '番禺区', '花都区', '南沙区', '从化区', '增城区'] },
  { code: 'SZ', name: '深圳', nameEn: 'Shenzhen', counties: ['罗湖区', '福田区', '南山区', '宝安区', '龙岗区', '盐田区', '龙华区', '坪山区', '光明区'] },
  { code: 'ZH', name: '珠海', nameEn: 'Zhuhai', counties: ['香洲区', '斗门区', '金湾区'] },
  { code: 'ST', name: '汕头', nameEn: 'Shantou', counties: ['龙湖区', '金平区', '濠江区', '潮阳区', '潮南区', '澄海区', '南澳县'] },
  { code: 'FS', name: '佛山', nameEn: 'Foshan', counties: ['禅城区', '南海区', '顺德区', '三水区', '高明区'] },
  { code: 'SG', name: '韶关', nameEn: 'Shaoguan', counties: ['浈江区', '武江区', '曲江区', '乐昌市', '南雄市', '始兴县', '仁化县', '翁源县', '新丰县', '乳源瑶族自治县'] },
  { code: 'HY', name: '河源', nameEn: 'Heyuan', counties: ['源城区', '东源县', '和平县', '龙川县', '紫金县', '连平县'] },
  { code: 'MZ', name: '梅州', nameEn: 'Meizhou', counties: ['梅江区', '梅县区', '兴宁市', '大埔县', '丰顺县', '五华县', '平远县', '蕉岭县'] },
  { code: 'HZ', name: '惠州', nameEn: 'Huizhou', counties: ['惠城区', '惠阳区', '博罗县', '惠东县', '龙门县'] },
  { code: 'SW', name: '汕尾', nameEn: 'Shanwei', counties: ['城区', '海丰县', '陆丰市', '陆河县'] },
  { code: 'DG', name: '东莞', nameEn: 'Dongguan', counties: ['莞城街道', '南城街道', '东城街道', '万江街道', '虎门镇', '长安镇', '常平镇', '塘厦镇'] },
  { code: 'ZS', name: '中山', nameEn: 'Zhongshan', counties: ['石岐街道', '东区街道', '西区街道', '南区街道', '小榄镇', '古镇镇', '三乡镇'] },
  { code: 'JM', name: '江门', nameEn: 'Jiangmen', counties: ['蓬江区', '江海区', '新会区', '台山市', '开平市', '鹤山市', '恩平市'] },
  { code: 'YJ', name: '阳江', nameEn: 'Yangjiang', counties: ['江城区', '阳东区', '阳春市', '阳西县'] },
  { code: 'ZJ', name: '湛江', nameEn: 'Zhanjiang', counties: ['赤坎区', '霞山区', '坡头区', '麻章区', '廉江市', '雷州市', '吴川市', '遂溪县', '徐闻县'] },
  { code: 'MM', name: '茂名', nameEn: 'Maoming', counties: ['茂南区', '电白区', '高州市', '化州市', '信宜市'] },
  { code: 'ZQ', name: '肇庆', nameEn: 'Zhaoqing', counties: ['端州区', '鼎湖区', '高要区', '四会市', '广宁县', '怀集县', '封开县', '德庆县'] },
  { code: 'QY', name: '清远', nameEn: 'Qingyuan', counties: ['清城区', '清新区', '英德市', '连州市', '佛冈县', '阳山县', '连山壮族瑶族自治县', '连南瑶族自治县'] },
  { code: 'CZ', name: '潮州', nameEn: 'Chaozhou', counties: ['湘桥区', '潮安区', '饶平县'] },
  { code: 'JY', name: '揭阳', nameEn: 'Jieyang', counties: ['榕城区', '揭东区', '普宁市', '揭西县', '惠来县'] },
  { code: 'YF', name: '云浮', nameEn: 'Yunfu', counties: ['云城区', '云安区', '罗定市', '新兴县', '郁南县'] },
];
