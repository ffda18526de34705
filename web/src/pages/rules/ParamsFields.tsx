import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Form, Input, InputNumber, Row, Select, Switch, Table, Tag, Typography, type FormListFieldData } from 'antd';
import type { ReactNode } from 'react';
import { tid } from '../../components/EntityModalForm';
import { useI18n, type MessageKey } from '../../i18n';
import { GROUP_CLASSES, LEVELS, RATED_STARS, levelLabel, type Family } from './common';

/**
 * The fields of one rule family's parameters, under `params` of the surrounding antd Form: scalars as
 * InputNumber/Switch, grade rows as an editable table, multipliers and allowances as a per-level grid.
 * The same fields, disabled, show a stored version. Test ids: `rule-<path with dashes>`.
 */
export function ParamsFields({ family, disabled = false }: { family: Family; disabled?: boolean }) {
  switch (family) {
    case 'star':
      return <StarFields disabled={disabled} />;
    case 'group_class':
      return <GroupClassFields disabled={disabled} />;
    case 'credit':
      return <CreditFields disabled={disabled} />;
    case 'points':
      return <PointsFields disabled={disabled} />;
    case 'potential':
      return <PotentialFields disabled={disabled} />;
    case 'benefits':
      return <BenefitsFields disabled={disabled} />;
  }
}

type Path = (string | number)[];
const testIdOf = (path: Path) => `rule-${path.join('-')}`;

interface NumberProps {
  /** The name relative to the enclosing list row, or absolute under `params`. */
  name: Path;
  /** The absolute path, for the test id (defaults to the name). */
  idPath?: Path;
  label?: ReactNode;
  tooltip?: string;
  min?: number;
  max?: number;
  precision?: number;
  step?: number;
  suffix?: string;
  required?: boolean;
  width?: number | string;
  disabled: boolean;
  /** Inside a table cell: no label, no bottom margin. */
  cell?: boolean;
}

function NumberItem({ name, idPath, label, tooltip, min = 0, max, precision = 0, step, suffix, required = true, width, disabled, cell }: NumberProps) {
  const { t } = useI18n();
  return (
    <Form.Item
      name={name}
      label={cell ? undefined : label}
      tooltip={tooltip}
      style={cell ? { marginBottom: 0 } : undefined}
      rules={required ? [{ required: true, message: t('common.required') }] : undefined}
    >
      <InputNumber
        min={min}
        max={max}
        precision={precision}
        step={step}
        disabled={disabled}
        suffix={suffix}
        style={{ width: width ?? (cell ? '100%' : 180) }}
        {...tid(testIdOf(idPath ?? name))}
      />
    </Form.Item>
  );
}

/** Shows a level code held by the form as its label (read-only cell). */
function LevelText({ value }: { value?: string }) {
  const { t } = useI18n();
  return <Tag color="gold">{levelLabel(t, value)}</Tag>;
}

function Scalars({ children }: { children: ReactNode }) {
  return <Row gutter={24}>{children}</Row>;
}
const Cell = ({ children }: { children: ReactNode }) => (
  <Col xs={24} sm={12} lg={8} xl={6}>
    {children}
  </Col>
);

