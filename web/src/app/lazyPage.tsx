import { Spin } from 'antd';
import { lazy, Suspense, type ComponentProps, type ComponentType } from 'react';

/** The spinner shown while a page's chunk or data arrives. */
export function PageLoading() {
  return <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} data-testid="page-loading" />;
}

/**
 * A component loaded from its own chunk on first render (a named export of the module), shown
 * inside a Suspense boundary with the page spinner; its props pass through.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any component's props pass through
export function lazyPage<M extends Record<K, ComponentType<any>>, K extends keyof M & string>(load: () => Promise<M>, name: K) {
  type Props = ComponentProps<M[K]>;
  const Lazy = lazy(async () => ({ default: (await load())[name] as ComponentType<Props> }));
  function Page(props: Props) {
    return (
      <Suspense fallback={<PageLoading />}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  Page.displayName = `lazy(${name})`;
  return Page;
}
