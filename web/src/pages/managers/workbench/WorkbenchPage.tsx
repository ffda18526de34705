/** Placeholder until the sub-area lands: /managers/workbench. */
export function WorkbenchPage() {
  return null;
}
