import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Empty, InputNumber, Popconfirm, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { api, call } from '../../../api/client';
import { useFreshApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { tid } from '../../../components/EntityModalForm';
import { UnitTreeSelect } from '../../../components/units';
import { useAction } from '../../../components/useSubmit';
import { useI18n } from '../../../i18n';
import { formatValue, type Weights } from './common';

type WeightLine = Weights['lines'][number];
type Draft = Record<string, { weight: number | null; target: number | null }>;

const draftOf = (w: Weights): Draft => Object.fromEntries(w.lines.map((l) => [l.indicator, { weight: l.weight, target: l.target }]));

/** 考核方案: a unit's weights and targets, with the sum shown and where the settings in effect come from (own, inherited, default). */
export function ScorecardWeightsPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const [unitId, setUnitId] = useState<number | undefined>(me?.unitId);
  const fresh = useFreshApi('/api/scorecard-weights/{id}', unitId === undefined ? null : { path: { id: unitId } });
  const weights = fresh.data;

  return (
    <PageContainer title={t('scorecardWeights.title')} content={t('scorecardWeights.intro')} {...tid('scorecard-weights-page')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <UnitTreeSelect value={unitId} onChange={(v) => setUnitId(v ?? undefined)} placeholder={t('scorecardWeights.pickUnit')} style={{ minWidth: 260 }} data-testid="weights-unit" />
        {weights && <SourceTag weights={weights} />}
      </Space>
      {unitId === undefined ? (
        <Empty description={t('scorecardWeights.pickUnit')} />
      ) : !weights ? (
        <Spin />
      ) : (
        <Editor key={`${weights.unitId}-${weights.source}-${weights.version}`} weights={weights} onSaved={(w) => void fresh.mutate(w, { revalidate: false })} onReload={() => void fresh.mutate()} />
      )}
    </PageContainer>
  );
}

/** Where the settings in effect come from: the unit's own, an ancestor's, or the defaults. */
function SourceTag({ weights }: { weights: Weights }) {
  const { t, locale } = useI18n();
  return (
    <Tag color={weights.source === 'own' ? 'blue' : weights.source === 'inherited' ? 'purple' : 'default'} {...tid('weights-source')}>
      {weights.source === 'inherited'
        ? t('scorecardWeights.source.inherited', { unit: (locale === 'en-US' && weights.sourceUnitNameEn) || weights.sourceUnitName || '' })
        : t(`scorecardWeights.source.${weights.source}`)}
    </Tag>
  );
}

/** The weights and targets of one unit as read, edited in place; saved all at once. */
function Editor({ weights, onSaved, onReload }: { weights: Weights; onSaved: (w: Weights) => void; onReload: () => void }) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const act = useAction();
  const unitId = weights.unitId;
  const [draft, setDraft] = useState<Draft>(() => draftOf(weights));
  const sum = useMemo(() => Math.round(Object.values(draft).reduce((s, d) => s + (d.weight ?? 0), 0) * 100) / 100, [draft]);
  const complete = Object.values(draft).every((d) => d.weight !== null && d.target !== null && d.target > 0);
  const editable = can('scorecards.manage');
  const nameOf = (l: WeightLine) => (locale === 'en-US' ? l.nameEn : l.name);

  const save = () =>
    act(
      async () => {
        const saved = await call(
          api.PUT('/api/scorecard-weights/{id}', {
            params: { path: { id: unitId } },
            body: { version: weights.version, lines: weights.lines.map((l) => ({ indicator: l.indicator, weight: draft[l.indicator]!.weight!, target: draft[l.indicator]!.target! })) },
          }),
        );
        onSaved(saved);
      },
      { success: t('scorecardWeights.saved'), onConflict: onReload },
    );
  const reset = () =>
    act(
      async () => {
        await call(api.DELETE('/api/scorecard-weights/{id}', { params: { path: { id: unitId }, query: { version: weights.version } } }));
        onReload();
      },
      { success: t('scorecardWeights.resetDone'), onConflict: onReload },
    );

  const columns: ColumnsType<WeightLine> = [
    { title: t('scorecardWeights.group'), dataIndex: 'group', width: 100, render: (g: WeightLine['group']) => t(`scorecards.group.${g}`) },
    {
      title: t('scorecardWeights.indicator'),
      key: 'name',
      render: (_, l) => (
        <Space direction="vertical" size={0}>
          <span>{nameOf(l)}</span>
          <Typography.Text type="secondary">{t(l.direction === 'higher' ? 'scorecardWeights.higher' : 'scorecardWeights.lower')}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t('scorecardWeights.weight'),
      key: 'weight',
      width: 130,
      render: (_, l) => (
        <InputNumber
          min={0}
          max={100}
          precision={2}
          disabled={!editable}
          value={draft[l.indicator]?.weight ?? null}
          onChange={(v) => setDraft((d) => ({ ...d, [l.indicator]: { ...d[l.indicator]!, weight: v } }))}
          {...tid(`weight-${l.indicator}`)}
        />
      ),
    },
    {
      title: t('scorecardWeights.target'),
      key: 'target',
      width: 190,
      render: (_, l) => (
        <Space>
          <InputNumber
            min={0.0001}
            precision={l.unit === 'yuan' ? 2 : undefined}
            disabled={!editable}
            value={draft[l.indicator]?.target ?? null}
            onChange={(v) => setDraft((d) => ({ ...d, [l.indicator]: { ...d[l.indicator]!, target: v } }))}
            style={{ width: 130 }}
            {...tid(`target-${l.indicator}`)}
          />
          <span>{l.unit === 'percent' ? '%' : t(`scorecard.unit.${l.unit}`)}</span>
        </Space>
      ),
    },
    {
      title: t('scorecardWeights.defaultColumn'),
      key: 'default',
      render: (_, l) => (
        <Typography.Text type="secondary">
          {l.defaultWeight} / {formatValue(t, l.defaultTarget, l.unit)}
        </Typography.Text>
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table<WeightLine> {...tid('weights-table')} rowKey="indicator" size="small" pagination={false} columns={columns} dataSource={weights.lines} scroll={{ x: 760 }} />
      {sum === 100 ? (
        <Alert type="success" showIcon message={t('scorecardWeights.sum', { sum })} {...tid('weights-sum')} />
      ) : (
        <Alert type="warning" showIcon message={t('scorecardWeights.sumBad', { sum })} {...tid('weights-sum')} />
      )}
      {editable && (
        <Space>
          <Button type="primary" disabled={sum !== 100 || !complete} onClick={() => void save()} {...tid('weights-save')}>
            {t('scorecardWeights.save')}
          </Button>
          {weights.source === 'own' && (
            <Popconfirm title={t('scorecardWeights.resetConfirm')} onConfirm={() => void reset()} okButtonProps={tid('weights-reset-confirm')}>
              <Button danger {...tid('weights-reset')}>
                {t('scorecardWeights.reset')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      )}
    </Space>
  );
}
