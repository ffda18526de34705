import { Alert, App, Button, DatePicker, Drawer, Form, Radio, Select, Space, Spin, Steps, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api, call, type Schemas } from '../../../api/client';
import { revalidate, useApi } from '../../../api/swr';
import { tid } from '../../../components/EntityModalForm';
import { today } from '../../../components/format';
import { ManagerSelect } from '../../../components/ManagerSelect';
import { UnitTreeSelect } from '../../../components/units';
import { useAction } from '../../../components/useSubmit';
import { useI18n, type MessageKey } from '../../../i18n';
import { LEVELS } from '../../rules/common';
import { ARCHIVES, INDUSTRIES, KINDS, codeOptions } from '../../customers/codes';

type MoveBody = Schemas['PortfolioMove'];
type MoveResult = Schemas['PortfolioMoveResult'];
type Scope = 'all' | 'filter' | 'selected';

interface Values {
  fromManagerId?: number;
  scope: Scope;
  kind?: (typeof KINDS)[number];
  level?: string[];
  industry?: (typeof INDUSTRIES)[number];
  unitId?: number;
  archive?: (typeof ARCHIVES)[number];
  toManagerId?: number;
  fromDate?: Dayjs;
}

/**
 * 批量调整客户: a wizard in a drawer — the source manager, which of their customers (all, a filter of the customers
 * list, or those chosen on the manager's page), the target manager and the effective day, then the count of a dry
 * run before the move is confirmed.
 */
export function MoveWizard(props: { open: boolean; onClose: () => void; onMoved?: () => void; fromManagerId?: number; customerIds?: number[] }) {
  // mounted afresh at each opening: the steps start over from the source manager given
  return props.open ? <Wizard {...props} /> : null;
}

