import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Form, Popconfirm, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import useSWR from 'swr';
import { api, call } from '../../../api/client';
import { tid } from '../../../components/EntityModalForm';
import { UnitTreeSelect } from '../../../components/units';
import { useAction } from '../../../components/useSubmit';
import { useI18n } from '../../../i18n';
import { ON_THE_DAY, TYPE_ICONS, typeName, type ReminderSetting, type ReminderType, type UnitSettings } from './common';

interface Draft {
  enabled: boolean;
  leadDays: number[];
}

const parseDays = (values: (string | number)[]) =>
  [...new Set(values.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n >= 0 && n <= 365))].sort((a, b) => b - a);

/** 提醒设置: for a unit of the head's, each reminder type with its switch and lead days, and where the setting comes from. */
export function ReminderSettingsPage() {
  const { t } = useI18n();
  const act = useAction();
  const [unitId, setUnitId] = useState<number | undefined>();
  const { data, isLoading, mutate } = useSWR(['/api/reminder-settings', unitId ?? 0] as const, () =>
    call(api.GET('/api/reminder-settings', { params: { query: unitId ? { unitId } : {} } })),
  );
  // edits of the settings as loaded: a reload (another unit, a save) starts afresh
  const [edits, setEdits] = useState<{ of?: UnitSettings; drafts: Partial<Record<ReminderType, Draft>> }>({ drafts: {} });
  const drafts = edits.of === data ? edits.drafts : {};
  const setDrafts = (update: (d: Partial<Record<ReminderType, Draft>>) => Partial<Record<ReminderType, Draft>>) => setEdits({ of: data, drafts: update(drafts) });

  const draftOf = (s: ReminderSetting): Draft => drafts[s.type] ?? { enabled: s.enabled, leadDays: s.leadDays };
  const edit = (s: ReminderSetting, change: Partial<Draft>) => setDrafts((d) => ({ ...d, [s.type]: { ...draftOf(s), ...change } }));
  const changed = (s: ReminderSetting) => {
    const d = drafts[s.type];
    return !!d && (d.enabled !== s.enabled || d.leadDays.join(',') !== s.leadDays.join(','));
  };
  const apply = (next: UnitSettings) => void mutate(next, { revalidate: false });

  const save = (s: ReminderSetting) => {
    const d = draftOf(s);
    return act(
      () =>
        call(
          api.PUT('/api/org/units/{id}/reminder-settings/{type}', {
            params: { path: { id: data!.unitId, type: s.type } },
            body: { enabled: d.enabled, leadDays: ON_THE_DAY.has(s.type) ? [0] : d.leadDays, ...(s.source === 'own' && { version: s.version }) },
          }),
        ).then(apply),
      { success: t('reminders.settings.saved', { type: typeName(t, s.type) }), onConflict: () => void mutate() },
    );
  };
  const reset = (s: ReminderSetting) =>
    act(
      () => call(api.DELETE('/api/org/units/{id}/reminder-settings/{type}', { params: { path: { id: data!.unitId, type: s.type }, query: { version: s.version! } } })).then(apply),
      { success: t('reminders.settings.resetDone', { type: typeName(t, s.type) }), onConflict: () => void mutate() },
    );

  const columns: TableColumnsType<ReminderSetting> = [
    {
      title: t('reminders.type'),
      dataIndex: 'type',
      width: 200,
      render: (_, s) => (
        <Space>
          <span style={{ color: TYPE_ICONS[s.type].color }}>{TYPE_ICONS[s.type].icon}</span>
          {typeName(t, s.type)}
        </Space>
      ),
    },
    {
      title: t('reminders.settings.enabled'),
      dataIndex: 'enabled',
      width: 90,
      render: (_, s) => <Switch checked={draftOf(s).enabled} onChange={(enabled) => edit(s, { enabled })} {...tid(`setting-enabled-${s.type}`)} />,
    },
    {
      title: t('reminders.settings.leadDays'),
      dataIndex: 'leadDays',
      render: (_, s) =>
        ON_THE_DAY.has(s.type) ? (
          <Typography.Text type="secondary">{t('reminders.onTheDay')}</Typography.Text>
        ) : (
          <Form.Item
            style={{ margin: 0 }}
            validateStatus={draftOf(s).leadDays.length ? undefined : 'error'}
            help={draftOf(s).leadDays.length ? undefined : t('reminders.settings.leadDaysRequired')}
          >
            <Select<(string | number)[]>
              {...tid(`setting-lead-${s.type}`)}
              mode="tags"
              style={{ minWidth: 220 }}
              placeholder={t('reminders.settings.leadDaysHint')}
              value={draftOf(s).leadDays.map(String)}
              onChange={(values) => edit(s, { leadDays: parseDays(values).slice(0, 5) })}
              options={[90, 60, 30, 15, 7, 3, 1, 0].map((n) => ({ value: String(n), label: n === 0 ? t('reminders.onTheDay') : t('reminders.lead', { n }) }))}
              tagRender={({ value, closable, onClose }) => (
                <Tag closable={closable} onClose={onClose} style={{ marginInlineEnd: 4 }}>
                  {Number(value) === 0 ? t('reminders.onTheDay') : t('reminders.lead', { n: Number(value) })}
                </Tag>
              )}
            />
          </Form.Item>
        ),
    },
    {
      title: t('reminders.settings.source'),
      dataIndex: 'source',
      width: 200,
      render: (_, s) => (
        <Tag color={s.source === 'own' ? 'blue' : s.source === 'inherited' ? 'purple' : 'default'} {...tid(`setting-source-${s.type}`)}>
          {s.source === 'inherited' ? t('reminders.settings.source.inherited', { unit: s.sourceUnitName ?? '' }) : t(`reminders.settings.source.${s.source}`)}
        </Tag>
      ),
    },
    {
      title: t('common.actions'),
      width: 200,
      render: (_, s) => (
        <Space>
          <Button type="primary" size="small" disabled={!changed(s) || !draftOf(s).leadDays.length} onClick={() => save(s)} {...tid(`setting-save-${s.type}`)}>
            {t('reminders.settings.save')}
          </Button>
          {s.source === 'own' && (
            <Popconfirm title={t('reminders.settings.resetConfirm', { type: typeName(t, s.type) })} onConfirm={() => reset(s)}>
              <Button size="small" {...tid(`setting-reset-${s.type}`)}>
                {t('reminders.settings.reset')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <PageContainer title={t('reminders.settings.title')} content={t('reminders.settings.intro')} {...tid('reminder-settings-page')}>
      <Card>
        <Space style={{ marginBottom: 16 }}>
          <span>{t('reminders.settings.unit')}</span>
          <UnitTreeSelect {...tid('reminder-settings-unit')} allowClear={false} value={unitId ?? data?.unitId} onChange={(v) => setUnitId(v)} style={{ minWidth: 280 }} />
        </Space>
        <Table<ReminderSetting> {...tid('reminder-settings-table')} rowKey="type" loading={isLoading} columns={columns} dataSource={data?.items ?? []} pagination={false} />
      </Card>
    </PageContainer>
  );
}
