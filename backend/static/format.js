// Numbers as people read them: sizes, durations and how long ago.

/** `bytes` as B, KB or MB (a no-break space before the unit). */
export function formatBytes(bytes) {
  if (!(bytes >= 0)) return "—";
  if (bytes < 1024) return bytes + "\u00a0B";
  if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(0) + "\u00a0KB";
  return (bytes / (1024 * 1024)).toFixed(1) + "\u00a0MB";
}

/** `seconds` with one decimal below 10 s, whole above. */
export function formatSeconds(seconds) {
  if (!(seconds >= 0)) return "—";
  return (seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)) + "\u00a0s";
}

/** How long ago `date` was, in the reader's language ("5 minutes ago"). */
export function timeAgo(date) {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  if (Number.isNaN(seconds)) return "at an unknown time";
  if (Math.abs(seconds) < 45) return "just now";
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const steps = [[60, "second"], [60, "minute"], [24, "hour"], [Infinity, "day"]];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(value) < size) return format.format(value, unit);
    value = Math.round(value / size);
  }
  return format.format(value, "day");
}
