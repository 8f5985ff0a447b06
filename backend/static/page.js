// The page's shared parts: its elements, its messages and the error line. Every other
// module of the page reads these; none of them looks an element up by id on its own.

export const $ = (id) => document.getElementById(id);
export const form = $("paint-form");
export const fileInput = $("file");
export const dropzone = $("dropzone");
export const submitButton = $("submit");
export const optionsFieldset = $("options");
export const progress = $("upload-progress");
export const renderProgress = $("render-progress");
export const statusLine = $("status");
export const errorBox = $("error");
export const stage = $("stage");
export const video = $("preview");
export const image = $("preview-image");
export const download = $("download");

export const messages = {
  format: form.dataset.messageFormat,
  size: form.dataset.messageSize,
  noFile: "Choose a picture first.",
  network: "The upload did not reach the server. Check your connection and try again.",
  unreadable: "The server's answer could not be read. Please try again.",
  playback: "This browser cannot play the video here; use the download link instead.",
};

/** Show `message` in the error line (an alert region) and scroll it into view. */
export function showError(message) {
  errorBox.textContent = message;
  errorBox.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

/** Empty the error line. */
export function clearError() {
  errorBox.textContent = "";
}
