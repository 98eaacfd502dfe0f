/** Upload files and watch them go through ingestion. */
import { DropZone } from "../features/upload/DropZone";
import { UploadList } from "../features/upload/UploadList";
import { useUploads } from "../features/upload/UploadProvider";

export function UploadPage() {
  const { add, limits } = useUploads();
  return (
    <>
      <h1>Upload</h1>
      <DropZone onFiles={add} maxFileBytes={limits.max_file_bytes} />
      <UploadList />
    </>
  );
}
