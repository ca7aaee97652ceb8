import type { Child } from 'hono/jsx';

/**
 * A wide table scrolls sideways on a phone rather than shrink its text. The scrolling box takes the focus,
 * so that it scrolls from the keyboard too, and is named after its table.
 */
export function TableScroll({ label, children }: { label: string; children: Child }) {
  return (
    <section class="table-scroll" aria-label={label} tabindex={0}>
      {children}
    </section>
  );
}
