import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskEmbedded, maskPersonalData } from './personal-data.js';

const mobile = fc.tuple(fc.constantFrom('13', '15', '18', '19'), fc.stringMatching(/^\d{9}$/)).map(([a, b]) => a + b);
const idNumber = fc.tuple(fc.stringMatching(/^\d{17}$/), fc.constantFrom('0', '7', 'X')).map(([a, b]) => a + b);
/** JSON-like records nesting `leaf` values under arbitrary keys and personal ones. */
const recordWith = (leaf: fc.Arbitrary<string>) =>
  fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('phone', 'contactPhone', 'idNumber', 'summary', 'note', 'updates', 'x'), tie('node'), { maxKeys: 4 }),
    ),
  })).node;

describe('personal data in kept records (个人信息保护)', () => {
  it('masks each catalogued field its way', () => {
    expect(
      maskPersonalData(
        {
          idNumber: '44010619800101123X',
          contactPhone: '13812345678',
          address: '广州市天河区体育西路103号维多利广场',
          email: 'zhang.san@example.cn',
          legalRepresentative: '张三丰',
          birthday: '1985-06-15',
          unitId: 7,
          realNameVerified: true,
        },
        'customer',
      ),
    ).toEqual({
      idNumber: '**************123X',
      contactPhone: '138****5678',
      address: '广州市天河区****',
      email: 'z***@example.cn',
      legalRepresentative: '张**',
      birthday: '1985-**-**',
      unitId: 7,
      realNameVerified: true,
    });
  });

  it('masks a name only where the catalogue says it is a person’s', () => {
    expect(maskPersonalData({ name: '李四' }, 'key_person')).toEqual({ name: '李*' });
    expect(maskPersonalData({ name: '广州分公司' }, 'org_unit')).toEqual({ name: '广州分公司' });
    expect(maskPersonalData({ displayName: '王五' }, 'user')).toEqual({ displayName: '王五' });
  });

  it('masks both sides of a change and every element below a personal field', () => {
    expect(maskPersonalData({ diff: { phone: ['13812345678', '13987654321'] } }, 'user')).toEqual({ diff: { phone: ['138****5678', '139****4321'] } });
    expect(maskPersonalData({ keyPersons: [{ phone: 13812345678 }] }, 'customer')).toEqual({ keyPersons: [{ phone: '138****5678' }] });
  });

  it('masks numbers and addresses written inside free text, and leaves other digits alone', () => {
    expect(maskEmbedded('客户新号码 +86 138-1234-5678，身份证 44010619800101123x，邮箱 a.b@c.com')).toBe(
      '客户新号码 +86****5678，身份证 **************123X，邮箱 a***@c.com',
    );
    expect(maskEmbedded('C4401000012345 order 2026-10-01 amount 12345678.90 GZ13812345678')).toBe(
      'C4401000012345 order 2026-10-01 amount 12345678.90 GZ13812345678',
    );
  });

  it('lets no mobile or ID number through, at any depth, under any field', () => {
    fc.assert(
      fc.property(fc.oneof(mobile, idNumber), fc.string({ maxLength: 6 }), (secret, filler) => {
        const leaf = fc.constantFrom(secret, `${filler} ${secret} ${filler}`, filler);
        fc.assert(
          fc.property(recordWith(leaf), (record) => {
            expect(JSON.stringify(maskPersonalData({ record }, 'visit'))).not.toContain(secret);
          }),
          { numRuns: 20 },
        );
      }),
      { numRuns: 30 },
    );
  });

  it('keeps its output masked when masked again', () => {
    fc.assert(
      fc.property(mobile, idNumber, (m, id) => {
        const once = maskPersonalData({ phone: m, idNumber: id, note: `${m}/${id}` }, 'customer');
        expect(maskPersonalData(once, 'customer')).toEqual(once);
      }),
    );
  });
});
