import { useId } from "react";
import { pageCount } from "./listParams";

interface PaginationProps {
  label: string;
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  total: number;
  onPage(page: number): void;
  onPageSize(pageSize: number): void;
}

export function Pagination({ label, page, pageSize, pageSizes, total, onPage, onPageSize }: PaginationProps) {
  const sizeId = useId();
  const pages = pageCount(total, pageSize);
  return (
    <nav className="pagination" aria-label={label}>
      <button type="button" onClick={() => onPage(1)} disabled={page <= 1}>
        First
      </button>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        Previous
      </button>
      <span data-testid="page-position">
        Page {page} of {pages}
      </span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pages}>
        Next
      </button>
      <button type="button" onClick={() => onPage(pages)} disabled={page >= pages}>
        Last
      </button>
      <span className="field field-inline">
        <label htmlFor={sizeId}>Rows per page</label>
        <select id={sizeId} value={pageSize} onChange={(event) => onPageSize(Number(event.target.value))}>
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </span>
    </nav>
  );
}
