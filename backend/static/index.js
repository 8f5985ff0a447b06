// Paint Animation page: choose a picture, post it to the API with upload progress,
// then play and offer the video. Limits, defaults and messages come from the
// server-rendered form (data-* attributes and input attributes), not from this file.
//
// The entry module (the template's one <script type="module">): it wires the page's
// events to the modules that do the work. page.js holds the elements, messages and the
// error line; choose.js choosing a picture; upload.js sending it and showing the result.

import { chooseFile, onDragOver, onDrop } from "./choose.js";
import { $, dropzone, fileInput, form, video } from "./page.js";
import { refreshStats } from "./stats.js";
import { onSubmit, onVideoError } from "./upload.js";

fileInput.addEventListener("change", () => {
  if (fileInput.files.length > 0) chooseFile(fileInput.files[0]);
});
dropzone.addEventListener("dragenter", onDragOver);
dropzone.addEventListener("dragover", onDragOver);
dropzone.addEventListener("dragleave", () => dropzone.classList.remove("dragover"));
dropzone.addEventListener("drop", onDrop);
// A picture dropped beside the zone must not navigate away from the page.
window.addEventListener("dragover", (event) => event.preventDefault());
window.addEventListener("drop", (event) => event.preventDefault());
form.addEventListener("submit", onSubmit);
video.addEventListener("error", onVideoError);
refreshStats(form.dataset.statsUrl, $("stats"));
