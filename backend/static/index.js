// Paint Animation page: choose a picture, post it to the API with upload progress,
// then play and offer the video. Limits, defaults and messages come from the
// server-rendered form (data-* attributes and input attributes), not from this file.

import { formatBytes, formatSeconds } from "./format.js";
import { refreshStats } from "./stats.js";

// Room for the multipart framing and the option fields within the request limit.
const FORM_OVERHEAD_BYTES = 16 * 1024;

const $ = (id) => document.getElementById(id);
const form = $("paint-form");
const fileInput = $("file");
const dropzone = $("dropzone");
const submitButton = $("submit");
const optionsFieldset = $("options");
const progress = $("upload-progress");
const statusLine = $("status");
const errorBox = $("error");
const stage = $("stage");
const video = $("preview");
const download = $("download");

const messages = {
  format: form.dataset.messageFormat,
  size: form.dataset.messageSize,
  noFile: "Choose a picture first.",
  network: "The upload did not reach the server. Check your connection and try again.",
  unreadable: "The server's answer could not be read. Please try again.",
  playback: "This browser cannot play the video here; use the download link instead.",
};

const emptyPrompt = $("file-name").cloneNode(true).childNodes;

let chosenFile = null;
let thumbnailUrl = null;
let paintingTimer = null;

// ---- choosing a picture ------------------------------------------------

// The same checks and messages as the API (read from the form each time).
function fileProblem(file) {
  const dot = file.name.lastIndexOf(".");
  const extension = dot >= 0 ? file.name.slice(dot + 1).toLowerCase() : "";
  if (!form.dataset.extensions.split(",").includes(extension)) return messages.format;
  if (file.size + FORM_OVERHEAD_BYTES > Number(form.dataset.maxBytes)) return messages.size;
  return null;
}

function chooseFile(file) {
  clearError();
  statusLine.textContent = "";
  const problem = fileProblem(file);
  if (problem) {
    forgetFile();
    showError(problem);
    return;
  }
  chosenFile = file;
  showThumbnail(file);
}

function showThumbnail(file) {
  if (thumbnailUrl) URL.revokeObjectURL(thumbnailUrl);
  thumbnailUrl = URL.createObjectURL(file);
  const thumbnail = $("thumbnail");
  thumbnail.src = thumbnailUrl;
  thumbnail.alt = "Preview of " + file.name;
  thumbnail.hidden = false;
  $("file-name").textContent = file.name + " · " + formatBytes(file.size);
  dropzone.classList.add("has-file");
}

function forgetFile() {
  chosenFile = null;
  fileInput.value = "";
  if (thumbnailUrl) URL.revokeObjectURL(thumbnailUrl);
  thumbnailUrl = null;
  const thumbnail = $("thumbnail");
  thumbnail.hidden = true;
  thumbnail.removeAttribute("src");
  $("file-name").replaceChildren(...Array.from(emptyPrompt, (node) => node.cloneNode(true)));
  dropzone.classList.remove("has-file");
}

function onDrop(event) {
  event.preventDefault();
  dropzone.classList.remove("dragover");
  if (submitButton.disabled) return; // busy: the picture being painted stays chosen
  const files = event.dataTransfer && event.dataTransfer.files;
  if (!files || files.length === 0) return;
  try {
    fileInput.files = files; // keeps the input in step where the browser allows it
  } catch (ignored) { /* older browsers: chosenFile alone is enough */ }
  chooseFile(files[0]);
}

function onDragOver(event) {
  event.preventDefault();
  if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
  dropzone.classList.add("dragover");
}

// ---- sending -----------------------------------------------------------

function optionProblem() {
  for (const input of form.querySelectorAll("input[type=number]")) {
    if (!input.checkValidity()) {
      const name = form.querySelector("label[for='" + input.id + "']").firstChild.textContent.trim();
      return { input, message: name + " must be a number from " + input.min + " to " + input.max + "." };
    }
  }
  return null;
}

function buildRequest() {
  const data = new FormData();
  data.append("file", chosenFile, chosenFile.name);
  for (const name of ["style", "duration", "max_size", "fps", "finish", "seed"]) {
    const value = form.elements[name].value.trim();
    if (value !== "") data.append(name, value);
  }
  data.append("show_tools", form.elements.show_tools.checked ? "true" : "false");
  return data;
}

