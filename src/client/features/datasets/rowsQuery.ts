import type { FilterOperator } from "../../../shared/schemas/list";
import type { CellValue, ColumnType, DatasetColumn, DatasetRowsInput } from "../../../shared/schemas/pipelines";
import type { FilterSpec, ListSpec, ListState } from "../../ui/table/listParams";

/**
 * The data set view's table state. Columns are named by their position (`c0`, `c1`, …) in the
 * URL and in the table, not by their names: a column may be called anything ("unit price",
 * "page", "sort"), and only a plain, unreserved word survives as a URL parameter and a sort key.
 */
export const ROW_FIELD = "row";

export function fieldOf(index: number): string {
  return `c${index}`;
}

/** The column a field stands for, if any (`row`, the file order, stands for none). */
function columnOfField(columns: readonly DatasetColumn[], field: string): DatasetColumn | undefined {
  const match = /^c(\d+)$/.exec(field);
  return match ? columns[Number(match[1])] : undefined;
}

/** The server takes at most ten filters at once. */
export const MAX_FILTERS = 10;
/** Narrow data sets get a filter per column at once; wider ones add the columns they need. */
const FIRST_FILTERS = 6;

const BOOLEAN_OPTIONS = [
  { value: "true", label: "true" },
  { value: "false", label: "false" },
];

function filterFor(column: DatasetColumn, index: number): FilterSpec<string> {
  const field = fieldOf(index);
  if (column.type === "text") return { field, op: "contains", label: `${column.name} contains` };
  if (column.type === "boolean") return { field, op: "eq", label: column.name, options: BOOLEAN_OPTIONS };
  // The operator is typed with the value ("> 10"): see parseRowFilter.
  return { field, op: "eq", label: column.name };
}

/**
 * What the table offers for a data set: sorting by any column (or back to file order), and a
 * filter for each column in `filterOn` (positions). The default order is the file's.
 */
export function rowsSpec(columns: readonly DatasetColumn[], filterOn: readonly number[]): ListSpec<string> {
  return {
    sortable: columns.map((_, index) => fieldOf(index)),
    defaultSort: { field: ROW_FIELD, direction: "asc" },
    filters: filterOn.flatMap((index) => {
      const column = columns[index];
      return column ? [filterFor(column, index)] : [];
    }),
  };
}

/** The columns to offer filters for at first: the first few, and any the URL already filters on. */
export function initialFilterColumns(columns: readonly DatasetColumn[], params: URLSearchParams): number[] {
  const chosen = new Set<number>();
  columns.forEach((_, index) => {
    if (index < FIRST_FILTERS || params.get(fieldOf(index))?.trim()) chosen.add(index);
  });
  return [...chosen].slice(0, MAX_FILTERS);
}

const COMPARISON = /^(>=|<=|!=|<>|=|>|<|≥|≤|≠)\s*(.*)$/;
const OPERATOR_OF: Record<string, FilterOperator> = {
  ">=": "gte",
  "≥": "gte",
  "<=": "lte",
  "≤": "lte",
  "!=": "neq",
  "<>": "neq",
  "≠": "neq",
  "=": "eq",
  ">": "gt",
  "<": "lt",
};

/**
 * A filter box's text as the server's filter. Numbers and dates take a comparison in front
 * ("> 10", "<= 2024-06-30", "!= 0"; plain "42" means equals). Text matches anywhere in the
 * value, or exactly after "=" (and "!=" excludes). Null when there is nothing to filter by yet.
 */
export function parseRowFilter(type: ColumnType, raw: string): { op: FilterOperator; value: string } | null {
  const text = raw.trim();
  if (!text) return null;
  if (type === "boolean") return { op: "eq", value: text };
  const match = COMPARISON.exec(text);
  const op = match?.[1] ? OPERATOR_OF[match[1]] : undefined;
  const value = (match?.[2] ?? text).trim();
  if (!value) return null;
  if (type === "text") {
    if (op === "eq" || op === "neq") return { op, value };
    return { op: "contains", value: text };
  }
  return { op: op ?? "eq", value };
}

/** The `pipelines.datasets.rows` input for the table's state. */
export function rowsInput(
  datasetId: string,
  columns: readonly DatasetColumn[],
  spec: ListSpec<string>,
  state: ListState<string>,
): DatasetRowsInput {
  const filter: DatasetRowsInput["filter"] = [];
  for (const { field } of spec.filters) {
    const column = columnOfField(columns, field);
    const parsed = column ? parseRowFilter(column.type, state.filters[field] ?? "") : null;
    if (column && parsed) filter.push({ field: column.name, ...parsed });
  }
  const sortColumn = columnOfField(columns, state.sort.field);
  return {
    datasetId,
    page: state.page,
    pageSize: state.pageSize,
    // File order is the server's own order when no sort is given.
    sort: sortColumn ? { field: sortColumn.name, direction: state.sort.direction } : undefined,
    filter: filter.slice(0, MAX_FILTERS),
  };
}

/** A cell as text: empty cells are shown as an em dash (with the word in its title), the rest as sent. */
export function cellText(value: CellValue): string {
  if (value === null) return "—";
  return String(value);
}
