/**
 * A hash router in a few lines: `#/jobs?state=failed`. Hash URLs need nothing from the server
 * beyond serving index.html at `/`, and the app has only a handful of flat pages.
 */
import { type AnchorHTMLAttributes, useSyncExternalStore } from "react";

export interface Route {
  path: string;
  params: URLSearchParams;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

const currentHash = (): string => window.location.hash;

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, "") || "/";
  const [path = "/", query = ""] = raw.split("?", 2);
  return { path: path.startsWith("/") ? path : `/${path}`, params: new URLSearchParams(query) };
}

export function href(
  path: string,
  params?: Record<string, string | number | null | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value !== null && value !== undefined && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return `#${path}${text ? `?${text}` : ""}`;
}

export function useRoute(): Route {
  return parseHash(useSyncExternalStore(subscribe, currentHash));
}

export function navigate(to: string): void {
  window.location.hash = to.replace(/^#/, "");
}

interface NavLinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  to: string;
  current: boolean;
}

/** A navigation link that tells assistive technology which page is open. */
export function NavLink({ to, current, children, ...rest }: NavLinkProps) {
  return (
    <a href={to} aria-current={current ? "page" : undefined} {...rest}>
      {children}
    </a>
  );
}
