import {
  createPaymentInput,
  ledgerInput,
  type PaymentDetail,
  paymentByIdInput,
  paymentListInput,
  paymentStatusInput,
  refundPaymentInput,
} from "../../shared/schemas/payments.js";
import { router } from "../trpc/init.js";
import { whileAllowed } from "../trpc/live.js";
import { permissionProcedure } from "../trpc/procedures.js";

export const paymentsRouter = router({
  /** The enabled providers, what they can do, and the per-payment limit. */
  providers: permissionProcedure("payments:read").query(({ ctx }) => ctx.deps.payments.providers()),

  create: permissionProcedure("payments:create")
    .input(createPaymentInput)
    .mutation(async ({ ctx, input }) => {
      // REQUIRE_VERIFIED_EMAIL=payments: an unverified account is told how to verify first.
      await ctx.deps.account.requireVerifiedEmail(ctx.user, "payments");
      return ctx.deps.payments.create(ctx.user, input);
    }),

  /** Own payments; any payment with `payments:read:any`. Others' are NOT_FOUND. */
  byId: permissionProcedure("payments:read")
    .input(paymentByIdInput)
    .query(({ ctx, input }) => ctx.deps.payments.byId(ctx.user, input.id)),

  list: permissionProcedure("payments:read")
    .input(paymentListInput)
    .query(({ ctx, input }) => ctx.deps.payments.list(ctx.user, input)),

  /** Full or partial; own payments, or any with `payments:refund:any`. */
  refund: permissionProcedure("payments:refund")
    .input(refundPaymentInput)
    .mutation(({ ctx, input }) => ctx.deps.payments.refund(ctx.user, input)),

  ledger: permissionProcedure("ledger:read")
    .input(ledgerInput)
    .query(({ ctx, input }) => ctx.deps.payments.ledger(input)),

  /**
   * The payment now, then again after every change, while the caller may still see it (the
   * session is checked again before each update, as on every subscription).
   */
  onPayment: permissionProcedure("payments:read")
    .input(paymentStatusInput)
    .subscription(({ ctx, input, signal }): AsyncGenerator<PaymentDetail> => {
      const { payments } = ctx.deps;
      return whileAllowed(ctx, {
        permission: "payments:read",
        values: (caller) => payments.live(caller, input.paymentId, signal),
        stillVisible: (caller) => payments.byId(caller, input.paymentId),
        ended: { forbidden: "Your access to this payment has ended." },
        signal,
      });
    }),
});
