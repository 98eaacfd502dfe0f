import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

import { session } from "../api/session";

afterEach(() => {
  cleanup();
  session.signOut();
  window.location.hash = "";
});
