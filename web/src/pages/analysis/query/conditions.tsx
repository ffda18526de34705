/** The condition editor of 综合查询: groups (all / any) of conditions on profile fields and on figures over a period. */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Input, InputNumber, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { api, call, type Schemas } from '../../../api/client';
import { ManagerSelect } from '../../../components/ManagerSelect';
import { UnitTreeSelect } from '../../../components/units';
import { useI18n } from '../../../i18n';
import type { MessageKey } from '../../../i18n/zh-CN';

export type Fields = Schemas['AnalysisQueryFields'];
export type Period = { lastMonths: number } | { from: string; to: string };
export interface FieldCond {
  field: string;
  op: string;
  value?: unknown;
}
export interface MeasureCond {
  measure: string;
  aggregate: string;
  period: Period;
  op: string;
  value?: unknown;
}
export interface Group {
  match: 'all' | 'any';
  conditions: Node[];
}
export type Node = Group | FieldCond | MeasureCond;
export const isGroup = (n: Node): n is Group => 'conditions' in n;
export const isMeasure = (n: Node): n is MeasureCond => 'measure' in n;

export const loadFields = () => call(api.GET('/api/analysis/query/fields'));
export const emptyTree = (): Group => ({ match: 'all', conditions: [] });

/** The key of a closed list's value, so that Chinese never shows a code. */
const VALUE_KEYS: Record<string, (v: string) => string> = {
  kind: (v) => `customers.kind.${v}`,
  archive: (v) => `customers.archive.${v}`,
  industry: (v) => `customers.industry.${v}`,
  brand: (v) => `customers.brand.${v}`,
  level: (v) => `rules.level.${v}`,
};

/** The words of a value of a closed list (credit grades are their own names). */
export function useValueName() {
  const { t } = useI18n();
  return (field: string, v: string | null | undefined) => {
    if (v === null || v === undefined) return '';
    const key = VALUE_KEYS[field]?.(v);
    return key ? t(key as MessageKey) : v;
  };
}

const noValue = (op: string) => op === 'empty' || op === 'not_empty';

function ValueInput({ type, op, field, values, value, onChange }: { type: string; op: string; field: string; values?: string[]; value: unknown; onChange: (v: unknown) => void }) {
  const { t } = useI18n();
  const name = useValueName();
  const multi = op === 'in';
  if (noValue(op)) return null;
  const pair = (one: (v: unknown, set: (x: unknown) => void) => React.ReactNode) => {
    const [lo, hi] = Array.isArray(value) ? value : [undefined, undefined];
    return (
      <Space>
        {one(lo, (x) => onChange([x, hi]))}—{one(hi, (x) => onChange([lo, x]))}
      </Space>
    );
  };
  switch (type) {
    case 'enum':
      return (
        <Select
          style={{ minWidth: 200 }}
          mode={multi ? 'multiple' : undefined}
          value={value as string}
          onChange={onChange}
          options={(values ?? []).map((v) => ({ value: v, label: name(field, v) }))}
          data-testid="aq-value"
        />
      );
    case 'id':
      return <ManagerSelect style={{ minWidth: 200 }} mode={multi ? 'multiple' : undefined} value={value as number} onChange={onChange} data-testid="aq-value" />;
    case 'unit':
      return <UnitTreeSelect forCustomers style={{ minWidth: 240 }} multiple value={((value as number[]) ?? []) as unknown as number} onChange={onChange} data-testid="aq-value" />;
    case 'text':
      return <Input style={{ width: 200 }} value={value as string} onChange={(e) => onChange(e.target.value)} data-testid="aq-value" />;
    case 'boolean':
      return (
        <Select
          style={{ width: 100 }}
          value={value as boolean}
          onChange={onChange}
          options={[
            { value: true, label: t('aq.yes') },
            { value: false, label: t('aq.no') },
          ]}
          data-testid="aq-value"
        />
      );
    case 'date': {
      const one = (v: unknown, set: (x: unknown) => void) => <DatePicker value={v ? dayjs(v as string) : null} onChange={(d) => set(d ? d.format('YYYY-MM-DD') : undefined)} />;
      return op === 'between' ? pair(one) : one(value, onChange);
    }
    default: {
      const one = (v: unknown, set: (x: unknown) => void) => <InputNumber value={v as number} onChange={(x) => set(x ?? undefined)} style={{ width: 120 }} data-testid="aq-value" />;
      return (
        <Space>
          {op === 'between' ? pair(one) : one(value, onChange)}
          {type === 'within' && t('aq.days')}
        </Space>
      );
    }
  }
}

