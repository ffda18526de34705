import { PlusOutlined } from '@ant-design/icons';
import type { ProColumnType, ProTableProps } from '@ant-design/pro-components';
import { Button, Popconfirm, Tag, Typography, type TablePaginationConfig } from 'antd';
import type { ReactNode } from 'react';
import { useI18n, type Translate } from '../i18n';
import { tid } from './EntityModalForm';
import { useAction } from './useSubmit';

type ListTableDefaults = Pick<ProTableProps<Record<string, unknown>, Record<string, unknown>>, 'search' | 'pagination' | 'options'>;

/**
 * The search form, pagination and toolbar every console list shows alike (`{...listTableProps(t)}` on a
 * ProTable); `pagination` adds to the page settings, e.g. `{ showSizeChanger: true }`.
 */
export function listTableProps(t: Translate, pagination?: TablePaginationConfig): ListTableDefaults {
  return {
    search: { labelWidth: 'auto' },
    pagination: { defaultPageSize: 20, showTotal: (total) => t('common.total', { total }), ...pagination },
    // density and column settings are left out: the lists are laid out for their default density
    options: { reload: true, density: false, setting: false },
  };
}

/**
 * 新建…: a list's primary button in the table's toolbar (`toolBarRender={createTool(…)}`), or none for
 * those who may not create (`allowed`).
 */
export function createTool({ text, testId, onClick, allowed = true }: { text: string; testId: string; onClick: () => void; allowed?: boolean }): () => ReactNode[] {
  return () =>
    allowed
      ? [
          // the click event is not passed on: editors take an optional record as their argument
          <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => onClick()} {...tid(testId)}>
            {text}
          </Button>,
        ]
      : [];
}

/** A select filter's choices from a list of codes, each named through the catalogue. */
export const valueEnumOf = <T extends string>(codes: readonly T[], name: (code: T) => string) => Object.fromEntries(codes.map((c) => [c, { text: name(c) }]));

interface ActiveNames {
  active: string;
  inactive: string;
}

/**
 * 启用/停用: a record's `active` flag as a green or grey tag, searchable by a select whose values
 * ('true', 'false') are what the list endpoints take as `active`. `names` replace 启用/停用 where the
 * flag means something else (暂停 a partner).
 */
export function activeColumn<T extends { active: boolean }>(t: Translate, { names, width = 90 }: { names?: ActiveNames; width?: number } = {}): ProColumnType<T> {
  const { active, inactive } = names ?? { active: t('common.active'), inactive: t('common.inactive') };
  return {
    title: t('common.status'),
    dataIndex: 'active',
    width,
    valueType: 'select',
    valueEnum: { true: { text: active }, false: { text: inactive } },
    render: (_, r) => <Tag color={r.active ? 'green' : 'default'}>{r.active ? active : inactive}</Tag>,
  };
}

/** What the toggle link says and asks in one direction: `off` while the record is active, `on` while not. */
interface ToggleTexts {
  action: string;
  confirm: string;
}

interface EditToggleOptions<T> extends Pick<ProColumnType<T>, 'width' | 'fixed' | 'hideInTable'> {
  /** The browser tests find the links by `${prefix}-edit-${key}`, `${prefix}-toggle-${key}` and `${prefix}-toggle-confirm-${key}`. */
  testIds: { prefix: string; key: (record: T) => string };
  onEdit: (record: T) => void;
  onToggle: (record: T) => unknown;
  off: ToggleTexts;
  on: ToggleTexts;
}

/** 编辑 and a confirmed 停用/启用 (or 暂停/恢复): the actions of a list whose records are switched off rather than deleted. */
export function editToggleColumn<T extends { active: boolean }>(t: Translate, { testIds, onEdit, onToggle, off, on, ...column }: EditToggleOptions<T>): ProColumnType<T> {
  return {
    title: t('common.actions'),
    valueType: 'option',
    ...column,
    render: (_, r) => {
      const id = (what: string) => `${testIds.prefix}-${what}-${testIds.key(r)}`;
      const texts = r.active ? off : on;
      return [
        <Typography.Link key="edit" onClick={() => onEdit(r)} {...tid(id('edit'))}>
          {t('common.edit')}
        </Typography.Link>,
        <Popconfirm key="active" title={texts.confirm} okButtonProps={tid(id('toggle-confirm'))} onConfirm={() => onToggle(r)}>
          <Typography.Link type={r.active ? 'danger' : undefined} {...tid(id('toggle'))}>
            {texts.action}
          </Typography.Link>
        </Popconfirm>,
      ];
    },
  };
}

/**
 * Flips a record's `active` flag and reloads the list; `patch` sends `{ version, active: !record.active }`.
 * A stale version reloads too, so that the next click acts on what the server holds.
 */
export function useActiveToggle<T extends { active: boolean }>(patch: (record: T) => Promise<unknown>, reload: () => void) {
  const act = useAction();
  const { t } = useI18n();
  return (record: T) => act(() => patch(record).then(reload), { success: t('common.saved'), onConflict: reload });
}
