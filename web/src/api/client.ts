import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import { ApiError, readProblem } from "./errors";
import type { Problem } from "./types";

const CSRF_COOKIE = "qualitas_csrf";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let currentLocale = "en";
let onUnauthorized: (() => void) | null = null;

/** The language sent to the server (Accept-Language) with every request. */
export function setApiLocale(locale: string): void {
  currentLocale = locale;
}

/** Called whenever the API answers 401 outside of the login flow. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

function decorate(headers: Headers, method: string): void {
  headers.set("Accept-Language", currentLocale);
  if (!headers.has("Accept")) headers.set("Accept", "application/json, application/problem+json");
  if (UNSAFE.has(method.toUpperCase())) {
    const token = readCookie(CSRF_COOKIE);
    if (token) headers.set("X-CSRF-Token", token);
  }
}

const QUIET_401 = ["/api/auth/login", "/api/auth/me"];

function notifyUnauthorized(url: string, status: number): void {
  if (status !== 401 || !onUnauthorized) return;
  const path = new URL(url, window.location.origin).pathname;
  if (!QUIET_401.includes(path)) onUnauthorized();
}

const middleware: Middleware = {
  onRequest({ request }) {
    decorate(request.headers, request.method);
    return request;
  },
  onResponse({ request, response }) {
    notifyUnauthorized(request.url, response.status);
    return response;
  },
};

/** Typed client for the fixed-shape endpoints described in `schema.d.ts`. */
export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(middleware);

/** Returns `data` of an openapi-fetch result, or throws an ApiError carrying the problem document. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, error as Problem | undefined);
  return data as T;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Untyped request for endpoints addressed by a runtime value (the generic plant resources).
 * Same headers, CSRF and error handling as the typed client.
 */
export async function request<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown; form?: FormData } = {},
): Promise<T> {
  const headers = new Headers();
  decorate(headers, method);
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.body !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(options.body);
  }
  const url = withQuery(path, options.query);
  const response = await fetch(url, { method, headers, body, credentials: "same-origin" });
  notifyUnauthorized(url, response.status);
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  if (response.status === 204) return undefined as T;
  const type = response.headers.get("content-type") ?? "";
  return (type.includes("json") ? await response.json() : undefined) as T;
}
