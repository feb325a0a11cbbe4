import { EventEmitter, on } from "node:events";
import {
  createPaymentInput,
  ledgerInput,
  type PaymentDetail,
  paymentByIdInput,
  paymentListInput,
  paymentStatusInput,
  refundPaymentInput,
} from "../../shared/schemas/payments.js";
import { forbidden } from "../services/errors.js";
import type { SessionUser } from "../trpc/context.js";
import { domainErrorOf, fromDomainError } from "../trpc/errors.js";
import { router } from "../trpc/init.js";
import { permissionProcedure } from "../trpc/procedures.js";
import { stillAllowed } from "../trpc/still-allowed.js";

const viewerOf = (user: SessionUser) => ({ id: user.id, role: user.role });

export const paymentsRouter = router({
  /** The enabled providers, what they can do, and the per-payment limit. */
  providers: permissionProcedure("payments:read").query(({ ctx }) => ctx.deps.payments.providers()),

  create: permissionProcedure("payments:create")
    .input(createPaymentInput)
    .mutation(({ ctx, input }) => ctx.deps.payments.create(viewerOf(ctx.user), input)),

  /** Own payments; any payment with `payments:read:any`. Others' are NOT_FOUND. */
  byId: permissionProcedure("payments:read")
    .input(paymentByIdInput)
    .query(({ ctx, input }) => ctx.deps.payments.byId(viewerOf(ctx.user), input.id)),

  list: permissionProcedure("payments:read")
    .input(paymentListInput)
    .query(({ ctx, input }) => ctx.deps.payments.list(viewerOf(ctx.user), input)),

  /** Full or partial; own payments, or any with `payments:refund:any`. */
  refund: permissionProcedure("payments:refund")
    .input(refundPaymentInput)
    .mutation(({ ctx, input }) => ctx.deps.payments.refund(viewerOf(ctx.user), input)),

  ledger: permissionProcedure("ledger:read")
    .input(ledgerInput)
    .query(({ ctx, input }) => ctx.deps.payments.ledger(input)),

  /**
   * The payment now, then again after every change (pending -> processing -> succeeded,
   * refunds). Listening starts before the first read, so no change falls in between; the
   * caller's session is checked again before each update, as on the audit feed.
   */
  onStatus: permissionProcedure("payments:read")
    .input(paymentStatusInput)
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<PaymentDetail> {
      const changes = new EventEmitter();
      const stop = ctx.deps.payments.onPaymentEvent(input.paymentId, () => changes.emit("change"));
      try {
        let last = await ctx.deps.payments.byId(viewerOf(ctx.user), input.paymentId);
        yield last;
        for await (const _ of on(changes, "change", { signal })) {
          const caller = await stillAllowed(ctx, "payments:read");
          if (!caller) {
            throw fromDomainError(forbidden("Your access to this payment has ended."));
          }
          const current = await ctx.deps.payments.byId(viewerOf(caller), input.paymentId);
          // Several events can land in one read; send each state once.
          if (current.updatedAt.getTime() === last.updatedAt.getTime() && current.status === last.status) continue;
          last = current;
          yield current;
        }
      } catch (error) {
        if (signal?.aborted) return;
        // Errors thrown while streaming bypass the middleware that maps them: map here.
        const domain = domainErrorOf(error);
        throw domain ? fromDomainError(domain) : error;
      } finally {
        stop();
      }
    }),
});
