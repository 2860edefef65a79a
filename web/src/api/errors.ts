import type { FieldError, Problem } from "./types";

/** An HTTP error from the API, carrying the RFC 9457 problem document when there is one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem | undefined) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem ?? { status };
  }

  get code(): string | undefined {
    return this.problem.code ?? undefined;
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }

  /** Errors for one body field, e.g. "lsl" (matches the field name or the last part of a dotted path). */
  errorsFor(field: string): FieldError[] {
    return this.fieldErrors.filter((e) => e.field === field || e.field.split(".").pop() === field);
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** Reads a problem document from a failed response; tolerates non-JSON bodies. */
export async function readProblem(response: Response): Promise<Problem | undefined> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("json")) return undefined;
  try {
    return (await response.json()) as Problem;
  } catch {
    return undefined;
  }
}
