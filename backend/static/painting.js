// Following the render on the server: GET /api/progress/<render_id> about twice a second,
// shown as a bar with the percentage and the time left. The status line is a live region:
// the ticking numbers are hidden from screen readers and a short line is announced at
// each quarter instead.

import { form, renderProgress, statusLine } from "./page.js";

const POLL_MS = 500;
const ANNOUNCE_EVERY = 25; // percent

let pollTimer = null;
let watched = null;

/** A random UUID4 (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function newRenderId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}

/** Show the render's progress bar and poll the progress of `renderId` until stopped. */
export function watchRender(renderId) {
  stopWatching();
  const shown = document.createElement("span");
  shown.setAttribute("aria-hidden", "true");
  const announced = document.createElement("span");
  announced.className = "visually-hidden";
  statusLine.replaceChildren("Painting… ", shown, announced);
  watched = { renderId, shown, announced, quarter: -1, started: Date.now() };
  renderProgress.value = 0;
  renderProgress.hidden = false;
  const watch = watched;
  pollTimer = window.setTimeout(() => poll(watch), POLL_MS); // the server is still reading the upload
}

/** Stop polling and hide the render's progress bar. */
export function stopWatching() {
  window.clearTimeout(pollTimer);
  pollTimer = null;
  watched = null;
  renderProgress.hidden = true;
}

async function poll(watch) {
  try {
    const url = form.dataset.progressUrl.replace("RENDER_ID", watch.renderId);
    const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
    // 404 until the server has read the whole upload and registered the render.
    if (response.ok && watched === watch) show(watch, await response.json());
  } catch {
    // A missed poll is shown by the next one; the upload's own answer decides the outcome.
  }
  if (watched === watch) pollTimer = window.setTimeout(() => poll(watch), POLL_MS);
}

function show(watch, state) {
  if (state.state === "waiting") {
    watch.shown.textContent = "waiting for a free painter · " + Math.floor(state.elapsed) + "\u00a0s";
    return;
  }
  if (state.state !== "rendering") return; // done or failed: the upload's answer follows
  renderProgress.value = state.progress;
  const percent = Math.floor(100 * state.progress);
  const left = state.eta === null ? "" : " · about " + Math.max(1, Math.ceil(state.eta)) + "\u00a0s left";
  watch.shown.textContent = percent + " %" + left;
  const quarter = Math.floor(percent / ANNOUNCE_EVERY);
  if (quarter > watch.quarter) {
    watch.quarter = quarter;
    watch.announced.textContent = quarter * ANNOUNCE_EVERY + " % painted" + left;
  }
}
