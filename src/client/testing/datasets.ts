import { waitFor } from "@testing-library/react";
import { serverFetch } from "./browser";
import type { Account } from "./screen";

/** A CSV data set uploaded over the API as `account`, once its import has finished. */
export async function readyDataset(account: Account, name: string, csv: string): Promise<string> {
  const response = await serverFetch(`/api/datasets?name=${encodeURIComponent(name)}&format=csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${account.token}`, "content-type": "text/csv" },
    body: csv,
  });
  if (response.status !== 202) throw new Error(`upload refused (${response.status}): ${await response.text()}`);
  const { datasetId } = (await response.json()) as { datasetId: string };
  await waitFor(async () => {
    const dataset = await account.api.pipelines.datasets.byId.query({ id: datasetId });
    if (dataset.status !== "ready") throw new Error(`data set is ${dataset.status}`);
  });
  return datasetId;
}