function Wizard({ open, onClose, onMoved, fromManagerId, customerIds }: { open: boolean; onClose: () => void; onMoved?: () => void; fromManagerId?: number; customerIds?: number[] }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const act = useAction();
  const [form] = Form.useForm<Values>();
  const [step, setStep] = useState(0);
  const [counted, setCounted] = useState<MoveResult | null>(null);
  const [counting, setCounting] = useState(false);
  const managers = useApi('/api/customers/managers', open ? {} : null);
  const nameOf = (id: number | undefined) => managers.data?.find((m) => m.id === id)?.displayName ?? '';


  const body = (dryRun: boolean): MoveBody => {
    const v = form.getFieldsValue(true) as Values;
    const filter = {
      ...(v.kind && { kind: v.kind }),
      ...(v.level?.length && { level: v.level.join(',') }),
      ...(v.industry && { industry: v.industry }),
      ...(v.unitId && { unitId: v.unitId }),
      ...(v.archive && { archive: v.archive }),
    };
    return {
      fromManagerId: v.fromManagerId!,
      toManagerId: v.toManagerId!,
      ...(v.scope === 'selected' && customerIds?.length && { customerIds }),
      ...(v.scope === 'filter' && { filter }),
      fromDate: v.fromDate ? v.fromDate.format('YYYY-MM-DD') : undefined,
      dryRun,
    };
  };

  const count = async () => {
    setCounting(true);
    setCounted(null);
    await act(async () => setCounted(await call(api.POST('/api/managers/portfolio-moves', { body: body(true) }))));
    setCounting(false);
  };

  const steps: { key: string; title: MessageKey; fields: (keyof Values)[] }[] = [
    { key: 'source', title: 'managerProfiles.wizard.step.source', fields: ['fromManagerId'] },
    { key: 'customers', title: 'managerProfiles.wizard.step.customers', fields: ['scope'] },
    { key: 'target', title: 'managerProfiles.wizard.step.target', fields: ['toManagerId', 'fromDate'] },
    { key: 'confirm', title: 'managerProfiles.wizard.step.confirm', fields: [] },
  ];
  const next = async () => {
    await form.validateFields(steps[step]!.fields);
    const to = step + 1;
    setStep(to);
    if (to === 3) await count();
  };
  const confirm = () =>
    act(async () => {
      const done = await call(api.POST('/api/managers/portfolio-moves', { body: body(false) }));
      message.success(t('managerProfiles.wizard.done', { n: done.customers }));
      await revalidate('/api/managers', '/api/managers/{id}', '/api/customers');
      onMoved?.();
      onClose();
    });

  const v = Form.useWatch([], form) as Values | undefined;
  const scopeOptions = useMemo(
    () => [
      { value: 'all', label: t('managerProfiles.wizard.scope.all') },
      { value: 'filter', label: t('managerProfiles.wizard.scope.filter') },
      ...(customerIds?.length ? [{ value: 'selected', label: t('managerProfiles.wizard.scope.selected', { n: customerIds.length }) }] : []),
    ],
    [customerIds, t],
  );
  const from = nameOf(v?.fromManagerId);
  const to = nameOf(v?.toManagerId);

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={640}
      title={t('managerProfiles.wizard.title')}
      footer={
        <Space style={{ float: 'right' }}>
          {step > 0 && (
            <Button onClick={() => setStep(step - 1)} {...tid('move-back')}>
              {t('managerProfiles.wizard.back')}
            </Button>
          )}
          {step < 3 && (
            <Button type="primary" onClick={() => void next()} {...tid('move-next')}>
              {t('managerProfiles.wizard.next')}
            </Button>
          )}
          {step === 3 && (
            <Button type="primary" danger disabled={!counted || counted.customers === 0} onClick={() => void confirm()} {...tid('move-confirm')}>
              {t('managerProfiles.wizard.confirm')}
            </Button>
          )}
        </Space>
      }
      {...tid('move-wizard')}
    >
      <Steps size="small" current={step} items={steps.map((s) => ({ key: s.key, title: t(s.title) }))} style={{ marginBottom: 24 }} />
      <Form form={form} layout="vertical" preserve initialValues={{ fromManagerId, scope: customerIds?.length ? 'selected' : 'all', fromDate: dayjs(today()) }}>
        <div style={{ display: step === 0 ? undefined : 'none' }}>
          <Form.Item name="fromManagerId" label={t('managerProfiles.wizard.from')} rules={[{ required: true, message: t('common.required') }]}>
            <ManagerSelect style={{ width: '100%' }} {...tid('move-from')} />
          </Form.Item>
        </div>
        <div style={{ display: step === 1 ? undefined : 'none' }}>
          <Form.Item name="scope" label={t('managerProfiles.wizard.scope')} rules={[{ required: true, message: t('common.required') }]}>
            <Radio.Group options={scopeOptions} optionType="button" {...tid('move-scope')} />
          </Form.Item>
          {v?.scope === 'filter' && (
            <>
              <Form.Item name="kind" label={t('managerProfiles.wizard.kind')}>
                <Select allowClear options={codeOptions(t, 'kind', KINDS)} {...tid('move-filter-kind')} />
              </Form.Item>
              <Form.Item name="level" label={t('managerProfiles.wizard.level')}>
                <Select allowClear mode="multiple" options={LEVELS.map((l) => ({ value: l, label: t(`rules.level.${l}` as MessageKey) }))} {...tid('move-filter-level')} />
              </Form.Item>
              <Form.Item name="industry" label={t('managerProfiles.wizard.industry')}>
                <Select allowClear showSearch optionFilterProp="label" options={codeOptions(t, 'industry', INDUSTRIES)} {...tid('move-filter-industry')} />
              </Form.Item>
              <Form.Item name="archive" label={t('managerProfiles.wizard.archive')}>
                <Select allowClear options={codeOptions(t, 'archive', ARCHIVES)} {...tid('move-filter-archive')} />
              </Form.Item>
              <Form.Item name="unitId" label={t('managerProfiles.wizard.region')}>
                <UnitTreeSelect forCustomers {...tid('move-filter-unit')} />
              </Form.Item>
            </>
          )}
        </div>
        <div style={{ display: step === 2 ? undefined : 'none' }}>
          <Form.Item
            name="toManagerId"
            label={t('managerProfiles.wizard.to')}
            dependencies={['fromManagerId']}
            rules={[
              { required: true, message: t('common.required') },
              ({ getFieldValue }) => ({
                validator: (_, id?: number) => (id && id === getFieldValue('fromManagerId') ? Promise.reject(new Error(t('managerProfiles.wizard.to'))) : Promise.resolve()),
              }),
            ]}
          >
            <ManagerSelect style={{ width: '100%' }} {...tid('move-to')} />
          </Form.Item>
          <Form.Item name="fromDate" label={t('managerProfiles.wizard.fromDate')} rules={[{ required: true, message: t('common.required') }]}>
            <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.isAfter(dayjs(today()), 'day')} {...tid('move-date')} />
          </Form.Item>
        </div>
      </Form>
      {step === 3 && (
        <Space direction="vertical" style={{ width: '100%' }}>
          {counting && <Spin />}
          {counted && counted.customers === 0 && <Alert type="warning" showIcon message={t('managerProfiles.wizard.noneMatched')} />}
          {counted && counted.customers > 0 && (
            <Alert
              type="info"
              showIcon
              message={<span {...tid('move-count')}>{t('managerProfiles.wizard.countValue', { n: counted.customers, from, to })}</span>}
              description={
                <>
                  {t('managerProfiles.wizard.targetAfter', { to, size: counted.targetSize })}
                  {counted.targetMax !== null && counted.targetSize > counted.targetMax && <Typography.Text type="danger">{`，${t('managerProfiles.wizard.overMax', { max: counted.targetMax })}`}</Typography.Text>}
                </>
              }
            />
          )}
          <Typography.Paragraph type="secondary">{t('managerProfiles.wizard.notice')}</Typography.Paragraph>
          <Button onClick={() => void count()} {...tid('move-recount')}>
            {t('managerProfiles.wizard.recount')}
          </Button>
        </Space>
      )}
    </Drawer>
  );
}
