/** Downloads a file the API serves to signed-in users (a plain link cannot send the token). */
import { errorFromResponse, networkError } from "./errors";
import { session } from "./session";

export async function download(path: string, filename: string): Promise<void> {
  const token = session.token();
  let response: Response;
  try {
    response = await globalThis.fetch(new Request(new URL(path, globalThis.location.origin)), {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
  } catch (cause) {
    throw networkError(cause);
  }
  if (!response.ok) {
    throw errorFromResponse(response, await response.json().catch(() => null));
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
