import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { Answer } from "./Answer";

const response = {
  mode: "hybrid" as const,
  answer: "Termination needs 30 days' notice [1], in writing [2].",
  citations: [
    {
      document_id: "d1",
      filename: "contract.pdf",
      page: 4,
      snippet: "Either party may terminate…",
      score: 0.8123,
    },
    {
      document_id: "d2",
      filename: "notes.md",
      page: null,
      snippet: "Notices must be written.",
      score: 0.61,
    },
  ],
};

describe("citations", () => {
  it("numbers each source with its file, page, snippet and score", () => {
    render(<Answer response={response} />);
    const items = within(screen.getByRole("list")).getAllByRole("listitem");
    expect(items).toHaveLength(2);

    const [first, second] = items as [HTMLElement, HTMLElement];
    expect(first).toHaveTextContent("[1]");
    expect(first).toHaveTextContent("page 4");
    expect(first).toHaveTextContent("score 0.81");
    expect(first).toHaveTextContent("Either party may terminate…");
    expect(within(first).getByRole("link", { name: "contract.pdf" })).toHaveAttribute(
      "href",
      "#/documents?focus=d1&page=4",
    );
    expect(second).toHaveTextContent("[2]");
    expect(second).not.toHaveTextContent("page");
    expect(within(second).getByRole("link", { name: "notes.md" })).toHaveAttribute(
      "href",
      "#/documents?focus=d2",
    );
  });

  it("turns [n] in the answer into a jump to source n", async () => {
    render(<Answer response={response} />);
    await userEvent.click(screen.getByRole("button", { name: "Source 2" }));
    expect(document.activeElement).toHaveTextContent("notes.md");
  });

  it("leaves markers without a source as text", () => {
    render(<Answer response={{ ...response, answer: "See [7]." }} />);
    expect(screen.queryByRole("button", { name: "Source 7" })).not.toBeInTheDocument();
    expect(screen.getByText(/See \[7\]\./)).toBeInTheDocument();
  });

  it("says when the sources were found another way than asked", () => {
    const notice = "Search by meaning is unavailable right now.";
    render(<Answer response={{ ...response, mode: "keyword", notice }} />);
    expect(screen.getByRole("status")).toHaveTextContent(notice);
  });

  it("says so when nothing matches", () => {
    render(<Answer response={{ ...response, answer: "", citations: [] }} />);
    expect(screen.getByText(/Nothing in your documents matches/)).toBeInTheDocument();
  });
});
