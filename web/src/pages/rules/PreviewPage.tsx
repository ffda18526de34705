import { ExperimentOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Popconfirm, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api, call } from '../../api/client';
import { useSession } from '../../app/session';
import { tid } from '../../components/EntityModalForm';
import { reportError } from '../../components/useSubmit';
import { useI18n } from '../../i18n';
import type { RulePreview } from './common';
import { MonthPicker, useMonthChoice } from './months';
import { PreviewResult } from './PreviewResult';

/** Runs a month (执行计算) after a confirmation; resolves true when the run is recorded. */
export function useRunMonth() {
  const { t } = useI18n();
  const { message } = App.useApp();
  return async (month: string) => {
    try {
      const run = await call(api.POST('/api/rules/runs', { body: { month } }));
      message.success(t('rules.runs.done', { month: run.month, ms: run.durationMs ?? 0 }));
      return true;
    } catch (e) {
      reportError(e, { message, t });
      return false;
    }
  };
}

/** 试算: a month through the rules in effect, before/after, the migration matrix, a sample; then the run. */
export function PreviewPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const runMonth = useRunMonth();
  const [month, setMonth] = useMonthChoice();
  const [state, setState] = useState<{ loading: boolean; result?: RulePreview; error?: string }>({ loading: false });
  const [ran, setRan] = useState<string | null>(null);

  const preview = async () => {
    setState({ loading: true });
    setRan(null);
    try {
      setState({ loading: false, result: await call(api.POST('/api/rules/preview', { body: { month: month.format('YYYY-MM') } })) });
    } catch (e) {
      reportError(e, { message, t });
      setState({ loading: false, error: e instanceof ApiError ? e.message : t('error.network') });
    }
  };

  const m = month.format('YYYY-MM');
  return (
    <PageContainer title={t('rules.preview.title')} content={t('rules.preview.intro')} {...tid('rules-preview-page')}>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <Typography.Text>{t('rules.month')}</Typography.Text>
          <MonthPicker value={month} onChange={setMonth} testId="preview-month" />
          <Button type="primary" icon={<ExperimentOutlined />} loading={state.loading} onClick={() => void preview()} {...tid('preview-run')}>
            {t('rules.preview.button')}
          </Button>
          {can('rules.run') && (
            <Popconfirm
              title={t('rules.runs.confirmTitle', { month: m })}
              description={t('rules.runs.confirmText')}
              okButtonProps={tid('preview-execute-confirm')}
              onConfirm={async () => {
                if (await runMonth(m)) setRan(m);
              }}
            >
              <Button icon={<PlayCircleOutlined />} {...tid('preview-execute')}>
                {t('rules.runs.run')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      </Card>
      {ran && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          message={
            <span>
              {t('rules.runs.doneShort', { month: ran })} <Link to="/rules/runs">{t('rules.runs.title')}</Link>
            </span>
          }
        />
      )}
      {state.loading ? (
        <Spin size="large" style={{ display: 'block', margin: 48 }} />
      ) : state.result ? (
        <PreviewResult preview={state.result} />
      ) : state.error ? (
        <Alert type="error" showIcon message={state.error} />
      ) : (
        <Alert type="info" showIcon message={t('rules.preview.pick')} />
      )}
    </PageContainer>
  );
}