function onSubmit(event) {
  event.preventDefault();
  if (submitButton.disabled) return;
  clearError();
  if (!chosenFile) {
    showError(messages.noFile);
    fileInput.focus();
    return;
  }
  const problem = optionProblem();
  if (problem) {
    showError(problem.message);
    problem.input.focus();
    return;
  }
  send(buildRequest());
}

function send(data) {
  const request = new XMLHttpRequest();
  request.open("POST", form.action);
  request.responseType = "json";
  request.setRequestHeader("Accept", "application/json");
  request.upload.addEventListener("progress", (event) => showUploadProgress(event));
  request.upload.addEventListener("load", startPainting);
  request.addEventListener("load", () => finish(request));
  request.addEventListener("error", () => fail(messages.network));
  request.addEventListener("abort", () => fail(messages.network));
  setBusy(true);
  request.send(data);
}

function showUploadProgress(event) {
  if (!event.lengthComputable) return;
  progress.value = event.loaded / event.total;
  // Whole tens only: the status is a live region, read aloud on every change.
  const text = "Uploading… " + 10 * Math.floor(10 * progress.value) + " %";
  if (statusLine.textContent !== text) statusLine.textContent = text;
}

function startPainting() {
  progress.value = 1;
  const started = Date.now();
  const clock = document.createElement("span");
  clock.setAttribute("aria-hidden", "true"); // seen ticking, announced once
  statusLine.replaceChildren("Painting… ", clock);
  const tick = () => { clock.textContent = Math.floor((Date.now() - started) / 1000) + " s"; };
  tick();
  paintingTimer = window.setInterval(tick, 1000);
}

function finish(request) {
  const body = request.response;
  if (request.status === 200 && body && body.success) {
    setBusy(false);
    showResult(body);
  } else {
    fail(errorText(request, body));
  }
  refreshStats(form.dataset.statsUrl, $("stats"));
}

function errorText(request, body) {
  if (body && typeof body.error === "string" && body.error) return body.error;
  if (request.status === 413) return messages.size;
  if (request.status === 429) return "Too many uploads. Please wait a minute and try again.";
  return messages.unreadable;
}

function fail(message) {
  setBusy(false);
  statusLine.textContent = "";
  showError(message);
  submitButton.focus();
}

function setBusy(busy) {
  window.clearInterval(paintingTimer);
  paintingTimer = null;
  submitButton.disabled = busy;
  optionsFieldset.disabled = busy;
  fileInput.disabled = busy;
  submitButton.textContent = busy ? "Painting…" : "Paint it";
  form.setAttribute("aria-busy", String(busy));
  stage.classList.toggle("busy", busy);
  progress.hidden = !busy;
  if (busy) {
    progress.value = 0;
    statusLine.textContent = "Uploading…";
  }
}

// ---- the result --------------------------------------------------------

function showResult(result) {
  $("placeholder").hidden = true;
  stage.classList.add("has-video");
  video.hidden = false;
  video.src = result.video_url;
  video.load();
  download.href = result.download_url;
  download.hidden = false;
  $("fact-size").textContent = result.width + " × " + result.height + " px";
  $("fact-length").textContent = formatSeconds(result.duration) + " · " + result.fps + " fps";
  $("fact-time").textContent = formatSeconds(result.processing_time) + (result.cached ? " (reused)" : "");
  $("fact-file").textContent = formatBytes(result.video_size);
  $("facts").hidden = false;
  statusLine.textContent = result.cached
    ? "Done: the same picture and options were painted before, so here is that video."
    : "Done in " + formatSeconds(result.processing_time) + ".";
  $("result-heading").focus();
}

function onVideoError() {
  if (video.getAttribute("src")) showError(messages.playback);
}

// ---- messages ----------------------------------------------------------

function showError(message) {
  errorBox.textContent = message;
  errorBox.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

function clearError() {
  errorBox.textContent = "";
}

// ---- wiring ------------------------------------------------------------

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
