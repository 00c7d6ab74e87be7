/** An ISO-8601 UTC time as staff read it across time zones: "2026-12-04 21:47:06 UTC". */
export function formatTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
