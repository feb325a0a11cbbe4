/** The admin account the e2e server bootstraps (ADMIN_EMAIL / ADMIN_PASSWORD). */
export const E2E_ADMIN = { email: "admin@gantry.test", password: "admin-password-e2e" } as const;
