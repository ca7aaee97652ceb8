/**
 * Rate limits count in windows aligned on the clock (so that instances agree on them). A test that expects
 * the limit to be reached starts with enough of the window left, so that its requests all fall in one.
 */
export async function awayFromWindowEdge(windowMs = 60_000, needMs = 15_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
