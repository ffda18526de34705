/**
 * Row generation of the demo customers: pure functions of (seed, index), so that the same seed gives
 * the same data on every machine and a customer can be generated again without the others (the load
 * runs in two passes: the customers first, then the rows that refer to them).
 *
 * Every customer i draws from three independent streams: `core` (kind, city, manager, name, dates,
 * numbers of subscriptions — everything the other rows depend on), `idr` (ID number / credit code:
 * pass 1 only) and `kids` (its subscriptions, key persons, contracts, … : pass 2 only).
 */
import type { PiiVault } from '../platform/pii.js';
import {
  BRANDS,
  CITY_INFO,
  COMPETITORS,
  CONTACT_CHANNELS,
  CONTRACT_TITLES,
  GIVEN_CHARS,
  GROUP_PLANS,
  INDUSTRIES,
  IT_NEEDS,
  JOB_TITLES,
  KEY_PERSON_ROLES,
  OUR_GROUP_PRODUCTS,
  OUR_PERSONAL_PRODUCTS,
  PREFERENCES,
  RETAIN_REASONS,
  REVENUE_BANDS,
  ROADS,
  SERVICE_PREFS,
  SURNAMES,
  SURNAMES_GD,
  TODAY,
  TRADE_NAMES,
  VISIT_CHANNELS,
  VISIT_SUMMARIES,
  CHANGE_SOURCES,
} from './catalog.js';
import { affine, coprimeMultiplier, creditCode, residentId } from './ids.js';
import { Random } from './random.js';

export type TableKey =
  | 'customers'
  | 'subscriptions'
  | 'keyPersons'
  | 'contracts'
  | 'customerProducts'
  | 'portfolioAssignments'
  | 'lifecycleEvents'
  | 'visits'
  | 'customerChanges';

export type Row = Record<string, unknown>;

/** The columns each generated row sets (drizzle keys); the COPY column lists come from here. */
export const COLUMNS: Record<TableKey, string[]> = {
  customers: [
    'id', 'customerNo', 'kind', 'name', 'archive', 'archivedReason', 'archivedOn', 'unitId', 'managerId', 'industry', 'brand',
    'contactPhone', 'address', 'joinedOn', 'creditCode', 'legalRepresentative', 'employees', 'registeredCapital', 'revenueBand',
    'itNeeds', 'gender', 'birthday', 'idType', 'idNumberEnc', 'idNumberHash', 'idNumberTail', 'employer', 'jobTitle',
    'preferences', 'contactChannel', 'realNameVerified',
  ],
  subscriptions: ['msisdn', 'customerId', 'groupCustomerId', 'plan', 'status', 'openedOn'],
  keyPersons: ['customerId', 'name', 'role', 'title', 'phone', 'birthday', 'preferences'],
  contracts: ['customerId', 'contractNo', 'title', 'signedOn', 'expiresOn', 'amount'],
  customerProducts: ['customerId', 'competitor', 'product', 'since', 'monthlyFee', 'note'],
  portfolioAssignments: ['customerId', 'managerId', 'fromDate', 'untilDate', 'assignedBy'],
  lifecycleEvents: ['customerId', 'fromArchive', 'toArchive', 'reason', 'effectiveOn', 'note', 'actorId', 'at'],
  visits: ['customerId', 'managerId', 'visitedOn', 'channel', 'summary', 'createdAt'],
  customerChanges: ['customerId', 'field', 'oldValue', 'newValue', 'source', 'visitId', 'actorId', 'at'],
};

export interface CountyCtx {
  unitId: number;
  name: string;
  /** 6-digit administrative code used in ID numbers and credit codes. */
  area6: string;
}
export interface CityCtx {
  code: string;
  name: string;
  tel: string;
  weight: number;
  counties: CountyCtx[];
  /** Account managers of the city, by username. */
  managers: number[];
}

// ---------------------------------------------------------------- small helpers

