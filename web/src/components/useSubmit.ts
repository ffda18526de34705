import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';

export interface SubmitOptions {
  /** Shown after success; omit for silence. */
  success?: string;
  /** Called on 409 version_conflict after the warning (reload the record here). */
  onConflict?: () => void;
}

/**
 * Runs a write and turns a problem+json failure into UI feedback: the title as a message and
 * `errors[].field` onto the form's fields. Resolves to true on success (ModalForm closes on true).
 */
export function useSubmit() {
  const { message } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    async (form: FormInstance | undefined, work: () => Promise<unknown>, options: SubmitOptions = {}) => {
      try {
        await work();
        if (options.success) message.success(options.success);
        return true;
      } catch (e) {
        reportError(e, { message, t, form, onConflict: options.onConflict });
        return false;
      }
    },
    [message, t],
  );
}

type Notify = ReturnType<typeof App.useApp>['message'];

export function reportError(
  e: unknown,
  ctx: { message: Notify; t: (k: 'common.versionConflict' | 'error.network') => string; form?: FormInstance; onConflict?: () => void },
): void {
  if (!(e instanceof ApiError)) {
    ctx.message.error(ctx.t('error.network'));
    return;
  }
  if (e.code === 'version_conflict') {
    ctx.message.warning(ctx.t('common.versionConflict'));
    ctx.onConflict?.();
    return;
  }
  const known = ctx.form ? e.fieldErrors.filter((f) => ctx.form!.getFieldInstance(f.field.split('.')[0]!) !== undefined) : [];
  if (ctx.form && known.length > 0) {
    ctx.form.setFields(known.map((f) => ({ name: f.field.split('.'), errors: [f.message] })));
  }
  const rest = e.fieldErrors.filter((f) => !known.includes(f)).map((f) => f.message);
  ctx.message.error([e.message, ...rest].join('；'));
}

/** For actions outside a form (buttons): reports errors as messages. */
export function useAction() {
  const submit = useSubmit();
  return useCallback(
    (work: () => Promise<unknown>, options?: SubmitOptions) => submit(undefined, work, options),
    [submit],
  );
}
