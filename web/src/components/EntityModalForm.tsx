import { ModalForm } from '@ant-design/pro-components';
import { Form } from 'antd';
import { useCallback, useState, type ReactNode } from 'react';
import { useSubmit } from './useSubmit';

/** `{ 'data-testid': id }` typed loosely so that it can be spread into antd prop objects. */
export const tid = (id: string) => ({ 'data-testid': id }) as Record<string, string>;

/** Open/close state of a create-or-edit dialog: `record` is undefined when creating. */
export function useEditor<T>() {
  const [state, setState] = useState<{ open: boolean; record?: T }>({ open: false });
  const open = useCallback((record?: T) => setState({ open: true, record }), []);
  const close = useCallback(() => setState({ open: false }), []);
  return { ...state, open, close, isOpen: state.open };
}

interface Props<V> {
  title: ReactNode;
  /** Rendered only while open, so initial values are always fresh. */
  open: boolean;
  onClose: () => void;
  initialValues?: Partial<V>;
  /** Performs the write; throw ApiError to report problems (fields are mapped automatically). */
  onSubmit: (values: V) => Promise<unknown>;
  success?: string;
  onConflict?: () => void;
  testId: string;
  width?: number;
  children: ReactNode;
}

/** The one create/edit dialog used by every list page. */
export function EntityModalForm<V extends object>(props: Props<V>) {
  const [form] = Form.useForm<V>();
  const submit = useSubmit();
  if (!props.open) return null;
  return (
    <ModalForm<V>
      form={form}
      title={props.title}
      open
      width={props.width ?? 560}
      layout="vertical"
      initialValues={props.initialValues}
      modalProps={{ onCancel: props.onClose, maskClosable: false, wrapProps: tid(props.testId) }}
      submitter={{ submitButtonProps: tid(`${props.testId}-submit`) }}
      onFinish={async (values) => {
        const ok = await submit(form, () => props.onSubmit(values), { success: props.success, onConflict: props.onConflict });
        if (ok) props.onClose();
        return ok;
      }}
    >
      {props.children}
    </ModalForm>
  );
}
