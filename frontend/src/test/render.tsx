import { render } from "@testing-library/react";
import type { ReactElement } from "react";

import { session } from "../api/session";
import { LiveJobsProvider } from "../features/live/LiveJobsProvider";
import { UploadProvider } from "../features/upload/UploadProvider";
import { FakeSocket } from "./fakes";

export const TOKEN = "test-token";

/** Renders a page as a signed-in user, with a fake live socket and a fast poll. */
export function renderSignedIn(ui: ReactElement, { pollIntervalMs = 20 } = {}) {
  FakeSocket.instances = [];
  session.signIn(TOKEN, false);
  return render(
    <LiveJobsProvider
      token={TOKEN}
      socketFactory={FakeSocket.factory}
      pollIntervalMs={pollIntervalMs}
    >
      <UploadProvider>{ui}</UploadProvider>
    </LiveJobsProvider>,
  );
}
