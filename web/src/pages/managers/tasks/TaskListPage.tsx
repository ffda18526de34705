/** Placeholder until the sub-area lands: /managers/tasks. */
export function TaskListPage() {
  return null;
}
