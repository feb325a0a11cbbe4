import { screen, waitFor, within } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import { readyDataset } from "../../testing/datasets";
import { type Account, createAccount, openApp, signedInAs, signIn } from "../../testing/screen";

const SALES = ["region,product,units", "north,apple,10", "south,apple,3", "north,pear,7", "east,plum,1"].join("\n");

/** The preview's rows as the user reads them, one string per row. */
function previewRows(): string[] {
  const table = screen.queryByRole("table", { name: "Preview of the output" });
  if (!table) return [];
  return within(table)
    .getAllByRole("row")
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole("cell")
        .map((cell) => cell.textContent)
        .join(" "),
    );
}

describe("the pipeline builder", () => {
  let owner: Account;
  let datasetId: string;
  beforeAll(async () => {
    owner = await createAccount("user");
    datasetId = await readyDataset(owner, "Sales", SALES);
  });

  it("builds a filter step, shows its output as it is typed, and saves the pipeline", async () => {
    await signIn(owner);
    const { user, router } = openApp(`/pipelines/new?dataset=${datasetId}`);
    expect(await screen.findByRole("heading", { level: 1, name: "New pipeline" })).toBeVisible();
    const builder = screen.getByRole("form", { name: "Pipeline" });
    await waitFor(() => expect(within(builder).getByLabelText("Data set")).toHaveDisplayValue(/^Sales \(4 rows\)$/));
    await waitFor(() => expect(previewRows()).toHaveLength(4));

    await user.type(within(builder).getByLabelText("Name"), "Big orders");
    await user.selectOptions(within(builder).getByLabelText("Add a step"), "Filter rows");
    await user.click(within(builder).getByRole("button", { name: "Add step" }));
    const step = within(builder).getByRole("listitem", { name: "1. Filter rows" });
    await user.selectOptions(within(step).getByLabelText("Column"), "units");
    await user.selectOptions(within(step).getByLabelText("Condition"), "is greater than");
    await user.type(within(step).getByLabelText("Value"), "5");

    await waitFor(() => expect(previewRows()).toEqual(["north apple 10", "north pear 7"]));
    expect(within(builder).getByRole("status")).toHaveTextContent("Not saved yet.");

    await user.click(within(builder).getByRole("button", { name: "Save pipeline" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Big orders" })).toBeVisible();
    const [, , pipelineId] = router.state.location.pathname.split("/");
    expect(await screen.findByText("All changes saved.")).toBeVisible();
    const saved = await owner.api.pipelines.byId.query({ id: pipelineId ?? "" });
    expect(saved.steps).toEqual([{ type: "filter", column: "units", operator: "gt", value: "5" }]);
  });

  it("marks the step the server refuses, and saves nothing", async () => {
    const author = await signedInAs("user");
    const ownData = await readyDataset(author, "Sales again", SALES);
    const { user } = openApp(`/pipelines/new?dataset=${ownData}`);
    const builder = await screen.findByRole("form", { name: "Pipeline" });
    await waitFor(() => expect(previewRows()).toHaveLength(4));

    await user.type(within(builder).getByLabelText("Name"), "Broken");
    await user.selectOptions(within(builder).getByLabelText("Add a step"), "Filter rows");
    await user.click(within(builder).getByRole("button", { name: "Add step" }));
    const step = within(builder).getByRole("listitem", { name: "1. Filter rows" });
    await user.selectOptions(within(step).getByLabelText("Column"), "units");
    await user.selectOptions(within(step).getByLabelText("Condition"), "is greater than");
    await user.type(within(step).getByLabelText("Value"), "many");

    expect(await within(step).findByRole("alert")).toHaveTextContent(/.+/);
    expect(within(step).getByLabelText("Value")).toBeInvalid();
    await user.click(within(builder).getByRole("button", { name: "Save pipeline" }));
    expect(await within(builder).findByTestId("builder-error")).toBeVisible();
    expect(screen.getByRole("heading", { level: 1, name: "New pipeline" })).toBeVisible();
    expect((await author.api.pipelines.list.query({})).total).toBe(0);
  });

  it("shows a guest someone's pipeline read-only: no saving, no running", async () => {
    const pipeline = await owner.api.pipelines.create.mutate({
      name: "Apples",
      datasetId,
      steps: [{ type: "filter", column: "product", operator: "eq", value: "apple" }],
    });
    await signedInAs("guest");
    openApp(`/pipelines/${pipeline.id}`);
    expect(await screen.findByRole("heading", { level: 1, name: "Apples" })).toBeVisible();
    expect(screen.getByText(/only its owner can change or run it/)).toBeVisible();
    expect(screen.queryByRole("button", { name: "Save changes" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Run now" })).not.toBeInTheDocument();
    await waitFor(() => expect(previewRows()).toEqual(["north apple 10", "south apple 3"]));
  });
});
