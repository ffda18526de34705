import { ProForm, ProFormSelect, ProFormText, ProFormTextArea } from '@ant-design/pro-components';
import { Alert, DatePicker } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { api, call } from '../../../api/client';
import { EntityModalForm, tid } from '../../../components/EntityModalForm';
import { UnitTreeSelect } from '../../../components/units';
import { useI18n } from '../../../i18n';
import { earliestStart, fromWall, KINDS, kindName, optionsOf, toWall, type OutageDetail, type OutageKind } from './common';

interface Values {
  title: string;
  kind: OutageKind;
  areaUnitId: number;
  startsAt: Dayjs;
  endsAt: Dayjs;
  description?: string;
}

const WALL_FORMAT = 'YYYY-MM-DD HH:mm';

/**
 * 编制 / 修改通知: title, kind, the area (a unit of the reader's subtree: the outage covers it and below) and the
 * window in Beijing time, whose start is hinted (and limited) to 72 hours from now.
 */
export function NoticeEditor({ outage, onClose, onSaved }: { outage?: OutageDetail; onClose: () => void; onSaved: (o: OutageDetail) => void }) {
  const { t } = useI18n();
  const earliest = useMemo(() => earliestStart(), []);
  const initial: Partial<Values> | undefined = outage && {
    title: outage.title,
    kind: outage.kind,
    areaUnitId: outage.areaUnitId,
    startsAt: toWall(outage.startsAt),
    endsAt: toWall(outage.endsAt),
    description: outage.description ?? undefined,
  };

  const save = async (v: Values) => {
    const fields = { title: v.title, kind: v.kind, areaUnitId: v.areaUnitId, description: v.description ?? null };
    if (!outage) return onSaved(await call(api.POST('/api/outages', { body: { ...fields, startsAt: fromWall(v.startsAt), endsAt: fromWall(v.endsAt) } })));
    // the window is sent only when changed: a draft near its start keeps its other edits
    const moved = !v.startsAt.isSame(initial!.startsAt) || !v.endsAt.isSame(initial!.endsAt);
    const window = moved ? { startsAt: fromWall(v.startsAt), endsAt: fromWall(v.endsAt) } : {};
    onSaved(await call(api.PATCH('/api/outages/{id}', { params: { path: { id: outage.id } }, body: { version: outage.version, ...fields, ...window } })));
  };

  return (
    <EntityModalForm<Values>
      open
      onClose={onClose}
      title={outage ? t('notices.editor.edit') : t('notices.editor.create')}
      initialValues={initial ?? { kind: 'cutover' }}
      onSubmit={save}
      success={t('common.saved')}
      testId="notice-editor"
      width={640}
    >
      {outage && outage.status !== 'draft' && <Alert type="warning" showIcon message={t('notices.editor.reopenWarning')} style={{ marginBottom: 16 }} />}
      <ProFormText name="title" label={t('notices.titleField')} rules={[{ required: true, message: t('common.required') }]} fieldProps={{ maxLength: 100, ...tid('notice-title') }} />
      <ProFormSelect name="kind" label={t('notices.kind')} options={optionsOf(KINDS, (k) => kindName(t, k))} rules={[{ required: true }]} allowClear={false} fieldProps={tid('notice-kind')} />
      <ProForm.Item name="areaUnitId" label={t('notices.area')} rules={[{ required: true, message: t('common.required') }]}>
        <UnitTreeSelect data-testid="notice-area" style={{ width: '100%' }} />
      </ProForm.Item>
      <ProForm.Group>
        <ProForm.Item name="startsAt" label={t('notices.start')} rules={[{ required: true, message: t('notices.windowRequired') }]} extra={t('notices.earliestHint', { earliest: earliest.format(WALL_FORMAT) })}>
          <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format={WALL_FORMAT} disabledDate={(d) => d.isBefore(earliest, 'day')} data-testid="notice-start" />
        </ProForm.Item>
        <ProForm.Item name="endsAt" label={t('notices.end')} rules={[{ required: true, message: t('notices.windowRequired') }]}>
          <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format={WALL_FORMAT} disabledDate={(d) => d.isBefore(earliest, 'day')} data-testid="notice-end" />
        </ProForm.Item>
      </ProForm.Group>
      <ProFormTextArea name="description" label={t('notices.description')} fieldProps={{ rows: 3, maxLength: 2000, ...tid('notice-description') }} />
      <Alert type="info" showIcon message={t('notices.approvalHint')} />
    </EntityModalForm>
  );
}
