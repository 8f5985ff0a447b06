// Choosing a picture: the file input and drag-and-drop onto the zone, the same checks as
// the API, and the thumbnail with the file's name and size.

import { formatBytes } from "./format.js";
import { $, clearError, dropzone, fileInput, form, messages, showError, statusLine, submitButton } from "./page.js";

// Room for the multipart framing and the option fields within the request limit.
const FORM_OVERHEAD_BYTES = 16 * 1024;

const emptyPrompt = $("file-name").cloneNode(true).childNodes;

/** The picture that will be sent, or null (read-only here: a live binding of this module). */
export let chosenFile = null;
let thumbnailUrl = null;

// The same checks and messages as the API (read from the form each time).
function fileProblem(file) {
  const dot = file.name.lastIndexOf(".");
  const extension = dot >= 0 ? file.name.slice(dot + 1).toLowerCase() : "";
  if (!form.dataset.extensions.split(",").includes(extension)) return messages.format;
  if (file.size + FORM_OVERHEAD_BYTES > Number(form.dataset.maxBytes)) return messages.size;
  return null;
}

/** Take `file` as the picture to send if it passes the checks, else forget it and say why. */
export function chooseFile(file) {
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

/** The zone's drop handler: the first dropped file is chosen, unless a painting is under way. */
export function onDrop(event) {
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

/** The zone's dragenter / dragover handler: accept a copy and highlight the zone. */
export function onDragOver(event) {
  event.preventDefault();
  if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
  dropzone.classList.add("dragover");
}
