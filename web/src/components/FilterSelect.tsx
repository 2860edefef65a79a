/** A toolbar filter: "all" first, then the given options; an empty value means no filter. */
export function FilterSelect({
  label,
  testid,
  value,
  allLabel,
  options,
  onChange,
}: {
  label: string;
  testid: string;
  value: string;
  allLabel: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <select aria-label={label} data-testid={testid} className="filter-select" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{allLabel}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