function PeriodInput({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  const { t } = useI18n();
  const range = 'from' in value;
  return (
    <Space>
      <Select
        style={{ width: 120 }}
        value={range ? 'range' : 'last'}
        onChange={(k) => onChange(k === 'range' ? { from: dayjs().subtract(6, 'month').format('YYYY-MM'), to: dayjs().subtract(1, 'month').format('YYYY-MM') } : { lastMonths: 6 })}
        options={[
          { value: 'last', label: t('aq.lastMonths') },
          { value: 'range', label: t('aq.range') },
        ]}
      />
      {range ? (
        <DatePicker.RangePicker picker="month" value={[dayjs(`${value.from}-01`), dayjs(`${value.to}-01`)]} onChange={(r) => r?.[0] && r[1] && onChange({ from: r[0].format('YYYY-MM'), to: r[1].format('YYYY-MM') })} />
      ) : (
        <InputNumber min={1} max={24} value={value.lastMonths} onChange={(n) => onChange({ lastMonths: n ?? 6 })} addonAfter={t('aq.months', { n: '' }).trim()} style={{ width: 150 }} />
      )}
    </Space>
  );
}

function Condition({ node, fields, onChange, onRemove }: { node: FieldCond | MeasureCond; fields: Fields; onChange: (n: Node) => void; onRemove: () => void }) {
  const { t } = useI18n();
  const opLabel = (op: string) => t(`aq.op.${op}` as MessageKey);
  const remove = <Button icon={<DeleteOutlined />} type="text" danger onClick={onRemove} aria-label={t('aq.remove')} />;
  if (isMeasure(node)) {
    return (
      <Space wrap data-testid="aq-measure">
        <Select style={{ width: 180 }} value={node.measure} onChange={(measure) => onChange({ ...node, measure })} options={fields.measures.map((m) => ({ value: m.measure, label: t(`aq.measure.${m.measure}` as MessageKey) }))} />
        <PeriodInput value={node.period} onChange={(period) => onChange({ ...node, period })} />
        <Select style={{ width: 110 }} value={node.aggregate} onChange={(aggregate) => onChange({ ...node, aggregate })} options={fields.aggregates.map((a) => ({ value: a, label: t(`aq.agg.${a}` as MessageKey) }))} />
        <Select style={{ width: 110 }} value={node.op} onChange={(op) => onChange({ ...node, op, value: undefined })} options={fields.measureOperators.map((o) => ({ value: o, label: opLabel(o) }))} />
        <ValueInput type="number" op={node.op} field="" value={node.value} onChange={(value) => onChange({ ...node, value })} />
        {remove}
      </Space>
    );
  }
  const def = fields.fields.find((f) => f.field === node.field) ?? fields.fields[0]!;
  return (
    <Space wrap data-testid="aq-condition">
      <Select
        style={{ width: 190 }}
        value={node.field}
        onChange={(field) => onChange({ field, op: fields.fields.find((f) => f.field === field)!.operators[0]!, value: undefined })}
        options={fields.fields.map((f) => ({ value: f.field, label: t(`aq.field.${f.field}` as MessageKey) }))}
        showSearch
        optionFilterProp="label"
        data-testid="aq-field"
      />
      <Select style={{ width: 110 }} value={node.op} onChange={(op) => onChange({ ...node, op, value: undefined })} options={def.operators.map((o) => ({ value: o, label: opLabel(o) }))} data-testid="aq-op" />
      <ValueInput type={def.type} op={node.op} field={def.field} values={def.values} value={node.value} onChange={(value) => onChange({ ...node, value })} />
      {remove}
    </Space>
  );
}

/** A group and its conditions; groups nest up to three levels (the server checks it too). */
export function GroupEditor({ group, fields, onChange, onRemove, depth = 1 }: { group: Group; fields: Fields; onChange: (g: Group) => void; onRemove?: () => void; depth?: number }) {
  const { t } = useI18n();
  const set = (i: number, n: Node) => onChange({ ...group, conditions: group.conditions.map((c, j) => (j === i ? n : c)) });
  const remove = (i: number) => onChange({ ...group, conditions: group.conditions.filter((_, j) => j !== i) });
  const add = (n: Node) => onChange({ ...group, conditions: [...group.conditions, n] });
  const firstField = fields.fields[0]!;
  return (
    <Card
      size="small"
      style={{ background: depth % 2 ? undefined : '#fafafa' }}
      title={
        <Select
          value={group.match}
          onChange={(match) => onChange({ ...group, match })}
          options={(['all', 'any'] as const).map((m) => ({ value: m, label: t(`aq.match.${m}`) }))}
          style={{ width: 120 }}
          data-testid="aq-match"
        />
      }
      extra={onRemove && <Button icon={<DeleteOutlined />} type="text" danger onClick={onRemove} aria-label={t('aq.remove')} />}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {group.conditions.map((c, i) =>
          isGroup(c) ? (
            <GroupEditor key={i} group={c} fields={fields} depth={depth + 1} onChange={(g) => set(i, g)} onRemove={() => remove(i)} />
          ) : (
            <Condition key={i} node={c} fields={fields} onChange={(n) => set(i, n)} onRemove={() => remove(i)} />
          ),
        )}
        <Space wrap>
          <Button icon={<PlusOutlined />} onClick={() => add({ field: firstField.field, op: firstField.operators[0]! })} data-testid="aq-add">
            {t('aq.addCondition')}
          </Button>
          <Button icon={<PlusOutlined />} onClick={() => add({ measure: 'rev_data', aggregate: 'avg', period: { lastMonths: 6 }, op: 'gt', value: 200 })} data-testid="aq-add-measure">
            {t('aq.addMeasure')}
          </Button>
          {depth < 3 && (
            <Button icon={<PlusOutlined />} onClick={() => add({ match: group.match === 'all' ? 'any' : 'all', conditions: [] })} data-testid="aq-add-group">
              {t('aq.addGroup')}
            </Button>
          )}
        </Space>
      </Space>
    </Card>
  );
}

/** A measure condition in words, for the result's columns (数据流量收入 最近 6 个月 月均). */
export function useMeasureLabel() {
  const { t } = useI18n();
  return (m: { measure: string; aggregate: string; period: Period }) =>
    `${t(`aq.measure.${m.measure}` as MessageKey)} · ${'lastMonths' in m.period ? t('aq.months', { n: m.period.lastMonths }) : `${m.period.from}～${m.period.to}`} · ${t(`aq.agg.${m.aggregate}` as MessageKey)}`;
}
