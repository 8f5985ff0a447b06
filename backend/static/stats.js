// The footer: the numbers from GET /api/stats.

import { formatBytes, formatSeconds, timeAgo } from "./format.js";

/** Fetch the API's statistics from `url` and write them, as a sentence, into `element`. */
export function refreshStats(url, element) {
  fetch(url, { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((stats) => { element.textContent = stats ? statsText(stats) : "Statistics are unavailable."; })
    .catch(() => { element.textContent = "Statistics are unavailable."; });
}

function statsText(stats) {
  if (!stats.total_uploads) return "No pictures painted yet: be the first.";
  const count = new Intl.NumberFormat().format(stats.successful_uploads);
  const parts = [count + (stats.successful_uploads === 1 ? " video painted" : " videos painted")];
  if (stats.failed_uploads) parts.push(stats.failed_uploads + " failed");
  if (stats.successful_uploads) parts.push(formatSeconds(stats.average_processing_time) + " on average");
  parts.push(formatBytes(stats.total_file_size) + " of pictures");
  if (stats.last_upload) parts.push("last one " + timeAgo(new Date(stats.last_upload)));
  return parts.join(" · ");
}
