/** A small seeded generator (mulberry32): the same seed gives the same demo data on every machine. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡余杜叶程苏魏吕丁任沈姚卢钟谭陆汪范金廖贾夏韦方白邹熊邱江黎';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玲红建国志强海燕晓东文博嘉怡子轩浩然梓涵宇航思远雨婷俊杰欣怡';

export function chineseName(r: Random): string {
  const given = r.next() < 0.5 ? r.pick([...GIVEN]) : r.pick([...GIVEN]) + r.pick([...GIVEN]);
  return r.pick([...SURNAMES]) + given;
}

/** A plausible mobile number of China Mobile's prefixes. */
export function mobileNumber(r: Random): string {
  const prefix = r.pick(['134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '157', '158', '159', '178', '182', '183', '187', '188', '198']);
  return prefix + String(r.int(0, 99_999_999)).padStart(8, '0');
}
