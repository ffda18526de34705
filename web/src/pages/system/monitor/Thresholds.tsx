import { ProForm, ProFormDigit, ProFormSwitch } from '@ant-design/pro-components';
import { Alert, Card, Form } from 'antd';
import { useEffect } from 'react';
import { api, call } from '../../../api/client';
import { tid } from '../../../components/EntityModalForm';
import { useSubmit } from '../../../components/useSubmit';
import { useI18n } from '../../../i18n';
import type { Snapshot } from './Summary';

type Values = Omit<Snapshot['thresholds'], 'version' | 'updatedAt'>;

/** 告警阈值: read by everyone who monitors, changed (at the version read) by those who operate the system. */
export function Thresholds({ current, canEdit, onSaved }: { current: Snapshot['thresholds']; canEdit: boolean; onSaved: () => void }) {
  const { t } = useI18n();
  const submit = useSubmit();
  const [form] = Form.useForm<Values>();
  // a refresh of the page brings the values someone else saved, unless this form is being edited
  useEffect(() => {
    if (!form.isFieldsTouched()) form.setFieldsValue(current);
  }, [current, form]);
  const digit = (name: keyof Values, max: number, precision = 0) => (
    <ProFormDigit name={name} label={t(`monitor.thresholds.${name}`)} min={0} max={max} disabled={!canEdit} fieldProps={{ precision, ...tid(`monitor-threshold-${name}`) }} rules={[{ required: true, message: t('common.required') }]} />
  );
  return (
    <Card title={t('monitor.thresholds')} size="small" {...tid('monitor-thresholds')}>
      {!canEdit && <Alert type="info" showIcon message={t('monitor.thresholds.readOnly')} style={{ marginBottom: 12 }} />}
      <ProForm<Values>
        form={form}
        layout="vertical"
        initialValues={current}
        submitter={canEdit ? { searchConfig: { submitText: t('common.save') }, resetButtonProps: false, submitButtonProps: tid('monitor-thresholds-save') } : false}
        onFinish={(v) =>
          submit(form, async () => {
            await call(api.PUT('/api/system/thresholds', { body: { ...v, version: current.version } }));
            form.resetFields();
            onSaved();
          }, { success: t('common.saved'), onConflict: onSaved })
        }
      >
        <ProForm.Group>
          {digit('diskFreePercent', 100, 1)}
          {digit('outboxOldestSeconds', 86_400)}
          {digit('deadLetters', 1_000_000)}
          {digit('replicationLagSeconds', 86_400)}
          {digit('errorRatePercent', 100, 2)}
          {digit('p95Seconds', 600, 3)}
        </ProForm.Group>
        <ProFormSwitch name="jobFailed" label={t('monitor.thresholds.jobFailed')} disabled={!canEdit} fieldProps={tid('monitor-threshold-jobFailed')} />
      </ProForm>
    </Card>
  );
}
