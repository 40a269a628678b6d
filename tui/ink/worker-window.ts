// Which workers a scrolling list shows: pure, so following the selection is tested without a terminal.

/** The first of `visible` rows to show so row `selected` is in view, moving the window as little as possible. */
export function workerWindowStart(
  previousStart: number,
  selected: number,
  visible: number,
  total: number,
): number {
  const maxStart = Math.max(0, total - Math.max(1, visible));
  let start = Math.min(Math.max(0, previousStart), maxStart);
  if (selected < 0 || selected >= total) return start;
  if (selected < start) start = selected;
  else if (selected >= start + visible) start = selected - visible + 1;
  return Math.min(Math.max(0, start), maxStart);
}

/** The line under a scrolled list: where the window is and how much lies beyond it. */
export function workerWindowCaption(start: number, shown: number, total: number): string {
  const above = start;
  const below = Math.max(0, total - start - shown);
  const parts = [`workers ${start + 1}–${start + shown} of ${total}`];
  if (above > 0) parts.push(`▲ ${above} above`);
  if (below > 0) parts.push(`▼ ${below} below`);
  return parts.join(' · ');
}