function StarFields({ disabled }: { disabled: boolean }) {
  const { t } = useI18n();
  const months = t('rules.unit.months');
  const yuan = t('rules.unit.yuan');
  return (
    <>
      <Scalars>
        <Cell>
          <NumberItem name={['params', 'windowMonths']} label={t('rules.star.windowMonths')} tooltip={t('rules.star.windowMonthsHint')} min={1} max={24} suffix={months} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'minTenureMonths']} label={t('rules.star.minTenureMonths')} max={240} suffix={months} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'blacklistArrearsMonths']} label={t('rules.star.blacklistArrearsMonths')} tooltip={t('rules.star.blacklistHint')} min={1} max={24} suffix={months} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'downgradeGraceMonths']} label={t('rules.downgradeGraceMonths')} tooltip={t('rules.downgradeGraceHint')} max={240} suffix={months} disabled={disabled} />
        </Cell>
        <Cell>
          <Form.Item name={['params', 'requireRealName']} label={t('rules.star.requireRealName')} valuePropName="checked">
            <Switch disabled={disabled} {...tid('rule-params-requireRealName')} />
          </Form.Item>
        </Cell>
      </Scalars>
      <GradeTable
        listName="grades"
        title={t('rules.star.grades')}
        hint={t('rules.star.gradesHint')}
        disabled={disabled}
        columns={[
          { key: 'level', title: t('rules.level'), width: 140, render: (f) => <LevelItem field={f} /> },
          {
            key: 'minAvgBill',
            title: t('rules.star.minAvgBill'),
            render: (f) => <NumberItem cell name={[f.name, 'minAvgBill']} idPath={['params', 'grades', f.name, 'minAvgBill']} max={1e9} precision={2} suffix={yuan} disabled={disabled} />,
          },
          {
            key: 'minTenureMonths',
            title: t('rules.star.gradeMinTenure'),
            render: (f) => <NumberItem cell name={[f.name, 'minTenureMonths']} idPath={['params', 'grades', f.name, 'minTenureMonths']} max={240} suffix={months} disabled={disabled} />,
          },
        ]}
      />
    </>
  );
}

function LevelItem({ field }: { field: FormListFieldData }) {
  return (
    <Form.Item name={[field.name, 'level']} style={{ marginBottom: 0 }}>
      <LevelText />
    </Form.Item>
  );
}

interface RowColumn {
  key: string;
  title: ReactNode;
  width?: number;
  render: (field: FormListFieldData) => ReactNode;
}

/**
 * An editable table over a Form.List under `params`: fixed rows (levels in their order) or, with
 * `addRow`, rows that can be added and removed.
 */
