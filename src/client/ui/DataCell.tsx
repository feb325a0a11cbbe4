import type { CellValue, ColumnType } from "../../shared/schemas/pipelines";
import { formatCell, isNumericType } from "../lib/localeNumbers";

/**
 * One cell of a data set (rows, previews, outputs): numbers in the user's locale and
 * right-aligned, the exact value in the title (the CSV export keeps it too); empty cells as an
 * em dash with the word in its title; everything else as sent (decision 0024).
 */
export function DataCell({ value, type }: { value: CellValue; type: ColumnType }) {
  if (value === null) {
    return (
      <span className="cell-empty" title="empty">
        —
      </span>
    );
  }
  if (!isNumericType(type)) return <span>{String(value)}</span>;
  const shown = formatCell(value, type);
  return (
    <span className="num" title={shown === String(value) ? undefined : String(value)}>
      {shown}
    </span>
  );
}
