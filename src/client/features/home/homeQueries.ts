/**
 * The home page's reads: the newest few of each list, through the list procedures the
 * feature pages already use. Small fixed page sizes keep the page's cost bounded whatever
 * the user owns.
 */
export const RECENT = 5;

export const recentPayments = {
  page: 1,
  pageSize: RECENT,
  sort: { field: "createdAt", direction: "desc" },
} as const;

export const recentDatasets = {
  page: 1,
  pageSize: RECENT,
  sort: { field: "createdAt", direction: "desc" },
} as const;

export const recentRuns = {
  page: 1,
  pageSize: RECENT,
  sort: { field: "createdAt", direction: "desc" },
} as const;

export const recentAudit = {
  page: 1,
  pageSize: RECENT,
  sort: { field: "occurredAt", direction: "desc" },
} as const;

/** Only the total is read. */
export const userCount = { page: 1, pageSize: 1 } as const;

/** Whether the first-steps panel shows: everything loaded, and nothing of any kind yet. */
export function isFirstVisit(totals: ReadonlyArray<number | undefined>): boolean {
  return totals.length > 0 && totals.every((total) => total === 0);
}
