import type { ApiError } from "../api/errors";
import { useErrorText } from "../lib/errorText";

/** The server's validation errors for one body field, shown under that field. */
export function FieldErrors({ error, field }: { error: ApiError | null | undefined; field: string }) {
  const { fieldErrorText } = useErrorText();
  const errors = error?.errorsFor(field) ?? [];
  if (errors.length === 0) return null;
  return (
    <>
      {errors.map((fe, i) => (
        <span key={i} className="field-error" data-testid={`error-${field}`}>
          {fieldErrorText(fe)}
        </span>
      ))}
    </>
  );
}
