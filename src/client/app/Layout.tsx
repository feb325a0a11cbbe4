import { Link, NavLink, Outlet } from "react-router";
import type { Permission } from "../../shared/permissions";
import { VerifyEmailBanner } from "../features/account";
import { useAuth } from "../lib/session/useAuth";
import { ThemeToggle } from "../ui/ThemeToggle";
import { SessionNavigator } from "./SessionNavigator";
import { UserMenu } from "./UserMenu";

interface NavItem {
  to: string;
  label: string;
  end?: boolean;
  /** "signedIn" for any signed-in user; a permission for role-bound pages; absent for everyone. */
  access?: "signedIn" | Permission;
}

/** Only real pages belong here; features add their entry when their page exists. */
const navigation: readonly NavItem[] = [
  { to: "/", label: "Status", end: true },
  { to: "/profile", label: "Profile", access: "signedIn" },
  { to: "/payments", label: "Payments", access: "payments:read" },
  { to: "/datasets", label: "Data sets", access: "datasets:read" },
  { to: "/pipelines", label: "Pipelines", access: "pipelines:read" },
  { to: "/admin/users", label: "Users", access: "users:manage" },
  { to: "/admin/audit", label: "Audit log", access: "audit:read" },
  { to: "/admin/ledger", label: "Ledger", access: "ledger:read" },
];

export function Layout() {
  const { status, can } = useAuth();
  // A link the role cannot use would only lead to "not allowed".
  const visible = navigation.filter(
    (item) => item.access === undefined || (status === "signedIn" && (item.access === "signedIn" || can(item.access))),
  );
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SessionNavigator />
      <header className="app-header">
        <Link to="/" className="brand">
          Gantry
        </Link>
        <nav aria-label="Main" data-testid="app-nav">
          <ul>
            {visible.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <UserMenu />
        <ThemeToggle />
      </header>
      {/* tabIndex lets the skip link move keyboard focus here. */}
      <main id="main" tabIndex={-1}>
        <VerifyEmailBanner />
        <Outlet />
      </main>
    </>
  );
}
