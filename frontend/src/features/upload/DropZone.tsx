/** Drag-and-drop area with a file picker inside it, for mouse, keyboard and touch alike. */
import { type ChangeEvent, type DragEvent, useState } from "react";

import { formatBytes } from "../ui/format";
import { ACCEPT_ATTRIBUTE, ALLOWED_EXTENSIONS } from "./precheck";

export function DropZone({
  onFiles,
  maxFileBytes,
}: {
  onFiles(files: File[]): void;
  maxFileBytes: number;
}) {
  const [over, setOver] = useState(false);

  function onDragOver(event: DragEvent<HTMLDivElement>) {
    if (!event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    setOver(true);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setOver(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length > 0) onFiles(files);
  }

  function onChange(event: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(event.target.files ?? []);
    event.target.value = ""; // picking the same file again must fire change again
    if (files.length > 0) onFiles(files);
  }

  return (
    <div
      className={`dropzone${over ? " dropzone--over" : ""}`}
      onDragOver={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="dropzone__title">Drop files here</p>
      <p>or</p>
      <label className="button button--primary file-button">
        Choose files
        <input
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          onChange={onChange}
          aria-describedby="dropzone-hint"
        />
      </label>
      <p id="dropzone-hint" className="muted">
        {ALLOWED_EXTENSIONS.join(" ")}, up to {formatBytes(maxFileBytes)} each. Uploading a file
        with the same name again makes a new version of that document.
      </p>
    </div>
  );
}