function GradeTable({
  listName,
  title,
  hint,
  columns,
  disabled,
  addRow,
  minRows = 0,
  maxRows,
  scrollX,
}: {
  listName: string;
  title: ReactNode;
  hint?: string;
  columns: RowColumn[];
  disabled: boolean;
  addRow?: () => unknown;
  minRows?: number;
  maxRows?: number;
  scrollX?: number;
}) {
  const { t } = useI18n();
  return (
    <Form.List name={['params', listName]}>
      {(fields, { add, remove }) => (
        <Card
          size="small"
          title={title}
          style={{ marginBottom: 16 }}
          extra={
            addRow && !disabled ? (
              <Button size="small" icon={<PlusOutlined />} disabled={maxRows !== undefined && fields.length >= maxRows} onClick={() => add(addRow())} {...tid(`rule-params-${listName}-add`)}>
                {t('rules.addRow')}
              </Button>
            ) : undefined
          }
        >
          {hint && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
              {hint}
            </Typography.Paragraph>
          )}
          <Table<FormListFieldData>
            {...tid(`rule-params-${listName}`)}
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={fields}
            scroll={scrollX ? { x: scrollX } : undefined}
            columns={[
              ...columns.map((c) => ({ key: c.key, title: c.title, width: c.width, render: (_: unknown, f: FormListFieldData) => c.render(f) })),
              ...(addRow && !disabled
                ? [
                    {
                      key: 'remove',
                      width: 56,
                      fixed: 'right' as const,
                      render: (_: unknown, f: FormListFieldData) => (
                        <Button
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={t('common.delete')}
                          disabled={fields.length <= minRows}
                          onClick={() => remove(f.name)}
                          {...tid(`rule-params-${listName}-${f.name}-remove`)}
                        />
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      )}
    </Form.List>
  );
}

function GroupClassFields({ disabled }: { disabled: boolean }) {
  const { t } = useI18n();
  const months = t('rules.unit.months');
  return (
    <>
      <Scalars>
        <Cell>
          <NumberItem name={['params', 'windowMonths']} label={t('rules.group.windowMonths')} min={1} max={24} suffix={months} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'downgradeGraceMonths']} label={t('rules.downgradeGraceMonths')} tooltip={t('rules.downgradeGraceHint')} max={240} suffix={months} disabled={disabled} />
        </Cell>
        <Cell>
          <Form.Item name={['params', 'strategicClass']} label={t('rules.group.strategicClass')} tooltip={t('rules.group.strategicHint')} rules={[{ required: true, message: t('common.required') }]}>
            <Select disabled={disabled} style={{ width: 180 }} options={GROUP_CLASSES.map((c) => ({ value: c, label: levelLabel(t, c) }))} {...tid('rule-params-strategicClass')} />
          </Form.Item>
        </Cell>
      </Scalars>
      <GradeTable
        listName="classes"
        title={t('rules.group.classes')}
        hint={t('rules.group.classesHint')}
        disabled={disabled}
        columns={[
          { key: 'level', title: t('rules.level'), width: 140, render: (f) => <LevelItem field={f} /> },
          {
            key: 'minMonthlyRevenue',
            title: t('rules.group.minMonthlyRevenue'),
            render: (f) => <NumberItem cell name={[f.name, 'minMonthlyRevenue']} idPath={['params', 'classes', f.name, 'minMonthlyRevenue']} max={1e9} precision={2} suffix={t('rules.unit.yuan')} disabled={disabled} />,
          },
          {
            key: 'minMembers',
            title: t('rules.group.minMembers'),
            render: (f) => <NumberItem cell name={[f.name, 'minMembers']} idPath={['params', 'classes', f.name, 'minMembers']} max={1e7} disabled={disabled} />,
          },
        ]}
      />
    </>
  );
}

const WEIGHTS = ['tenure', 'bill', 'payment', 'realName', 'arrears'] as const;

function WeightSum() {
  const { t } = useI18n();
  const weights = Form.useWatch(['params', 'weights']) as Record<string, number | null> | undefined;
  const sum = WEIGHTS.reduce((s, k) => s + (weights?.[k] ?? 0), 0);
  return (
    <Typography.Text type={sum === 100 ? 'success' : 'danger'} {...tid('rule-weights-sum')}>
      {t('rules.credit.weightSum', { sum })}
    </Typography.Text>
  );
}

function CreditFields({ disabled }: { disabled: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <Card size="small" title={t('rules.credit.weights')} extra={<WeightSum />} style={{ marginBottom: 16 }}>
        <Row gutter={24}>
          {WEIGHTS.map((k) => (
            <Col key={k} xs={12} md={8} xl={4}>
              <NumberItem name={['params', 'weights', k]} label={t(`rules.credit.weight.${k}` as MessageKey)} max={100} width={120} disabled={disabled} />
            </Col>
          ))}
        </Row>
      </Card>
      <Scalars>
        <Cell>
          <NumberItem name={['params', 'fullTenureMonths']} label={t('rules.credit.fullTenureMonths')} tooltip={t('rules.credit.fullTenureHint')} min={1} max={600} suffix={t('rules.unit.months')} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'fullBill']} label={t('rules.credit.fullBill')} tooltip={t('rules.credit.fullBillHint')} min={1} max={1e7} precision={2} suffix={t('rules.unit.yuan')} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'arrearsMonthPenalty']} label={t('rules.credit.arrearsMonthPenalty')} tooltip={t('rules.credit.arrearsPenaltyHint')} max={1} precision={2} step={0.05} disabled={disabled} />
        </Cell>
        <Cell>
          <Form.Item name={['params', 'noSuspendFromLevel']} label={t('rules.credit.noSuspendFromLevel')} rules={[{ required: true, message: t('common.required') }]}>
            <Select disabled={disabled} style={{ width: 180 }} options={RATED_STARS.map((l) => ({ value: l, label: levelLabel(t, l) }))} {...tid('rule-params-noSuspendFromLevel')} />
          </Form.Item>
        </Cell>
        <Cell>
          <NumberItem name={['params', 'noSuspendDays']} label={t('rules.credit.noSuspendDays')} max={90} suffix={t('rules.unit.days')} disabled={disabled} />
        </Cell>
      </Scalars>
      <GradeTable
        listName="grades"
        title={t('rules.credit.grades')}
        hint={t('rules.credit.gradesHint')}
        disabled={disabled}
        minRows={2}
        maxRows={10}
        addRow={() => ({ grade: '', minScore: 0, overdraftLimit: 0, overdraftDays: 0, suspendGraceDays: 0 })}
        columns={[
          {
            key: 'grade',
            title: t('rules.credit.grade'),
            width: 120,
            render: (f) => (
              <Form.Item name={[f.name, 'grade']} style={{ marginBottom: 0 }} rules={[{ required: true, whitespace: true, max: 8, message: t('common.required') }]}>
                <Input disabled={disabled} maxLength={8} {...tid(`rule-params-grades-${f.name}-grade`)} />
              </Form.Item>
            ),
          },
          { key: 'minScore', title: t('rules.credit.minScore'), render: (f) => <NumberItem cell name={[f.name, 'minScore']} idPath={['params', 'grades', f.name, 'minScore']} max={100} disabled={disabled} /> },
          {
            key: 'overdraftLimit',
            title: t('rules.credit.overdraftLimit'),
            render: (f) => <NumberItem cell name={[f.name, 'overdraftLimit']} idPath={['params', 'grades', f.name, 'overdraftLimit']} max={1e9} precision={2} suffix={t('rules.unit.yuan')} disabled={disabled} />,
          },
          {
            key: 'overdraftDays',
            title: t('rules.credit.overdraftDays'),
            render: (f) => <NumberItem cell name={[f.name, 'overdraftDays']} idPath={['params', 'grades', f.name, 'overdraftDays']} max={365} suffix={t('rules.unit.days')} disabled={disabled} />,
          },
          {
            key: 'suspendGraceDays',
            title: t('rules.credit.suspendGraceDays'),
            render: (f) => <NumberItem cell name={[f.name, 'suspendGraceDays']} idPath={['params', 'grades', f.name, 'suspendGraceDays']} max={90} suffix={t('rules.unit.days')} disabled={disabled} />,
          },
        ]}
      />
    </>
  );
}