/** A 32-bit mix of (seed, index, salt) (murmur3's finaliser): seeds of the per-customer streams. */
export function mix(seed: number, i: number, salt: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

class Weighted<T> {
  private readonly cum: number[] = [];
  private readonly total: number;
  constructor(
    readonly items: readonly T[],
    weight: (t: T) => number,
  ) {
    let s = 0;
    for (const it of items) this.cum.push((s += weight(it)));
    this.total = s;
  }
  pick(r: Random): T {
    const x = r.next() * this.total;
    let i = 0;
    while (this.cum[i]! <= x) i++;
    return this.items[i]!;
  }
}

const DAY = 86_400_000;
const dayNo = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoDay = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
const TODAY_NO = dayNo(TODAY);
const between = (r: Random, from: string | number, to: string | number) => {
  const a = typeof from === 'number' ? from : dayNo(from);
  const b = typeof to === 'number' ? to : dayNo(to);
  return isoDay(r.int(a, Math.max(a, b)));
};
const money = (x: number) => x.toFixed(2);
const pad = (n: number, w: number) => String(n).padStart(w, '0');

function personName(r: Random): string {
  const surname = r.next() < 0.5 ? r.pick(SURNAMES_GD) : r.pick(SURNAMES);
  return surname + r.pick(GIVEN_CHARS) + (r.next() < 0.7 ? r.pick(GIVEN_CHARS) : '');
}

const MOBILE_PREFIXES = ['134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '157', '158', '159', '178', '182', '183', '184', '187', '188', '195', '197', '198'];
const MSISDN_SPACE = MOBILE_PREFIXES.length * 1e8;
function mobile(r: Random): string {
  return r.pick(MOBILE_PREFIXES) + pad(r.int(0, 99_999_999), 8);
}

const INDUSTRY_PICK = new Weighted(INDUSTRIES, (x) => x.weight);
const BRAND_PICK = new Weighted(BRANDS, (x) => x.weight);
const CHANNEL_PICK = new Weighted(CONTACT_CHANNELS, (x) => x.weight);
const REASON_PICK = new Weighted(RETAIN_REASONS, (x) => x.weight);

function companyName(r: Random, city: CityCtx, county: CountyCtx, industry: (typeof INDUSTRIES)[number]): string {
  const suffix = r.pick(industry.suffixes);
  // public bodies carry no trade name: 广州市天河区人力资源和社会保障局
  const trade = industry.code === 'S' ? '' : r.pick(TRADE_NAMES);
  return `${city.name}市${county.name}${trade}${suffix}`;
}

function address(r: Random, city: CityCtx, county: CountyCtx, person: boolean): string {
  const base = `广东省${city.name}市${county.name}${r.pick(ROADS)}${r.int(1, 899)}号`;
  return person ? `${base}${r.int(1, 30)}栋${r.int(1, 33)}${pad(r.int(1, 8), 2)}房` : r.next() < 0.5 ? `${base}${r.pick(['大厦', '广场', '产业园', '科技园'])}${r.int(1, 28)}楼` : base;
}

// ---------------------------------------------------------------- the generator

export interface Core {
  index: number;
  id: number;
  kind: 'group' | 'individual';
  city: CityCtx;
  cityNo: number;
  county: CountyCtx;
  managerId: number;
  prevManagerId: number | null;
  name: string;
  joinedOn: string;
  archive: 'in_network' | 'retained';
  reason: (typeof RETAIN_REASONS)[number] | null;
  archivedOn: string | null;
  subCount: number;
  /** Global index of the customer's first subscription (MSISDNs derive from it). */
  firstSub: number;
  industry: (typeof INDUSTRIES)[number] | null;
  brand: (typeof BRANDS)[number] | null;
  male: boolean;
  birthday: string | null;
}

export interface GeneratorOptions {
  seed: number;
  cities: CityCtx[];
  /** The first customer's id is idBase + 1. */
  idBase: number;
}

/** Walks the customers in order; both passes walk the same sequence and so see the same cores. */
export class CustomerGenerator {
  private readonly cityPick: Weighted<CityCtx>;
  private readonly cityNo = new Map<CityCtx, number>();
  private readonly msisdnA: number;
  private readonly msisdnB: number;
  private readonly orgA: number;
  private readonly orgB: number;
  private subCounter = 0;
  /** Group customers generated so far, by city: individuals' numbers join one of them. */
  private readonly groupsByCity = new Map<CityCtx, number[]>();
  private readonly usedIdNumbers = new Set<string>();

  constructor(private readonly o: GeneratorOptions) {
    const usable = o.cities.filter((c) => c.managers.length > 0 && c.counties.length > 0);
    if (usable.length === 0) throw new Error('demo customers: no city with account managers and county units');
    this.cityPick = new Weighted(usable, (c) => c.weight);
    o.cities.forEach((c, i) => this.cityNo.set(c, i + 1));
    const r = new Random(mix(o.seed, 0, 99));
    this.msisdnA = coprimeMultiplier(r.int(1, 1e9), MSISDN_SPACE);
    this.msisdnB = r.int(0, MSISDN_SPACE - 1);
    this.orgA = coprimeMultiplier(r.int(1, 1e9), 1e8);
    this.orgB = r.int(0, 1e8 - 1);
  }

  /** The MSISDN of the n-th subscription: a bijection of [0, 22·10^8), so unique and scattered over the prefixes. */
  msisdn(n: number): string {
    const x = affine(n, this.msisdnA, this.msisdnB, MSISDN_SPACE);
    return MOBILE_PREFIXES[x % MOBILE_PREFIXES.length]! + pad(Math.floor(x / MOBILE_PREFIXES.length), 8);
  }

  core(index: number): Core {
    const r = new Random(mix(this.o.seed, index, 1));
    const kind = r.next() < 0.2 ? 'group' : 'individual';
    const city = this.cityPick.pick(r);
    const county = r.pick(city.counties);
    const mi = r.int(0, city.managers.length - 1);
    let prevManagerId: number | null = null;
    if (city.managers.length > 1 && r.next() < 0.2) prevManagerId = city.managers[(mi + r.int(1, city.managers.length - 1)) % city.managers.length]!;
    let industry = null;
    let brand = null;
    let male = true;
    let birthday: string | null = null;
    let name: string;
    let joinedOn: string;
    const lateJoin = r.next() < 0.04;
    if (kind === 'group') {
      industry = INDUSTRY_PICK.pick(r);
      name = companyName(r, city, county, industry);
      joinedOn = lateJoin ? between(r, '2025-11-01', '2026-09-30') : between(r, '2003-01-01', '2025-10-31');
    } else {
      brand = BRAND_PICK.pick(r);
      male = r.next() < 0.58;
      birthday = between(r, brand.code === 'mzone' ? '1990-01-01' : '1955-01-01', brand.code === 'mzone' ? '2004-12-31' : '1998-12-31');
      name = personName(r);
      const adult = dayNo(birthday) + 18 * 365 + 5;
      joinedOn = lateJoin ? between(r, '2025-11-01', '2026-09-30') : between(r, Math.max(adult, dayNo('1998-01-01')), '2025-10-31');
    }
    let reason = null;
    let archivedOn = null;
    if (r.next() < 0.03) {
      reason = REASON_PICK.pick(r);
      archivedOn = between(r, Math.max(dayNo('2025-12-01'), dayNo(joinedOn) + 30), '2026-10-31');
    }
    const subCount = kind === 'group' ? r.int(1, 6) : ((x) => (x < 0.55 ? 1 : x < 0.85 ? 2 : 3))(r.next());
    const core: Core = {
      index,
      id: this.o.idBase + index + 1,
      kind,
      city,
      cityNo: this.cityNo.get(city)!,
      county,
      managerId: city.managers[mi]!,
      prevManagerId,
      name,
      joinedOn,
      archive: reason ? 'retained' : 'in_network',
      reason,
      archivedOn,
      subCount,
      firstSub: this.subCounter,
      industry,
      brand,
      male,
      birthday,
    };
    this.subCounter += subCount;
    return core;
  }

  /** Pass 1: the customer row (ID numbers sealed by the vault). */
  customer(c: Core, vault: PiiVault): Row {
    const r = new Random(mix(this.o.seed, c.index, 2));
    const row: Row = {
      id: c.id,
      customerNo: `C44${pad(c.cityNo, 2)}${pad(c.index + 1, 8)}`,
      kind: c.kind,
      name: c.name,
      archive: c.archive,
      archivedReason: c.reason?.code ?? null,
      archivedOn: c.archivedOn,
      unitId: c.county.unitId,
      managerId: c.managerId,
      industry: c.industry?.code ?? null,
      brand: c.brand?.code ?? null,
      contactPhone: null,
      address: address(r, c.city, c.county, c.kind === 'individual'),
      joinedOn: c.joinedOn,
      creditCode: null,
      legalRepresentative: null,
      employees: null,
      registeredCapital: null,
      revenueBand: null,
      itNeeds: null,
      gender: null,
      birthday: c.birthday,
      idType: null,
      idNumberEnc: null,
      idNumberHash: null,
      idNumberTail: null,
      employer: null,
      jobTitle: null,
      preferences: null,
      contactChannel: CHANNEL_PICK.pick(r).code,
      realNameVerified: r.next() < 0.97,
    };
    if (c.kind === 'group') {
      const employees = Math.round(Math.exp(r.next() * Math.log(20_000 / 15)) * 15);
      const band = employees < 50 ? 0 : employees < 200 ? 1 : employees < 1000 ? 2 : employees < 5000 ? 3 : 4;
      row.creditCode = creditCode(c.county.area6, pad(affine(c.index, this.orgA, this.orgB, 1e8), 8));
      row.legalRepresentative = personName(r);
      row.employees = employees;
      row.registeredCapital = money(Math.round(employees * r.int(5, 200) / 10) * 10_000);
      row.revenueBand = REVENUE_BANDS[Math.min(4, Math.max(0, band + r.int(-1, 1)))]!;
      row.itNeeds = r.next() < 0.5 ? r.pick(IT_NEEDS) : null;
      row.contactPhone = `${c.city.tel}-${r.int(2, 8)}${pad(r.int(0, 9_999_999), 7)}`;
    } else {
      let idNumber: string;
      do idNumber = residentId(r.next() < 0.8 ? c.county.area6 : `${CITY_INFO[c.city.code]?.area ?? '4401'}${pad(r.int(1, 30), 2)}`, c.birthday!, r.int(0, 999), c.male);
      while (this.usedIdNumbers.has(idNumber));
      this.usedIdNumbers.add(idNumber);
      Object.assign(row, vault.seal(idNumber));
      row.gender = c.male ? 'male' : 'female';
      row.idType = 'resident_id';
      row.employer = companyName(r, c.city, r.pick(c.city.counties), INDUSTRY_PICK.pick(r));
      row.jobTitle = r.pick(JOB_TITLES);
      row.preferences = `爱好：${r.pick(PREFERENCES)}、${r.pick(PREFERENCES)}；服务偏好：${r.pick(SERVICE_PREFS)}`;
      row.contactPhone = this.msisdn(c.firstSub);
    }
    return row;
  }

  /** Pass 2: every row that refers to the customer. */
  related(c: Core, emit: (t: TableKey, row: Row) => void): void {
    const r = new Random(mix(this.o.seed, c.index, 3));
    const groups = this.groupsByCity.get(c.city) ?? [];
    const joined = dayNo(c.joinedOn);
    for (let k = 0; k < c.subCount; k++) {
      let status = 'normal';
      if (c.reason) status = c.reason.subStatus;
      else {
        const x = r.next();
        status = x < 0.92 ? 'normal' : x < 0.95 ? 'suspended' : x < 0.975 ? 'ported_out' : 'closed';
      }
      const plan = c.kind === 'group' ? r.pick(GROUP_PLANS) : r.pick(c.brand!.plans);
      const member = c.kind === 'group' ? c.id : groups.length > 0 && r.next() < 0.25 ? r.pick(groups) : null;
      emit('subscriptions', {
        msisdn: this.msisdn(c.firstSub + k),
        customerId: c.id,
        groupCustomerId: member,
        plan,
        status,
        openedOn: k === 0 ? c.joinedOn : between(r, joined, Math.min(dayNo('2026-10-31'), joined + 3650)),
      });
    }
    if (c.kind === 'group') {
      groups.push(c.id);
      this.groupsByCity.set(c.city, groups);
      const people = r.int(2, 4);
      for (let k = 0; k < people; k++) {
        const role = KEY_PERSON_ROLES[k]!;
        emit('keyPersons', {
          customerId: c.id,
          name: personName(r),
          role: role.role,
          title: r.pick(role.titles),
          phone: mobile(r),
          birthday: between(r, '1960-01-01', '1994-12-31'),
          preferences: r.next() < 0.6 ? `${r.pick(PREFERENCES)}、${r.pick(PREFERENCES)}` : null,
        });
      }
      const contracts = r.int(1, 2);
      for (let k = 0; k < contracts; k++) {
        let signed: number;
        let expires: number;
        if (r.next() < 0.12) {
          expires = TODAY_NO + r.int(1, 90);
          signed = expires - 365 * r.int(1, 3);
        } else {
          signed = dayNo(between(r, '2021-01-01', '2026-10-31'));
          expires = signed + 365 * r.int(1, 3);
        }
        emit('contracts', {
          customerId: c.id,
          contractNo: `HT${c.city.code}${isoDay(signed).slice(0, 4)}${pad(c.id, 9)}${k + 1}`,
          title: r.pick(CONTRACT_TITLES),
          signedOn: isoDay(signed),
          expiresOn: isoDay(expires),
          amount: money(r.int(2, 500) * 1000),
        });
      }
      const ours = r.int(2, 4);
      const start = r.int(0, OUR_GROUP_PRODUCTS.length - 1);
      for (let k = 0; k < ours; k++) {
        const [product, fee] = OUR_GROUP_PRODUCTS[(start + k * 3) % OUR_GROUP_PRODUCTS.length]!;
        emit('customerProducts', product_(c, r, null, product, fee));
      }
      if (r.next() < 0.35) {
        for (let k = r.int(1, 2); k > 0; k--) {
          const comp = r.pick(COMPETITORS);
          const [product, fee] = r.pick(comp.products);
          emit('customerProducts', product_(c, r, comp.name, product, fee));
        }
      }
    } else {
      if (r.next() < 0.3) {
        const [product, fee] = r.pick(OUR_PERSONAL_PRODUCTS);
        emit('customerProducts', product_(c, r, null, product, fee));
      }
      if (r.next() < 0.06) {
        const comp = r.pick(COMPETITORS);
        const [product, fee] = r.pick(comp.products);
        emit('customerProducts', product_(c, r, comp.name, product, fee));
      }
    }
    // 客户经理归属: the open row, and for some an older closed one with another manager
    const from = Math.max(joined, dayNo('2018-01-01'));
    const handover = dayNo('2026-09-30') - from > 60 && c.prevManagerId ? r.int(from + 30, dayNo('2026-09-30')) : null;
    if (handover !== null) {
      emit('portfolioAssignments', { customerId: c.id, managerId: c.prevManagerId, fromDate: isoDay(from), untilDate: isoDay(handover), assignedBy: null });
    }
    emit('portfolioAssignments', { customerId: c.id, managerId: c.managerId, fromDate: isoDay(handover ?? from), untilDate: null, assignedBy: null });
    if (c.reason) {
      emit('lifecycleEvents', {
        customerId: c.id,
        fromArchive: 'in_network',
        toArchive: 'retained',
        reason: c.reason.code,
        effectiveOn: c.archivedOn,
        note: c.reason.label,
        actorId: c.managerId,
        at: new Date(`${c.archivedOn}T10:00:00+08:00`),
      });
    }
    if (r.next() < 0.12) {
      for (let k = r.int(1, 2); k > 0; k--) {
        const on = between(r, Math.max(joined, dayNo('2026-01-05')), '2026-11-20');
        emit('visits', {
          customerId: c.id,
          managerId: c.managerId,
          visitedOn: on,
          channel: r.pick(VISIT_CHANNELS),
          summary: r.pick(VISIT_SUMMARIES),
          createdAt: new Date(`${on}T17:30:00+08:00`),
        });
      }
    }
    if (r.next() < 0.06) {
      const source = r.pick(CHANGE_SOURCES);
      const on = between(r, Math.max(joined, dayNo('2026-01-05')), '2026-11-20');
      const [field, oldValue, newValue] =
        c.kind === 'group'
          ? r.pick([
              ['employees', String(r.int(10, 400)), String(r.int(401, 3000))],
              ['itNeeds', null, r.pick(IT_NEEDS)],
              ['legalRepresentative', personName(r), personName(r)],
            ] as const)
          : r.pick([
              ['jobTitle', r.pick(JOB_TITLES), r.pick(JOB_TITLES)],
              ['contactChannel', 'phone', 'wechat'],
              ['preferences', null, `爱好：${r.pick(PREFERENCES)}`],
            ] as const);
      emit('customerChanges', {
        customerId: c.id,
        field,
        oldValue,
        newValue,
        source,
        visitId: null,
        actorId: source === 'manager_visit' ? c.managerId : null,
        at: new Date(`${on}T15:00:00+08:00`),
      });
    }
  }
}

function product_(c: Core, r: Random, competitor: string | null, product: string, fee: number): Row {
  return {
    customerId: c.id,
    competitor,
    product,
    since: between(r, Math.max(dayNo(c.joinedOn), dayNo('2015-01-01')), '2026-10-31'),
    monthlyFee: money(Math.round(fee * (0.6 + r.next()))),
    note: competitor ? r.pick(['合约期内', '价格较低', '客户自行采购', '到期可争取']) : null,
  };
}
