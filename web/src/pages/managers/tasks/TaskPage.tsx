/** Placeholder until the sub-area lands: /managers/tasks/:id. */
export function TaskPage() {
  return null;
}
