/** Upload files and watch them go through ingestion. */
import { DropZone } from "../features/upload/DropZone";
import { UploadList } from "../features/upload/UploadList";
import { useUploads } from "../features/upload/UploadProvider";

export function UploadPage() {
  const { add } = useUploads();
  return (
    <>
      <h1>Upload</h1>
      <DropZone onFiles={add} />
      <UploadList />
    </>
  );
}
