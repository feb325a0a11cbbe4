import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/app.js";
import { importData, uploadRaw, waitForRun } from "../../testing/pipelines.js";
import { expectSignedIn } from "../../testing/sign-in.js";

/**
 * Users see and run their own data sets and pipelines, admins everyone's; guests browse every
 * data set and result and change nothing. Someone else's things a user may not read are
 * NOT_FOUND to them (they do not learn they exist); a guest's writes are FORBIDDEN.
 */
const ADMIN = { email: "admin@pipelines.test", password: "admin passphrase for pipelines" };

describe("pipeline ownership", () => {
  let app: TestApp;
  let owner: string;
  let other: string;
  let guest: string;
  let admin: string;
  let datasetId: string;
  let pipelineId: string;
  let runId: string;

  beforeAll(async () => {
    app = await createTestApp("embedded", { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    admin = expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken;
    owner = (await app.signup()).token;
    other = (await app.signup()).token;
    const viewer = await app.signup();
    await app.caller({ token: admin }).users.setRole({ userId: viewer.userId, role: "guest" });
    guest = expectSignedIn(
      await app.caller().auth.login({ email: viewer.email, password: viewer.password }),
    ).accessToken;

    datasetId = (await importData(app, owner, "city,n\nOslo,1\nLima,2\n", { name: "owned" })).dataset.id;
    const api = app.caller({ token: owner });
    pipelineId = (await api.pipelines.create({ name: "mine", datasetId, steps: [{ type: "limit", count: 1 }] })).id;
    runId = (await api.pipelines.run({ pipelineId, idempotencyKey: "first" })).id;
    await waitForRun(app, owner, runId);
  });
  afterAll(async () => {
    await app?.close();
  });

  const exportStatus = async (token: string | null) =>
    (
      await app.gantry.http?.inject({
        method: "GET",
        url: `/api/datasets/${datasetId}/export.csv`,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      })
    )?.statusCode;

  it("keeps another user's data sets, pipelines and runs out of sight", async () => {
    const api = app.caller({ token: other });
    expect((await api.pipelines.datasets.list({})).items.map((d) => d.id)).not.toContain(datasetId);
    expect((await api.pipelines.list({})).total).toBe(0);
    expect((await api.pipelines.runs({})).total).toBe(0);
    const notFound = { code: "NOT_FOUND" };
    await expect(api.pipelines.datasets.byId({ id: datasetId })).rejects.toMatchObject(notFound);
    await expect(api.pipelines.datasets.rows({ datasetId })).rejects.toMatchObject(notFound);
    await expect(api.pipelines.datasets.delete({ id: datasetId })).rejects.toMatchObject(notFound);
    await expect(api.pipelines.byId({ id: pipelineId })).rejects.toMatchObject(notFound);
    await expect(api.pipelines.update({ id: pipelineId, name: "hijacked" })).rejects.toMatchObject(notFound);
    await expect(api.pipelines.run({ pipelineId, idempotencyKey: "x" })).rejects.toMatchObject(notFound);
    await expect(api.pipelines.runById({ runId })).rejects.toMatchObject(notFound);
    await expect(api.pipelines.cancelRun({ runId })).rejects.toMatchObject(notFound);
    await expect(api.pipelines.create({ name: "borrowed", datasetId, steps: [] })).rejects.toMatchObject(notFound);
    await expect(api.pipelines.preview({ datasetId, steps: [] })).rejects.toMatchObject(notFound);
    expect(await exportStatus(other)).toBe(404);
  });

  it("lets guests browse everything and change nothing", async () => {
    const api = app.caller({ token: guest });
    expect((await api.pipelines.datasets.list({})).items.map((d) => d.id)).toContain(datasetId);
    expect((await api.pipelines.datasets.rows({ datasetId })).total).toBe(2);
    expect((await api.pipelines.byId({ id: pipelineId })).name).toBe("mine");
    expect((await api.pipelines.runs({ pipelineId })).total).toBe(1);
    expect((await api.pipelines.preview({ datasetId, steps: [] })).rows).toHaveLength(2);
    expect(await exportStatus(guest)).toBe(200);

    const forbidden = { code: "FORBIDDEN" };
    await expect(api.pipelines.datasets.delete({ id: datasetId })).rejects.toMatchObject(forbidden);
    await expect(api.pipelines.create({ name: "g", datasetId, steps: [] })).rejects.toMatchObject(forbidden);
    await expect(api.pipelines.update({ id: pipelineId, name: "g" })).rejects.toMatchObject(forbidden);
    await expect(api.pipelines.delete({ id: pipelineId })).rejects.toMatchObject(forbidden);
    await expect(api.pipelines.run({ pipelineId, idempotencyKey: "g" })).rejects.toMatchObject(forbidden);
    await expect(api.pipelines.cancelRun({ runId })).rejects.toMatchObject(forbidden);
    await expect(api.pipelines.schedule({ pipelineId, cron: "0 * * * *" })).rejects.toMatchObject(forbidden);
    const upload = await uploadRaw(app, guest, "a\n1\n");
    expect(upload.statusCode).toBe(403);
  });

  it("asks for a session on the HTTP routes too", async () => {
    expect((await uploadRaw(app, null, "a\n1\n")).statusCode).toBe(401);
    expect((await uploadRaw(app, "not-a-token", "a\n1\n")).statusCode).toBe(401);
    expect(await exportStatus(null)).toBe(401);
  });

  it("lets admins read, run and delete anyone's", async () => {
    const api = app.caller({ token: admin });
    expect((await api.pipelines.datasets.list({})).items.map((d) => d.id)).toContain(datasetId);
    const run = await api.pipelines.run({ pipelineId, idempotencyKey: "by-admin" });
    expect(await waitForRun(app, admin, run.id)).toMatchObject({ status: "succeeded" });
    // The output belongs to the pipeline's owner, who can open it.
    const output = await app.caller({ token: owner }).pipelines.runById({ runId: run.id });
    expect(output.outputDatasetId).not.toBeNull();
    await api.pipelines.update({ id: pipelineId, name: "renamed by admin" });
    await expect(api.pipelines.datasets.delete({ id: datasetId })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining('pipeline "renamed by admin"'),
    });
    await api.pipelines.delete({ id: pipelineId });
    await api.pipelines.datasets.delete({ id: datasetId });
    await expect(app.caller({ token: owner }).pipelines.datasets.byId({ id: datasetId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