/** One row of InputNumbers, a column per level: the multipliers, or a benefit's allowances. */
function LevelGrid({ base, disabled, precision, required, max }: { base: Path; disabled: boolean; precision: number; required: boolean; max: number }) {
  const { t } = useI18n();
  return (
    <Row gutter={[12, 0]}>
      {LEVELS.map((l) => (
        <Col key={l} xs={8} md={6} lg={4} xl={3}>
          <NumberItem name={[...base, l]} label={levelLabel(t, l)} max={max} precision={precision} step={precision ? 0.5 : 1} required={required} width="100%" disabled={disabled} />
        </Col>
      ))}
    </Row>
  );
}

function PointsFields({ disabled }: { disabled: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <Card size="small" title={t('rules.points.multipliers')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('rules.points.multipliersHint')}
        </Typography.Paragraph>
        <LevelGrid base={['params', 'multipliers']} disabled={disabled} precision={2} required max={100} />
      </Card>
      <Scalars>
        <Cell>
          <NumberItem name={['params', 'birthdayBonus']} label={t('rules.points.birthdayBonus')} max={1e7} suffix={t('rules.unit.points')} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'expiryMonths']} label={t('rules.points.expiryMonths')} tooltip={t('rules.points.expiryHint')} max={240} suffix={t('rules.unit.months')} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'yuanPer100Points']} label={t('rules.points.yuanPer100Points')} min={0.01} max={1000} precision={2} suffix={t('rules.unit.yuan')} disabled={disabled} />
        </Cell>
      </Scalars>
    </>
  );
}

