import { Link, NavLink, Outlet } from "react-router";
import { ThemeToggle } from "../components/ThemeToggle";

/** Only real pages belong here; features add their entry when their page exists. */
const navigation = [{ to: "/", label: "Status", end: true }] as const;

export function Layout() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          Gantry
        </Link>
        <nav aria-label="Main" data-testid="app-nav">
          <ul>
            {navigation.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <ThemeToggle />
      </header>
      {/* tabIndex lets the skip link move keyboard focus here. */}
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
