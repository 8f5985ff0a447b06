// Sending the chosen picture: the option checks, the POST to the API with upload progress,
// then the render's progress (painting.js), then the video or GIF, its facts and the
// download link (or the error).

import { chosenFile } from "./choose.js";
import { formatBytes, formatSeconds } from "./format.js";
import { refreshStats } from "./stats.js";
import { $, clearError, fileInput, form, messages, showError, submitButton } from "./page.js";
import { download, image, optionsFieldset, progress, stage, statusLine, video } from "./page.js";
import { newRenderId, stopWatching, watchRender } from "./painting.js";

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

function buildRequest(renderId) {
  const data = new FormData();
  data.append("file", chosenFile, chosenFile.name);
  data.append("render_id", renderId);
  // Every control of the options fieldset is a render option (the page renders them from the API's).
  for (const control of form.querySelector("#options").querySelectorAll("[name]")) {
    if (control.type === "checkbox") {
      data.append(control.name, control.checked ? "true" : "false");
    } else if (control.value.trim() !== "") {
      data.append(control.name, control.value.trim());
    }
  }
  return data;
}

/** The form's submit handler: check the picture and the options, then send them. */
export function onSubmit(event) {
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
  const renderId = newRenderId();
  send(buildRequest(renderId), renderId);
}

function send(data, renderId) {
  const request = new XMLHttpRequest();
  request.open("POST", form.action);
  request.responseType = "json";
  request.setRequestHeader("Accept", "application/json");
  request.upload.addEventListener("progress", (event) => showUploadProgress(event));
  request.upload.addEventListener("load", () => {
    progress.value = 1;
    progress.hidden = true;
    watchRender(renderId);
  });
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
  stopWatching();
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
  const extension = result.video_filename.split(".").pop();
  const isImage = extension === "gif";
  video.hidden = isImage;
  image.hidden = !isImage;
  if (isImage) {
    video.removeAttribute("src");
    video.load();
    image.src = result.video_url;
  } else {
    image.removeAttribute("src");
    video.src = result.video_url;
    video.load();
  }
  download.href = result.download_url;
  download.textContent = "Download " + extension.toUpperCase();
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

/** The video's error handler: say so when a video was given but cannot be played here. */
export function onVideoError() {
  if (video.getAttribute("src")) showError(messages.playback);
}