function PotentialFields({ disabled }: { disabled: boolean }) {
  const { t } = useI18n();
  const yuan = t('rules.unit.yuan');
  return (
    <>
      <Typography.Paragraph type="secondary">{t('rules.potential.hint')}</Typography.Paragraph>
      <Scalars>
        <Cell>
          <NumberItem name={['params', 'lookbackMonths']} label={t('rules.potential.lookbackMonths')} min={1} max={12} suffix={t('rules.unit.months')} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'minAvgPaid']} label={t('rules.potential.minAvgPaid')} max={1e9} precision={2} suffix={yuan} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'minGrowthPct']} label={t('rules.potential.minGrowthPct')} max={10000} precision={2} suffix="%" disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'minGrowthBase']} label={t('rules.potential.minGrowthBase')} tooltip={t('rules.potential.minGrowthBaseHint')} max={1e9} precision={2} suffix={yuan} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'minEmployees']} label={t('rules.potential.minEmployees')} max={1e7} disabled={disabled} />
        </Cell>
        <Cell>
          <NumberItem name={['params', 'minMembers']} label={t('rules.potential.minMembers')} max={1e7} disabled={disabled} />
        </Cell>
      </Scalars>
    </>
  );
}

const BENEFIT_UNITS = ['times_per_year', 'flag', 'percent'] as const;

function BenefitsFields({ disabled }: { disabled: boolean }) {
  const { t } = useI18n();
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <>
      <Scalars>
        <Cell>
          <NumberItem
            name={['params', 'cityApprovalMaxAmount']}
            label={t('rules.benefits.cityApprovalMaxAmount')}
            tooltip={t('rules.benefits.cityApprovalHint')}
            max={1e9}
            precision={2}
            suffix={t('rules.unit.yuan')}
            width={220}
            disabled={disabled}
          />
        </Cell>
      </Scalars>
      <GradeTable
        listName="benefits"
        title={t('rules.benefits.catalogue')}
        hint={t('rules.benefits.allowancesHint')}
        disabled={disabled}
        maxRows={50}
        scrollX={1700}
        addRow={() => ({ code: '', name: '', nameEn: '', unit: 'times_per_year', allowances: {} })}
        columns={[
          {
            key: 'code',
            title: t('rules.benefits.code'),
            width: 150,
            render: (f) => (
              <Form.Item
                name={[f.name, 'code']}
                style={{ marginBottom: 0 }}
                rules={[...required, { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('rules.benefits.codePattern') }]}
              >
                <Input disabled={disabled} {...tid(`rule-params-benefits-${f.name}-code`)} />
              </Form.Item>
            ),
          },
          {
            key: 'name',
            title: t('rules.benefits.name'),
            width: 150,
            render: (f) => (
              <Form.Item name={[f.name, 'name']} style={{ marginBottom: 0 }} rules={required}>
                <Input disabled={disabled} maxLength={60} />
              </Form.Item>
            ),
          },
          {
            key: 'nameEn',
            title: t('rules.benefits.nameEn'),
            width: 170,
            render: (f) => (
              <Form.Item name={[f.name, 'nameEn']} style={{ marginBottom: 0 }} rules={required}>
                <Input disabled={disabled} maxLength={80} />
              </Form.Item>
            ),
          },
          {
            key: 'unit',
            title: t('rules.benefits.unit'),
            width: 130,
            render: (f) => (
              <Form.Item name={[f.name, 'unit']} style={{ marginBottom: 0 }}>
                <Select disabled={disabled} options={BENEFIT_UNITS.map((u) => ({ value: u, label: t(`rules.benefits.unit.${u}` as MessageKey) }))} />
              </Form.Item>
            ),
          },
          ...LEVELS.map((l) => ({
            key: `allowance-${l}`,
            title: levelLabel(t, l),
            width: 90,
            render: (f: FormListFieldData) => (
              <NumberItem cell name={[f.name, 'allowances', l]} idPath={['params', 'benefits', f.name, 'allowances', l]} max={100000} required={false} disabled={disabled} />
            ),
          })),
        ]}
      />
    </>
  );
}

/** Clears what the form holds but the server does not take: empty allowances (no benefit at that level). */
export function cleanParams(family: Family, params: Record<string, unknown>): Record<string, unknown> {
  if (family !== 'benefits') return params;
  const benefits = (params.benefits as { allowances?: Record<string, number | null | undefined> }[] | undefined) ?? [];
  return {
    ...params,
    benefits: benefits.map((b) => ({
      ...b,
      allowances: Object.fromEntries(Object.entries(b.allowances ?? {}).filter(([, v]) => v !== null && v !== undefined)),
    })),
  };
}
